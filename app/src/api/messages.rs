//! 留言箱 for readers: the page with the answered messages and the form, and tracking. The
//! posts themselves are plain form routes of the server (they answer with these pages).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{MessagesPage, TrackPage};

/// `/messages`, page `page` (from 1).
#[server(endpoint = "messages/page", input = GetUrl)]
pub async fn get_messages(page: u64) -> Result<MessagesPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    crate::ssr::forms::messages_page(&state, page).await
}

/// `/messages/track`; `code` prefills the form, `is_new` shows it as a fresh receipt.
#[server(endpoint = "messages/track", input = GetUrl)]
pub async fn get_track(code: String, is_new: bool) -> Result<TrackPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    Ok(crate::ssr::forms::track_page(&state, code, is_new))
}
