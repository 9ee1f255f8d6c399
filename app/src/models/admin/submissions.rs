//! Readers' submissions (投稿) and one submission.

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionRow {
    pub id: i32,
    pub code: String,
    pub title: String,
    pub name: String,
    /// The phone (or else e-mail), masked.
    pub contact: String,
    pub organization: String,
    pub received_at: String,
    pub files: u64,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionQueue {
    pub tabs: Vec<QueueTab>,
    pub rows: Vec<SubmissionRow>,
    pub pager: Pager,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionFileRow {
    pub name: String,
    pub kind: String,
    pub size: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionDetail {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub organization: String,
    pub contact: super::Contact,
    pub title: String,
    pub suggested_column: Option<ColumnChoice>,
    pub content: String,
    pub files: Vec<SubmissionFileRow>,
    pub status: String,
    pub can_accept: bool,
    pub can_reject: bool,
    pub is_spam: bool,
    pub reason: String,
    pub handled: String,
    /// The draft it became.
    pub article_href: Option<String>,
    pub received_at: String,
    /// Columns a draft may be filed under.
    pub columns: Vec<ColumnChoice>,
}
