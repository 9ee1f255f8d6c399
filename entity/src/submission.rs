//! Readers' manuscripts, 投稿 (`submissions`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a reader's manuscript is in the editors' hands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "lowercase")]
pub enum SubmissionStatus {
    /// Arrived, not yet reviewed.
    #[sea_orm(string_value = "new")]
    New,
    /// Taken into a draft article.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Declined, with a reason the author sees when tracking.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Set aside as spam: not counted as waiting; the author sees it as received.
    #[sea_orm(string_value = "spam")]
    Spam,
}

/// 投稿: a manuscript a reader sent to the association.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The receipt code the author tracks it with, e.g. `TG20261201-7F3K`.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub organization: String,
    pub phone: String,
    pub email: String,
    pub title: String,
    /// The column the author suggested, if any.
    pub column_id: Option<i32>,
    /// Plain text as typed (shown escaped, never as HTML).
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub status: SubmissionStatus,
    /// Why it was declined (shown to the author).
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// The draft article it was accepted into.
    pub article_id: Option<i32>,
    pub handled_by: String,
    pub handled_at: Option<DateTimeUtc>,
    /// SHA-256 of the normalized text: the same manuscript twice within the hour is stored once.
    pub content_hash: String,
    /// A keyed hash of the sender's address.
    pub client_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::submission_file::Entity")]
    Files,
}

impl Related<super::submission_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Files.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
