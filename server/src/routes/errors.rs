//! The one error path to the client. Handlers, uploads, the guard and the page cache answer
//! failures with an `AppError` (its status, its Chinese message, never internal text);
//! this layer shows it as the route wants: JSON on `/api/` routes, the error page elsewhere.
//! Server functions encode their `AppError` as JSON with its status themselves.

use app::error::AppError;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

pub async fn by_route(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api {
        return res;
    }
    let Some(err) = res.extensions().get::<AppError>().cloned() else {
        return res;
    };
    let mut json = err.json_response();
    // Headers the handler added (Retry-After, Set-Cookie…) stay.
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}
