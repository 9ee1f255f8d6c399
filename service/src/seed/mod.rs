//! Original demo content for a fresh database: the portal's sections and columns, articles
//! (some with locally drawn illustrations), notices, footer link groups and site settings.

mod images;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::article::ArticleStatus;
use entity::{
    article, column, image, link, link_group, magazine_issue, magazine_issue_article, notice,
    notice_attachment, page,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};
use serde::Deserialize;

use crate::db::Db;
use crate::html::escape;
use crate::site::{self, Settings};
use crate::storage::Store;
use crate::time::parse_local;
use crate::{Error, Result};

const SITE: &str = include_str!("content/site.toml");
const PAGES: &str = include_str!("content/pages.toml");
const MAGAZINE: &str = include_str!("content/magazine.toml");
const ARTICLES: &[&str] = &[
    include_str!("content/articles-1.toml"),
    include_str!("content/articles-2.toml"),
    include_str!("content/articles-3.toml"),
];

/// Where generated demo images go, relative to the uploads directory.
pub const DEMO_MEDIA_DIR: &str = "demo";

#[derive(Deserialize)]
struct SiteFile {
    settings: HashMap<String, String>,
    column: Vec<ColumnSeed>,
    link_group: Vec<LinkGroupSeed>,
    notice: Vec<NoticeSeed>,
}

#[derive(Deserialize)]
struct ColumnSeed {
    slug: String,
    parent: Option<String>,
    name: String,
    kind: entity::column::ColumnKind,
    #[serde(default)]
    description: String,
    /// Listed in the main navigation (true unless said otherwise).
    #[serde(default = "yes")]
    nav: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct LinkGroupSeed {
    name: String,
    links: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct NoticeSeed {
    published: String,
    title: String,
    body: String,
    /// (file name, text content)
    #[serde(default)]
    attachments: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct PagesFile {
    page: Vec<PageSeed>,
}

#[derive(Deserialize)]
struct PageSeed {
    column: String,
    title: String,
    body: String,
}

#[derive(Deserialize)]
struct MagazineFile {
    issue: Vec<IssueSeed>,
}

#[derive(Deserialize)]
struct IssueSeed {
    year: i32,
    number: i32,
    total_number: i32,
    published: String,
    title: String,
    summary: String,
    /// (section, article title)
    toc: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct ArticleFile {
    article: Vec<ArticleSeed>,
}

#[derive(Deserialize)]
struct ArticleSeed {
    column: String,
    title: String,
    #[serde(default)]
    subtitle: String,
    source: String,
    author: String,
    published: String,
    #[serde(default)]
    flags: Vec<String>,
    summary: String,
    image_caption: Option<String>,
    #[serde(default)]
    image_credit: String,
    body: String,
}

/// What a seeding run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub columns: usize,
    pub articles: usize,
    pub images: usize,
    pub notices: usize,
    pub links: usize,
    pub pages: usize,
    pub issues: usize,
}

/// True when the database holds no content yet (no columns).
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool> {
    Ok(column::Entity::find().count(db).await? == 0)
}

/// Seeds the demo content if the database is empty; returns `None` when it already had
/// content. Images are drawn into `demo/` of the media store. Everything in the database is
/// written in one transaction.
pub async fn seed_demo(db: &Db, media: &Store, tz: Tz) -> Result<Option<SeedReport>> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    let site: SiteFile =
        toml::from_str(SITE).map_err(|e| Error::Invalid(format!("site.toml: {e}")))?;
    let mut articles = Vec::new();
    for (i, file) in ARTICLES.iter().enumerate() {
        let parsed: ArticleFile = toml::from_str(file)
            .map_err(|e| Error::Invalid(format!("articles-{}.toml: {e}", i + 1)))?;
        articles.extend(parsed.article);
    }

    let pages: PagesFile =
        toml::from_str(PAGES).map_err(|e| Error::Invalid(format!("pages.toml: {e}")))?;
    let magazine: MagazineFile =
        toml::from_str(MAGAZINE).map_err(|e| Error::Invalid(format!("magazine.toml: {e}")))?;

    let now = Utc::now();
    let txn = db.begin().await?;
    let mut report = SeedReport::default();

    // Settings.
    let mut settings = Settings::default();
    for (key, value) in site.settings {
        if !settings.set(&key, value) {
            return Err(Error::Invalid(format!("site.toml: unknown setting {key}")));
        }
    }
    site::save_settings(&txn, &settings).await?;

    // Columns, parents first.
    let mut column_ids: HashMap<String, i32> = HashMap::new();
    for (order, c) in site.column.iter().enumerate() {
        let parent_id = match &c.parent {
            Some(p) => Some(*column_ids.get(p).ok_or_else(|| {
                Error::Invalid(format!(
                    "site.toml: column {} before its parent {p}",
                    c.slug
                ))
            })?),
            None => None,
        };
        let saved = column::ActiveModel {
            parent_id: Set(parent_id),
            name: Set(c.name.clone()),
            slug: Set(c.slug.clone()),
            kind: Set(c.kind),
            description: Set(c.description.clone()),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
            show_in_nav: Set(c.nav),
            listed_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        column_ids.insert(c.slug.clone(), saved.id);
        report.columns += 1;
    }

    // Footer links.
    for (order, g) in site.link_group.iter().enumerate() {
        let group = link_group::ActiveModel {
            name: Set(g.name.clone()),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (i, (name, url)) in g.links.iter().enumerate() {
            link::ActiveModel {
                group_id: Set(group.id),
                name: Set(name.clone()),
                url: Set(url.clone()),
                sort_order: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            report.links += 1;
        }
    }

    // Notices.
    for (k, n) in site.notice.iter().enumerate() {
        let at = local_time(&n.published, tz)?;
        let saved = notice::ActiveModel {
            title: Set(n.title.clone()),
            body: Set(paragraphs_to_html(&n.body, None)),
            is_published: Set(true),
            published_at: Set(at),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (name, text) in &n.attachments {
            let file = format!("{DEMO_MEDIA_DIR}/notice-{}-{name}", k + 1);
            media.put(&file, text.clone().into_bytes()).await?;
            notice_attachment::ActiveModel {
                notice_id: Set(saved.id),
                title: Set(name.clone()),
                path: Set(file),
                size_bytes: Set(i64::try_from(text.len()).unwrap_or(0)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        report.notices += 1;
    }

    // Single pages.
    for p in &pages.page {
        let column_id = *column_ids
            .get(&p.column)
            .ok_or_else(|| Error::Invalid(format!("pages.toml: unknown column {}", p.column)))?;
        page::ActiveModel {
            column_id: Set(column_id),
            title: Set(p.title.clone()),
            body: Set(crate::html::sanitize(&paragraphs_to_html(&p.body, None))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        report.pages += 1;
    }

    // Articles, oldest first so ids follow publication order.
    articles.sort_by(|a, b| a.published.cmp(&b.published));
    let mut article_ids: HashMap<String, i32> = HashMap::new();
    for (n, a) in articles.iter().enumerate() {
        let column_id = *column_ids
            .get(&a.column)
            .ok_or_else(|| Error::Invalid(format!("unknown column {} in {}", a.column, a.title)))?;
        let at = local_time(&a.published, tz)?;
        let figure = match &a.image_caption {
            Some(caption) => {
                let file = format!("{DEMO_MEDIA_DIR}/illustration-{:02}.jpg", n + 1);
                let drawn = draw_once(media, &file, n as u64, images::Kind::Illustration).await?;
                let img = image::ActiveModel {
                    path: Set(file.clone()),
                    alt: Set(caption.clone()),
                    caption: Set(caption.clone()),
                    credit: Set(a.image_credit.clone()),
                    width: Set(images::WIDTH as i32),
                    height: Set(images::HEIGHT as i32),
                    variants: Set(drawn.variants),
                    size_bytes: Set(drawn.size),
                    mime: Set("image/jpeg".into()),
                    created_at: Set(at),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                report.images += 1;
                Some(img)
            }
            None => None,
        };
        let body = paragraphs_to_html(&a.body, figure.as_ref());
        let saved = article::ActiveModel {
            column_id: Set(column_id),
            title: Set(a.title.clone()),
            subtitle: Set(a.subtitle.clone()),
            slug: Set(None),
            source: Set(a.source.clone()),
            author: Set(a.author.clone()),
            summary: Set(a.summary.clone()),
            body: Set(crate::html::sanitize(&body)),
            cover_image_id: Set(figure.as_ref().map(|f| f.id)),
            is_headline: Set(a.flags.iter().any(|f| f == "headline")),
            is_recommended: Set(a.flags.iter().any(|f| f == "recommended")),
            is_slideshow: Set(a.flags.iter().any(|f| f == "slideshow")),
            status: Set(ArticleStatus::Published),
            published_at: Set(Some(at)),
            hits: Set(demo_hits(n, at, now)),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // The last 30 days of reading, so the demo dashboard has something to show.
        for k in 0..30 {
            let day = now - chrono::Duration::days(k);
            if day >= at {
                let views = demo_daily_views(n, k, (day - at).num_days());
                crate::stats::add_daily_views(
                    &txn,
                    saved.id,
                    &crate::stats::day_of(day, tz),
                    views,
                )
                .await?;
            }
        }
        article_ids.insert(a.title.clone(), saved.id);
        report.articles += 1;
    }

    // Magazine issues with drawn covers and their tables of contents.
    for (k, issue) in magazine.issue.iter().enumerate() {
        let at = local_time(&issue.published, tz)?;
        let file = format!(
            "{DEMO_MEDIA_DIR}/cover-{}-{:02}.jpg",
            issue.year, issue.number
        );
        let drawn = draw_once(media, &file, k as u64, images::Kind::Cover).await?;
        let cover = image::ActiveModel {
            path: Set(file.clone()),
            alt: Set(format!(
                "《{}》{}年第{}期封面",
                settings.magazine_name, issue.year, issue.number
            )),
            caption: Set(String::new()),
            credit: Set(settings.magazine_name.clone()),
            width: Set(images::COVER_WIDTH as i32),
            height: Set(images::COVER_HEIGHT as i32),
            variants: Set(drawn.variants),
            size_bytes: Set(drawn.size),
            mime: Set("image/jpeg".into()),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let saved = magazine_issue::ActiveModel {
            year: Set(issue.year),
            number: Set(issue.number),
            total_number: Set(issue.total_number),
            title: Set(issue.title.clone()),
            summary: Set(issue.summary.clone()),
            cover_image_id: Set(Some(cover.id)),
            published_at: Set(at),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (order, (section, title)) in issue.toc.iter().enumerate() {
            let article_id = *article_ids.get(title).ok_or_else(|| {
                Error::Invalid(format!("magazine.toml: no article titled {title}"))
            })?;
            magazine_issue_article::ActiveModel {
                issue_id: Set(saved.id),
                article_id: Set(article_id),
                section: Set(section.clone()),
                sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        report.issues += 1;
    }

    crate::listing::rebuild_all(&txn).await?;
    crate::search::index_all(&txn).await?;
    txn.commit().await?;
    Ok(Some(report))
}

/// Draws illustration `n` to `path` of the media store unless it is already there (the
/// drawings are deterministic); returns the file's size.
/// A demo picture in the media store: the JPEG's size and its WebP variants (as the image
/// row stores them).
struct Drawn {
    size: i64,
    variants: String,
}

/// Draws picture `n` of `kind` into `path` with its WebP variants, unless they are all stored
/// already (tests share one media directory).
async fn draw_once(media: &Store, path: &str, n: u64, kind: images::Kind) -> Result<Drawn> {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    let width = match kind {
        images::Kind::Illustration => images::WIDTH,
        images::Kind::Cover => images::COVER_WIDTH,
    };
    let variants = crate::media::variant_paths(stem, width);
    let variants_json =
        serde_json::to_string(&variants).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    let mut size = None;
    match media.head(path).await {
        Ok(meta) => size = Some(meta.size),
        Err(Error::NotFound) => {}
        Err(e) => return Err(e),
    }
    let mut complete = size.is_some();
    for v in &variants {
        match media.head(&v.path).await {
            Ok(_) => {}
            Err(Error::NotFound) => complete = false,
            Err(e) => return Err(e),
        }
    }
    let size = match size {
        Some(size) if complete => size,
        _ => {
            let picture = ::image::DynamicImage::ImageRgb8(images::draw(kind, n));
            let mut jpeg = std::io::Cursor::new(Vec::new());
            picture
                .write_to(&mut jpeg, ::image::ImageFormat::Jpeg)
                .map_err(|e| Error::Io(std::io::Error::other(e)))?;
            let bytes = jpeg.into_inner();
            let size = bytes.len() as u64;
            for (variant, webp) in crate::media::webp_variants(&picture, stem) {
                media.put(&variant.path, webp).await?;
            }
            media.put(path, bytes).await?;
            size
        }
    };
    Ok(Drawn {
        size: i64::try_from(size).unwrap_or(0),
        variants: variants_json,
    })
}

fn local_time(text: &str, tz: Tz) -> Result<DateTime<Utc>> {
    parse_local(text, tz).ok_or_else(|| Error::Invalid(format!("bad time {text}")))
}

/// A plausible view count: older articles have been read more.
fn demo_hits(n: usize, at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let days = (now - at).num_days().max(0);
    120 + days * 3 + ((n as i64 * 7919) % 400)
}

/// Demo views of article `n` on the day `days_ago`, `age` days after its publication: new
/// articles are read most, with some day-to-day variation.
fn demo_daily_views(n: usize, days_ago: i64, age: i64) -> u64 {
    let fresh = 60_i64.saturating_sub(age * 4).max(0);
    let wobble = (n as i64 * 31 + days_ago * 17) % 9;
    u64::try_from(2 + fresh + wobble).unwrap_or(0)
}

/// Turns the seed files' plain-text bodies into HTML: blank-line separated paragraphs,
/// `## ` subheads, and a `[图]` line for the figure.
fn paragraphs_to_html(text: &str, figure: Option<&image::Model>) -> String {
    let mut html = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if let Some(head) = block.strip_prefix("## ") {
            html.push_str(&format!("<h3>{}</h3>", escape(head.trim())));
        } else if block == "[图]" {
            if let Some(img) = figure {
                html.push_str(&format!(
                    r#"<figure class="figure"><img src="/media/{}" alt="{}" width="{}" height="{}" loading="lazy"><figcaption>{}<br>图片来源：{}</figcaption></figure>"#,
                    escape(&img.path),
                    escape(&img.alt),
                    img.width,
                    img.height,
                    escape(&img.caption),
                    escape(&img.credit),
                ));
            }
        } else if block.starts_with("- ") {
            html.push_str("<ul>");
            for item in block.lines().filter_map(|l| l.trim().strip_prefix("- ")) {
                html.push_str(&format!("<li>{}</li>", escape(item.trim())));
            }
            html.push_str("</ul>");
        } else {
            let joined: String = block.lines().map(str::trim).collect();
            html.push_str(&format!("<p>{}</p>", escape(&joined)));
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_file_parses_and_is_consistent() {
        let site: SiteFile = toml::from_str(SITE).unwrap();
        let slugs: Vec<_> = site.column.iter().map(|c| c.slug.as_str()).collect();
        let mut total = 0;
        for file in ARTICLES {
            let parsed: ArticleFile = toml::from_str(file).unwrap();
            for a in &parsed.article {
                assert!(slugs.contains(&a.column.as_str()), "{}", a.column);
                assert!(parse_local(&a.published, crate::time::DEFAULT_TIME_ZONE).is_some());
                let marks = a.body.lines().filter(|l| l.trim() == "[图]").count();
                assert_eq!(marks, usize::from(a.image_caption.is_some()), "{}", a.title);
                assert!(a.body.chars().count() >= 600, "{} is too short", a.title);
            }
            total += parsed.article.len();
        }
        assert!(total >= 30);
    }

    #[test]
    fn bodies_become_paragraphs_headings_and_figures() {
        let img = image::Model {
            id: 1,
            path: "demo/a.jpg".into(),
            alt: "厂房（示意图）".into(),
            caption: "厂房（示意图）".into(),
            credit: "协会".into(),
            width: 1200,
            height: 675,
            variants: "[]".into(),
            size_bytes: 0,
            mime: "image/jpeg".into(),
            created_at: Utc::now(),
        };
        let html = paragraphs_to_html(
            "第一段\n接续。\n\n## 小标题\n\n[图]\n\n<b>第二段</b>",
            Some(&img),
        );
        assert_eq!(
            html,
            "<p>第一段接续。</p><h3>小标题</h3><figure class=\"figure\"><img src=\"/media/demo/a.jpg\" alt=\"厂房（示意图）\" width=\"1200\" height=\"675\" loading=\"lazy\"><figcaption>厂房（示意图）<br>图片来源：协会</figcaption></figure><p>&lt;b&gt;第二段&lt;/b&gt;</p>"
        );
    }
}
