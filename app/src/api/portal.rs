//! The reader's portal: home, column pages, notices, magazine issues.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{ColumnPage, HomePage, IssuePage, NoticePage};

/// Articles per list page; picture columns show fewer, larger items.
pub const PER_PAGE: u64 = 20;
pub const PICTURES_PER_PAGE: u64 = 12;
/// Notices per page.
pub const NOTICES_PER_PAGE: u64 = 20;

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
    super::home::load(&state).await
}

/// Column `slug`, page `page` (from 1).
#[server(endpoint = "portal/column", input = GetUrl)]
pub async fn get_column(slug: String, page: u64) -> Result<ColumnPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    super::column::load(&state, &slug, page).await
}

/// One notice.
#[server(endpoint = "portal/notice", input = GetUrl)]
pub async fn get_notice(id: i32) -> Result<NoticePage, AppError> {
    use crate::ssr::{state, tag_page};
    let state = state()?;
    tag_page([service::cache::tag::NOTICES]);
    let (n, files) = service::notice::find(&state.db, id, chrono::Utc::now()).await?;
    Ok(super::convert::notice_page(&state.site, n, files))
}

/// Magazine issue `number` of `year`.
#[server(endpoint = "portal/issue", input = GetUrl)]
pub async fn get_issue(year: i32, number: i32) -> Result<IssuePage, AppError> {
    use crate::ssr::{state, tag_page};
    let state = state()?;
    tag_page([service::cache::tag::MAGAZINE]);
    super::column::issue(&state, year, number).await
}
