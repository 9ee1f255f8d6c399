//! One-time recovery codes of the second factor (`recovery_codes`), stored hashed.

use sea_orm::entity::prelude::*;

/// One recovery code: usable once, when the authenticator app is not at hand.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "recovery_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// HMAC-SHA256 (hex) of the code, keyed by the installation's secret.
    pub code_hash: String,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
