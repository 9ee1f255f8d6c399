//! The editor's unsaved copies of articles (`article_autosaves`).

use sea_orm::entity::prelude::*;

/// The editor's latest unsaved state of an article, kept so a closed tab loses nothing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "article_autosaves")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// `article:<id>` or `new:<random>`.
    pub draft_key: String,
    pub article_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
