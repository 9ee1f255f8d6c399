//! Staff sign-in for the back office: the session, guard and CSRF layers, and the plain-form
//! handlers for signing in and out, first-time setup and password changes.
//!
//! Every request to `/admin…` or `/api/admin…` passes the guard: without a valid session it
//! is refused (pages redirect to the login page, APIs answer 401), `/admin/sys…` and
//! `/api/admin/sys…` need the admin role (403 for editors), and every state-changing request
//! made with a session cookie must carry the session's CSRF token (`x-csrf-token` header or
//! `csrf_token` form field). Server functions check the role again themselves.

use std::net::SocketAddr;

use app::error::AppError;
use app::ssr::{AppState, Staff};
use axum::body::Body;
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use entity::user::Role;
use serde::Deserialize;
use service::audit::Actor;
use service::auth::{self, LoginError};

mod forms;

pub use forms::*;

pub const SESSION_COOKIE: &str = "portico_session";

/// Pages and endpoints under the back office that anyone may reach.
const OPEN_PATHS: &[&str] = &["/admin/login", "/admin/setup"];

fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/")
}

fn is_admin_only(path: &str) -> bool {
    path == "/admin/sys" || path.starts_with("/admin/sys/") || path.starts_with("/api/admin/sys/")
}

/// What a writer (撰稿人) may open: the dashboard, their articles (the server functions check
/// whose), revisions, pictures (list and upload), their password. Everything else in the
/// back office (columns, notices, the magazine, links, messages, 投稿, reviews, settings)
/// answers 403, before the handler's own check.
fn writer_may_open(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/admin",
        "/admin/articles",
        "/admin/media",
        "/admin/password",
        "/admin/logout",
        "/api/admin/chrome",
        "/api/admin/dashboard",
        "/api/admin/media/list",
        app::api::admin::media::UPLOAD_URL,
    ];
    EXACT.contains(&path)
        || path.starts_with("/admin/articles/")
        || path.starts_with("/admin/revisions/")
        || (path.starts_with("/api/admin/articles/") && path != "/api/admin/articles/bulk")
}

/// The value of cookie `name` in a request's headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    app::cookies::find(
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
        name,
    )
    .map(str::to_owned)
}

/// The client's address of a request (see `app::ssr::client`), as text.
pub fn client_ip(state: &AppState, req: &Request) -> String {
    app::ssr::client::client_of(&state.site.trusted_proxies, req)
}

fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(
        "portico_invalid=1; Path=/; Max-Age=0",
    ))
}

fn redirect(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/admin"));
    let mut res = StatusCode::SEE_OTHER.into_response();
    res.headers_mut().insert(header::LOCATION, location);
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A one-time message for the next page: `ok|…` or `error|…`.
pub fn flash(res: &mut Response, kind: &str, message: &str, secure: bool) {
    if let Ok(v) = HeaderValue::from_str(&app::cookies::set_flash(kind == "ok", message, secure)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Finds the staff member of back-office requests (only those: reader pages never touch the
/// session table).
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if is_admin_path(req.uri().path())
        && let Some(token) = cookie(req.headers(), SESSION_COOKIE)
    {
        match auth::session_of(&state.db, &token, state.site.sessions).await {
            Ok(Some((session, user))) => {
                let ip = client_ip(&state, &req);
                req.extensions_mut().insert(Staff {
                    user,
                    session_id: session.id,
                    csrf_token: session.csrf_token,
                    ip,
                });
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return AppError::Unavailable.into_response();
            }
        }
    }
    next.run(req).await
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// Marks an upload whose CSRF token is still to be read: the handler must find it as the
/// form's first field, matching the session's, before it reads anything else.
#[derive(Clone, Copy, Debug)]
pub struct CsrfInBody;

/// Whether `token` is the session's CSRF token (compared in constant time).
pub fn csrf_matches(staff: &Staff, token: &str) -> bool {
    constant_time_eq(token.as_bytes(), staff.csrf_token.as_bytes())
}

/// Largest form body read to find a `csrf_token` field.
const MAX_FORM: usize = 1024 * 1024;

/// The CSRF token a request carries, reading a url-encoded body if needed (the body is put
/// back for the handler).
async fn presented_token(req: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(t) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let t = t.to_owned();
        return Ok((Some(t), req));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        // A plain upload form sends the token as its first field; the upload handler checks
        // it before reading anything else (see `CsrfInBody`).
        return Ok((None, req));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM).await.map_err(|_| {
        AppError::TooLarge("提交的内容过大，请减少内容后再提交".into()).into_response()
    })?;
    let token = form_urlencoded_field(&bytes, "csrf_token");
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Refuses back-office requests without the right session, role or CSRF token.
pub async fn guard_layer(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !is_admin_path(&path) {
        return next.run(req).await;
    }
    let staff = req.extensions().get::<Staff>().cloned();
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    if OPEN_PATHS.contains(&path.as_str()) {
        if unsafe_method && !same_origin(req.headers()) {
            return AppError::Expired.into_response();
        }
        return private(next.run(req).await);
    }
    let Some(staff) = staff else {
        // Signing out of a session that has already ended still clears its cookie and lands
        // on the login page (same origin only: nobody else can post it).
        if path == "/admin/logout"
            && cookie(req.headers(), SESSION_COOKIE).is_some()
            && same_origin(req.headers())
        {
            return next.run(req).await;
        }
        if path.starts_with("/api/") || unsafe_method {
            return AppError::Unauthorized.into_response();
        }
        let target = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| path.clone());
        return redirect(&format!(
            "/admin/login?next={}",
            app::query::encode(&target)
        ));
    };
    if is_admin_only(&path) && staff.user.role != Role::Admin {
        return AppError::Forbidden.into_response();
    }
    if staff.user.role == Role::Writer && !writer_may_open(&path) {
        return AppError::Refused("撰稿人没有这项权限".into()).into_response();
    }
    let mut req = req;
    if unsafe_method {
        let (token, back) = match presented_token(req).await {
            Ok(r) => r,
            Err(res) => return res,
        };
        let valid =
            token.is_some_and(|t| constant_time_eq(t.as_bytes(), staff.csrf_token.as_bytes()));
        let mut back = back;
        let body_token = !valid
            && path == app::api::admin::media::UPLOAD_URL
            && back
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("multipart/form-data"));
        if body_token {
            back.extensions_mut().insert(CsrfInBody);
        }
        if !(valid || body_token) || !same_origin(back.headers()) {
            return AppError::Expired.into_response();
        }
        req = back;
    }
    private(next.run(req).await)
}

/// Back-office answers are never stored by browsers or proxies (framing and sniffing rules
/// come from `routes::security`).
fn private(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_back_office_paths_are_guarded() {
        assert!(is_admin_path("/admin"));
        assert!(is_admin_path("/admin/articles"));
        assert!(is_admin_path("/api/admin/articles/save"));
        assert!(!is_admin_path("/administrator"));
        assert!(!is_admin_path("/api/articles/favorites"));
        assert!(is_admin_only("/admin/sys/users"));
        assert!(is_admin_only("/api/admin/sys/settings"));
        assert!(!is_admin_only("/admin/articles"));
    }

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("kfq.example"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://kfq.example"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn tokens_compare_in_constant_time() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn form_fields_are_found() {
        assert_eq!(
            form_urlencoded_field(b"a=1&csrf_token=x%2By", "csrf_token").as_deref(),
            Some("x+y")
        );
        assert_eq!(form_urlencoded_field(b"a=1", "csrf_token"), None);
    }
}
