//! The open review of an article (先审后发): at most one per article, deleted when approved.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a review stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    /// A change to a live article, saved but not yet submitted.
    #[sea_orm(string_value = "editing")]
    Editing,
    /// 待审核: submitted, locked for its writer.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// 退回修改: sent back with a reason.
    #[sea_orm(string_value = "returned")]
    Returned,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "article_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub article_id: i32,
    pub state: ReviewState,
    /// The review level it waits for: 1 初审, 2 终审.
    pub level: i16,
    /// The proposed version (JSON of the editor's input) when the article is live; `None`
    /// when the article itself is the proposal (it has never been published).
    #[sea_orm(column_type = "Text", nullable)]
    pub data: Option<String>,
    /// The reason it was returned.
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub submitted_by: Option<i32>,
    /// Who submitted it, as shown (a staff member's name, or the reader of a 投稿).
    pub submitter: String,
    pub first_reviewer_id: Option<i32>,
    pub first_reviewer: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::article::Entity",
        from = "Column::ArticleId",
        to = "super::article::Column::Id",
        on_delete = "Cascade"
    )]
    Article,
}

impl Related<super::article::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Article.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
