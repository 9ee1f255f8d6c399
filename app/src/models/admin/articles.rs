//! The article list, the editor, revisions and comparisons.

use serde::{Deserialize, Serialize};

use crate::models::Pager;

use super::*;

/// A column in a select, indented by depth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnOption {
    pub id: i32,
    pub label: String,
    /// Only list columns take articles.
    pub takes_articles: bool,
}

/// A row of the article list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: i32,
    pub title: String,
    pub column: String,
    pub status: ArticleStatus,
    /// Where its review stands (待审核, 退回修改, 修改待提交); empty when none is open.
    pub review: String,
    pub flags: Vec<String>,
    pub author: String,
    pub updated: String,
    pub published: String,
    pub hits: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleList {
    pub rows: Vec<ArticleRow>,
    pub columns: Vec<ColumnOption>,
    pub pager: Pager,
}

/// Every field the editor edits. Times are local (`2026-11-27T14:30`, site time zone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorForm {
    pub id: Option<i32>,
    pub column_id: i32,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub summary: String,
    pub body: String,
    pub cover_image_id: Option<i32>,
    pub cover_src: Option<String>,
    pub is_headline: bool,
    pub is_recommended: bool,
    pub is_slideshow: bool,
    pub status: ArticleStatus,
    pub published_at: String,
    /// 关键词, separated by commas.
    #[serde(default)]
    pub keywords: String,
}

/// An unsaved copy found for the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosaved {
    pub draft_key: String,
    /// `2026年11月27日 14:30`
    pub saved_at: String,
    pub form: EditorForm,
}

/// What the editor page starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub form: EditorForm,
    pub columns: Vec<ColumnOption>,
    /// The key autosaves of this editing session are kept under.
    pub draft_key: String,
    pub autosaved: Option<Autosaved>,
    pub revisions: usize,
    /// The public URL when the article is visible.
    pub public_href: Option<String>,
    /// The reader's submission (投稿) this article was accepted from: its code and page.
    #[serde(default)]
    pub submission: Option<(String, String)>,
    /// Where the article stands in review, when a review is open.
    #[serde(default)]
    pub review: Option<ReviewInfo>,
    /// The person's changes go through review (writers; editors when the site asks for peer
    /// review): the editor offers 保存草稿 and 提交审核 instead of a status and a time.
    #[serde(default)]
    pub reviewed: bool,
    /// 撰稿人: flags are the reviewers' to set.
    #[serde(default)]
    pub is_writer: bool,
}

/// Where an article stands in review, for the editor's notice and buttons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInfo {
    /// 待审核 / 待初审 / 待终审 / 退回修改 / 修改待提交
    pub label: String,
    /// Why it was returned.
    pub note: String,
    /// Waiting for a reviewer: its writer cannot change it.
    pub locked: bool,
    /// The form holds the waiting edit of a live article, not what readers see.
    pub editing_live: bool,
    /// For reviewers: the page where it is reviewed.
    pub review_href: Option<String>,
}

/// What saving answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveResult {
    pub id: i32,
    pub status: ArticleStatus,
    pub published_at: String,
    pub message: String,
    pub public_href: Option<String>,
    /// Where the article stands in review after the save.
    #[serde(default)]
    pub review: Option<ReviewInfo>,
}

/// What submitting for review answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentForReview {
    pub message: String,
    /// Blocked words in the submitted version: shown to the writer, highlighted for the
    /// reviewer, never blocking.
    pub flagged: Vec<String>,
    pub review: Option<ReviewInfo>,
    pub public_href: Option<String>,
}

/// What is pasted: the clipboard's HTML and, from Word, its RTF (with the pictures).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteRequest {
    pub html: String,
    #[serde(default)]
    pub rtf: String,
}

/// What pasting produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteResult {
    pub html: String,
    pub images: usize,
    pub warnings: Vec<String>,
}

/// A revision in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub id: i32,
    pub at: String,
    pub username: String,
    pub title: String,
    /// The review step that made it (提交审核, 退回修改：…); empty for a plain save.
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    pub article_id: i32,
    pub title: String,
    pub rows: Vec<RevisionRow>,
}

/// One line of a side-by-side comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub left: Option<String>,
    pub right: Option<String>,
    /// `same`, `changed`, `removed`, `added`
    pub kind: String,
}

/// A field compared between a revision and the current article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub label: String,
    pub left: String,
    pub right: String,
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub article_id: i32,
    pub title: String,
    pub revision_id: i32,
    pub revision_at: String,
    pub revision_user: String,
    pub fields: Vec<FieldDiff>,
    pub body: Vec<DiffLine>,
}
