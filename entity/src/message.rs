//! Readers' messages to the association, 留言箱 (`messages`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a reader's message is in the association's hands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// Arrived, not yet answered.
    #[sea_orm(string_value = "new")]
    New,
    /// Answered by staff.
    #[sea_orm(string_value = "replied")]
    Replied,
    /// Set aside as spam: never shown, not counted as waiting.
    #[sea_orm(string_value = "spam")]
    Spam,
}

/// 留言: a reader's message to the association, and the association's reply.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The receipt code the reader tracks it with, e.g. `LY20261201-7F3K`.
    #[sea_orm(unique)]
    pub code: String,
    /// The name the reader gave; the only personal detail ever shown publicly.
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    /// Plain text as typed (shown escaped, never as HTML).
    #[sea_orm(column_type = "Text")]
    pub content: String,
    /// The reader agreed to the message being shown publicly once answered.
    pub wants_public: bool,
    pub status: MessageStatus,
    /// Shown on `/messages` (only ever for a public message with a reply).
    pub is_published: bool,
    #[sea_orm(column_type = "Text")]
    pub reply: String,
    pub replied_at: Option<DateTimeUtc>,
    pub replied_by: String,
    /// SHA-256 of the normalized text: the same text twice within the hour is stored once.
    pub content_hash: String,
    /// A keyed hash of the sender's address: per-client limits without storing the address.
    pub client_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The site it belongs to (站群; 1 is the main site).
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
