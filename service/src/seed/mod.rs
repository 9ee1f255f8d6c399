//! Original demo content for a fresh database: the portal's sections and columns, articles
//! (some with locally drawn illustrations), notices, footer link groups and site settings.

mod images;
mod steps;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::article::ArticleStatus;
use entity::{
    article, column, image, link, link_group, magazine_issue, magazine_issue_article, notice,
    notice_attachment, page,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use serde::Deserialize;

use crate::db::Db;
use crate::html::escape;
use crate::site::{self, SiteSettings};
use crate::storage::Store;
use crate::time::parse_local;
use crate::{Error, Result};
use steps::{
    seed_article, seed_columns, seed_issue, seed_links, seed_notices, seed_pages, seed_settings,
    write_columns, write_pages,
};

const SITE: &str = include_str!("content/site.toml");
const PAGES: &str = include_str!("content/pages.toml");
const MAGAZINE: &str = include_str!("content/magazine.toml");
const STARTER: &str = include_str!("content/starter.toml");
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

/// True when the main site holds no content yet (no columns).
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool> {
    // The main site's: a member site made before the first start has its own starter columns.
    Ok(column::Entity::find()
        .filter(column::Column::SiteId.eq(crate::site::MAIN))
        .count(db)
        .await?
        == 0)
}

/// The demo content files, parsed.
struct DemoFiles {
    site: SiteFile,
    articles: Vec<ArticleSeed>,
    pages: PagesFile,
    magazine: MagazineFile,
}

fn parse_files() -> Result<DemoFiles> {
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
    Ok(DemoFiles {
        site,
        articles,
        pages,
        magazine,
    })
}

/// Where seeding stands: the transaction, what was made so far and what it is called.
struct Seeding<'a> {
    txn: &'a DatabaseTransaction,
    /// The site the content is for.
    site: i32,
    media: &'a Store,
    tz: Tz,
    now: DateTime<Utc>,
    report: SeedReport,
    column_ids: HashMap<String, i32>,
    article_ids: HashMap<String, i32>,
}

/// Seeds the demo content if the database is empty; returns `None` when it already had
/// content. Images are drawn into `demo/` of the media store. Everything in the database is
/// written in one transaction.
pub async fn seed_demo(db: &Db, media: &Store, tz: Tz) -> Result<Option<SeedReport>> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    let mut files = parse_files()?;
    let txn = db.begin().await?;
    let mut s = Seeding {
        txn: &txn,
        site: crate::site::MAIN,
        media,
        tz,
        now: Utc::now(),
        report: SeedReport::default(),
        column_ids: HashMap::new(),
        article_ids: HashMap::new(),
    };
    let settings = seed_settings(&s, std::mem::take(&mut files.site.settings)).await?;
    seed_columns(&mut s, &files.site.column).await?;
    seed_links(&mut s, &files.site.link_group).await?;
    seed_notices(&mut s, &files.site.notice).await?;
    seed_pages(&mut s, &files.pages.page).await?;
    // Oldest first, so ids follow publication order.
    files.articles.sort_by(|a, b| a.published.cmp(&b.published));
    for (n, a) in files.articles.iter().enumerate() {
        seed_article(&mut s, n, a).await?;
    }
    for (k, issue) in files.magazine.issue.iter().enumerate() {
        seed_issue(&mut s, &settings, k, issue).await?;
    }
    let report = s.report;
    crate::listing::rebuild_all(&txn).await?;
    crate::search::index_all(&txn).await?;
    txn.commit().await?;
    Ok(Some(report))
}

/// What a new site starts with (`content/starter.toml`).
#[derive(Deserialize)]
struct StarterFile {
    column: Vec<ColumnSeed>,
    page: Vec<PageSeed>,
}

/// Gives a new, empty site `site` called `name` what its pages need before its staff fill
/// it in: its settings (its name, the rest empty), a small column tree (the `news` and
/// `services` sections the home page shows, 通知公告, and the pages the reader forms link
/// to) with short placeholder pages, all searchable. Part of the caller's transaction.
pub async fn starter(txn: &DatabaseTransaction, site: i32, name: &str) -> Result<()> {
    let file: StarterFile =
        toml::from_str(STARTER).map_err(|e| Error::Invalid(format!("starter.toml: {e}")))?;
    let settings = SiteSettings {
        site_name: name.to_owned(),
        site_name_en: String::new(),
        magazine_name: String::new(),
        copyright: format!("版权所有 © {name}"),
        ..SiteSettings::default()
    };
    site::save_settings_of(txn, site, &settings).await?;
    let now = Utc::now();
    let ids = write_columns(txn, site, now, &file.column).await?;
    write_pages(txn, now, &ids, &file.page).await?;
    for p in page::Entity::find()
        .filter(page::Column::ColumnId.is_in(ids.values().copied()))
        .all(txn)
        .await?
    {
        crate::search::index(txn, &crate::search::Doc::page(&p, site)).await?;
    }
    Ok(())
}

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
            site_id: Some(1),
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
