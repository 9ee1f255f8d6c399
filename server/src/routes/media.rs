use std::path::Path;

use axum::http::{HeaderValue, Response, header};
use tower::ServiceBuilder;
use tower::util::{MapResponse, MapResponseLayer};
use tower_http::services::ServeDir;
use tower_http::services::fs::ServeFileSystemResponseBody;

/// Text attachments are UTF-8 (Chinese); say so, or browsers may guess another encoding.
fn utf8_text<B>(mut res: Response<B>) -> Response<B> {
    let is_plain_text = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"text/plain");
    if is_plain_text {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    res
}

type FileResponse = Response<ServeFileSystemResponseBody>;

/// The media service: the uploads directory, with text served as UTF-8.
pub type MediaService = MapResponse<ServeDir, fn(FileResponse) -> FileResponse>;

/// `GET /media/...`: uploaded and generated files from the uploads directory.
pub fn service(uploads_dir: &Path) -> MediaService {
    ServiceBuilder::new()
        .layer(MapResponseLayer::new(
            utf8_text as fn(FileResponse) -> FileResponse,
        ))
        .service(ServeDir::new(uploads_dir))
}
