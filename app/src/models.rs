//! Wire types: what server functions hand to pages and islands. Plain data, serde only;
//! never database entities. Times arrive already formatted in the site's time zone.

use serde::{Deserialize, Serialize};

use crate::prefs::FontSize;

/// A link with its visible text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavLink {
    pub name: String,
    pub href: String,
}

/// A footer link group: 政府部门, 行业协会, 新闻媒体, 友情链接.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkGroup {
    pub name: String,
    pub links: Vec<NavLink>,
}

/// A dated entry in a list (notice, article link).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedLink {
    pub id: i32,
    pub title: String,
    pub href: String,
    /// `2020-12-29`
    pub date: String,
}

/// What every page shows around its content: header, navigation, notices, footer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chrome {
    pub site_name: String,
    pub magazine_name: String,
    pub slogan: String,
    pub wechat_account: String,
    /// Inline SVG of the WeChat account's QR code, generated on the server.
    pub wechat_qr_svg: Option<String>,
    pub qq_group: String,
    pub contact_href: String,
    /// Top navigation: 首页 and the sections.
    pub nav: Vec<NavLink>,
    pub notices: Vec<DatedLink>,
    pub link_groups: Vec<LinkGroup>,
    pub footer_lines: Vec<String>,
    pub icp: String,
    pub copyright: String,
    /// The reader's font size, from their cookie.
    pub font_size: FontSize,
}

/// Share targets of a page, every value already percent-encoded into the URLs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLinks {
    pub url: String,
    pub weibo: String,
    pub qq: String,
    pub qzone: String,
    /// Inline SVG of the page URL's QR code (for WeChat).
    pub qr_svg: String,
}

/// Everything the article page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub id: i32,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub summary: String,
    /// `2020年12月29日 11:06`
    pub published_at: String,
    /// RFC 3339, for `<time datetime>`.
    pub published_iso: String,
    pub hits: u64,
    /// Sanitized HTML.
    pub body_html: String,
    /// 当前位置: the column path, top section first.
    pub crumbs: Vec<NavLink>,
    /// Index into the navigation of the article's section (for highlighting).
    pub section_href: String,
    pub prev: Option<DatedLink>,
    pub next: Option<DatedLink>,
    pub share: ShareLinks,
}

/// One entry of 我的收藏.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FavoriteItem {
    pub id: i32,
    pub title: String,
    pub href: String,
    /// `2020年12月29日`
    pub date: String,
}
