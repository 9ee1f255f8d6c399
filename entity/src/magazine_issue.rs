//! Issues of the magazine (`magazine_issues`).

use sea_orm::entity::prelude::*;

/// An issue of the magazine 《中国开发区》.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "magazine_issues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    /// The number within its year (第N期).
    pub number: i32,
    /// The running number since the first issue (总第N期), 0 if unknown.
    pub total_number: i32,
    /// The theme.
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub cover_image_id: Option<i32>,
    pub published_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
