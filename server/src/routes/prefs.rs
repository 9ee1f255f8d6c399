use app::prefs::{FontSize, safe_return_path};
use axum::extract::Query;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FontSizeQuery {
    size: Option<String>,
    back: Option<String>,
}

/// `GET /prefs/font-size?size=l&back=/articles/3`: the no-script font-size links. Sets the
/// cookie and sends the reader back to the page (a path on this site only).
pub async fn font_size(Query(q): Query<FontSizeQuery>) -> Response {
    let back = safe_return_path(q.back.as_deref().unwrap_or("/")).to_owned();
    let location = HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/"));
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    if let Some(size) = q.size.as_deref().and_then(FontSize::from_code)
        && let Ok(cookie) = HeaderValue::from_str(&size.cookie())
    {
        res.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
