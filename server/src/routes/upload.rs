//! `POST /api/admin/media/upload`: image uploads (multipart), from the media library's form
//! and from the article editor (which asks for JSON).

use app::error::AppError;
use app::ssr::{AppState, Staff};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::admin_auth::flash;

#[derive(Serialize)]
struct Uploaded {
    id: i32,
    src: String,
    width: i32,
    height: i32,
    alt: String,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn back(state: &AppState, ok: bool, message: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    res.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/admin/media"));
    flash(
        &mut res,
        if ok { "ok" } else { "error" },
        message,
        state.site.secure_cookies,
    );
    res
}

pub async fn upload(
    State(state): State<AppState>,
    staff: Option<axum::Extension<Staff>>,
    body_token: Option<axum::Extension<crate::admin_auth::CsrfInBody>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    // The editor asks for JSON (the error layer makes it so on this route); the media
    // library's plain form goes back to its page with the message.
    let fail = |err: AppError| -> Response {
        if json {
            err.into_response()
        } else {
            back(&state, false, &err.to_string())
        }
    };
    let Some(axum::Extension(staff)) = staff else {
        return fail(AppError::Unauthorized);
    };
    let mut bytes = Vec::new();
    let mut details = service::media::Details::default();
    let mut token_pending = body_token.is_some();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                if token_pending && name != "csrf_token" {
                    return fail(AppError::Expired);
                }
                match field.bytes().await {
                    Ok(data) => match name.as_str() {
                        "csrf_token" if token_pending => {
                            let given = String::from_utf8_lossy(&data);
                            if !crate::admin_auth::csrf_matches(&staff, given.trim()) {
                                return fail(AppError::Expired);
                            }
                            token_pending = false;
                        }
                        "file" => bytes = data.to_vec(),
                        "alt" => details.alt = String::from_utf8_lossy(&data).into_owned(),
                        "caption" => details.caption = String::from_utf8_lossy(&data).into_owned(),
                        "credit" => details.credit = String::from_utf8_lossy(&data).into_owned(),
                        _ => {}
                    },
                    Err(_) => {
                        return fail(AppError::TooLarge(format!(
                            "图片太大，单张不能超过 {} MB",
                            service::media::MAX_BYTES / 1048576
                        )));
                    }
                }
            }
            Ok(None) if token_pending => return fail(AppError::Expired),
            Ok(None) => break,
            Err(_) => {
                return fail(AppError::BadRequest("上传的数据不完整，请重试".into()));
            }
        }
    }
    match service::media::store(
        &state.db,
        &state.files.media,
        &staff.actor(),
        &bytes,
        details,
    )
    .await
    {
        Ok(img) => {
            if json {
                Json(Uploaded {
                    id: img.id,
                    src: format!("/media/{}", img.path),
                    width: img.width,
                    height: img.height,
                    alt: img.alt,
                })
                .into_response()
            } else {
                back(&state, true, "图片已上传")
            }
        }
        Err(e) => fail(AppError::from(e)),
    }
}
