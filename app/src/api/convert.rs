//! From service types to wire types: formatting times in the site's zone, building URLs,
//! sanitizing HTML on the way out.

use entity::column::ColumnKind;
use entity::{article, column, image, notice, notice_attachment};
use service::article::{ArticleLink, ListItem};
use service::magazine::Issue;
use service::site::Shared;
use service::time::{format_date, format_datetime, format_short_date};

use crate::models::{
    ArticlePage, Attachment, Chrome, DatedLink, FavoriteItem, ImageView, IssueCard, LinkGroup,
    ListItemView, NavLink, NoticePage, SeoInfo, Tab,
};
use crate::ssr::share;
use crate::ssr::{RequestSite, SiteConfig};

pub fn article_href(id: i32) -> String {
    format!("/articles/{id}")
}

pub fn column_href(slug: &str) -> String {
    format!("/columns/{slug}")
}

pub fn notice_href(id: i32) -> String {
    format!("/notices/{id}")
}

pub fn issue_href(year: i32, number: i32) -> String {
    format!("/magazine/{year}/{number}")
}

pub fn media_href(path: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(crate::query::encode).collect();
    format!("/media/{}", encoded.join("/"))
}

pub fn image_view(img: &image::Model) -> ImageView {
    let variants = service::media::variants_of(img);
    let srcset = (!variants.is_empty()).then(|| {
        variants
            .iter()
            .map(|v| format!("{} {}w", media_href(&v.path), v.width))
            .chain(std::iter::once(format!(
                "{} {}w",
                media_href(&img.path),
                img.width
            )))
            .collect::<Vec<_>>()
            .join(", ")
    });
    ImageView {
        src: media_href(&img.path),
        srcset,
        alt: img.alt.clone(),
        width: img.width,
        height: img.height,
    }
}

/// A plain-text description of at most `max` characters.
pub fn describe(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

/// An article's 关键词 as `<meta name="keywords">` wants them: comma-separated, full-width
/// commas and 、 read as commas, empty ones dropped (as the editor stores them; imported or
/// older ones may not be).
pub fn keywords_of(raw: &str) -> String {
    service::editorial::normalize_keywords(raw)
}

/// Search and social metadata of a page at `path`.
pub fn seo(site: &RequestSite, title: &str, description: &str, path: &str) -> SeoInfo {
    SeoInfo {
        title: title.to_owned(),
        description: describe(description, 120),
        canonical: site.absolute(path),
        image: None,
        og_type: "website".into(),
        json_ld: None,
        feed: None,
        keywords: String::new(),
    }
}

pub fn crumbs(path: &[column::Model]) -> Vec<NavLink> {
    path.iter()
        .map(|c| NavLink {
            name: c.name.clone(),
            href: column_href(&c.slug),
        })
        .collect()
}

/// The tabs of a section: 全部 (the section itself) and its sub-columns.
pub fn tabs(section: &column::Model, children: &[column::Model], current: i32) -> Vec<Tab> {
    if children.is_empty() {
        return Vec::new();
    }
    let mut tabs = Vec::new();
    if section.kind != ColumnKind::Page {
        tabs.push(Tab {
            name: "全部".into(),
            href: column_href(&section.slug),
            current: section.id == current,
        });
    }
    tabs.extend(children.iter().map(|c| Tab {
        name: c.name.clone(),
        href: column_href(&c.slug),
        current: c.id == current,
    }));
    tabs
}

/// The chrome of every page, made from one copy of the shared site data (and kept with it:
/// the QR code alone is worth not remaking). The reader's font size is set by the caller.
pub fn chrome(site: &SiteConfig, shared: &Shared) -> Chrome {
    let settings = &shared.settings;
    let mut nav = vec![NavLink {
        name: "首页".into(),
        href: "/".into(),
    }];
    nav.extend(
        service::column::nav_sections(&shared.columns)
            .into_iter()
            .map(|c| NavLink {
                href: column_href(&c.slug),
                name: c.name,
            }),
    );
    let wechat_qr_svg = (!settings.wechat_qr_url.trim().is_empty())
        .then(|| share::qr_svg(settings.wechat_qr_url.trim(), "微信公众号二维码"))
        .flatten();
    Chrome {
        wechat_qr_svg,
        // 留言 and 留言箱 lead to the message box.
        contact_href: "/messages".into(),
        nav,
        notices: shared
            .notices
            .iter()
            .map(|n| notice_link(site, n))
            .collect(),
        link_groups: shared
            .link_groups
            .iter()
            .map(|g| LinkGroup {
                name: g.name.clone(),
                links: g
                    .links
                    .iter()
                    .map(|l| NavLink {
                        name: l.name.clone(),
                        href: l.url.clone(),
                    })
                    .collect(),
            })
            .collect(),
        footer_lines: settings
            .footer_text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        logo_url: Some(settings.logo_url.trim().to_owned()).filter(|u| !u.is_empty()),
        site_name: settings.site_name.clone(),
        site_name_en: settings.site_name_en.clone(),
        magazine_name: settings.magazine_name.clone(),
        slogan: settings.slogan.clone(),
        wechat_account: settings.wechat_account.clone(),
        qq_group: settings.qq_group.clone(),
        icp: settings.icp.clone(),
        copyright: settings.copyright.clone(),
        prefs: crate::prefs::ReaderPrefs::default(),
    }
}

pub fn notice_link(site: &SiteConfig, n: &notice::Model) -> DatedLink {
    DatedLink {
        id: n.id,
        title: n.title.clone(),
        href: notice_href(n.id),
        date: format_short_date(n.published_at, site.time_zone),
    }
}

pub fn dated(site: &SiteConfig, link: ArticleLink) -> DatedLink {
    DatedLink {
        href: article_href(link.id),
        id: link.id,
        title: link.title,
        date: format_short_date(link.published_at, site.time_zone),
    }
}

pub fn dated_item(site: &SiteConfig, item: &ListItem) -> DatedLink {
    DatedLink {
        href: article_href(item.id),
        id: item.id,
        title: item.title.clone(),
        date: format_short_date(item.published_at, site.time_zone),
    }
}

pub fn list_item(site: &SiteConfig, item: ListItem) -> ListItemView {
    ListItemView {
        href: article_href(item.id),
        id: item.id,
        date: format_short_date(item.published_at, site.time_zone),
        thumb: item.cover.as_ref().map(image_view),
        summary: describe(&item.summary, 110),
        title: item.title,
    }
}

fn size_label(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

pub fn notice_page(
    site: &SiteConfig,
    here: &RequestSite,
    n: notice::Model,
    files: Vec<notice_attachment::Model>,
) -> NoticePage {
    let body = service::html::page_body(&n.body);
    let text = service::html::strip_tags(&body);
    NoticePage {
        seo: seo(here, &n.title, &text, &notice_href(n.id)),
        id: n.id,
        published_at: format_datetime(n.published_at, site.time_zone),
        body_html: body,
        attachments: files
            .into_iter()
            .map(|f| Attachment {
                href: media_href(&f.path),
                size: size_label(f.size_bytes),
                title: f.title,
            })
            .collect(),
        title: n.title,
    }
}

pub fn issue_card(site: &SiteConfig, issue: &Issue) -> IssueCard {
    let i = &issue.issue;
    IssueCard {
        label: format!("{}年第{}期", i.year, i.number),
        total_label: if i.total_number > 0 {
            format!("总第{}期", i.total_number)
        } else {
            String::new()
        },
        theme: i.title.clone(),
        summary: i.summary.clone(),
        href: issue_href(i.year, i.number),
        year: i.year,
        cover: issue.cover.as_ref().map(image_view),
        date: format_date(i.published_at, site.time_zone),
    }
}

/// JSON for a `<script type="application/ld+json">`, safe to embed in HTML.
pub fn json_ld(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
}

#[allow(clippy::too_many_arguments)]
pub fn article_page(
    site: &SiteConfig,
    here: &RequestSite,
    site_name: &str,
    a: article::Model,
    cover: Option<image::Model>,
    columns: &[column::Model],
    prev: Option<ArticleLink>,
    next: Option<ArticleLink>,
    hits: u64,
) -> ArticlePage {
    let path = service::column::path(columns, a.column_id);
    let crumbs = crumbs(&path);
    let section_href = crumbs.first().map(|c| c.href.clone()).unwrap_or_default();
    let published = a.published_at.unwrap_or(a.created_at);
    let href = article_href(a.id);
    let url = here.absolute(&href);
    let body_html = service::html::page_body(&a.body);
    let description = if a.summary.trim().is_empty() {
        describe(&service::html::strip_tags(&body_html), 120)
    } else {
        describe(&a.summary, 120)
    };
    let image = cover.as_ref().map(|c| here.absolute(&media_href(&c.path)));
    let keywords = keywords_of(&a.keywords);
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": description,
        "datePublished": published.to_rfc3339(),
        "dateModified": a.updated_at.to_rfc3339(),
        "mainEntityOfPage": url,
        "url": url,
        "image": image.iter().collect::<Vec<_>>(),
        "author": if a.author.trim().is_empty() {
            serde_json::json!({ "@type": "Organization", "name": if a.source.is_empty() { site_name } else { a.source.as_str() } })
        } else {
            serde_json::json!({ "@type": "Person", "name": a.author })
        },
        "publisher": { "@type": "Organization", "name": site_name },
        "articleSection": path.last().map(|c| c.name.clone()).unwrap_or_default(),
        "keywords": keywords,
        "inLanguage": "zh-CN",
    });
    let seo = SeoInfo {
        title: a.title.clone(),
        description: description.clone(),
        canonical: url.clone(),
        image: image.clone(),
        og_type: "article".into(),
        json_ld: Some(json_ld(&ld)),
        feed: None,
        keywords,
    };
    ArticlePage {
        share: share::links(&url, &a.title, &description, image.as_deref()),
        seo,
        id: a.id,
        published_at: format_datetime(published, site.time_zone),
        published_iso: published.with_timezone(&site.time_zone).to_rfc3339(),
        hits,
        body_html,
        crumbs,
        section_href,
        prev: prev.map(|l| dated(site, l)),
        next: next.map(|l| dated(site, l)),
        title: a.title,
        subtitle: a.subtitle,
        source: a.source,
        author: a.author,
        summary: a.summary,
    }
}

pub fn favorite(site: &SiteConfig, link: ArticleLink) -> FavoriteItem {
    FavoriteItem {
        href: article_href(link.id),
        id: link.id,
        date: format_date(link.published_at, site.time_zone),
        title: link.title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = serde_json::json!({ "headline": "</script><script>alert(1)</script>" });
        let out = json_ld(&v);
        assert!(!out.contains("</script>"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn descriptions_are_cut_on_characters() {
        assert_eq!(describe("开发区 协会", 10), "开发区 协会");
        assert_eq!(describe("一二三四五六", 3), "一二三…");
    }

    #[test]
    fn media_paths_are_encoded_segment_by_segment() {
        assert_eq!(
            media_href("demo/回执 表.txt"),
            "/media/demo/%E5%9B%9E%E6%89%A7%20%E8%A1%A8.txt"
        );
    }

    #[test]
    fn tags_become_plain_text() {
        assert_eq!(
            service::html::strip_tags("<p>甲&amp;乙</p><p>丙</p>").trim(),
            "甲&乙  丙"
        );
    }
}
