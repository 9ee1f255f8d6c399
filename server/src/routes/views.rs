use app::server::{AppState, is_countable_view};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Counts a view of an article page once the page was served (fresh, from the page cache,
/// or as "not modified" to a reload): one per page view, not for robots or prefetches. Only
/// the in-memory buffer is touched here.
pub async fn count_views(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let article = (req.method() == Method::GET)
        .then(|| app::article_id_from_path(req.uri().path()))
        .flatten()
        .filter(|_| is_countable_view(req.headers()));
    let res = next.run(req).await;
    if let Some(id) = article
        && (res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED)
    {
        state.hits.record(id);
    }
    res
}
