use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Chrome;

/// Header, navigation, notices and footer of every page, and the reader's font size.
#[server(endpoint = "site/chrome")]
pub async fn get_chrome() -> Result<Chrome, AppError> {
    use crate::server::{request_headers, state, tag_page};
    tag_page([service::cache::tag::CHROME]);
    let state = state()?;
    let shared = state.common.get(&state.db).await?;
    let made = state
        .chrome
        .get_or(&shared, |s| super::convert::chrome(&state.site, s));
    let mut chrome = (*made).clone();
    chrome.font_size = request_headers()
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(crate::prefs::FontSize::from_cookie_header)
        .unwrap_or_default();
    Ok(chrome)
}
