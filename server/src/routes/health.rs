//! Health checks for a load balancer: `/healthz` says the process is alive (it answers at
//! all), `/readyz` that it can serve readers now (the database and the file storage answer).

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `GET /healthz`: 200 while the process runs and answers requests.
pub async fn alive() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

/// `GET /readyz`: 200 when the database and both file stores answer, 503 naming what does
/// not (to the operator; nothing internal is in the text).
pub async fn ready(State(state): State<AppState>) -> (StatusCode, String) {
    let (db, media, private) = tokio::join!(
        state.db.ping(),
        state.files.media.ping(),
        state.files.private.ping()
    );
    let mut down = Vec::new();
    if let Err(e) = db {
        tracing::warn!(error = %e, "readiness: database unreachable");
        down.push("database");
    }
    for (name, result) in [("media storage", media), ("private storage", private)] {
        if let Err(e) = result {
            tracing::warn!(error = %e, "readiness: {name} unreachable");
            down.push(name);
        }
    }
    if down.is_empty() {
        (StatusCode::OK, "ready".to_owned())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("unavailable: {}", down.join(", ")),
        )
    }
}
