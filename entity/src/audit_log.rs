//! The audit log (`audit_log`): who changed what, when.

use sea_orm::entity::prelude::*;

/// Who changed what, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: Option<i32>,
    pub username: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// Before/after summary.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub ip: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
