//! Old addresses (旧地址跳转) in the back office: the redirects, testing an address, and the
//! addresses most asked for and not found.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::RedirectList;

/// Redirects per page.
pub const REDIRECTS_PER_PAGE: u64 = 50;
/// Not-found addresses shown.
pub const MISSES_SHOWN: u64 = 30;

/// One page of redirects (those containing `text`), the most frequent 404s, and the result
/// of testing `test` when given.
#[server(prefix = "/api/admin", endpoint = "redirects/list", input = GetUrl)]
pub async fn get_redirects_admin(
    text: Option<String>,
    page: Option<u64>,
    test: Option<String>,
) -> Result<RedirectList, AppError> {
    use crate::models::admin::{MissRow, RedirectRow, TestedAddress};
    let (_, state) = crate::ssr::as_editor()?;
    let tz = state.site.time_zone;
    let page = page.unwrap_or(1).max(1);
    let text = text.unwrap_or_default();
    let (rows, total) =
        service::redirect::list(&state.db, &text, page - 1, REDIRECTS_PER_PAGE).await?;
    let misses = service::redirect::top_misses(&state.db, MISSES_SHOWN).await?;
    let (tested, test_error) = match test.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => (None, None),
        Some(t) => match service::redirect::test(&state.db, t).await {
            Ok(found) => (
                Some(TestedAddress {
                    address: found.address,
                    matched: found.matched.as_ref().map(|m| m.from_path.clone()),
                    to: found.matched.map(|m| m.to_path),
                }),
                None,
            ),
            Err(service::Error::Invalid(why)) => (None, Some(why)),
            Err(e) => return Err(e.into()),
        },
    };
    Ok(RedirectList {
        rows: rows
            .into_iter()
            .map(|r| RedirectRow {
                id: r.id,
                origin: crate::api::admin::redirects::rows::origin_label(&r.origin),
                from: r.from_path,
                to: r.to_path,
                updated_at: service::time::format_datetime(r.updated_at, tz),
            })
            .collect(),
        pager: crate::models::Pager::new(
            page,
            total,
            REDIRECTS_PER_PAGE,
            crate::query::address("/admin/redirects", &[("text", &text)]),
        ),
        misses: misses
            .into_iter()
            .map(|m| MissRow {
                path: m.path,
                hits: m.hits,
                last_seen: service::time::format_datetime(m.last_seen, tz),
            })
            .collect(),
        tested,
        test_error,
    })
}

/// Adds (no `id`) or changes a redirect.
#[server(prefix = "/api/admin", endpoint = "redirects/save")]
pub async fn save_redirect(id: Option<i32>, from: String, to: String) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::redirect::save(
            &state()?.db,
            &staff.actor(),
            id,
            service::redirect::RedirectInput { from, to },
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "跳转已保存")
}

#[server(prefix = "/api/admin", endpoint = "redirects/delete")]
pub async fn delete_redirect(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::redirect::delete(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "跳转已删除")
}

/// Takes an address off the not-found list (staff looked at it and leave it a 404).
#[server(prefix = "/api/admin", endpoint = "redirects/ignore")]
pub async fn ignore_miss(path: String) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    require_editor()?;
    let result = async { Ok(service::redirect::forget_miss(&state()?.db, &path).await?) }.await;
    finish(result, "已从列表中移除")
}

/// How a redirect row reads in the list.
#[cfg(feature = "ssr")]
mod rows {
    pub(super) fn origin_label(origin: &str) -> String {
        match origin.strip_prefix("import:") {
            None => "手工添加".into(),
            Some(code) => format!(
                "导入自 {}",
                service::import::System::from_code(code).map_or(code, |s| s.label())
            ),
        }
    }
}
