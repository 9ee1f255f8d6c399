use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{ArticlePage, FavoriteItem};

/// The published article `id` as the article page shows it.
#[server(endpoint = "articles/page", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_article_page(id: i32) -> Result<ArticlePage, AppError> {
    use service::cache::tag;

    use crate::ssr::{is_countable_view, request_headers, site, state, tag_page};
    let (state, here) = (state()?, site()?);
    let now = chrono::Utc::now();
    let article = service::article::find_published(&state.db, here.id(), id, now).await?;
    let shared = state.common.get(&state.db, here.id()).await?;
    let (prev, next) = service::article::neighbours(&state.db, &article, now).await?;
    let cover = service::article::cover(&state.db, &article).await?;
    tag_page(
        [
            Some(article.id),
            prev.as_ref().map(|p| p.id),
            next.as_ref().map(|n| n.id),
        ]
        .into_iter()
        .flatten()
        .map(tag::article),
    );
    // The count as of now, with this view if it counts. Cached copies of the page show the
    // count of when they were made; the hit-count island brings it up to date.
    let this_view = u64::from(is_countable_view(&request_headers()));
    let hits = u64::try_from(article.hits).unwrap_or(0) + state.hits.unflushed(id) + this_view;
    let mut page = super::convert::article_page(
        &state.site,
        &here,
        &shared.settings.site_name,
        article,
        cover,
        &shared.columns,
        prev,
        next,
        hits,
    );
    page.body_html = service::media::with_srcset(&state.db, &page.body_html).await?;
    Ok(page)
}

/// The URL of [`favorite_articles`]: a GET, so that the favorites island can call it with a
/// plain `fetch` and the browser bundle carries no server-function client.
pub const FAVORITES_ENDPOINT: &str = "/api/articles/favorites";

/// 我的收藏: the published articles among `ids` (comma-separated, as kept in the reader's
/// browser). Unknown, removed and unpublished ids are left out; at most 200 are looked at.
#[server(endpoint = "articles/favorites", input = leptos::server_fn::codec::GetUrl)]
pub async fn favorite_articles(ids: String) -> Result<Vec<FavoriteItem>, AppError> {
    use crate::ssr::{site, state};
    let (state, here) = (state()?, site()?);
    let ids: Vec<i32> = ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|id: &i32| *id > 0)
        .take(service::article::MAX_IDS_PER_LOOKUP)
        .collect();
    let links =
        service::article::published_links(&state.db, here.id(), &ids, chrono::Utc::now()).await?;
    Ok(links
        .into_iter()
        .map(|l| super::convert::favorite(&state.site, l))
        .collect())
}
