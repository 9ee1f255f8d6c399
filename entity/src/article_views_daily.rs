//! Daily view counts of articles (`article_views_daily`), for the dashboard.

use sea_orm::entity::prelude::*;

/// Views of an article on one day (in the site's time zone).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "article_views_daily")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i32,
    /// `2026-11-27`
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub views: i64,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
