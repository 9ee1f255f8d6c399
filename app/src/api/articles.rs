use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{ArticlePage, FavoriteItem};

/// The published article `id` as the article page shows it. The hit count includes views
/// not yet flushed to the database, and this view if it is one that counts.
#[server(endpoint = "articles/page")]
pub async fn get_article_page(id: i32) -> Result<ArticlePage, AppError> {
    use crate::server::{is_countable_view, request_headers, state};
    let state = state()?;
    let now = chrono::Utc::now();
    let article = service::article::find_published(&state.db, id, now).await?;
    let categories = service::category::all(&state.db).await?;
    let (prev, next) = service::article::neighbours(&state.db, &article, now).await?;
    let this_view = u64::from(is_countable_view(&request_headers()));
    let hits = u64::try_from(article.hits).unwrap_or(0) + state.hits.unflushed(id) + this_view;
    Ok(super::convert::article_page(
        &state.site,
        article,
        &categories,
        prev,
        next,
        hits,
    ))
}

/// The URL of [`favorite_articles`]: a GET, so that the favorites island can call it with a
/// plain `fetch` and the browser bundle carries no server-function client.
pub const FAVORITES_ENDPOINT: &str = "/api/articles/favorites";

/// 我的收藏: the published articles among `ids` (comma-separated, as kept in the reader's
/// browser). Unknown, removed and unpublished ids are left out; at most 200 are looked at.
#[server(endpoint = "articles/favorites", input = leptos::server_fn::codec::GetUrl)]
pub async fn favorite_articles(ids: String) -> Result<Vec<FavoriteItem>, AppError> {
    use crate::server::state;
    let state = state()?;
    let ids: Vec<i32> = ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|id: &i32| *id > 0)
        .take(service::article::MAX_IDS_PER_LOOKUP)
        .collect();
    let links = service::article::published_links(&state.db, &ids, chrono::Utc::now()).await?;
    Ok(links
        .into_iter()
        .map(|l| super::convert::favorite(&state.site, l))
        .collect())
}

/// The newest published articles, for the home page.
#[server(endpoint = "articles/latest")]
pub async fn get_latest() -> Result<Vec<crate::models::DatedLink>, AppError> {
    use crate::server::state;
    let state = state()?;
    let links = service::article::latest(&state.db, 20, chrono::Utc::now()).await?;
    Ok(links
        .into_iter()
        .map(|l| super::convert::dated(&state.site, l))
        .collect())
}
