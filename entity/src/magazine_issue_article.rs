//! The lines of a magazine issue's table of contents (`magazine_issue_articles`).

use sea_orm::entity::prelude::*;

/// One line of an issue's table of contents, linking to an article.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "magazine_issue_articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub issue_id: i32,
    pub article_id: i32,
    /// The table-of-contents section, e.g. 封面文章.
    pub section: String,
    pub sort_order: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
