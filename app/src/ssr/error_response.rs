//! How an [`AppError`] answers an HTTP request outside the page renderer: its own status,
//! `no-store`, and its Chinese message, as JSON on `/api/` routes and as a small page
//! elsewhere. Routes, uploads, the guard and the page cache all answer errors this way.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use service::html::escape;

use crate::error::AppError;

impl AppError {
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A small stand-alone page for the error (no database needed to show it).
    pub fn page_html(&self) -> String {
        let back = if matches!(self, AppError::Unauthorized | AppError::Forbidden) {
            r#"<a href="/admin">返回管理后台</a>"#
        } else {
            r#"<a href="/">返回首页</a>"#
        };
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
             <link rel=\"stylesheet\" href=\"/error.css\"></head>\
             <body class=\"bare-error\"><main><p class=\"error-code\">{code}</p><h1>{title}</h1>\
             <p>{message}</p><p>{back}</p></main></body></html>",
            title = escape(self.title()),
            code = self.status_code(),
            message = escape(&self.to_string()),
        )
    }

    /// The JSON answer (the same encoding server functions use).
    pub fn json_response(&self) -> Response {
        let mut res = (self.status(), Json(self)).into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }

    /// The answer to a request for `path`: JSON on `/api/` routes, a page elsewhere.
    pub fn response_for(&self, path: &str) -> Response {
        if path.starts_with("/api/") {
            self.json_response()
        } else {
            self.clone().into_response()
        }
    }
}

/// A page by default; the error layer turns it into JSON on `/api/` routes (it finds the
/// error itself in the response's extensions).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = (
            self.status(),
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            self.page_html(),
        )
            .into_response();
        res.extensions_mut().insert(self);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_answer_with_their_status_and_inert_text() {
        let err = AppError::BadRequest("<script>x</script>".into());
        let res = err.clone().into_response();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(res.extensions().get::<AppError>().is_some());
        let html = err.page_html();
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert_eq!(AppError::Expired.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            AppError::TooLarge("x".into()).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(AppError::Busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        let json = AppError::NotFound.response_for("/api/x");
        assert_eq!(json.status(), StatusCode::NOT_FOUND);
        assert_eq!(json.headers()[header::CONTENT_TYPE], "application/json");
    }
}
