//! Saved states of articles (`article_revisions`), one per save or review step.

use sea_orm::entity::prelude::*;

/// A saved state of an article (every field, as JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "article_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_id: i32,
    pub user_id: Option<i32>,
    pub username: String,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    /// What made it, when it was a step of the review (e.g. 提交审核, 退回修改：…); empty for
    /// a plain save.
    pub label: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
