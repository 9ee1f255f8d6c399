//! Form tokens already sent back (`form_tokens`): each showing of a public form counts once.

use sea_orm::entity::prelude::*;

/// A used form token, and the receipt of what it stored (once stored).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "form_tokens")]
pub struct Model {
    /// `<form>:<the token's nonce>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub used_at: DateTimeUtc,
    /// A hash of what the first post with it said (the same post again is a double click).
    pub fingerprint: String,
    /// The receipt code of the item the post stored; `None` while it is handled or when it
    /// was refused.
    pub code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
