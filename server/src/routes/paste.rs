//! `POST /api/admin/articles/paste`: cleaning what an editor pastes (see `service::paste`).
//! A plain route rather than a server function: a paste can be tens of megabytes of JSON,
//! decoded here on a blocking thread, never on the threads that serve requests.

use app::error::AppError;
use app::models::admin::{PasteRequest, PasteResult};
use app::ssr::{AppState, Staff};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;

pub async fn paste(
    State(state): State<AppState>,
    staff: Option<Extension<Staff>>,
    body: Bytes,
) -> Response {
    let Some(Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    let decoded =
        tokio::task::spawn_blocking(move || serde_json::from_slice::<PasteRequest>(&body)).await;
    let Ok(Ok(pasted)) = decoded else {
        return AppError::BadRequest("请求参数有误".into()).into_response();
    };
    match service::paste::clean(
        &state.db,
        &state.files.media,
        &staff.actor(),
        pasted.html,
        pasted.rtf,
    )
    .await
    {
        Ok(p) => Json(PasteResult {
            html: p.html,
            images: p.images,
            warnings: p.warnings,
        })
        .into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
