//! RSS 2.0 feeds: the site's newest articles (`/rss.xml`) and each column's
//! (`/columns/{slug}/rss.xml`).

use app::ssr::{AppState, PageTags, RequestSite};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use service::article::ListItem;
use service::cache::tag;
use service::html::escape;

/// Items per feed.
const FEED_ITEMS: u64 = 30;

pub fn xml_response(body: String, content_type: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

pub fn unavailable(e: service::Error) -> Response {
    app::error::AppError::from(e).into_response()
}

fn rss(
    site: &RequestSite,
    title: &str,
    description: &str,
    page_path: &str,
    self_path: &str,
    items: &[ListItem],
    column_names: &dyn Fn(i32) -> String,
) -> String {
    let newest: Option<DateTime<Utc>> = items.iter().map(|i| i.published_at).max();
    let mut xml = String::with_capacity(4096 + items.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    xml.push_str(&format!("<title>{}</title>\n", escape(title)));
    xml.push_str(&format!(
        "<link>{}</link>\n",
        escape(&site.absolute(page_path))
    ));
    xml.push_str(&format!(
        "<description>{}</description>\n",
        escape(description)
    ));
    xml.push_str("<language>zh-cn</language>\n");
    if let Some(at) = newest {
        xml.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            at.to_rfc2822()
        ));
    }
    xml.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&site.absolute(self_path))
    ));
    for item in items {
        let link = site.absolute(&format!("/articles/{}", item.id));
        xml.push_str("<item>\n");
        xml.push_str(&format!("<title>{}</title>\n", escape(&item.title)));
        xml.push_str(&format!("<link>{}</link>\n", escape(&link)));
        xml.push_str(&format!(
            "<guid isPermaLink=\"true\">{}</guid>\n",
            escape(&link)
        ));
        xml.push_str(&format!(
            "<pubDate>{}</pubDate>\n",
            item.published_at.to_rfc2822()
        ));
        xml.push_str(&format!(
            "<category>{}</category>\n",
            escape(&column_names(item.column_id))
        ));
        xml.push_str(&format!(
            "<description>{}</description>\n",
            escape(&item.summary)
        ));
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// `GET /rss.xml`
pub async fn site_feed(
    State(state): State<AppState>,
    site: RequestSite,
    tags: Option<Extension<PageTags>>,
) -> Response {
    let now = Utc::now();
    let result = async {
        let shared = state.common.get(&state.db, site.id()).await?;
        let items = service::article::latest_items(&state.db, site.id(), FEED_ITEMS, now).await?;
        Ok::<_, service::Error>((shared, items))
    }
    .await;
    let (shared, items) = match result {
        Ok(r) => r,
        Err(e) => return unavailable(e),
    };
    if let Some(Extension(t)) = tags {
        t.add(tag::FEED);
        t.add(tag::CHROME);
    }
    let (settings, columns) = (&shared.settings, &shared.columns);
    let names = |id: i32| {
        columns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let description = format!("{}最新资讯", settings.site_name);
    xml_response(
        rss(
            &site,
            &settings.site_name,
            &description,
            "/",
            "/rss.xml",
            &items,
            &names,
        ),
        "application/rss+xml; charset=utf-8",
    )
}

/// `GET /columns/{slug}/rss.xml`
pub async fn column_feed(
    State(state): State<AppState>,
    site: RequestSite,
    Path(slug): Path<String>,
    tags: Option<Extension<PageTags>>,
) -> Response {
    let now = Utc::now();
    let result = async {
        let shared = state.common.get(&state.db, site.id()).await?;
        let column = service::column::by_slug(&shared.columns, &slug)
            .filter(|c| c.kind.takes_articles())
            .cloned()
            .ok_or(service::Error::NotFound)?;
        let ids = service::listing::page_ids(&state.db, column.id, 0, FEED_ITEMS, now).await?;
        let items = service::article::list_items(&state.db, &ids).await?;
        Ok::<_, service::Error>((shared, column, items))
    }
    .await;
    let (shared, column, items) = match result {
        Ok(r) => r,
        Err(e) => return unavailable(e),
    };
    if let Some(Extension(t)) = tags {
        t.add(tag::list(column.id));
        t.add(tag::CHROME);
    }
    let (settings, columns) = (&shared.settings, &shared.columns);
    let names = |id: i32| {
        columns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let title = format!("{} - {}", column.name, settings.site_name);
    let page = format!("/columns/{}", column.slug);
    let description = if column.description.is_empty() {
        title.clone()
    } else {
        column.description.clone()
    };
    xml_response(
        rss(
            &site,
            &title,
            &description,
            &page,
            &format!("{page}/rss.xml"),
            &items,
            &names,
        ),
        "application/rss+xml; charset=utf-8",
    )
}
