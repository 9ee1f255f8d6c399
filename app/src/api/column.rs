//! Loading column pages (every kind) and magazine issues.

use chrono::Utc;
use service::cache::tag;

use super::convert::{self, column_href, seo};
use super::portal::{NOTICES_PER_PAGE, PER_PAGE, PICTURES_PER_PAGE};
use crate::error::AppError;
use crate::models::{ColumnBody, ColumnPage, IssuePage, Pager, SinglePage, TocSection};
use crate::server::{AppState, tag_page};

fn pager(base: String, page: u64, per_page: u64, total: u64) -> Result<Pager, AppError> {
    let pages = total.div_ceil(per_page).max(1);
    if page == 0 || page > pages {
        return Err(AppError::NotFound);
    }
    Ok(Pager {
        page,
        pages,
        total,
        base,
    })
}

pub async fn load(state: &AppState, slug: &str, page: u64) -> Result<ColumnPage, AppError> {
    let (db, site, now) = (&state.db, &state.site, Utc::now());
    let shared = state.common.get(db).await?;
    let categories = &shared.categories;
    let column = service::category::by_slug(categories, slug)
        .ok_or(AppError::NotFound)?
        .clone();
    let path = service::category::path(categories, column.id);
    let section = path.first().cloned().unwrap_or_else(|| column.clone());
    let siblings = service::category::children(categories, section.id);
    let crumbs = convert::crumbs(&path);
    let href = column_href(&column.slug);
    let description = if column.description.is_empty() {
        format!("{}·{}", section.name, column.name)
    } else {
        column.description.clone()
    };
    let mut seo = seo(site, &column.name, &description, &href);

    let body = match column.kind.as_str() {
        "page" | "submit" => {
            if page != 1 {
                return Err(AppError::NotFound);
            }
            // A section of pages without its own content shows its first page.
            let mut found = service::page::for_column(db, column.id).await?;
            if found.is_none()
                && let Some(first) = service::category::children(categories, column.id).first()
            {
                found = service::page::for_column(db, first.id).await?;
            }
            let p = found.ok_or(AppError::NotFound)?;
            tag_page([tag::page(p.category_id)]);
            let body_html = service::html::page_body(&p.body);
            seo.description = convert::describe(&convert::strip_tags(&body_html), 120);
            ColumnBody::Single {
                page: SinglePage {
                    title: p.title,
                    body_html,
                    updated: service::time::format_date(p.updated_at, site.time_zone),
                    submit_form: column.kind == "submit",
                },
            }
        }
        "magazine" => {
            if page != 1 {
                return Err(AppError::NotFound);
            }
            tag_page([tag::MAGAZINE]);
            let issues = service::magazine::issues(db, now).await?;
            ColumnBody::Magazine {
                issues: issues
                    .iter()
                    .map(|i| convert::issue_card(site, i))
                    .collect(),
            }
        }
        "notices" => {
            tag_page([tag::NOTICES]);
            let total = service::notice::count(db, now).await?;
            let pager = pager(href.clone(), page, NOTICES_PER_PAGE, total)?;
            let (items, _) = service::notice::page(db, page - 1, NOTICES_PER_PAGE, now).await?;
            ColumnBody::Notices {
                items: items
                    .iter()
                    .map(|n| convert::notice_link(site, n))
                    .collect(),
                pager,
            }
        }
        kind => {
            tag_page([tag::list(column.id)]);
            let pictures = kind == "pictures";
            let per_page = if pictures {
                PICTURES_PER_PAGE
            } else {
                PER_PAGE
            };
            let total = u64::try_from(column.listed_count).unwrap_or(0);
            let pager = pager(href.clone(), page, per_page, total)?;
            let ids = service::listing::page_ids(db, column.id, page - 1, per_page, now).await?;
            let items = service::article::list_items(db, &ids).await?;
            seo.feed = Some(site.absolute(&format!("{href}/rss.xml")));
            ColumnBody::List {
                items: items
                    .into_iter()
                    .map(|i| convert::list_item(site, i))
                    .collect(),
                pager,
                pictures,
            }
        }
    };
    if page > 1 {
        seo.title = format!("{}（第{}页）", column.name, page);
        seo.canonical = site.absolute(&format!("{href}?page={page}"));
    }
    Ok(ColumnPage {
        tabs: convert::tabs(&section, &siblings, column.id),
        section_href: column_href(&section.slug),
        name: column.name,
        description,
        crumbs,
        body,
        seo,
    })
}

pub async fn issue(state: &AppState, year: i32, number: i32) -> Result<IssuePage, AppError> {
    let (db, site) = (&state.db, &state.site);
    let (issue, toc) = service::magazine::issue(db, year, number, Utc::now()).await?;
    let card = convert::issue_card(site, &issue);
    let mut sections: Vec<TocSection> = Vec::new();
    for entry in toc {
        tag_page([tag::article(entry.article.id)]);
        let link = convert::dated(site, entry.article);
        match sections.last_mut() {
            Some(s) if s.name == entry.section => s.entries.push(link),
            _ => sections.push(TocSection {
                name: entry.section,
                entries: vec![link],
            }),
        }
    }
    let mut seo = seo(
        site,
        &format!("《中国开发区》{}", card.label),
        &format!("{}：{}", card.theme, card.summary),
        &card.href,
    );
    seo.image = card.cover.as_ref().map(|c| site.absolute(&c.src));
    Ok(IssuePage {
        card,
        sections,
        seo,
    })
}
