//! The no-script side of the reader's preferences: links and forms that set a cookie on the
//! server and send the reader back to the page, rendered from then on with the choice.

use app::prefs::{Aid, Aids, FontSize, safe_return_path};
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FontSizeQuery {
    size: Option<String>,
    back: Option<String>,
}

/// A `303 See Other` back to `back` (a path on this site only) that sets `cookies`.
fn back_to(back: Option<&str>, cookies: &[String]) -> Response {
    let back = safe_return_path(back.unwrap_or("/")).to_owned();
    let location = HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/"));
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /prefs/font-size?size=l&back=/articles/3`: the no-script font-size links.
pub async fn font_size(Query(q): Query<FontSizeQuery>) -> Response {
    let cookies: Vec<String> = q
        .size
        .as_deref()
        .and_then(FontSize::from_code)
        .map(FontSize::cookie)
        .into_iter()
        .collect();
    back_to(q.back.as_deref(), &cookies)
}

#[derive(Deserialize)]
pub struct AidQuery {
    aid: Option<String>,
    on: Option<String>,
    back: Option<String>,
}

/// `GET /prefs/aid?aid=e&on=1&back=/`: the no-script 长者模式 and 无障碍 switches. Switches one
/// aid on (`on=1`) or off (anything else), keeping the others as they are.
pub async fn aid(headers: HeaderMap, Query(q): Query<AidQuery>) -> Response {
    let cookies: Vec<String> = q
        .aid
        .as_deref()
        .and_then(Aid::from_code)
        .map(|aid| {
            app::ssr::reader_prefs(&headers)
                .aids
                .with(aid, q.on.as_deref() == Some("1"))
                .cookie()
        })
        .into_iter()
        .collect();
    back_to(q.back.as_deref(), &cookies)
}

#[derive(Deserialize)]
pub struct ResetQuery {
    back: Option<String>,
}

/// `GET /prefs/reset?back=/`: every reading preference back to the default.
pub async fn reset(Query(q): Query<ResetQuery>) -> Response {
    let cookies = [
        Aids::default().cookie(),
        format!(
            "{}=; Path=/; Max-Age=0; SameSite=Lax",
            app::prefs::FONT_SIZE_COOKIE
        ),
    ];
    back_to(q.back.as_deref(), &cookies)
}
