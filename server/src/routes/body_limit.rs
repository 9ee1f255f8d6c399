//! How much of a request body is read, by path. Axum's own default (2 MB, also applied to
//! server functions) is turned off for the whole router and replaced by this: small for
//! readers and forms, large where editors paste whole documents with their pictures.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::Limited;

const MB: usize = 1024 * 1024;

/// The largest body read for `path`.
pub fn limit_for(path: &str) -> usize {
    match path {
        // Word/WPS clipboard HTML and RTF (pictures as hex) of a long document.
        p if p == app::api::admin::articles::PASTE_URL => 96 * MB,
        p if p == app::api::admin::media::UPLOAD_URL => service::media::MAX_BYTES + 64 * 1024,
        p if p == app::api::admin::articles::DOCX_URL => {
            service::submission::MAX_FILE_BYTES + 64 * 1024
        }
        p if p.starts_with("/api/admin/") => 8 * MB,
        // A message of 2,000 characters is at most 54 KB once percent-encoded.
        "/messages" | "/messages/track" | "/submit/track" => 128 * 1024,
        // The manuscript's files together, its text and the form's other fields.
        "/submit" => service::submission::MAX_TOTAL_BYTES + 2 * MB,
        _ => 2 * MB,
    }
}

/// Wraps the body so that reading more than [`limit_for`] its path fails (axum answers 413).
pub async fn layer(req: Request, next: Next) -> Response {
    let limit = limit_for(req.uri().path());
    let (parts, body) = req.into_parts();
    let req = Request::from_parts(parts, Body::new(Limited::new(body, limit)));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_may_send_more_than_readers() {
        assert_eq!(limit_for("/api/admin/articles/paste"), 96 * MB);
        assert_eq!(limit_for("/api/admin/articles/save"), 8 * MB);
        assert!(limit_for(app::api::admin::media::UPLOAD_URL) > service::media::MAX_BYTES);
        assert_eq!(limit_for("/api/favorites"), 2 * MB);
        assert_eq!(limit_for("/admin/login"), 2 * MB);
        assert!(limit_for("/submit") > service::submission::MAX_TOTAL_BYTES);
        assert!(limit_for("/submit") < 2 * service::submission::MAX_TOTAL_BYTES);
    }
}
