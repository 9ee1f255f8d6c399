//! 投稿 in the back office: the queue, one submission with its files, and what
//! editors do with it (accept into a draft, decline with a reason, set aside as spam,
//! delete). Every change is in the audit log.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::Contact;
use crate::models::admin::{SubmissionDetail, SubmissionQueue};
#[cfg(feature = "ssr")]
use crate::models::admin::{SubmissionFileRow, SubmissionRow};
#[cfg(feature = "ssr")]
use crate::models::{ColumnChoice, Pager};

/// Submissions per page of the queue.
pub const PER_PAGE: u64 = 30;

#[server(prefix = "/api/admin", endpoint = "submissions/list", input = GetUrl)]
pub async fn get_submission_queue(filter: String, page: u64) -> Result<SubmissionQueue, AppError> {
    use service::form::queue::Tab;
    use service::submission::queue::{self, Filter};

    let (_, state) = crate::ssr::as_editor()?;
    let filter = Filter::parse(&filter);
    let page = page.max(1);
    let (rows, total) = queue::list(&state.db, filter, page - 1, PER_PAGE).await?;
    let tz = state.site.time_zone;
    Ok(SubmissionQueue {
        tabs: super::convert::queue_tabs(&state.db, filter).await?,
        rows: rows
            .into_iter()
            .map(|(s, files)| SubmissionRow {
                status: queue::status_label(&s).to_owned(),
                id: s.id,
                code: s.code,
                title: s.title,
                contact: service::security::personal::mask_contact(&s.phone, &s.email),
                name: s.name,
                organization: s.organization,
                received_at: service::time::format_datetime(s.created_at, tz),
                files,
            })
            .collect(),
        pager: Pager::new(
            page,
            total,
            PER_PAGE,
            format!("/admin/submissions?filter={}", filter.code()),
        ),
    })
}

/// One submission; `full` shows the author's whole phone and e-mail (recorded in the audit
/// log).
#[server(prefix = "/api/admin", endpoint = "submissions/one", input = GetUrl)]
pub async fn get_submission(
    id: i32,
    #[server(default)] full: bool,
) -> Result<SubmissionDetail, AppError> {
    use entity::submission::SubmissionStatus as S;
    use service::submission::{FileKind, queue};

    use crate::ssr::{require_editor, state};
    fn size_text(bytes: i64) -> String {
        if bytes >= 1024 * 1024 {
            format!("{:.1} MB", bytes as f64 / 1048576.0)
        } else {
            format!("{} KB", (bytes + 1023) / 1024)
        }
    }
    let staff = require_editor()?;
    let state = state()?;
    let s = queue::get(&state.db, id).await?;
    let (phone, email) = service::security::personal::shown(
        &state.db,
        &staff.actor(),
        ("submission", s.id, &s.code),
        (s.phone.clone(), s.email.clone()),
        full,
    )
    .await?;
    let files = queue::files(&state.db, id).await?;
    let columns: Vec<ColumnChoice> =
        service::submission::suggestable_columns(&state.db, service::site::MAIN)
            .await?
            .into_iter()
            .map(|(id, name)| ColumnChoice { id, name })
            .collect();
    let tz = state.site.time_zone;
    Ok(SubmissionDetail {
        status: queue::status_label(&s).to_owned(),
        id: s.id,
        can_accept: matches!(s.status, S::New | S::Rejected),
        can_reject: matches!(s.status, S::New | S::Spam),
        is_spam: s.status == S::Spam,
        handled: s
            .handled_at
            .map(|t| format!("{} {}", service::time::format_datetime(t, tz), s.handled_by))
            .unwrap_or_default(),
        article_href: s.article_id.map(|a| format!("/admin/articles/{a}")),
        suggested_column: s
            .column_id
            .and_then(|c| columns.iter().find(|x| x.id == c).cloned()),
        files: files
            .into_iter()
            .map(|f| SubmissionFileRow {
                kind: FileKind::parse(&f.kind)
                    .map(FileKind::label)
                    .unwrap_or("文件")
                    .to_owned(),
                size: size_text(f.size_bytes),
                href: format!("/api/admin/submissions/{id}/files/{}", f.id),
                name: f.name,
            })
            .collect(),
        code: s.code,
        name: s.name,
        organization: s.organization,
        contact: Contact { phone, email, full },
        title: s.title,
        content: s.content,
        reason: s.reason,
        received_at: service::time::format_datetime(s.created_at, tz),
        columns,
    })
}

#[server(prefix = "/api/admin", endpoint = "submissions/accept")]
pub async fn accept_submission(id: i32, column: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let site = crate::ssr::site()?;
        let done = service::submission::queue::accept(
            &state.db,
            &state.files.media,
            &state.files.private,
            &staff.actor(),
            id,
            column,
        )
        .await?;
        if let Ok(s) = service::submission::queue::get(&state.db, id).await {
            crate::api::submissions::load::tell_author(&state, &site, &s, true);
        }
        go_to(&format!("/admin/articles/{}", done.article_id));
        Ok(done)
    }
    .await;
    let message = match &result {
        Ok(done) if done.warnings.is_empty() => format!(
            "已采用，存为草稿（导入图片 {} 张），请在编辑器中修改后发布",
            done.images
        ),
        Ok(done) => format!("已采用，存为草稿。请注意：{}", done.warnings.join("；")),
        Err(_) => String::new(),
    };
    finish(result.map(|_| ()), &message)
}

#[server(prefix = "/api/admin", endpoint = "submissions/reject")]
pub async fn reject_submission(id: i32, reason: String) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let site = crate::ssr::site()?;
        let s = service::submission::queue::reject(&state.db, &staff.actor(), id, &reason).await?;
        crate::api::submissions::load::tell_author(&state, &site, &s, false);
        go_to(&format!("/admin/submissions/{id}"));
        Ok(())
    }
    .await;
    finish(result, "已退回，作者查询时可以看到退回原因")
}

#[server(prefix = "/api/admin", endpoint = "submissions/spam")]
pub async fn spam_submission(id: i32, spam: String) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let spam = spam == "1";
    let result = async {
        service::submission::queue::set_spam(&state()?.db, &staff.actor(), id, spam).await?;
        go_to(&format!("/admin/submissions/{id}"));
        Ok(())
    }
    .await;
    finish(
        result,
        if spam {
            "已标记为垃圾投稿"
        } else {
            "已移回待审阅"
        },
    )
}

#[server(prefix = "/api/admin", endpoint = "submissions/delete")]
pub async fn delete_submission(id: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        service::submission::queue::delete(&state.db, &state.files.private, &staff.actor(), id)
            .await?;
        go_to("/admin/submissions");
        Ok(())
    }
    .await;
    finish(result, "投稿及其附件已删除")
}
