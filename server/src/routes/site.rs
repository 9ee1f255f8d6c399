//! 站群: which site a request is for, decided by its host before anything else looks at it.
//! A host no site has gets a plain 404 (never the main site's page), and a site still being
//! prepared a plain 503; neither touches the database, the page cache or the not-found log.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex};

use app::ssr::{AppState, RequestSite};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use service::site::directory::Resolved;

/// Puts the request's [`RequestSite`] into it, or answers it when no open site is there.
/// The health checks answer whatever the host (load balancers ask by address).
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/healthz" || path == "/readyz" {
        return next.run(req).await;
    }
    // HTTP/2 carries the host in the URI (`:authority`), HTTP/1.1 in `Host`.
    let host = req.uri().host().or_else(|| {
        req.headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
    });
    match state.sites.get().resolve(host) {
        // Until the back office works per site (站群 step 7: each site's staff, each site's
        // content), it is reached on the main site's hosts only: on a member site's host it
        // would manage the main site, and show its sign-in to that site's readers.
        Resolved::Site(site)
            if site.id != service::site::MAIN && crate::admin_auth::is_admin_path(path) =>
        {
            plain(StatusCode::NOT_FOUND, "404 Not Found\n")
        }
        Resolved::Site(site) => {
            req.extensions_mut().insert(RequestSite(site));
            next.run(req).await
        }
        Resolved::NotOpen(_) => plain(StatusCode::SERVICE_UNAVAILABLE, "站点建设中，敬请期待。\n"),
        Resolved::Unknown => {
            note_unknown(host.unwrap_or(""));
            plain(StatusCode::NOT_FOUND, "404 Not Found\n")
        }
    }
}

fn plain(status: StatusCode, body: &'static str) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Logs the first requests for each of a few unknown hosts, so an operator who reaches the
/// main site by a name other than its public address learns what to add; a flood of made-up
/// hosts logs at most [`LOGGED`] lines.
fn note_unknown(host: &str) {
    const LOGGED: usize = 32;
    static SEEN: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Mutex::default);
    // Once the lines are spent, a flood of made-up hosts costs one atomic read each: no lock,
    // no allocation.
    static FULL: AtomicBool = AtomicBool::new(false);
    if FULL.load(Ordering::Relaxed) {
        return;
    }
    let host: String = host.chars().take(100).collect();
    let first = SEEN
        .lock()
        .map(|mut seen| {
            let first = seen.len() < LOGGED && seen.insert(host.clone());
            if seen.len() >= LOGGED {
                FULL.store(true, Ordering::Relaxed);
            }
            first
        })
        .unwrap_or(false);
    if first {
        tracing::warn!(
            host = %host.escape_debug(),
            "a request for a host no site has was answered 404; if it is the main site's, \
             run `portico site host add main HOST` (or set [site] public-url)"
        );
    }
}
