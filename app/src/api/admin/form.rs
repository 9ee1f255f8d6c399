//! Plain HTML forms post straight to server functions (they work without script). Leptos then
//! redirects back to the page; these helpers choose where to, and leave a one-time message.

use http::HeaderValue;
use http::header::{LOCATION, SET_COOKIE};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

fn secure() -> bool {
    crate::ssr::state().is_ok_and(|s| s.site.secure_cookies)
}

/// Leaves a one-time message for the next page.
pub fn flash(ok: bool, message: &str) {
    let value = crate::cookies::set_flash(ok, message, secure());
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// Sends a plain form post on to `path` afterwards (instead of back to the page it came from).
pub fn go_to(path: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(path),
    ) {
        res.insert_header(LOCATION, v);
    }
}

/// The ending of a form action: a message on success, the error's message on failure.
pub fn finish<T>(result: Result<T, AppError>, done: &str) -> Result<T, AppError> {
    match &result {
        Ok(_) => flash(true, done),
        Err(e) => flash(false, &e.to_string()),
    }
    result
}

/// Reads and clears the one-time message.
pub fn take_flash() -> Option<(bool, String)> {
    let headers = crate::ssr::request_headers();
    let raw = crate::cookies::find(
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
        crate::cookies::FLASH,
    )?;
    if let Some(res) = use_context::<ResponseOptions>() {
        res.append_header(
            SET_COOKIE,
            HeaderValue::from_static(crate::cookies::CLEAR_FLASH),
        );
    }
    crate::cookies::read_flash(raw)
}

/// A checkbox's value (see [`crate::query::is_checked`]).
pub(crate) fn checked(v: &Option<String>) -> bool {
    crate::query::is_checked(v.as_deref())
}

/// An optional numeric id from a form field (empty means none).
pub(crate) fn optional_id(v: Option<String>) -> Result<Option<i32>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("编号格式不正确".into())),
    }
}

/// A `datetime-local` value in the site's time zone.
pub(crate) fn local_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let tz = crate::ssr::state()?.site.time_zone;
    super::convert::parse_local_input(s, tz)
        .ok_or_else(|| AppError::BadRequest("时间格式不正确".into()))
}
