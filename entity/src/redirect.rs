//! An old address of the site answered with a permanent redirect to its new one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "redirects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The old address as the site sees it: a path, with its query if the old system used
    /// one (`/plus/view.php?aid=12`), never a host.
    /// Unique within its site.
    pub from_path: String,
    /// Where it goes now: a path on this site.
    pub to_path: String,
    /// Who made it: `staff`, or `import:<system>`.
    pub origin: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
