//! The signed-in person's own account, under `/api/admin/account/`: their sessions.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::MySessions;

/// A short name for a browser and its system from a User-Agent header.
pub fn browser_of(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("MicroMessenger", "微信"),
        ("QQBrowser", "QQ浏览器"),
        ("UCBrowser", "UC浏览器"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b}（{s}）"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) if ua.is_empty() => "未知".to_owned(),
        (None, None) => ua.chars().take(40).collect(),
    }
}

#[server(prefix = "/api/admin/account", endpoint = "sessions", input = GetUrl)]
pub async fn get_my_sessions() -> Result<MySessions, AppError> {
    use crate::models::admin::SessionRow;
    let (staff, state) = crate::ssr::as_staff()?;
    let tz = state.site.time_zone;
    let policy = state.security.get(&state.db).await?;
    let rows = service::auth::sessions_of(&state.db, staff.user.id)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            current: s.id == staff.session_id,
            id: s.id,
            signed_in: service::time::format_datetime(s.created_at, tz),
            last_seen: service::time::format_datetime(s.last_seen_at, tz),
            ip: s.ip,
            browser: browser_of(&s.user_agent),
        })
        .collect();
    Ok(MySessions {
        rows,
        idle_minutes: policy.idle_minutes,
        session_hours: policy.session_hours,
    })
}

/// Ends one of the person's other sessions (`id` as the list shows it), or every other one
/// when `id` is empty.
#[server(prefix = "/api/admin/account", endpoint = "sessions/end")]
pub async fn end_my_sessions(id: Option<String>) -> Result<(), AppError> {
    use super::form::finish;
    let (staff, state) = crate::ssr::as_staff()?;
    let which = id.filter(|s| !s.trim().is_empty());
    let result = service::auth::end_sessions(
        &state.db,
        &staff.actor(),
        which.as_deref(),
        &staff.session_id,
    )
    .await
    .map_err(AppError::from);
    match result {
        Ok(n) if which.is_none() => finish(Ok(()), &format!("已退出其他 {n} 处登录")),
        Ok(_) => finish(Ok(()), "已退出该处登录"),
        Err(e) => finish(Err(e), ""),
    }
}

#[cfg(test)]
mod tests {
    use super::browser_of;

    #[test]
    fn browsers_are_named_shortly() {
        assert_eq!(
            browser_of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0"
            ),
            "Edge（Windows）"
        );
        assert_eq!(
            browser_of(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
            ),
            "Safari（iPhone）"
        );
        assert_eq!(browser_of(""), "未知");
    }
}
