//! Where published articles are listed (`article_listings`): one row per article and column, ancestors included.

use sea_orm::entity::prelude::*;

/// A published article as listed under one column: one row for its own column and one for
/// each ancestor, so a section's list is a single index range.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "article_listings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The column (栏目); the table keeps its first name, `category_id`.
    #[sea_orm(column_name = "category_id")]
    #[serde(alias = "category_id")]
    pub column_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i32,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
