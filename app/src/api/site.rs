use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Chrome;

/// Header, navigation, notices and footer of every page, and the reader's font size.
#[server(endpoint = "site/chrome")]
pub async fn get_chrome() -> Result<Chrome, AppError> {
    use crate::server::{request_headers, state, tag_page};
    tag_page([service::cache::tag::CHROME]);
    let state = state()?;
    let now = chrono::Utc::now();
    let settings = service::site::settings(&state.db).await?;
    let categories = service::category::all(&state.db).await?;
    let notices = service::site::latest_notices(&state.db, 5, now).await?;
    let groups = service::site::link_groups(&state.db).await?;
    let cookie = request_headers()
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(crate::prefs::FontSize::from_cookie_header)
        .unwrap_or_default();
    Ok(super::convert::chrome(
        &state.site,
        settings,
        &categories,
        &notices,
        groups,
        cookie,
    ))
}
