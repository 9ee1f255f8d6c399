//! Images of the media library (`images`) with their WebP variants.

use sea_orm::entity::prelude::*;

/// An uploaded (or generated) image, stored under the uploads directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "images")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Path relative to the uploads directory, served under `/media/`.
    #[sea_orm(unique)]
    pub path: String,
    pub alt: String,
    pub caption: String,
    /// 图片来源
    pub credit: String,
    pub width: i32,
    pub height: i32,
    /// Resized WebP copies as JSON: `[{"width":480,"path":"…"}, …]`.
    #[sea_orm(column_type = "Text")]
    pub variants: String,
    pub size_bytes: i64,
    pub mime: String,
    pub created_at: DateTimeUtc,
    /// The site whose library it is in (站群; 1 is the main site).
    /// `None` will be the platform's shared library.
    pub site_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
