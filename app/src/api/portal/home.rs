//! Loading the home page.

use chrono::Utc;
use entity::column::ColumnKind;
use service::article::Flag;
use service::cache::tag;

use crate::api::convert::{self, column_href, seo};
use crate::error::AppError;
use crate::models::{HomeBlock, HomePage, NavLink, Slide};
use crate::ssr::{AppState, tag_page};

/// The section whose sub-columns get a block each.
const NEWS_SECTION: &str = "news";
/// The section of the 协会服务 block.
const SERVICES_SECTION: &str = "services";
/// Titles per block.
const BLOCK_ITEMS: u64 = 7;

pub async fn load(state: &AppState) -> Result<HomePage, AppError> {
    let (db, site, now) = (&state.db, &state.site, Utc::now());
    let here = crate::ssr::site()?;
    let shared = state.common.get(db, here.id()).await?;
    let (columns, settings) = (&shared.columns, &shared.settings);

    let slides = service::article::flagged(db, here.id(), Flag::Slideshow, 5, true, now)
        .await?
        .into_iter()
        .filter_map(|item| {
            let image = item.cover.as_ref().map(convert::image_view)?;
            Some(Slide {
                href: convert::article_href(item.id),
                title: item.title,
                image,
            })
        })
        .collect();
    let headline = service::article::flagged(db, here.id(), Flag::Headline, 1, false, now)
        .await?
        .into_iter()
        .next()
        .map(|i| convert::list_item(site, i));
    let recommended = service::article::flagged(db, here.id(), Flag::Recommended, 6, false, now)
        .await?
        .iter()
        .map(|i| convert::dated_item(site, i))
        .collect();
    let (notices, _) = service::notice::page(db, here.id(), 0, 7, now).await?;
    let notices = notices
        .iter()
        .map(|n| convert::notice_link(site, n))
        .collect();

    let mut blocks = Vec::new();
    if let Some(news) = service::column::by_slug(columns, NEWS_SECTION) {
        for child in service::column::children(columns, news.id) {
            if child.kind == ColumnKind::List {
                blocks.push(block(state, &child).await?);
            }
        }
    }
    let (services, service_pages) = match service::column::by_slug(columns, SERVICES_SECTION) {
        Some(section) => {
            let pages = service::column::children(columns, section.id)
                .into_iter()
                .filter(|c| c.kind == ColumnKind::Page)
                .map(|c| NavLink {
                    href: column_href(&c.slug),
                    name: c.name,
                })
                .collect();
            (block(state, section).await?, pages)
        }
        None => (
            HomeBlock {
                name: "协会服务".into(),
                href: "/".into(),
                items: Vec::new(),
            },
            Vec::new(),
        ),
    };
    let magazine = service::magazine::issues(db, here.id(), now)
        .await?
        .first()
        .map(|i| convert::issue_card(site, i));

    let offers = if settings.magazine_name.is_empty() {
        "资讯、通知公告与服务信息".to_owned()
    } else {
        format!(
            "开发区资讯、政策法规、协会服务与会刊《{}》",
            settings.magazine_name
        )
    };
    let description = if settings.slogan.is_empty() {
        format!("{}门户网站：{offers}。", settings.site_name)
    } else {
        format!("{}：{}。{offers}。", settings.site_name, settings.slogan)
    };
    Ok(HomePage {
        slides,
        headline,
        recommended,
        notices,
        blocks,
        magazine,
        services,
        service_pages,
        seo: seo(&here, "首页", &description, "/"),
    })
}

/// A column's newest titles.
async fn block(state: &AppState, column: &entity::column::Model) -> Result<HomeBlock, AppError> {
    let now = Utc::now();
    tag_page([tag::list(column.id)]);
    let ids = service::listing::page_ids(&state.db, column.id, 0, BLOCK_ITEMS, now).await?;
    let items = service::article::list_items(&state.db, &ids).await?;
    Ok(HomeBlock {
        name: column.name.clone(),
        href: column_href(&column.slug),
        items: items
            .iter()
            .map(|i| convert::dated_item(&state.site, i))
            .collect(),
    })
}
