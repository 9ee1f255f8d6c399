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
use app::server::{AppState, Staff};
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
pub const FLASH_COOKIE: &str = "portico_flash";

/// Pages and endpoints under the back office that anyone may reach.
const OPEN_PATHS: &[&str] = &["/admin/login", "/admin/setup"];

fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/")
}

fn is_admin_only(path: &str) -> bool {
    path == "/admin/sys" || path.starts_with("/admin/sys/") || path.starts_with("/api/admin/sys/")
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The client's address: the socket's, or, when `[admin] behind-proxy` is on and the request
/// comes from a proxy on this machine, the one the proxy names (`X-Real-IP`, else the last
/// `X-Forwarded-For` entry, which the proxy itself appended). Anything else is not trusted.
pub fn client_address(behind_proxy: bool, peer: Option<SocketAddr>, headers: &HeaderMap) -> String {
    let Some(peer) = peer else {
        return String::new();
    };
    if behind_proxy && peer.ip().is_loopback() {
        let named = headers
            .get("x-real-ip")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .or_else(|| {
                headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .map(str::trim)
            })
            .and_then(|s| s.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = named {
            return ip.to_string();
        }
    }
    peer.ip().to_string()
}

/// [`client_address`] of a request.
pub fn client_ip(state: &AppState, req: &Request) -> String {
    client_address(
        state.site.behind_proxy,
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0),
        req.headers(),
    )
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
    let value = app::server::share::encode(&format!(
        "{kind}|{}",
        app::api::admin::form::clipped(message)
    ));
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(FLASH_COOKIE, &value, 60, secure),
    );
}

fn api_error(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::FORBIDDEN);
    let body = serde_json::to_string(&err).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn page_error(status: StatusCode, title: &str, text: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1f2329\"><h1 style=\"color:#0b4a8b\">{title}</h1><p>{text}</p><p><a href=\"/admin\">返回管理后台</a></p></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
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
                return page_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "网站暂时无法访问",
                    "数据库暂时无法连接，请稍后再试。",
                );
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
        page_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "提交的内容过大",
            "请减少内容后再提交。",
        )
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
    let api = path.starts_with("/api/");
    let staff = req.extensions().get::<Staff>().cloned();
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    if OPEN_PATHS.contains(&path.as_str()) {
        if unsafe_method && !same_origin(req.headers()) {
            return page_error(
                StatusCode::FORBIDDEN,
                "请求被拒绝",
                "请从本站的登录页面提交。",
            );
        }
        return next.run(req).await;
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
        if api || unsafe_method {
            return api_error(AppError::Unauthorized);
        }
        let target = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| path.clone());
        return redirect(&format!(
            "/admin/login?next={}",
            app::server::share::encode(&target)
        ));
    };
    if is_admin_only(&path) && staff.user.role != Role::Admin {
        return if api {
            api_error(AppError::Forbidden)
        } else {
            page_error(StatusCode::FORBIDDEN, "没有权限", "此页面仅限管理员访问。")
        };
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
            return if api {
                api_error(AppError::BadRequest("页面已过期，请刷新后重试".into()))
                    .map_status(StatusCode::FORBIDDEN)
            } else {
                page_error(
                    StatusCode::FORBIDDEN,
                    "页面已过期",
                    "为了安全，请刷新页面后重新提交。",
                )
            };
        }
        req = back;
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // The back office is never shown inside another site's frame, nor sniffed as another type.
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

trait MapStatus {
    fn map_status(self, status: StatusCode) -> Response;
}

impl MapStatus for Response {
    fn map_status(mut self, status: StatusCode) -> Response {
        *self.status_mut() = status;
        self
    }
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
    fn the_client_address_comes_from_a_local_proxy_only_when_configured() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("10.0.0.1, 203.0.113.5"),
        );
        let local: SocketAddr = ([127, 0, 0, 1], 40000).into();
        let remote: SocketAddr = ([198, 51, 100, 2], 40000).into();
        // Not configured: the socket decides, whatever the headers say.
        assert_eq!(client_address(false, Some(local), &h), "127.0.0.1");
        // Behind a local proxy: the entry the proxy appended (the first is the client's word).
        assert_eq!(client_address(true, Some(local), &h), "203.0.113.5");
        h.insert("x-real-ip", HeaderValue::from_static("203.0.113.9"));
        assert_eq!(client_address(true, Some(local), &h), "203.0.113.9");
        // A remote peer cannot claim another address.
        assert_eq!(client_address(true, Some(remote), &h), "198.51.100.2");
        // Garbage is ignored.
        let mut bad = HeaderMap::new();
        bad.insert("x-real-ip", HeaderValue::from_static("not-an-ip"));
        assert_eq!(client_address(true, Some(local), &bad), "127.0.0.1");
        assert_eq!(client_address(true, None, &bad), "");
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
