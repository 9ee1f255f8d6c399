//! The audit log (`audit_log`): who did what, when, from where and with what outcome; a hash
//! chain that only grows (see `service::audit::chain`).

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
    /// `ok`, `failed` (a wrong password, a wrong code) or `refused` (no right to do it).
    pub outcome: String,
    /// The row's place in the chain (1, 2, 3 …); `None` only for rows written before the
    /// chain existed, until the next start seals them.
    pub seq: Option<i64>,
    /// HMAC-SHA256 (hex) of this row's fields and the previous row's hash.
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
