//! Magazine issues and their tables of contents in the back office.
// These server functions take plain HTML form posts, one argument per form field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use super::form::{local_time, optional_id};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::TocRow;
use crate::models::admin::{IssueForm, IssueRow};

#[server(prefix = "/api/admin", endpoint = "magazine/list", input = GetUrl)]
pub async fn get_issues_admin() -> Result<Vec<IssueRow>, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    Ok(service::magazine::all_issues(&state.db)
        .await?
        .into_iter()
        .map(|i| IssueRow {
            id: i.id,
            label: format!("{}年第{}期", i.year, i.number),
            title: i.title,
            published_at: service::time::format_date(i.published_at, state.site.time_zone),
        })
        .collect())
}

#[server(prefix = "/api/admin", endpoint = "magazine/form", input = GetUrl)]
pub async fn get_issue_form(id: Option<i32>) -> Result<IssueForm, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let tz = state.site.time_zone;
    match id {
        Some(id) => {
            let (i, cover) = service::magazine::issue_for_editing(&state.db, id).await?;
            let toc = service::magazine::toc(&state.db, id)
                .await?
                .into_iter()
                .map(|(l, title)| TocRow {
                    id: l.id,
                    section: l.section,
                    article_id: l.article_id,
                    title,
                    sort_order: l.sort_order,
                })
                .collect();
            Ok(IssueForm {
                id: Some(id),
                year: i.year,
                number: i.number,
                total_number: i.total_number,
                title: i.title,
                summary: i.summary,
                cover_image_id: i.cover_image_id,
                cover_src: cover.map(|c| format!("/media/{}", c.path)),
                published_at: super::convert::local_input(Some(i.published_at), tz),
                toc,
            })
        }
        None => {
            use chrono::Datelike;
            let now = chrono::Utc::now().with_timezone(&tz);
            Ok(IssueForm {
                id: None,
                year: now.year(),
                number: i32::try_from(now.month()).unwrap_or(1),
                total_number: 0,
                title: String::new(),
                summary: String::new(),
                cover_image_id: None,
                cover_src: None,
                published_at: super::convert::local_input(Some(chrono::Utc::now()), tz),
                toc: Vec::new(),
            })
        }
    }
}

#[server(prefix = "/api/admin", endpoint = "magazine/save")]
pub async fn save_issue(
    id: Option<i32>,
    year: i32,
    number: i32,
    total_number: Option<i32>,
    title: String,
    summary: String,
    cover_image_id: Option<String>,
    published_at: String,
) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let input = service::magazine::IssueInput {
            year,
            number,
            total_number: total_number.unwrap_or(0),
            title,
            summary,
            cover_image_id: optional_id(cover_image_id)?,
            published_at: local_time(&published_at)?,
        };
        let saved = service::magazine::save_issue(&state()?.db, &staff.actor(), id, input).await?;
        go_to(&format!("/admin/magazine/{}", saved.id));
        Ok(())
    }
    .await;
    finish(result, "期刊已保存")
}

#[server(prefix = "/api/admin", endpoint = "magazine/delete")]
pub async fn delete_issue(id: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::magazine::delete_issue(&state()?.db, &staff.actor(), id).await?;
        go_to("/admin/magazine");
        Ok(())
    }
    .await;
    finish(result, "期刊已删除")
}

#[server(prefix = "/api/admin", endpoint = "magazine/toc/add")]
pub async fn add_toc(
    issue_id: i32,
    article_id: i32,
    section: String,
    sort_order: Option<i32>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::magazine::add_toc_entry(
            &state()?.db,
            &staff.actor(),
            issue_id,
            article_id,
            &section,
            sort_order.unwrap_or(0),
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "已加入目录")
}

#[server(prefix = "/api/admin", endpoint = "magazine/toc/remove")]
pub async fn remove_toc(entry_id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::magazine::remove_toc_entry(&state()?.db, &staff.actor(), entry_id).await?;
        Ok(())
    }
    .await;
    finish(result, "已从目录移除")
}
