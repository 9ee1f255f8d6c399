//! Articles in the back office: the list, the editor's data, saving, autosaves, preview,
//! pasting, revisions and their differences.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Where an article is in its life (the wire twin of the entity's status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Scheduled,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Scheduled,
        Status::Published,
        Status::Archived,
    ];

    /// 草稿 / 定时发布 / 已发布 / 已归档
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Scheduled => "定时发布",
            Status::Published => "已发布",
            Status::Archived => "已归档",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

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
    pub status: Status,
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
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Articles per page of the list.
pub const LIST_PER_PAGE: u64 = 30;

/// The review states the list filters by: (code, label).
pub const REVIEW_FILTERS: [(&str, &str); 3] = [
    ("pending", "待审核"),
    ("returned", "退回修改"),
    ("editing", "修改待提交"),
];

/// The article list, filtered; a writer sees only their own articles.
#[server(prefix = "/api/admin", endpoint = "articles/list", input = GetUrl)]
pub async fn list_articles(
    column: Option<i32>,
    status: Option<String>,
    flag: Option<String>,
    author: Option<String>,
    q: Option<String>,
    review: Option<String>,
    page: Option<u64>,
) -> Result<ArticleList, AppError> {
    use crate::server::{require_staff, state};
    use entity::article_review::ReviewState;
    let staff = require_staff()?;
    let state = state()?;
    let search = service::editorial::Search {
        category_id: column.filter(|c| *c > 0),
        status: status
            .as_deref()
            .and_then(Status::from_code)
            .map(Into::into),
        flag: flag.filter(|f| !f.is_empty()),
        author,
        text: q,
        owner: staff.is_writer().then_some(staff.user.id),
        review: match review.as_deref() {
            Some("pending") => Some(ReviewState::Pending),
            Some("returned") => Some(ReviewState::Returned),
            Some("editing") => Some(ReviewState::Editing),
            _ => None,
        },
    };
    let page = page.unwrap_or(1).max(1);
    let (rows, total) =
        service::editorial::search(&state.db, &search, page - 1, LIST_PER_PAGE).await?;
    let categories = service::category::all(&state.db).await?;
    let ids: Vec<i32> = rows.iter().map(|a| a.id).collect();
    let reviews = service::review::of_articles(&state.db, &ids).await?;
    let levels = service::review::Policy::load(&state.db).await?.levels;
    let tz = state.site.time_zone;
    Ok(ArticleList {
        rows: rows
            .into_iter()
            .map(|a| super::convert::article_row(&a, reviews.get(&a.id), levels, &categories, tz))
            .collect(),
        columns: super::convert::column_options(&categories),
        page,
        pages: total.div_ceil(LIST_PER_PAGE).max(1),
        total,
    })
}

/// 批量发布 / 撤回 / 归档 from the list (a plain form post).
#[server(prefix = "/api/admin", endpoint = "articles/bulk")]
pub async fn bulk_articles(ids: Option<Vec<i32>>, action: String) -> Result<usize, AppError> {
    use super::form::finish;
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let action = match action.as_str() {
            "publish" => service::editorial::Bulk::Publish,
            "unpublish" => service::editorial::Bulk::Unpublish,
            "archive" => service::editorial::Bulk::Archive,
            _ => return Err(AppError::BadRequest("未知的批量操作".into())),
        };
        let ids = ids.unwrap_or_default();
        Ok(service::review::bulk(&state.db, &staff.person(), &ids, action).await?)
    }
    .await;
    let message = match &result {
        Ok(n) => format!("已处理 {n} 篇文章"),
        Err(_) => String::new(),
    };
    finish(result, &message)
}

/// Every field the editor edits. Times are local (`2026-11-27T14:30`, site time zone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorForm {
    pub id: Option<i32>,
    pub category_id: i32,
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
    pub status: String,
    pub published_at: String,
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

/// The editor's data for article `id`, or for a new article.
#[server(prefix = "/api/admin", endpoint = "articles/editor", input = GetUrl)]
pub async fn get_editor(id: Option<i32>) -> Result<EditorData, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    super::editor::load(&state, &staff, id).await
}

/// What saving answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveResult {
    pub id: i32,
    pub status: String,
    pub published_at: String,
    pub message: String,
    pub public_href: Option<String>,
    /// Where the article stands in review after the save.
    #[serde(default)]
    pub review: Option<ReviewInfo>,
}

/// Saves the editor's form (creating the article when it has no id yet).
#[server(prefix = "/api/admin", endpoint = "articles/save", input = Json)]
pub async fn save_article(draft_key: String, form: EditorForm) -> Result<SaveResult, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    super::editor::save(&state, &staff, &draft_key, form).await
}

/// What submitting for review answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitResult {
    pub message: String,
    /// Blocked words in the submitted version: shown to the writer, highlighted for the
    /// reviewer, never blocking.
    pub hits: Vec<String>,
    pub review: Option<ReviewInfo>,
    pub public_href: Option<String>,
}

/// 提交审核: sends the saved article (or the saved edit of a live one) to the reviewers.
#[server(prefix = "/api/admin", endpoint = "articles/submit", input = Json)]
pub async fn submit_article(id: i32) -> Result<SubmitResult, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    super::editor::submit(&state, &staff, id).await
}

/// Keeps the editor's unsaved copy; answers the time it was kept (`14:30:05`).
#[server(prefix = "/api/admin", endpoint = "articles/autosave", input = Json)]
pub async fn autosave_article(draft_key: String, form: EditorForm) -> Result<String, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    let data =
        serde_json::to_string(&form).map_err(|_| AppError::BadRequest("草稿无法保存".into()))?;
    let at =
        service::editorial::autosave(&state.db, staff.user.id, &draft_key, form.id, &data).await?;
    Ok(at
        .with_timezone(&state.site.time_zone)
        .format("%H:%M:%S")
        .to_string())
}

/// Throws an unsaved copy away.
#[server(prefix = "/api/admin", endpoint = "articles/discard", input = Json)]
pub async fn discard_autosave(draft_key: String) -> Result<(), AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    Ok(service::editorial::discard_autosave(&state.db, staff.user.id, &draft_key).await?)
}

/// The body as the public page will show it (same sanitizer, same `srcset`).
#[server(prefix = "/api/admin", endpoint = "articles/preview", input = Json)]
pub async fn preview_body(body: String) -> Result<String, AppError> {
    use crate::server::{require_staff, state};
    require_staff()?;
    let state = state()?;
    let html = service::html::page_body(&body);
    Ok(service::media::with_srcset(&state.db, &html).await?)
}

/// Where the editor sends what is pasted: a plain route of the server (not a server
/// function), because a paste can be tens of megabytes of JSON, which the server decodes on
/// a blocking thread.
pub const PASTE_URL: &str = "/api/admin/articles/paste";

/// Where the editor sends a Word document to import (a plain multipart route of the server,
/// answered with a [`PasteResult`]).
pub const DOCX_URL: &str = "/api/admin/articles/docx";

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

#[server(prefix = "/api/admin", endpoint = "articles/revisions", input = GetUrl)]
pub async fn get_revisions(id: i32) -> Result<Revisions, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    super::editor::revisions(&state, &staff, id).await
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

/// A revision (left) against the current article (right).
#[server(prefix = "/api/admin", endpoint = "articles/diff", input = GetUrl)]
pub async fn get_diff(rev: i32) -> Result<Diff, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    super::editor::diff(&state, &staff, rev).await
}

/// Restores a revision (a plain form post); continues to the editor.
#[server(prefix = "/api/admin", endpoint = "articles/restore")]
pub async fn restore_revision(rev: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        let state = state()?;
        let saved = service::review::restore(&state.db, &staff.person(), rev).await?;
        go_to(&format!("/admin/articles/{}", saved.article.id));
        Ok(saved.direct)
    }
    .await;
    let message = match &result {
        Ok(false) => format!("已按版本 #{rev} 修改，网站上的版本不变；提交审核并通过后生效"),
        _ => format!("已恢复到版本 #{rev}，并保存为新版本"),
    };
    finish(result.map(|_| ()), &message)
}
