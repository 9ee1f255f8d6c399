//! `sitemap.xml` (a sitemap index above 50,000 URLs, with `/sitemaps/pages.xml` and
//! `/sitemaps/articles-N.xml`) and `robots.txt`.

use app::ssr::{AppState, PageTags, RequestSite};
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use service::cache::tag;
use service::html::escape;
use service::sitemap::URLS_PER_FILE;

use super::feeds::{unavailable, xml_response};

const XML: &str = "application/xml; charset=utf-8";

fn url(xml: &mut String, loc: &str, lastmod: Option<DateTime<Utc>>) {
    xml.push_str("<url><loc>");
    xml.push_str(&escape(loc));
    xml.push_str("</loc>");
    if let Some(at) = lastmod {
        xml.push_str("<lastmod>");
        xml.push_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true));
        xml.push_str("</lastmod>");
    }
    xml.push_str("</url>\n");
}

fn urlset_open() -> String {
    String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )
}

/// The URLs that are not articles: home, columns, notices, magazine issues.
async fn page_urls(
    state: &AppState,
    site: &RequestSite,
    xml: &mut String,
) -> Result<usize, service::Error> {
    let now = Utc::now();
    let mut n = 1;
    url(xml, &site.absolute("/"), None);
    for c in service::column::all(&state.db, site.id()).await? {
        url(
            xml,
            &site.absolute(&format!("/columns/{}", c.slug)),
            Some(c.updated_at),
        );
        n += 1;
    }
    let (notices, _) = service::notice::page(&state.db, site.id(), 0, 1000, now).await?;
    for notice in notices {
        url(
            xml,
            &site.absolute(&format!("/notices/{}", notice.id)),
            Some(notice.updated_at),
        );
        n += 1;
    }
    for i in service::magazine::issues(&state.db, site.id(), now).await? {
        url(
            xml,
            &site.absolute(&format!("/magazine/{}/{}", i.issue.year, i.issue.number)),
            Some(i.issue.updated_at),
        );
        n += 1;
    }
    Ok(n)
}

async fn article_urls(
    state: &AppState,
    site: &RequestSite,
    file: i64,
    xml: &mut String,
) -> Result<usize, service::Error> {
    let rows = service::sitemap::article_file(&state.db, site.id(), file, Utc::now()).await?;
    for (id, updated) in &rows {
        url(
            xml,
            &site.absolute(&format!("/articles/{id}")),
            Some(*updated),
        );
    }
    Ok(rows.len())
}

fn mark(tags: Option<Extension<PageTags>>) {
    if let Some(Extension(t)) = tags {
        t.add(tag::SITEMAP);
        t.add(tag::CHROME);
        t.add(tag::NOTICES);
        t.add(tag::MAGAZINE);
    }
}

/// `GET /sitemap.xml`: every URL in one file while there are at most 50,000 of them, else an
/// index of files.
pub async fn sitemap(
    State(state): State<AppState>,
    site: RequestSite,
    tags: Option<Extension<PageTags>>,
) -> Response {
    let result = async {
        let files = service::sitemap::article_files(&state.db, site.id(), Utc::now()).await?;
        let max_id = i64::from(
            service::sitemap::max_published_id(&state.db, site.id(), Utc::now()).await?,
        );
        if max_id + 1000 <= URLS_PER_FILE {
            let mut xml = urlset_open();
            page_urls(&state, &site, &mut xml).await?;
            for &f in &files {
                article_urls(&state, &site, f, &mut xml).await?;
            }
            xml.push_str("</urlset>\n");
            Ok::<_, service::Error>(xml)
        } else {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            let mut entry = |path: &str| {
                xml.push_str("<sitemap><loc>");
                xml.push_str(&escape(&site.absolute(path)));
                xml.push_str("</loc></sitemap>\n");
            };
            entry("/sitemaps/pages.xml");
            for &f in &files {
                entry(&format!("/sitemaps/articles-{}.xml", f + 1));
            }
            xml.push_str("</sitemapindex>\n");
            Ok(xml)
        }
    }
    .await;
    match result {
        Ok(xml) => {
            mark(tags);
            xml_response(xml, XML)
        }
        Err(e) => unavailable(e),
    }
}

/// `GET /sitemaps/{file}`: `pages.xml` or `articles-N.xml` (N from 1).
pub async fn sitemap_file(
    State(state): State<AppState>,
    site: RequestSite,
    Path(file): Path<String>,
    tags: Option<Extension<PageTags>>,
) -> Response {
    let result = async {
        let mut xml = urlset_open();
        if file == "pages.xml" {
            page_urls(&state, &site, &mut xml).await?;
        } else {
            let n: i64 = file
                .strip_prefix("articles-")
                .and_then(|f| f.strip_suffix(".xml"))
                .filter(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .ok_or(service::Error::NotFound)?;
            let files = service::sitemap::article_files(&state.db, site.id(), Utc::now()).await?;
            if !files.contains(&(n - 1)) {
                return Err(service::Error::NotFound);
            }
            article_urls(&state, &site, n - 1, &mut xml).await?;
        }
        xml.push_str("</urlset>\n");
        Ok::<_, service::Error>(xml)
    }
    .await;
    match result {
        Ok(xml) => {
            mark(tags);
            xml_response(xml, XML)
        }
        Err(e) => unavailable(e),
    }
}

/// `GET /robots.txt`
pub async fn robots(site: RequestSite, tags: Option<Extension<PageTags>>) -> Response {
    if let Some(Extension(t)) = tags {
        t.add(tag::CHROME);
    }
    let body = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /prefs/\nDisallow: /admin\nDisallow: /favorites\n\nSitemap: {}\n",
        site.absolute("/sitemap.xml")
    );
    xml_response(body, "text/plain; charset=utf-8")
}
