//! Files attached to notices (`notice_attachments`).

use sea_orm::entity::prelude::*;

/// A file attached to a notice, stored under the uploads directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "notice_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub notice_id: i32,
    pub title: String,
    /// Path relative to the uploads directory, served under `/media/`.
    pub path: String,
    pub size_bytes: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
