//! 通知公告 (`notices`).

use sea_orm::entity::prelude::*;

/// 通知公告: short, dated announcements.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    /// Sanitized HTML.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub is_published: bool,
    pub published_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
