//! The reader's portal: home, column pages, notices, magazine issues.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{ColumnPage, HomePage, IssuePage, NoticePage};

// What builds the pages (server only), beside the server functions that answer with them.
#[cfg(feature = "ssr")]
mod column;
#[cfg(feature = "ssr")]
mod home;

/// The home page.
#[server(endpoint = "portal/home", input = GetUrl)]
pub async fn get_home() -> Result<HomePage, AppError> {
    use crate::ssr::{state, tag_page};
    let state = state()?;
    tag_page([
        service::cache::tag::HOME,
        service::cache::tag::NOTICES,
        service::cache::tag::MAGAZINE,
    ]);
    crate::api::portal::home::load(&state).await
}

/// Column `slug`, page `page` (from 1).
#[server(endpoint = "portal/column", input = GetUrl)]
pub async fn get_column(slug: String, page: u64) -> Result<ColumnPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    crate::api::portal::column::load(&state, &slug, page).await
}

/// One notice.
#[server(endpoint = "portal/notice", input = GetUrl)]
pub async fn get_notice(id: i32) -> Result<NoticePage, AppError> {
    use crate::ssr::{site, state, tag_page};
    let (state, here) = (state()?, site()?);
    tag_page([service::cache::tag::NOTICES]);
    let (n, files) = service::notice::find(&state.db, here.id(), id, chrono::Utc::now()).await?;
    Ok(crate::api::convert::notice_page(
        &state.site,
        &here,
        n,
        files,
    ))
}

/// Magazine issue `number` of `year`.
#[server(endpoint = "portal/issue", input = GetUrl)]
pub async fn get_issue(year: i32, number: i32) -> Result<IssuePage, AppError> {
    use crate::ssr::{state, tag_page};
    let state = state()?;
    tag_page([service::cache::tag::MAGAZINE]);
    crate::api::portal::column::issue(&state, year, number).await
}
