//! `/search`: the reader's search over articles, notices and single pages.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::SearchPage;

/// Results per page.
pub const PER_PAGE: u64 = 20;

/// One page of results (`page` from 1) for the search form's fields.
#[server(endpoint = "portal/search", input = GetUrl)]
pub async fn get_search(
    q: String,
    column: String,
    from: String,
    to: String,
    sort: String,
    page: u64,
) -> Result<SearchPage, AppError> {
    use crate::ssr::state;
    let state = state()?;
    let form = crate::models::SearchForm {
        q,
        column,
        from,
        to,
        sort: vocab::SearchSort::from_param(&sort),
    };
    load::search(&state, form, page).await
}

#[cfg(feature = "ssr")]
mod load {
    use chrono::Utc;
    use service::search::{Kind, Piece, SearchFields};

    use super::PER_PAGE;
    use crate::api::convert::{article_href, column_href, notice_href};
    use crate::error::AppError;
    use crate::models::{Marked, Pager, SearchColumn, SearchForm, SearchPage, SearchResult};
    use crate::query::encode;
    use crate::ssr::AppState;
    use entity::column;

    /// The URL of a search (without `page`).
    fn href(form: &SearchForm, q: &str) -> String {
        let mut url = format!("/search?q={}", encode(q));
        for (name, value) in [
            ("column", form.column.as_str()),
            ("from", &form.from),
            ("to", &form.to),
            ("sort", form.sort.param()),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{name}={}", encode(value)));
            }
        }
        url
    }

    fn marked(pieces: Vec<Piece>) -> Vec<Marked> {
        pieces
            .into_iter()
            .map(|p| Marked {
                text: p.text,
                mark: p.mark,
            })
            .collect()
    }

    /// One search result as the page lists it.
    fn result(
        h: service::search::SearchResult,
        all: &[column::Model],
        site: &crate::ssr::SiteConfig,
    ) -> SearchResult {
        let column = h.column_id.and_then(|id| all.iter().find(|c| c.id == id));
        let (href, label) = match h.kind {
            Kind::Article => (article_href(h.ref_id), None),
            Kind::Notice => (notice_href(h.ref_id), Some("通知公告".to_owned())),
            Kind::Page => (
                column.map_or_else(|| "/".to_owned(), |c| column_href(&c.slug)),
                Some("单页".to_owned()),
            ),
        };
        SearchResult {
            href,
            label,
            column: column.map(|c| c.name.clone()).unwrap_or_default(),
            date: service::time::format_date(h.at, site.time_zone),
            title: marked(h.title),
            snippet: marked(h.snippet),
        }
    }

    pub async fn search(
        state: &AppState,
        form: SearchForm,
        page: u64,
    ) -> Result<SearchPage, AppError> {
        let (db, site, now) = (&state.db, &state.site, Utc::now());
        let here = crate::ssr::site()?;
        let common = state.common.get(db, here.id()).await?;
        let all = &common.columns;
        let mut fields = SearchFields {
            q: form.q,
            column: form.column,
            from: form.from,
            to: form.to,
            sort: form.sort,
        };
        let (query, notes) =
            service::search::interpret(&mut fields, here.id(), all, page, PER_PAGE, site.time_zone);
        let form = SearchForm {
            q: fields.q,
            column: fields.column,
            from: fields.from,
            to: fields.to,
            sort: fields.sort,
        };
        let found = service::search::search(db, &query, now).await?;
        let pages = crate::models::Pager::pages_for(found.total, PER_PAGE);
        if page == 0 || (page > 1 && page > pages) {
            return Err(AppError::NotFound);
        }
        let base = href(&form, &form.q);
        let fewer = if found.total == 0 && found.words.len() > 1 {
            service::search::fewer_words(db, &query, now)
                .await?
                .into_iter()
                .map(|(q, n)| (q.clone(), href(&form, &q), n))
                .collect()
        } else {
            Vec::new()
        };
        let results = found
            .results
            .into_iter()
            .map(|h| result(h, all, site))
            .collect();
        let title = if found.words.is_empty() {
            "站内搜索".to_owned()
        } else {
            format!("搜索：{}", found.words.join(" "))
        };
        let seo = crate::api::convert::seo(
            &crate::ssr::site()?,
            &title,
            "在本站搜索新闻、通知公告和栏目页面。",
            "/search",
        );
        Ok(SearchPage {
            seo,
            columns: service::search::column_choices(all)
                .into_iter()
                .map(|c| SearchColumn {
                    value: c.slug,
                    name: c.name,
                    depth: c.depth,
                })
                .collect(),
            cut: found.cut,
            notes,
            total: found.total,
            more: found.more,
            pager: (!found.words.is_empty() && found.total > 0).then(|| Pager {
                page: page.max(1),
                pages,
                total: found.total,
                base,
            }),
            words: found.words,
            results,
            fewer,
            form,
        })
    }
}
