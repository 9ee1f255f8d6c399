//! The page-cache invalidation log (`cache_invalidations`) every app server follows.

use sea_orm::entity::prelude::*;

/// A page-cache tag made stale by a change. Every app server polls this log and drops the
/// cached pages that carry the tag, so a change made on one server reaches all of them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "cache_invalidations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tag: String,
    pub created_at: DateTimeUtc,
    /// The site whose pages are stale (站群); `None`: every site's.
    pub site_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
