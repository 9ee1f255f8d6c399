//! From service types to wire types: formatting times in the site's zone, building URLs,
//! sanitizing HTML on the way out.

use entity::{article, category, notice};
use service::article::ArticleLink;
use service::site::{LinkGroup as ServiceLinkGroup, Settings};
use service::time::{format_date, format_datetime, format_short_date};

use crate::models::{ArticlePage, Chrome, DatedLink, FavoriteItem, LinkGroup, NavLink};
use crate::prefs::FontSize;
use crate::server::SiteConfig;
use crate::server::share;

pub fn article_href(id: i32) -> String {
    format!("/articles/{id}")
}

pub fn column_href(slug: &str) -> String {
    format!("/columns/{slug}")
}

pub fn chrome(
    site: &SiteConfig,
    settings: Settings,
    categories: &[category::Model],
    notices: &[notice::Model],
    groups: Vec<ServiceLinkGroup>,
    font_size: FontSize,
) -> Chrome {
    let mut nav = vec![NavLink {
        name: "首页".into(),
        href: "/".into(),
    }];
    nav.extend(
        service::category::nav_sections(categories)
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
        contact_href: if settings.contact_email.trim().is_empty() {
            "/columns/contact".into()
        } else {
            format!("mailto:{}", settings.contact_email.trim())
        },
        nav,
        notices: notices
            .iter()
            .map(|n| DatedLink {
                id: n.id,
                title: n.title.clone(),
                href: format!("/notices/{}", n.id),
                date: format_short_date(n.published_at, site.time_zone),
            })
            .collect(),
        link_groups: groups
            .into_iter()
            .map(|g| LinkGroup {
                name: g.name,
                links: g
                    .links
                    .into_iter()
                    .map(|l| NavLink {
                        name: l.name,
                        href: l.url,
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
        site_name: settings.site_name,
        magazine_name: settings.magazine_name,
        slogan: settings.slogan,
        wechat_account: settings.wechat_account,
        qq_group: settings.qq_group,
        icp: settings.icp,
        copyright: settings.copyright,
        font_size,
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

pub fn article_page(
    site: &SiteConfig,
    a: article::Model,
    categories: &[category::Model],
    prev: Option<ArticleLink>,
    next: Option<ArticleLink>,
    hits: u64,
) -> ArticlePage {
    let path = service::category::path(categories, a.category_id);
    let crumbs: Vec<NavLink> = path
        .iter()
        .map(|c| NavLink {
            name: c.name.clone(),
            href: column_href(&c.slug),
        })
        .collect();
    let section_href = crumbs.first().map(|c| c.href.clone()).unwrap_or_default();
    let published = a.published_at.unwrap_or(a.created_at);
    let url = site.absolute(&article_href(a.id));
    ArticlePage {
        share: share::links(&url, &a.title, &a.summary, None),
        id: a.id,
        published_at: format_datetime(published, site.time_zone),
        published_iso: published.with_timezone(&site.time_zone).to_rfc3339(),
        hits,
        body_html: service::html::sanitize(&a.body),
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
