use std::path::Path;

use tower_http::services::ServeDir;

/// `GET /media/...`: uploaded and generated images from the uploads directory.
pub fn service(uploads_dir: &Path) -> ServeDir {
    ServeDir::new(uploads_dir)
}
