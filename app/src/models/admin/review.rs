//! The 待审核 queue and one review.

use serde::{Deserialize, Serialize};

use crate::models::Pager;

use super::*;

/// A row of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub article_id: i32,
    pub title: String,
    pub column: String,
    pub submitter: String,
    /// `2026年12月05日 14:30`
    pub submitted_at: String,
    /// 3天 / 5小时 / 刚刚
    pub waiting: String,
    /// 待审核 / 待初审 / 待终审
    pub level: String,
    /// An edit of a live article (the live version stays until approval).
    pub is_edit: bool,
    /// Blocked words in the proposal.
    pub flagged: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueData {
    pub rows: Vec<QueueRow>,
    pub columns: Vec<ColumnOption>,
    pub levels: i16,
    pub first: u64,
    pub second: u64,
    pub pager: Pager,
}

/// One article under review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub article_id: i32,
    pub title: String,
    pub submitter: String,
    pub submitted_at: String,
    /// The level the decision is for (sent back with it).
    pub level: i16,
    /// 审核 / 初审 / 终审
    pub step: vocab::ReviewStep,
    /// Who passed 初审 (at 终审).
    pub first_reviewer: String,
    /// An edit of a live article: compared with what readers see now.
    pub is_edit: bool,
    pub public_href: Option<String>,
    /// What readers see now (left) against the proposal (right); for a new article the left
    /// side is empty.
    pub fields: Vec<FieldDiff>,
    pub body: Vec<DiffLine>,
    /// The proposal's body as the page will show it, blocked words marked.
    pub preview_html: String,
    pub flagged: Vec<String>,
    /// Why this reviewer cannot decide (their own submission, or they passed 初审); empty
    /// when they can.
    pub cannot_decide: String,
}
