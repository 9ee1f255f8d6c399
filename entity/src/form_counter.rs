//! Rate counters of the readers' public forms (`form_counters`).

use sea_orm::entity::prelude::*;

/// How often one client used a public form (留言, 投稿, tracking) in the current window.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "form_counters")]
pub struct Model {
    /// `<form>:<keyed hash of the client address>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub count: i32,
    pub window_start: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
