//! One row brought in from another system: where it came from and what it became, so that
//! running the same import again updates instead of duplicating.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "import_records")]
pub struct Model {
    /// The site it was brought into (站群: two members may move in from two DedeCMS sites).
    #[sea_orm(primary_key, auto_increment = false)]
    pub site_id: i32,
    /// `wordpress`, `dedecms`, `pbootcms`, `empirecms`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub system: String,
    /// `column`, `article`, `page`, `notice`, `image`, `file`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// The row's id in the old system.
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_id: String,
    /// The id of what it became here.
    pub target_id: i32,
    /// A hash of what the old row said when it was last brought in.
    pub digest: String,
    /// Its body links to old addresses not known when it was written.
    pub pending_links: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
