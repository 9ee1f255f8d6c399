//! Counting article views as pages are served (in memory, flushed by `service::view_count`).

use app::ssr::client::client_of;
use app::ssr::{AppState, is_countable_view};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Counts a view of an article page once the page was served (fresh, from the page cache,
/// or as "not modified" to a reload): once per reader per article within
/// `service::view_count::VIEW_WINDOW`, not for robots or prefetches. Only the in-memory buffer is
/// touched here.
pub async fn count_views(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let view = (req.method() == Method::GET)
        .then(|| app::article_id_from_path(req.uri().path()))
        .flatten()
        .filter(|_| is_countable_view(req.headers()))
        .map(|id| {
            let client = client_of(&state.site.trusted_proxies, &req);
            let agent = req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (id, state.hits.reader(id, &client, agent))
        });
    let res = next.run(req).await;
    if let Some((id, reader)) = view
        && (res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED)
    {
        state.hits.record_reader(id, reader);
    }
    res
}
