//! Notices (通知公告) in the back office: the list, one notice's form, saving and deleting.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::{NoticeForm, NoticeRow};

#[cfg(feature = "ssr")]
use super::form::{checked, local_time};

#[server(prefix = "/api/admin", endpoint = "notices/list", input = GetUrl)]
pub async fn get_notices_admin() -> Result<Vec<NoticeRow>, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    Ok(service::notice::all_notices(&state.db)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            title: n.title,
            published_at: service::time::format_datetime(n.published_at, state.site.time_zone),
            is_published: n.is_published,
        })
        .collect())
}

#[server(prefix = "/api/admin", endpoint = "notices/form", input = GetUrl)]
pub async fn get_notice_form(id: Option<i32>) -> Result<NoticeForm, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let tz = state.site.time_zone;
    match id {
        Some(id) => {
            let n = service::notice::for_editing(&state.db, id).await?;
            Ok(NoticeForm {
                id: Some(id),
                title: n.title,
                body: n.body,
                published_at: super::convert::local_input(Some(n.published_at), tz),
                is_published: n.is_published,
            })
        }
        None => Ok(NoticeForm {
            id: None,
            title: String::new(),
            body: String::new(),
            published_at: super::convert::local_input(Some(chrono::Utc::now()), tz),
            is_published: true,
        }),
    }
}

#[server(prefix = "/api/admin", endpoint = "notices/save")]
pub async fn save_notice(
    id: Option<i32>,
    title: String,
    body: String,
    published_at: String,
    is_published: Option<String>,
) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let input = service::notice::NoticeInput {
            title,
            body,
            published_at: local_time(&published_at)?,
            is_published: checked(&is_published),
        };
        service::notice::save_notice(&state()?.db, &staff.actor(), id, input).await?;
        go_to("/admin/notices");
        Ok(())
    }
    .await;
    finish(result, "通知已保存")
}

#[server(prefix = "/api/admin", endpoint = "notices/delete")]
pub async fn delete_notice(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::notice::delete_notice(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "通知已删除")
}
