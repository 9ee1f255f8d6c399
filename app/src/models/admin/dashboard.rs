//! The dashboard.

use serde::{Deserialize, Serialize};

/// A labelled number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub value: i64,
}

/// An article with its views over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopArticle {
    pub id: i32,
    pub title: String,
    pub views: i64,
}

/// The dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub by_status: Vec<Count>,
    pub views_today: i64,
    pub views_7: i64,
    pub views_30: i64,
    /// The last 30 days, oldest first: (`11-27`, views).
    pub daily: Vec<(String, i64)>,
    pub top_7: Vec<TopArticle>,
    pub top_30: Vec<TopArticle>,
    /// Scheduled articles, soonest first: (id, title, `2026年11月28日 09:00`).
    pub upcoming: Vec<(i32, String, String)>,
    /// Readers' messages waiting for a reply.
    pub messages_waiting: u64,
    /// 投稿 not yet reviewed.
    pub submissions_waiting: u64,
    /// Articles waiting for 初审 (or the only review) and for 终审.
    #[serde(default)]
    pub review_first: u64,
    #[serde(default)]
    pub review_second: u64,
    /// Two review levels are configured.
    #[serde(default)]
    pub review_levels: i16,
    /// The signed-in person's own articles in review: where each stands and why it came back.
    #[serde(default)]
    pub mine: Vec<MyReview>,
}

/// One of my articles in review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub id: i32,
    pub title: String,
    /// 待审核 / 退回修改 / 修改待提交
    pub state: String,
    /// Why it was returned.
    pub note: String,
    /// `2026年12月05日 14:30`
    pub updated: String,
}
