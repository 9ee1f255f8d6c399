//! Articles in the back office: the list, the editor's data, saving, autosaves, preview,
//! pasting, revisions and their differences.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::ArticleStatus;
use crate::models::admin::{
    ArticleList, Diff, EditorData, EditorForm, Revisions, SaveResult, SentForReview,
};

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
    use crate::ssr::{require_writer, state};
    use entity::article_review::ReviewState;
    let staff = require_writer()?;
    let state = state()?;
    let search = service::editorial::Search {
        column_id: column.filter(|c| *c > 0),
        status: status.as_deref().and_then(ArticleStatus::from_code),
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
    let base = crate::query::address(
        "/admin/articles",
        &[
            (
                "column",
                &search.column_id.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("status", search.status.map_or("", |s| s.code())),
            ("flag", search.flag.as_deref().unwrap_or_default()),
            ("author", search.author.as_deref().unwrap_or_default()),
            ("q", search.text.as_deref().unwrap_or_default()),
            ("review", review.as_deref().unwrap_or_default()),
        ],
    );
    let (rows, total) =
        service::editorial::search(&state.db, &search, page - 1, LIST_PER_PAGE).await?;
    let columns = service::column::all(&state.db, service::site::MAIN).await?;
    let ids: Vec<i32> = rows.iter().map(|a| a.id).collect();
    let reviews = service::review::of_articles(&state.db, &ids).await?;
    let levels = service::review::Workflow::load(&state.db).await?.levels;
    let tz = state.site.time_zone;
    Ok(ArticleList {
        rows: rows
            .into_iter()
            .map(|a| super::convert::article_row(&a, reviews.get(&a.id), levels, &columns, tz))
            .collect(),
        columns: super::convert::column_options(&columns),
        pager: crate::models::Pager::new(page, total, LIST_PER_PAGE, base),
    })
}

/// 批量发布 / 撤回 / 归档 from the list (a plain form post).
#[server(prefix = "/api/admin", endpoint = "articles/bulk")]
pub async fn bulk_articles(ids: Option<Vec<i32>>, action: String) -> Result<usize, AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
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
        Ok(service::review::bulk(&state.db, &staff.actor(), &ids, action).await?)
    }
    .await;
    let message = match &result {
        Ok(n) => format!("已处理 {n} 篇文章"),
        Err(_) => String::new(),
    };
    finish(result, &message)
}

/// The editor's data for article `id`, or for a new article.
#[server(prefix = "/api/admin", endpoint = "articles/editor", input = GetUrl)]
pub async fn get_editor(id: Option<i32>) -> Result<EditorData, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
    super::editor::load(&state, &staff, id).await
}

/// Saves the editor's form (creating the article when it has no id yet).
#[server(prefix = "/api/admin", endpoint = "articles/save", input = Json)]
pub async fn save_article(draft_key: String, form: EditorForm) -> Result<SaveResult, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
    super::editor::save(&state, &staff, &draft_key, form).await
}

/// 提交审核: sends the saved article (or the saved edit of a live one) to the reviewers.
#[server(prefix = "/api/admin", endpoint = "articles/send-for-review", input = Json)]
pub async fn send_for_review(id: i32) -> Result<SentForReview, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
    super::editor::send_for_review(&state, &staff, id).await
}

/// Keeps the editor's unsaved copy; answers the time it was kept (`14:30:05`).
#[server(prefix = "/api/admin", endpoint = "articles/autosave", input = Json)]
pub async fn autosave_article(draft_key: String, form: EditorForm) -> Result<String, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
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
    let (staff, state) = crate::ssr::as_writer()?;
    Ok(service::editorial::discard_autosave(&state.db, staff.user.id, &draft_key).await?)
}

/// The body as the public page will show it (same sanitizer, same `srcset`).
#[server(prefix = "/api/admin", endpoint = "articles/preview", input = Json)]
pub async fn preview_body(body: String) -> Result<String, AppError> {
    let (_, state) = crate::ssr::as_writer()?;
    let html = service::html::page_body_of(body).await?;
    Ok(service::media::with_srcset(&state.db, &html).await?)
}

/// Where the editor sends what is pasted: a plain route of the server (not a server
/// function), because a paste can be tens of megabytes of JSON, which the server decodes on
/// a blocking thread.
pub const PASTE_URL: &str = "/api/admin/articles/paste";

/// Where the editor sends a Word document to import (a plain multipart route of the server,
/// answered with a [`PasteResult`]).
pub const DOCX_URL: &str = "/api/admin/articles/docx";

#[server(prefix = "/api/admin", endpoint = "articles/revisions", input = GetUrl)]
pub async fn get_revisions(id: i32) -> Result<Revisions, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
    super::editor::revisions(&state, &staff, id).await
}

/// A revision (left) against the current article (right).
#[server(prefix = "/api/admin", endpoint = "articles/diff", input = GetUrl)]
pub async fn get_diff(rev: i32) -> Result<Diff, AppError> {
    let (staff, state) = crate::ssr::as_writer()?;
    super::editor::diff(&state, &staff, rev).await
}

/// Restores a revision (a plain form post); continues to the editor.
#[server(prefix = "/api/admin", endpoint = "articles/restore")]
pub async fn restore_revision(rev: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_writer, state};
    let staff = require_writer()?;
    let result = async {
        let state = state()?;
        let saved = service::review::restore(&state.db, &staff.actor(), rev).await?;
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
