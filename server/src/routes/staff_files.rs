//! Files staff send or fetch outside server functions: a manuscript's attachment, always as
//! a download (`GET /api/admin/submissions/{id}/files/{file}`), and a Word document turned
//! into article HTML (`POST /api/admin/articles/docx`).

use app::error::AppError;
use app::ssr::{AppState, Staff};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use service::submission::{self, MAX_FILE_BYTES};

/// `filename*=` of RFC 5987 (UTF-8, percent-encoded), with an ASCII fallback.
fn disposition(name: &str) -> String {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    format!(
        "attachment; filename=\"attachment.{}\"; filename*=UTF-8''{}",
        ext.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
        app::query::encode(name)
    )
}

/// `GET /api/admin/submissions/{id}/files/{file}`: an attachment, for staff only (the
/// back-office guard turns everyone else away), always as a download.
pub async fn download(
    State(state): State<AppState>,
    staff: Option<Extension<Staff>>,
    Path((id, file)): Path<(i32, i32)>,
) -> Response {
    let Some(Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    if staff.is_writer() {
        return AppError::Forbidden.into_response();
    }
    match submission::queue::download(&state.db, &state.files.private, &staff.actor(), id, file)
        .await
    {
        Ok((f, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&f.mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition(&f.name)) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            res
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /api/admin/articles/docx`: a .docx (multipart field `file`) as article HTML, its
/// pictures put into the media library; answered like a paste.
pub async fn import_docx(
    State(state): State<AppState>,
    staff: Option<Extension<Staff>>,
    mut mp: Multipart,
) -> Response {
    let Some(Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    let mut bytes = None;
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(b) => bytes = Some(b.to_vec()),
                Err(_) => return too_large_or_broken(),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return too_large_or_broken(),
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return AppError::BadRequest("请选择要导入的 Word 文档（.docx）".into()).into_response();
    };
    match service::docx::import(&state.db, &state.files.media, &staff.actor(), bytes).await {
        Ok(p) => Json(app::models::admin::PasteResult {
            html: p.html,
            images: p.images,
            warnings: p.warnings,
        })
        .into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

fn too_large_or_broken() -> Response {
    AppError::TooLarge(format!(
        "文档没有完整上传，或超过了 {} MB",
        MAX_FILE_BYTES >> 20
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_file_safely() {
        let d = disposition("开发区 调研\".docx");
        assert!(d.starts_with("attachment; filename=\"attachment.docx\"; filename*=UTF-8''"));
        assert!(!d[d.find("''").unwrap_or(0)..].contains(' '));
        assert!(!d.contains("调研"));
    }
}
