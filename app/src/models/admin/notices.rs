//! Notices (通知公告).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i32,
    pub title: String,
    pub published_at: String,
    pub is_published: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub id: Option<i32>,
    pub title: String,
    pub body: String,
    pub published_at: String,
    pub is_published: bool,
}
