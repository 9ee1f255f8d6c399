use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Chrome;

/// Header, navigation, notices and footer of every page, and the reader's font size and 无障碍 choices.
#[server(endpoint = "site/chrome")]
pub async fn get_chrome() -> Result<Chrome, AppError> {
    use crate::ssr::{request_headers, site, state, tag_page};
    tag_page([service::cache::tag::CHROME]);
    let (state, here) = (state()?, site()?);
    let shared = state.common.get(&state.db, here.id()).await?;
    let made = state
        .chrome
        .get_or(&shared, |s| super::convert::chrome(&state.site, s));
    let mut chrome = (*made).clone();
    chrome.prefs = crate::ssr::reader_prefs(&request_headers());
    Ok(chrome)
}
