//! 先审后发 for reviewers: the 待审核 queue, one article under review compared with what
//! readers see, and the decisions (通过, 退回修改). Editors and admins only.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::QueueRow;
use crate::models::admin::{QueueData, ReviewDetail};

pub const QUEUE_PER_PAGE: u64 = 30;

/// The queue: `mine` (我提交的), `level` (1 or 2), `column`, `days` (waiting at least).
#[server(prefix = "/api/admin", endpoint = "review/queue", input = GetUrl)]
pub async fn get_queue(
    mine: Option<bool>,
    level: Option<i16>,
    column: Option<i32>,
    days: Option<i64>,
    page: Option<u64>,
) -> Result<QueueData, AppError> {
    let (staff, state) = crate::ssr::as_editor()?;
    let db = &state.db;
    let filter = service::review::QueueFilter {
        submitted_by: mine.unwrap_or(false).then_some(staff.user.id),
        level: level.filter(|l| (1..=2).contains(l)),
        column_id: column.filter(|c| *c > 0),
        waiting_days: days.filter(|d| *d > 0),
    };
    let page = page.unwrap_or(1).max(1);
    let base = crate::query::address(
        "/admin/review",
        &[
            ("mine", if mine == Some(true) { "true" } else { "" }),
            (
                "level",
                &filter.level.map(|l| l.to_string()).unwrap_or_default(),
            ),
            (
                "column",
                &filter.column_id.map(|c| c.to_string()).unwrap_or_default(),
            ),
            (
                "days",
                &filter
                    .waiting_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ],
    );
    let (waiting, total) = service::review::queue(db, &filter, page - 1, QUEUE_PER_PAGE).await?;
    let settings = service::site::settings(db).await?;
    let workflow = settings.review;
    let rules = service::form::ContentRules::from_settings(&settings);
    let columns = service::column::all(db, service::site::MAIN).await?;
    let counts = service::review::counts(db).await?;
    let tz = state.site.time_zone;
    let now = chrono::Utc::now();
    let mut rows = Vec::with_capacity(waiting.len());
    for w in waiting {
        let proposal = service::review::proposal(&w.article, Some(&w.review))?;
        let submitted = w.review.submitted_at.unwrap_or(w.review.updated_at);
        rows.push(QueueRow {
            article_id: w.article.id,
            title: proposal.title.clone(),
            column: columns
                .iter()
                .find(|c| c.id == proposal.column_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            submitter: w.review.submitter.clone(),
            submitted_at: service::time::format_datetime(submitted, tz),
            waiting: service::review::waited(now - submitted),
            level: service::review::state_label(&w.review, workflow.levels).to_owned(),
            is_edit: w.review.data.is_some(),
            flagged: rules.blocked_in(&service::review::words_of(&proposal)),
        });
    }
    Ok(QueueData {
        rows,
        columns: super::convert::column_options(&columns),
        levels: workflow.levels,
        first: counts.first,
        second: counts.second,
        pager: crate::models::Pager::new(page, total, QUEUE_PER_PAGE, base),
    })
}

#[server(prefix = "/api/admin", endpoint = "review/one", input = GetUrl)]
pub async fn get_review(id: i32) -> Result<ReviewDetail, AppError> {
    use crate::ssr::{require_editor, state};
    use entity::article_review::ReviewState;
    let staff = require_editor()?;
    let state = state()?;
    let db = &state.db;
    let a = service::editorial::get(db, id).await?;
    let review = service::review::of_article(db, id)
        .await?
        .filter(|r| r.state == ReviewState::Pending)
        .ok_or(AppError::NotFound)?;
    let settings = service::site::settings(db).await?;
    let workflow = settings.review;
    let rules = service::form::ContentRules::from_settings(&settings);
    let proposal = service::review::proposal(&a, Some(&review))?;
    let is_edit = review.data.is_some();
    let live = if is_edit {
        service::editorial::ArticleInput::from_model(&a)
    } else {
        service::editorial::ArticleInput {
            title: String::new(),
            subtitle: String::new(),
            source: String::new(),
            author: String::new(),
            summary: String::new(),
            body: String::new(),
            cover_image_id: None,
            is_headline: false,
            is_recommended: false,
            is_slideshow: false,
            published_at: None,
            keywords: None,
            ..proposal.clone()
        }
    };
    let (fields, body) = super::editor::compare(&state, &live, &proposal).await?;
    let flagged = rules.blocked_in(&service::review::words_of(&proposal));
    let html = service::html::page_body_of(proposal.body.clone()).await?;
    let preview_html =
        service::review::mark_words(&service::media::with_srcset(db, &html).await?, &flagged);
    let cannot_decide = if review.submitted_by == Some(staff.user.id) {
        "这是您提交的稿件，须由其他编辑审核".to_owned()
    } else if review.level == 2 && review.first_reviewer_id == Some(staff.user.id) {
        "您已完成初审，终审须由其他编辑进行".to_owned()
    } else {
        String::new()
    };
    Ok(ReviewDetail {
        article_id: a.id,
        title: proposal.title.clone(),
        submitter: review.submitter.clone(),
        submitted_at: review
            .submitted_at
            .map(|t| service::time::format_datetime(t, state.site.time_zone))
            .unwrap_or_default(),
        level: review.level,
        step: vocab::ReviewStep::of(workflow.levels, review.level),
        first_reviewer: review.first_reviewer.clone(),
        is_edit,
        public_href: (a.status == entity::article::ArticleStatus::Published)
            .then(|| format!("/articles/{}", a.id)),
        fields,
        body,
        preview_html,
        flagged,
        cannot_decide,
    })
}

/// 通过 (a plain form post): at the last level the article goes online now, or at `at`
/// (local time, `2026-12-05T14:30`) when given and in the future.
#[server(prefix = "/api/admin", endpoint = "review/approve")]
pub async fn approve_review(id: i32, level: i16, at: Option<String>) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    use service::review::Approved;
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let site = crate::ssr::site()?;
        let at = match at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                super::convert::parse_local_input(s, state.site.time_zone)
                    .ok_or_else(|| AppError::BadRequest("发布时间格式不正确".into()))?,
            ),
        };
        let before = service::review::of_article(&state.db, id).await?;
        let done = service::review::approve(&state.db, &staff.actor(), id, level, at).await?;
        if done != Approved::Passed
            && let Some(r) = before
        {
            let a = service::editorial::get(&state.db, id).await?;
            let link = site.absolute(&format!("/admin/articles/{id}"));
            let notice = service::mail::review_decided(&a.title, true, "", &link);
            super::editor::notify_review(&state, Some(r.submitted_by), notice).await;
        }
        go_to("/admin/review");
        Ok(done)
    }
    .await;
    let message = match &result {
        Ok(Approved::Passed) => "初审通过，已转交终审",
        Ok(Approved::Published) => "审核通过，文章已发布",
        Ok(Approved::Scheduled) => "审核通过，文章将按设定时间发布",
        Err(_) => "",
    };
    finish(result.map(|_| ()), message)
}

/// 退回修改 (a plain form post) with the reason the writer will see.
#[server(prefix = "/api/admin", endpoint = "review/return")]
pub async fn return_review(id: i32, level: i16, reason: String) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let site = crate::ssr::site()?;
        service::review::send_back(&state.db, &staff.actor(), id, level, &reason).await?;
        if let Some(r) = service::review::of_article(&state.db, id).await? {
            let a = service::editorial::get(&state.db, id).await?;
            let title = service::review::proposal(&a, Some(&r))?.title;
            let link = site.absolute(&format!("/admin/articles/{id}"));
            let notice = service::mail::review_decided(&title, false, reason.trim(), &link);
            super::editor::notify_review(&state, Some(r.submitted_by), notice).await;
        }
        go_to("/admin/review");
        Ok(())
    }
    .await;
    finish(result, "已退回修改，撰稿人会看到退回原因")
}
