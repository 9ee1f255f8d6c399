//! The magazine's issues and tables of contents.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: i32,
    pub label: String,
    pub title: String,
    pub published_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocRow {
    pub id: i32,
    pub section: String,
    pub article_id: i32,
    pub title: String,
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueForm {
    pub id: Option<i32>,
    pub year: i32,
    pub number: i32,
    pub total_number: i32,
    pub title: String,
    pub summary: String,
    pub cover_image_id: Option<i32>,
    pub cover_src: Option<String>,
    pub published_at: String,
    pub toc: Vec<TocRow>,
}
