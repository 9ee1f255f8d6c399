//! 投稿 for readers: the form page and tracking. The posts themselves are plain routes of
//! the server (multipart with the files), answered with these pages.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{SubmitPage, SubmitTrackPage};

/// `/submit`.
#[server(endpoint = "submit/page", input = GetUrl)]
pub async fn get_submit() -> Result<SubmitPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    crate::ssr::forms::submit_page(&state).await
}

/// `/submit/track`; `code` prefills the form, `is_new` shows it as a fresh receipt.
#[server(endpoint = "submit/track", input = GetUrl)]
pub async fn get_submit_track(code: String, is_new: bool) -> Result<SubmitTrackPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    Ok(crate::ssr::forms::submit_track_page(&state, code, is_new))
}
