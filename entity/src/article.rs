//! Articles (`articles`): the news of every column, with status, flags and owner.

use sea_orm::entity::prelude::*;

/// Where an article is in its life.
pub use vocab::ArticleStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The column (栏目); the table keeps its first name, `category_id`.
    #[sea_orm(column_name = "category_id")]
    #[serde(alias = "category_id")]
    pub column_id: i32,
    pub title: String,
    pub subtitle: String,
    #[sea_orm(unique)]
    pub slug: Option<String>,
    /// 来源
    pub source: String,
    pub author: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// Comma-separated, for `<meta name="keywords">` (imported sites have them).
    pub keywords: String,
    /// Sanitized HTML.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub cover_image_id: Option<i32>,
    /// 头条
    pub is_headline: bool,
    /// 推荐
    pub is_recommended: bool,
    /// 幻灯
    pub is_slideshow: bool,
    pub status: ArticleStatus,
    pub published_at: Option<DateTimeUtc>,
    pub hits: i64,
    /// The staff member who created it (none for demo content and older articles).
    pub owner_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::column::Entity",
        from = "Column::ColumnId",
        to = "super::column::Column::Id",
        on_delete = "Restrict"
    )]
    Column,
    #[sea_orm(
        belongs_to = "super::image::Entity",
        from = "Column::CoverImageId",
        to = "super::image::Column::Id",
        on_delete = "SetNull"
    )]
    CoverImage,
}

impl Related<super::column::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Column.def()
    }
}

impl Related<super::image::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CoverImage.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
