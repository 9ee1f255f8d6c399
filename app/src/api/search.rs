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
        sort,
    };
    load::search(&state, form, page).await
}

#[cfg(feature = "ssr")]
mod load {
    use chrono::{DateTime, NaiveDate, Utc};
    use service::search::{Kind, Piece, Query, Sort};

    use super::PER_PAGE;
    use crate::api::convert::{article_href, column_href, notice_href};
    use crate::error::AppError;
    use crate::models::{Marked, Pager, SearchColumn, SearchForm, SearchPage, SearchResult};
    use crate::query::encode;
    use crate::ssr::AppState;
    use entity::column::{self, ColumnKind};

    /// The URL of a search (without `page`).
    fn href(form: &SearchForm, q: &str) -> String {
        let mut url = format!("/search?q={}", encode(q));
        for (name, value) in [
            ("column", &form.column),
            ("from", &form.from),
            ("to", &form.to),
            ("sort", &form.sort),
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

    /// A date typed into the form, as the start of that day in the site's zone (`end`: the
    /// start of the next day).
    fn day(text: &str, end: bool, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
        let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
        let date = if end { date.succ_opt()? } else { date };
        let local = date
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(tz)
            .earliest()?;
        Some(local.with_timezone(&Utc))
    }

    /// The columns a reader may narrow to, in tree order: every column that lists articles,
    /// notices or pages.
    fn columns(all: &[column::Model]) -> Vec<SearchColumn> {
        fn walk(
            all: &[column::Model],
            parent: Option<i32>,
            depth: usize,
            out: &mut Vec<SearchColumn>,
        ) {
            for c in all.iter().filter(|c| c.parent_id == parent) {
                if c.kind != ColumnKind::Magazine && c.kind != ColumnKind::Submit {
                    out.push(SearchColumn {
                        value: c.slug.clone(),
                        name: c.name.clone(),
                        depth,
                    });
                }
                walk(all, Some(c.id), depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(all, None, 0, &mut out);
        out
    }

    /// The query of a search form, its fields cut to size; what could not be used is cleared
    /// from the form and explained in the notes.
    fn query_of(
        form: &mut SearchForm,
        all: &[column::Model],
        page: u64,
        tz: chrono_tz::Tz,
    ) -> (Query, Vec<String>) {
        // Keep the form's own text bounded (the query itself is cut by the service).
        form.q = form.q.chars().take(200).collect();
        for v in [
            &mut form.column,
            &mut form.from,
            &mut form.to,
            &mut form.sort,
        ] {
            *v = v.chars().take(64).collect();
        }
        let mut notes = Vec::new();
        let mut query = Query {
            text: form.q.clone(),
            sort: if form.sort == "date" {
                Sort::Date
            } else {
                Sort::Relevance
            },
            page: page.max(1) - 1,
            per_page: PER_PAGE,
            ..Query::default()
        };
        if !form.column.is_empty() {
            match all.iter().find(|c| c.slug == form.column) {
                Some(c) if c.kind == ColumnKind::Notices => query.kind = Some(Kind::Notice),
                Some(c) => query.columns = Some(service::column::with_descendants(all, c.id)),
                None => {
                    notes.push("所选栏目不存在，已在全部栏目中搜索".to_owned());
                    form.column.clear();
                }
            }
        }
        for (text, end, slot) in [
            (&mut form.from, false, &mut query.from),
            (&mut form.to, true, &mut query.until),
        ] {
            if text.is_empty() {
                continue;
            }
            match day(text, end, tz) {
                Some(at) => *slot = Some(at),
                None => {
                    notes.push(format!("日期“{text}”无法识别，已忽略（格式如 2025-01-31）"));
                    text.clear();
                }
            }
        }
        (query, notes)
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
        mut form: SearchForm,
        page: u64,
    ) -> Result<SearchPage, AppError> {
        let (db, site, now) = (&state.db, &state.site, Utc::now());
        let common = state.common.get(db).await?;
        let all = &common.columns;
        let (query, notes) = query_of(&mut form, all, page, site.time_zone);
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
            site,
            &title,
            "在本站搜索新闻、通知公告和栏目页面。",
            "/search",
        );
        Ok(SearchPage {
            seo,
            columns: columns(all),
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
