//! The end of the audit chain (`audit_head`, one row): the last sealed row and the last
//! archived one.

use sea_orm::entity::prelude::*;

/// The chain's head. Every sealing updates it first, which queues concurrent writers of
/// audit rows one after another, on every server.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// The last sealed row's seq (0 before the first).
    pub seq: i64,
    /// The last sealed row's hash (empty before the first).
    pub hash: String,
    /// Rows up to this seq have been archived to a signed file and removed.
    pub archived_seq: i64,
    /// The hash of the last archived row: the first remaining row chains to it.
    pub archived_hash: String,
    /// The fingerprint of the installation key that seals the chain (empty before the
    /// first row): a server with another key writes nothing rather than rows that never
    /// verify.
    pub key_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
