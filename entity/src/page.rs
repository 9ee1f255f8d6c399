//! Single pages, 单页 (`pages`).

use sea_orm::entity::prelude::*;

/// A single page (单页): the content of a `page` column such as 协会简介.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "pages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    /// The column (栏目); the table keeps its first name, `category_id`.
    #[sea_orm(column_name = "category_id")]
    #[serde(alias = "category_id")]
    pub column_id: i32,
    pub title: String,
    /// Sanitized HTML.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
