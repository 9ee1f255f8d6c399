use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
