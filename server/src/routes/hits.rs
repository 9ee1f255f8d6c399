//! `GET /api/hits/{id}`: an article's view count as readers see it.

use app::ssr::{AppState, RequestSite};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::feeds::unavailable;

/// `GET /api/hits/{id}`: an article's current view count (stored + not yet flushed here).
pub async fn hits(
    State(state): State<AppState>,
    site: RequestSite,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = app::article_id_from_path(&format!("/articles/{id}")) else {
        return unavailable(service::Error::NotFound);
    };
    match service::article::stored_hits(&state.db, site.id(), id, Utc::now()).await {
        Ok(stored) => {
            Json(u64::try_from(stored).unwrap_or(0) + state.hits.unflushed(id)).into_response()
        }
        Err(e) => unavailable(e),
    }
}
