//! A site the installation serves (站群). Site 1 (`main`) is the association's portal.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "sites")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Short and unique: `main`, `zhundong` (lower-case letters, digits and `-`).
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `active` (serving), `preparing` (made, not yet open to readers) or `closed`.
    pub status: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
