//! Staff sign-in for the back office: the session, guard and CSRF layers, and the plain-form
//! handlers for signing in and out, first-time setup and password changes.
//!
//! Every request to `/admin…` or `/api/admin…` passes the guard: without a valid session it
//! is refused (pages redirect to the login page, APIs answer 401), `/admin/sys…` and
//! `/api/admin/sys…` need the admin role (403 for editors), and every state-changing request
//! made with a session cookie must carry the session's CSRF token (`x-csrf-token` header or
//! `csrf_token` form field). Server functions check the role again themselves.

use std::net::SocketAddr;
use std::sync::Arc;

use app::error::AppError;
use app::ssr::client::TrustedProxies;
use app::ssr::{AppState, Staff};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use entity::user::Role;
use service::audit::Actor;
use service::auth::{self, LoginError};

mod forms;

pub use forms::*;

pub const SESSION_COOKIE: &str = "portico_session";
/// Carries a sign-in from its password step to its code step (signed, short-lived).
pub const PENDING_COOKIE: &str = "portico_2fa";

/// Pages and endpoints under the back office that anyone may reach.
const OPEN_PATHS: &[&str] = &["/admin/login", "/admin/login/2fa", "/admin/setup"];

/// Whether `path` is the back office's (its pages, its server functions and endpoints).
pub fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/")
}

/// Whether `path` is `prefix` itself or below it.
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// What a back-office path needs of the person (each server function checks it again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// Anyone signed in: the dashboard's frame, their own password, sessions, signing out.
    Own,
    /// The content (editors; writers only where [`writer_may_open`] says).
    Content,
    /// 系统管理员: users, settings, storage.
    System,
    /// 安全管理员: the security policy.
    Security,
    /// 审计管理员: the audit log.
    Audit,
}

fn need_of(path: &str) -> Need {
    const OWN: &[&str] = &[
        "/admin",
        "/admin/password",
        "/admin/logout",
        "/api/admin/chrome",
        "/api/admin/dashboard",
    ];
    if OWN.contains(&path) || under(path, "/admin/account") || under(path, "/api/admin/account") {
        Need::Own
    } else if under(path, "/admin/sys") || under(path, "/api/admin/sys") {
        Need::System
    } else if under(path, "/admin/security") || under(path, "/api/admin/security") {
        Need::Security
    } else if under(path, "/admin/audit") || under(path, "/api/admin/audit") {
        Need::Audit
    } else {
        Need::Content
    }
}

/// Whether the person's duties cover what `path` needs.
fn allowed(staff: &Staff, path: &str) -> bool {
    let d = staff.duties;
    match need_of(path) {
        Need::Own => true,
        Need::Content => d.content && (staff.user.role != Role::Writer || writer_may_open(path)),
        Need::System => d.system,
        Need::Security => d.security,
        Need::Audit => d.audit,
    }
}

/// What someone whose password must change first may still open.
fn open_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/admin/password" | "/admin/logout" | "/api/admin/chrome"
    )
}

/// What someone who must set up their second factor first may still open.
fn open_before_enrolment(path: &str) -> bool {
    open_before_password_change(path)
        || path == "/admin/account/2fa"
        || path.starts_with("/api/admin/account/2fa")
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
        let policy = match state.security.get(&state.db).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the security policy");
                return AppError::Unavailable.into_response();
            }
        };
        match auth::session_of(&state.db, &token, &policy).await {
            Ok(Some((session, user))) => {
                let ip = client_ip(&state, &req);
                let password_due =
                    service::security::passwords::change_due(&policy, &user, chrono::Utc::now());
                let must_enroll = user.totp_enabled_at.is_none()
                    && service::security::second_factor::required(&policy, user.role);
                req.extensions_mut().insert(Staff {
                    duties: service::security::Duties::of(user.role, policy.separation),
                    password_due,
                    must_enroll,
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
    let token = crate::form_body::FormFields::decode(&bytes)
        .get("csrf_token")
        .map(str::to_owned);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// Whether the back office's address allow-list (the security policy's) lets this request's
/// client in. A list that cannot be read (written past the application) admits nobody: the
/// operator clears it with `portico security set admin_allow ""`.
async fn admitted(state: &AppState, ip: &str) -> Result<bool, Response> {
    let policy = state.security.get(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "cannot read the security policy");
        AppError::Unavailable.into_response()
    })?;
    if policy.admin_allow.is_empty() {
        return Ok(true);
    }
    let Some(list) = allow_list(&policy.admin_allow) else {
        tracing::error!("the back office's address allow-list cannot be read; nobody is admitted");
        return Ok(false);
    };
    Ok(ip
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| list.contains(ip)))
}

/// The allow-list parsed, kept while its text stays the same (every back-office request asks).
fn allow_list(text: &str) -> Option<Arc<TrustedProxies>> {
    type Parsed = Option<(String, Option<Arc<TrustedProxies>>)>;
    static LAST: std::sync::Mutex<Parsed> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match last.as_ref() {
        Some((seen, parsed)) if seen == text => parsed.clone(),
        _ => {
            let parsed = TrustedProxies::parse(text).ok().map(Arc::new);
            *last = Some((text.to_owned(), parsed.clone()));
            parsed
        }
    }
}

/// Refused requests recorded one by one per session and minute (on each server); the last
/// of them says that more are not. A signed-in account probing paths cannot flood the audit
/// log, nor keep every other writer of the audit chain waiting.
pub const DENIALS_RECORDED_PER_MINUTE: u32 = 20;

/// Whether this refusal is recorded, and whether it is the last recorded this minute.
fn denial_slot(session: &str, now_minute: i64) -> Option<bool> {
    use std::collections::HashMap;
    type Counts = Option<(i64, HashMap<String, u32>)>;
    static COUNTS: std::sync::Mutex<Counts> = std::sync::Mutex::new(None);
    let mut counts = COUNTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (minute, map) = counts.get_or_insert_with(|| (now_minute, HashMap::new()));
    if *minute != now_minute {
        *minute = now_minute;
        map.clear();
    }
    let n = map.entry(session.to_owned()).or_insert(0);
    *n = n.saturating_add(1);
    (*n <= DENIALS_RECORDED_PER_MINUTE).then_some(*n == DENIALS_RECORDED_PER_MINUTE)
}

/// Records a refused request in the audit log (the response is a 403 whatever happens).
async fn refused(state: &AppState, staff: &Staff, method: &Method, path: &str) {
    let minute = chrono::Utc::now().timestamp().div_euclid(60);
    let Some(last) = denial_slot(&staff.session_id, minute) else {
        return;
    };
    let mut what: String = format!("{method} {path}").chars().take(300).collect();
    if last {
        what.push_str("（本分钟内此后的被拒请求不再逐条记录）");
    }
    if let Err(e) = service::audit::record_outcome(
        &state.db,
        &staff.actor(),
        service::audit::Outcome::Refused,
        "access.denied",
        "path",
        "",
        format!("无权访问：{what}"),
    )
    .await
    {
        tracing::error!(error = %e, "cannot record a refused request");
    }
}

/// Refuses back-office requests without the right session, role or CSRF token.
pub async fn guard_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !is_admin_path(&path) {
        return next.run(req).await;
    }
    let ip = client_ip(&state, &req);
    match admitted(&state, &ip).await {
        Ok(true) => {}
        Ok(false) => return AppError::NotFound.into_response(),
        Err(res) => return res,
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
    if !allowed(&staff, &path) {
        refused(&state, &staff, req.method(), &path).await;
        return if staff.user.role == Role::Writer && need_of(&path) == Need::Content {
            AppError::Refused("撰稿人没有这项权限".into()).into_response()
        } else {
            AppError::Forbidden.into_response()
        };
    }
    if let Some(why) = staff.password_due
        && !open_before_password_change(&path)
    {
        if path.starts_with("/api/") || unsafe_method {
            return AppError::Refused(format!("{why}（请先在“修改密码”页面设置）")).into_response();
        }
        return redirect("/admin/password");
    }
    if staff.must_enroll && !open_before_enrolment(&path) {
        if path.starts_with("/api/") || unsafe_method {
            return AppError::Refused(
                "请先设置双因素认证（在“双因素认证”页面用手机验证器扫码）".into(),
            )
            .into_response();
        }
        return redirect("/admin/account/2fa");
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
    let method = req.method().clone();
    let res = next.run(req).await;
    // A handler's own refusal (a server function's check) is recorded too.
    if res.status() == StatusCode::FORBIDDEN {
        refused(&state, &staff, &method, &path).await;
    }
    private(res)
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
    fn refusals_are_recorded_up_to_a_cap_per_session_and_minute() {
        let slots: Vec<Option<bool>> = (0..DENIALS_RECORDED_PER_MINUTE + 5)
            .map(|_| denial_slot("session-under-test", 1_000_000))
            .collect();
        let n = DENIALS_RECORDED_PER_MINUTE as usize;
        assert!(slots[..n - 1].iter().all(|s| *s == Some(false)));
        assert_eq!(slots[n - 1], Some(true), "the last recorded one says so");
        assert!(slots[n..].iter().all(Option::is_none));
        // Another session, and the next minute, are recorded again.
        assert_eq!(denial_slot("another-session", 1_000_000), Some(false));
        assert_eq!(denial_slot("session-under-test", 1_000_001), Some(false));
    }

    #[test]
    fn only_back_office_paths_are_guarded() {
        assert!(is_admin_path("/admin"));
        assert!(is_admin_path("/admin/articles"));
        assert!(is_admin_path("/api/admin/articles/save"));
        assert!(!is_admin_path("/administrator"));
        assert!(!is_admin_path("/api/articles/favorites"));
    }

    #[test]
    fn each_path_needs_one_duty() {
        assert_eq!(need_of("/admin/sys/users"), Need::System);
        assert_eq!(need_of("/api/admin/sys/settings"), Need::System);
        assert_eq!(
            need_of("/admin/system"),
            Need::Content,
            "a prefix is a whole segment"
        );
        assert_eq!(need_of("/admin/security"), Need::Security);
        assert_eq!(need_of("/api/admin/security/save"), Need::Security);
        assert_eq!(need_of("/admin/audit/verify"), Need::Audit);
        assert_eq!(need_of("/api/admin/audit/export"), Need::Audit);
        assert_eq!(need_of("/admin/auditing"), Need::Content);
        assert_eq!(need_of("/admin"), Need::Own);
        assert_eq!(need_of("/admin/account/sessions"), Need::Own);
        assert_eq!(need_of("/api/admin/account/sessions/end"), Need::Own);
        assert_eq!(need_of("/admin/articles"), Need::Content);
        assert!(open_before_password_change("/admin/password"));
        assert!(!open_before_password_change("/admin/articles"));
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
        let f = crate::form_body::FormFields::decode(b"a=1&csrf_token=x%2By");
        assert_eq!(f.get("csrf_token"), Some("x+y"));
        let f = crate::form_body::FormFields::decode(b"a=1");
        assert_eq!(f.get("csrf_token"), None);
    }
}
