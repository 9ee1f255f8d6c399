//! Loading column pages (every kind) and magazine issues.

use chrono::Utc;
use entity::column::{self, ColumnKind};
use service::cache::tag;

use crate::api::convert::{self, column_href, seo};
use crate::error::AppError;
use crate::models::{ColumnBody, ColumnPage, IssuePage, Pager, SinglePage, TocSection};
use crate::ssr::{AppState, tag_page};

/// Articles per list page; picture columns show fewer, larger items.
pub const PER_PAGE: u64 = 20;
pub const PICTURES_PER_PAGE: u64 = 12;
/// Notices per page.
pub const NOTICES_PER_PAGE: u64 = 20;

fn pager(base: String, page: u64, per_page: u64, total: u64) -> Result<Pager, AppError> {
    let pager = Pager::new(page, total, per_page, base);
    if page == 0 || !pager.exists() {
        return Err(AppError::NotFound);
    }
    Ok(pager)
}

pub async fn load(state: &AppState, slug: &str, page: u64) -> Result<ColumnPage, AppError> {
    let (db, here) = (&state.db, crate::ssr::site()?);
    let shared = state.common.get(db, here.id()).await?;
    let columns = &shared.columns;
    let column = service::column::by_slug(columns, slug)
        .ok_or(AppError::NotFound)?
        .clone();
    let path = service::column::path(columns, column.id);
    let section = path.first().cloned().unwrap_or_else(|| column.clone());
    let siblings = service::column::children(columns, section.id);
    let crumbs = convert::crumbs(&path);
    let href = column_href(&column.slug);
    let description = if column.description.is_empty() {
        format!("{}·{}", section.name, column.name)
    } else {
        column.description.clone()
    };
    let mut seo = seo(&here, &column.name, &description, &href);

    let body = match column.kind {
        ColumnKind::Page | ColumnKind::Submit => {
            single_page(state, columns, &column, page, &mut seo).await?
        }
        ColumnKind::Magazine => magazine(state, here.id(), page).await?,
        ColumnKind::Notices => notices(state, here.id(), &href, page).await?,
        ColumnKind::List | ColumnKind::Pictures => {
            seo.feed = Some(here.absolute(&format!("{href}/rss.xml")));
            articles(state, &column, &href, page).await?
        }
    };
    if page > 1 {
        seo.title = format!("{}（第{}页）", column.name, page);
        seo.canonical = here.absolute(&format!("{href}?page={page}"));
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

/// A single page (单页, or 投稿 with its form below); only page 1 exists.
async fn single_page(
    state: &AppState,
    columns: &[column::Model],
    column: &column::Model,
    page: u64,
    seo: &mut crate::models::SeoInfo,
) -> Result<ColumnBody, AppError> {
    if page != 1 {
        return Err(AppError::NotFound);
    }
    let (db, site) = (&state.db, &state.site);
    // A section of pages without its own content shows its first page.
    let mut found = service::page::for_column(db, column.id).await?;
    if found.is_none()
        && let Some(first) = service::column::children(columns, column.id).first()
    {
        found = service::page::for_column(db, first.id).await?;
    }
    let p = found.ok_or(AppError::NotFound)?;
    tag_page([tag::page(p.column_id)]);
    let body_html = service::html::page_body(&p.body);
    seo.description = convert::describe(&service::html::strip_tags(&body_html), 120);
    Ok(ColumnBody::Single {
        page: SinglePage {
            title: p.title,
            body_html,
            updated: service::time::format_date(p.updated_at, site.time_zone),
            submit_form: column.kind == ColumnKind::Submit,
        },
    })
}

/// The magazine's published issues; only page 1 exists.
async fn magazine(state: &AppState, site: i32, page: u64) -> Result<ColumnBody, AppError> {
    if page != 1 {
        return Err(AppError::NotFound);
    }
    tag_page([tag::MAGAZINE]);
    let issues = service::magazine::issues(&state.db, site, Utc::now()).await?;
    Ok(ColumnBody::Magazine {
        issues: issues
            .iter()
            .map(|i| convert::issue_card(&state.site, i))
            .collect(),
    })
}

/// One page of the published notices.
async fn notices(
    state: &AppState,
    site: i32,
    href: &str,
    page: u64,
) -> Result<ColumnBody, AppError> {
    let (db, now) = (&state.db, Utc::now());
    tag_page([tag::NOTICES]);
    let total = service::notice::count(db, site, now).await?;
    let pager = pager(href.to_owned(), page, NOTICES_PER_PAGE, total)?;
    let (items, _) = service::notice::page(db, site, page - 1, NOTICES_PER_PAGE, now).await?;
    Ok(ColumnBody::Notices {
        items: items
            .iter()
            .map(|n| convert::notice_link(&state.site, n))
            .collect(),
        pager,
    })
}

/// One page of the articles listed under a column (its whole subtree), as text or pictures.
async fn articles(
    state: &AppState,
    column: &column::Model,
    href: &str,
    page: u64,
) -> Result<ColumnBody, AppError> {
    tag_page([tag::list(column.id)]);
    let pictures = column.kind == ColumnKind::Pictures;
    let per_page = if pictures {
        PICTURES_PER_PAGE
    } else {
        PER_PAGE
    };
    let total = u64::try_from(column.listed_count).unwrap_or(0);
    let pager = pager(href.to_owned(), page, per_page, total)?;
    let ids =
        service::listing::page_ids(&state.db, column.id, page - 1, per_page, Utc::now()).await?;
    let items = service::article::list_items(&state.db, &ids).await?;
    Ok(ColumnBody::List {
        items: items
            .into_iter()
            .map(|i| convert::list_item(&state.site, i))
            .collect(),
        pager,
        pictures,
    })
}

pub async fn issue(state: &AppState, year: i32, number: i32) -> Result<IssuePage, AppError> {
    let (db, site, here) = (&state.db, &state.site, crate::ssr::site()?);
    let (issue, toc) = service::magazine::issue(db, here.id(), year, number, Utc::now()).await?;
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
        &here,
        &format!("《中国开发区》{}", card.label),
        &format!("{}：{}", card.theme, card.summary),
        &card.href,
    );
    seo.image = card.cover.as_ref().map(|c| here.absolute(&c.src));
    Ok(IssuePage {
        card,
        sections,
        seo,
    })
}
