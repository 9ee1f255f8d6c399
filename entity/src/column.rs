//! Columns (栏目) of the site (`columns`), a tree.

use sea_orm::entity::prelude::*;
pub use vocab::ColumnKind;

/// A column (栏目) of the site. Categories form a tree through `parent_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
    /// Unique within its site.
    pub slug: String,
    /// How the column presents itself.
    pub kind: ColumnKind,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
    /// Published articles listed under this column (its whole subtree).
    pub listed_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_delete = "Restrict"
    )]
    Parent,
    #[sea_orm(has_many = "super::article::Entity")]
    Article,
}

impl Related<super::article::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Article.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
