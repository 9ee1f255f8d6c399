//! Wire types: what server functions hand to pages and islands. Plain data, serde only;
//! never database entities. Times arrive already formatted in the site's time zone.

use serde::{Deserialize, Serialize};

pub mod admin;

use crate::prefs::ReaderPrefs;

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
    /// Under the name in the header; empty shows none.
    pub site_name_en: String,
    /// The header logo's address; `None` shows the built-in emblem.
    pub logo_url: Option<String>,
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
    pub prefs: ReaderPrefs,
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
    pub seo: SeoInfo,
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

/// An image as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    pub src: String,
    /// The WebP variants and the original, for `srcset` (`None` when there are no variants).
    pub srcset: Option<String>,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// What every page puts in its `<head>` for search engines and social cards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeoInfo {
    pub title: String,
    pub description: String,
    /// Absolute.
    pub canonical: String,
    /// Absolute URL of the page's picture, if any.
    pub image: Option<String>,
    /// `article` or `website`.
    pub og_type: String,
    /// JSON-LD to embed, already serialized.
    pub json_ld: Option<String>,
    /// Absolute URL of the page's RSS feed, if it has one.
    pub feed: Option<String>,
    /// `园区,建设` (an article's 关键词), or empty.
    pub keywords: String,
}

/// An article in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItemView {
    pub id: i32,
    pub title: String,
    pub href: String,
    pub summary: String,
    /// `2020-12-29`
    pub date: String,
    pub thumb: Option<ImageView>,
}

/// A tab of a section's sub-columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tab {
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// Numbered pagination of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pager {
    /// From 1.
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// The list's URL without `page=` (it may carry other parameters).
    pub base: String,
}

impl Pager {
    /// Page `page` (from 1; 0 reads as 1) of a list of `total` items, `per_page` to a page,
    /// whose address without `page=` is `base`.
    pub fn new(page: u64, total: u64, per_page: u64, base: impl Into<String>) -> Self {
        Self {
            page: page.max(1),
            pages: Self::pages_for(total, per_page),
            total,
            base: base.into(),
        }
    }

    /// How many pages `total` items fill, `per_page` to a page: at least one, so that an
    /// empty list still has its first page.
    pub fn pages_for(total: u64, per_page: u64) -> u64 {
        total.div_ceil(per_page.max(1)).max(1)
    }

    /// Whether the page asked for is one of the list's pages (a later one is a 404).
    pub fn exists(&self) -> bool {
        self.page <= self.pages
    }

    /// The URL of page `n`: the base for page 1, `?page=n` otherwise.
    pub fn href(&self, n: u64) -> String {
        if n <= 1 {
            self.base.clone()
        } else {
            let joiner = if self.base.contains('?') { '&' } else { '?' };
            format!("{}{joiner}page={n}", self.base)
        }
    }
}

/// A single page's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinglePage {
    pub title: String,
    pub body_html: String,
    /// `2020年12月29日`
    pub updated: String,
    /// What the page invites readers to do (the 投稿 instructions lead to the form).
    #[serde(default)]
    pub submit_form: bool,
}

/// A magazine issue as a card (archive, home page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueCard {
    /// `2026年第11期`
    pub label: String,
    /// `总第371期`
    pub total_label: String,
    pub theme: String,
    pub summary: String,
    pub href: String,
    pub year: i32,
    pub cover: Option<ImageView>,
    pub date: String,
}

/// What a column page shows, by the column's kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnBody {
    /// A list of articles; `pictures` shows thumbnails in a grid.
    List {
        items: Vec<ListItemView>,
        pager: Pager,
        pictures: bool,
    },
    /// A single page, with the sibling pages as a side menu.
    Single { page: SinglePage },
    /// The magazine: issues by year.
    Magazine { issues: Vec<IssueCard> },
    /// 通知公告.
    Notices { items: Vec<DatedLink>, pager: Pager },
}

/// A column (栏目) page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnPage {
    pub name: String,
    pub description: String,
    pub crumbs: Vec<NavLink>,
    pub section_href: String,
    /// The section's sub-columns (empty when it has none).
    pub tabs: Vec<Tab>,
    pub body: ColumnBody,
    pub seo: SeoInfo,
}

/// A notice with its attachments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePage {
    pub id: i32,
    pub title: String,
    /// `2020年12月29日 11:06`
    pub published_at: String,
    pub body_html: String,
    pub attachments: Vec<Attachment>,
    pub seo: SeoInfo,
}

/// A downloadable file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    pub href: String,
    /// `1.2 KB`
    pub size: String,
}

/// A magazine issue with its table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuePage {
    pub card: IssueCard,
    pub sections: Vec<TocSection>,
    pub seo: SeoInfo,
}

/// A section of a table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocSection {
    pub name: String,
    pub entries: Vec<DatedLink>,
}

/// A slide of the home page's 图片新闻.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slide {
    pub title: String,
    pub href: String,
    pub image: ImageView,
}

/// A block of the home page: a column's newest titles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeBlock {
    pub name: String,
    pub href: String,
    pub items: Vec<DatedLink>,
}

/// The home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomePage {
    pub slides: Vec<Slide>,
    pub headline: Option<ListItemView>,
    pub recommended: Vec<DatedLink>,
    pub notices: Vec<DatedLink>,
    pub blocks: Vec<HomeBlock>,
    pub magazine: Option<IssueCard>,
    pub services: HomeBlock,
    pub service_pages: Vec<NavLink>,
    pub seo: SeoInfo,
}

/// An answered message shown on `/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicMessage {
    pub subject: String,
    /// The name the reader gave (never a contact detail).
    pub name: String,
    /// `2020年12月29日 11:06`
    pub asked_at: String,
    pub content: String,
    pub reply: String,
    pub replied_at: String,
}

/// A problem with one field of a reader's form, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// What every reader form carries besides its own fields: its signed token, the question
/// when one is asked, and what a refused post says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormStatus {
    /// The signed form token (time served and the question).
    pub token: String,
    /// The arithmetic question, when the form asks it.
    pub question: Option<String>,
    /// A message for the top of the form.
    pub notice: Option<String>,
    pub problems: Vec<FieldProblem>,
}

impl FormStatus {
    /// The problems with `field`, joined.
    pub fn problem(&self, field: &str) -> Option<String> {
        let all: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect();
        (!all.is_empty()).then(|| all.join("；"))
    }

    /// Whether the form comes back refused (a notice or a field's problem).
    pub fn refused(&self) -> bool {
        self.notice.is_some() || !self.problems.is_empty()
    }
}

/// A reader form's state (留言 or 投稿): its fields and its [`FormStatus`].
pub trait ReaderFormState: Clone + Send + Sync + 'static {
    fn status_mut(&mut self) -> &mut FormStatus;
}

/// The 留言 form as the reader sees it: empty, or their text back with the problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFormState {
    pub status: FormStatus,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub content: String,
    pub wants_public: bool,
    pub consent: bool,
}

impl ReaderFormState for MessageFormState {
    fn status_mut(&mut self) -> &mut FormStatus {
        &mut self.status
    }
}

/// `/messages`: the answered public messages and the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesPage {
    pub items: Vec<PublicMessage>,
    pub pager: Pager,
    pub form: MessageFormState,
    /// The personal-information notice.
    pub privacy_href: String,
    pub max_content: usize,
    pub seo: SeoInfo,
}

/// What tracking found for the reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedMessage {
    pub code: String,
    pub subject: String,
    pub content: String,
    pub asked_at: String,
    /// 待答复 / 已答复 …
    pub status: String,
    /// The reply, shown to the reader even when it is not public.
    pub reply: Option<String>,
    pub replied_at: Option<String>,
    pub is_published: bool,
}

/// A tracking page (`/messages/track`, `/submit/track`): the form, and what it found (a
/// [`TrackedMessage`] or a [`TrackedSubmission`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackPage<T> {
    pub code: String,
    pub contact: String,
    /// Just sent: this is the new item's receipt.
    pub is_new: bool,
    pub found: Option<T>,
    /// Nothing matched, the form was incomplete, or too many tries.
    pub notice: Option<String>,
    pub seo: SeoInfo,
}

impl<T> Default for TrackPage<T> {
    fn default() -> Self {
        Self {
            code: String::new(),
            contact: String::new(),
            is_new: false,
            found: None,
            notice: None,
            seo: SeoInfo::default(),
        }
    }
}

/// The 投稿 form as the reader sees it: empty, or their text back with the problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionFormState {
    pub status: FormStatus,
    pub name: String,
    pub organization: String,
    pub phone: String,
    pub email: String,
    pub title: String,
    /// The suggested column's id, as the form sends it.
    pub column: String,
    pub content: String,
    pub consent: bool,
    /// The files the reader had chosen; a browser cannot be given them back, so the page
    /// names them and asks for them again.
    pub files_to_choose_again: Vec<String>,
}

impl ReaderFormState for SubmissionFormState {
    fn status_mut(&mut self) -> &mut FormStatus {
        &mut self.status
    }
}

/// A column a manuscript may be suggested for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnChoice {
    pub id: i32,
    pub name: String,
}

/// `/submit`: the 投稿 form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPage {
    pub form: SubmissionFormState,
    pub columns: Vec<ColumnChoice>,
    /// The instructions (投稿须知).
    pub guide_href: String,
    pub privacy_href: String,
    pub max_content: usize,
    pub max_files: usize,
    pub max_file_mb: usize,
    pub max_total_mb: usize,
    pub seo: SeoInfo,
}

/// What tracking found of a submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedSubmission {
    pub code: String,
    pub title: String,
    pub sent_at: String,
    /// 已收到，待审阅 / 已采用 / 未采用
    pub status: String,
    /// Why it was not accepted.
    pub reason: Option<String>,
    pub files: Vec<String>,
}

/// A stretch of a search result's title or snippet; `mark` is a searched word.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marked {
    pub text: String,
    pub mark: bool,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub href: String,
    /// 通知公告 or 单页 for what is not an article.
    pub label: Option<String>,
    /// The column's name (empty for notices).
    pub column: String,
    pub date: String,
    pub title: Vec<Marked>,
    pub snippet: Vec<Marked>,
}

/// A column the results can be narrowed to (`value` is its slug).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchColumn {
    pub value: String,
    pub name: String,
    /// Nesting depth, for indenting the choice.
    pub depth: usize,
}

/// The search form as the reader filled it in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchForm {
    pub q: String,
    pub column: String,
    /// `YYYY-MM-DD`
    pub from: String,
    pub to: String,
    pub sort: vocab::SearchSort,
}

/// `/search`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub seo: SeoInfo,
    pub form: SearchForm,
    pub columns: Vec<SearchColumn>,
    /// The words searched for; empty when there was no query.
    pub words: Vec<String>,
    /// The query was cut to its first 64 characters or 8 words.
    pub cut: bool,
    /// A filter could not be read (a date, a column); it was left out.
    pub notes: Vec<String>,
    pub total: u64,
    /// More than `total` documents match.
    pub more: bool,
    pub results: Vec<SearchResult>,
    pub pager: Option<Pager>,
    /// For a query that found nothing: (query with a word left out, its URL, results).
    pub fewer: Vec<(String, String, u64)>,
}
