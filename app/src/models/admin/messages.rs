//! The message box (留言箱) queue and one message.

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i32,
    pub code: String,
    pub subject: String,
    pub name: String,
    /// The phone (or else e-mail), masked.
    pub contact: String,
    pub received_at: String,
    pub status: String,
    pub wants_public: bool,
}

/// One tab of the queue: its filter code, label and count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueTab {
    pub code: String,
    pub label: String,
    pub count: u64,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageQueue {
    pub tabs: Vec<QueueTab>,
    pub rows: Vec<MessageRow>,
    pub pager: Pager,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDetail {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub contact: super::Contact,
    pub subject: String,
    pub content: String,
    pub wants_public: bool,
    pub status: String,
    pub is_spam: bool,
    pub is_replied: bool,
    pub is_published: bool,
    pub reply: String,
    pub replied: String,
    pub received_at: String,
}
