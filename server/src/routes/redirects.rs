//! Old addresses answered with `301 Moved Permanently` to their new ones (the `redirects`
//! table: imports and staff fill it), and addresses not found counted for the back office.
//!
//! Addresses only an old system produces (`.php`, `.html`, the home page with a query) are
//! looked up before the page is rendered; any other address only when the site has nothing
//! there (a 404), so Portico's own pages never pay for the lookup. This layer sits outside
//! the page cache: a redirect is never stored as a page, and a 404 kept in the cache still
//! finds a redirect made after it.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::ssr::{AppState, RequestSite};

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    // Only a request the host routing gave a site reaches here (the health checks aside).
    let Some(site) = req.extensions().get::<RequestSite>().map(RequestSite::id) else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let legacy = service::redirect::is_legacy_shape(&path, query.as_deref());
    if legacy && let Some(res) = redirect(&state, site, &path, query.as_deref()).await {
        return res;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::NOT_FOUND {
        return res;
    }
    if !legacy && let Some(found) = redirect(&state, site, &path, query.as_deref()).await {
        return found;
    }
    if !path.starts_with("/api/") && !path.starts_with("/pkg/") {
        state.misses.record(site, &path, query.as_deref());
    }
    res
}

/// The redirect for `path?query`, if there is one. A database that does not answer means
/// no redirect (the request goes on as if there were none).
async fn redirect(
    state: &AppState,
    site: i32,
    path: &str,
    query: Option<&str>,
) -> Option<Response> {
    let forms = service::redirect::candidates(path, query);
    let to = match service::redirect::find_target(&state.db, site, &forms).await {
        Ok(to) => to?,
        Err(e) => {
            tracing::warn!(error = %e, "looking up a redirect failed");
            return None;
        }
    };
    // Checked again on the way out: a row that somehow points off the site is not followed.
    let to = service::redirect::checked_target(&to).ok()?;
    let location = HeaderValue::from_str(&to).ok()?;
    let mut res = (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location)],
    )
        .into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Some(res)
}
