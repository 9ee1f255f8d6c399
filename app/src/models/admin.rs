//! Wire types of the back office: what its server functions hand to its pages and islands.
//! Plain data, serde only; times arrive already formatted in the site's time zone.

use serde::{Deserialize, Serialize};

use crate::models::ColumnChoice;
use crate::models::Pager;
pub use vocab::{ArticleStatus, ColumnKind};

// ---------- articles ----------

/// A column in a select, indented by depth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnOption {
    pub id: i32,
    pub label: String,
    /// Only list columns take articles.
    pub takes_articles: bool,
}

/// A row of the article list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: i32,
    pub title: String,
    pub column: String,
    pub status: ArticleStatus,
    /// Where its review stands (待审核, 退回修改, 修改待提交); empty when none is open.
    pub review: String,
    pub flags: Vec<String>,
    pub author: String,
    pub updated: String,
    pub published: String,
    pub hits: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleList {
    pub rows: Vec<ArticleRow>,
    pub columns: Vec<ColumnOption>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Every field the editor edits. Times are local (`2026-11-27T14:30`, site time zone).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorForm {
    pub id: Option<i32>,
    pub column_id: i32,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub summary: String,
    pub body: String,
    pub cover_image_id: Option<i32>,
    pub cover_src: Option<String>,
    pub is_headline: bool,
    pub is_recommended: bool,
    pub is_slideshow: bool,
    pub status: String,
    pub published_at: String,
}

/// An unsaved copy found for the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosaved {
    pub draft_key: String,
    /// `2026年11月27日 14:30`
    pub saved_at: String,
    pub form: EditorForm,
}

/// What the editor page starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub form: EditorForm,
    pub columns: Vec<ColumnOption>,
    /// The key autosaves of this editing session are kept under.
    pub draft_key: String,
    pub autosaved: Option<Autosaved>,
    pub revisions: usize,
    /// The public URL when the article is visible.
    pub public_href: Option<String>,
    /// The reader's submission (投稿) this article was accepted from: its code and page.
    #[serde(default)]
    pub submission: Option<(String, String)>,
    /// Where the article stands in review, when a review is open.
    #[serde(default)]
    pub review: Option<ReviewInfo>,
    /// The person's changes go through review (writers; editors when the site asks for peer
    /// review): the editor offers 保存草稿 and 提交审核 instead of a status and a time.
    #[serde(default)]
    pub reviewed: bool,
    /// 撰稿人: flags are the reviewers' to set.
    #[serde(default)]
    pub is_writer: bool,
}

/// Where an article stands in review, for the editor's notice and buttons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInfo {
    /// 待审核 / 待初审 / 待终审 / 退回修改 / 修改待提交
    pub label: String,
    /// Why it was returned.
    pub note: String,
    /// Waiting for a reviewer: its writer cannot change it.
    pub locked: bool,
    /// The form holds the waiting edit of a live article, not what readers see.
    pub editing_live: bool,
    /// For reviewers: the page where it is reviewed.
    pub review_href: Option<String>,
}

/// What saving answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveResult {
    pub id: i32,
    pub status: String,
    pub published_at: String,
    pub message: String,
    pub public_href: Option<String>,
    /// Where the article stands in review after the save.
    #[serde(default)]
    pub review: Option<ReviewInfo>,
}

/// What submitting for review answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitResult {
    pub message: String,
    /// Blocked words in the submitted version: shown to the writer, highlighted for the
    /// reviewer, never blocking.
    pub hits: Vec<String>,
    pub review: Option<ReviewInfo>,
    pub public_href: Option<String>,
}

/// What is pasted: the clipboard's HTML and, from Word, its RTF (with the pictures).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteRequest {
    pub html: String,
    #[serde(default)]
    pub rtf: String,
}

/// What pasting produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteResult {
    pub html: String,
    pub images: usize,
    pub warnings: Vec<String>,
}

/// A revision in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub id: i32,
    pub at: String,
    pub username: String,
    pub title: String,
    /// The review step that made it (提交审核, 退回修改：…); empty for a plain save.
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    pub article_id: i32,
    pub title: String,
    pub rows: Vec<RevisionRow>,
}

/// One line of a side-by-side comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub left: Option<String>,
    pub right: Option<String>,
    /// `same`, `changed`, `removed`, `added`
    pub kind: String,
}

/// A field compared between a revision and the current article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub label: String,
    pub left: String,
    pub right: String,
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub article_id: i32,
    pub title: String,
    pub revision_id: i32,
    pub revision_at: String,
    pub revision_user: String,
    pub fields: Vec<FieldDiff>,
    pub body: Vec<DiffLine>,
}

// ---------- review ----------

/// A row of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub article_id: i32,
    pub title: String,
    pub column: String,
    pub submitter: String,
    /// `2026年12月05日 14:30`
    pub submitted_at: String,
    /// 3天 / 5小时 / 刚刚
    pub waiting: String,
    /// 待审核 / 待初审 / 待终审
    pub level: String,
    /// An edit of a live article (the live version stays until approval).
    pub is_edit: bool,
    /// Blocked words in the proposal.
    pub hits: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueData {
    pub rows: Vec<QueueRow>,
    pub columns: Vec<ColumnOption>,
    pub levels: i16,
    pub first: u64,
    pub second: u64,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// One article under review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub article_id: i32,
    pub title: String,
    pub submitter: String,
    pub submitted_at: String,
    /// The level the decision is for (sent back with it).
    pub level: i16,
    /// 审核 / 初审 / 终审
    pub step: String,
    /// Who passed 初审 (at 终审).
    pub first_reviewer: String,
    /// An edit of a live article: compared with what readers see now.
    pub is_edit: bool,
    pub public_href: Option<String>,
    /// What readers see now (left) against the proposal (right); for a new article the left
    /// side is empty.
    pub fields: Vec<FieldDiff>,
    pub body: Vec<DiffLine>,
    /// The proposal's body as the page will show it, blocked words marked.
    pub preview_html: String,
    pub hits: Vec<String>,
    /// Why this reviewer cannot decide (their own submission, or they passed 初审); empty
    /// when they can.
    pub cannot_decide: String,
}

// ---------- dashboard ----------

/// A labelled number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub value: i64,
}

/// An article with its views over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopArticle {
    pub id: i32,
    pub title: String,
    pub views: i64,
}

/// The dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub by_status: Vec<Count>,
    pub views_today: i64,
    pub views_7: i64,
    pub views_30: i64,
    /// The last 30 days, oldest first: (`11-27`, views).
    pub daily: Vec<(String, i64)>,
    pub top_7: Vec<TopArticle>,
    pub top_30: Vec<TopArticle>,
    /// Scheduled articles, soonest first: (id, title, `2026年11月28日 09:00`).
    pub upcoming: Vec<(i32, String, String)>,
    /// Readers' messages waiting for a reply.
    pub messages_waiting: u64,
    /// 投稿 not yet reviewed.
    pub submissions_waiting: u64,
    /// Articles waiting for 初审 (or the only review) and for 终审.
    #[serde(default)]
    pub review_first: u64,
    #[serde(default)]
    pub review_second: u64,
    /// Two review levels are configured.
    #[serde(default)]
    pub review_levels: i16,
    /// The signed-in person's own articles in review: where each stands and why it came back.
    #[serde(default)]
    pub mine: Vec<MyReview>,
}

/// One of my articles in review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub id: i32,
    pub title: String,
    /// 待审核 / 退回修改 / 修改待提交
    pub state: String,
    /// Why it was returned.
    pub note: String,
    /// `2026年12月05日 14:30`
    pub updated: String,
}

// ---------- chrome ----------

/// A one-time message shown at the top of the next page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub ok: bool,
    pub message: String,
}

/// What every back-office page shows around its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChrome {
    pub site_name: String,
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub is_admin: bool,
    /// 撰稿人: the menu shows only their articles and pictures.
    #[serde(default)]
    pub is_writer: bool,
    /// Articles waiting for review (shown beside 待审核 in the menu; 0 for writers).
    #[serde(default)]
    pub waiting: u64,
    /// For forms and script requests: the guard checks it on every change.
    pub csrf_token: String,
    pub flash: Option<Flash>,
}

/// What the sign-in page needs (public: it is shown before signing in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginState {
    pub site_name: String,
    pub flash: Option<Flash>,
    /// No account exists yet and this request may run first-time setup.
    pub setup_available: bool,
    /// Setup would be available, but too many wrong codes closed it until a restart.
    pub setup_closed: bool,
}

// ---------- columns ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRow {
    pub id: i32,
    pub label: String,
    pub slug: String,
    pub kind: ColumnKind,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub articles: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnForm {
    pub id: Option<i32>,
    pub parent_id: Option<i32>,
    pub name: String,
    pub slug: String,
    pub kind: ColumnKind,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub parents: Vec<ColumnOption>,
}

// ---------- pages ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub column_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub updated: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForm {
    pub column_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub body: String,
}

// ---------- notices ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i32,
    pub title: String,
    pub published_at: String,
    pub is_published: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub id: Option<i32>,
    pub title: String,
    pub body: String,
    pub published_at: String,
    pub is_published: bool,
}

// ---------- magazine ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: i32,
    pub label: String,
    pub title: String,
    pub published_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocRow {
    pub id: i32,
    pub section: String,
    pub article_id: i32,
    pub title: String,
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueForm {
    pub id: Option<i32>,
    pub year: i32,
    pub number: i32,
    pub total_number: i32,
    pub title: String,
    pub summary: String,
    pub cover_image_id: Option<i32>,
    pub cover_src: Option<String>,
    pub published_at: String,
    pub toc: Vec<TocRow>,
}

// ---------- links ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    pub id: i32,
    pub name: String,
    pub url: String,
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkGroupRow {
    pub id: i32,
    pub name: String,
    pub sort_order: i32,
    pub links: Vec<LinkRow>,
}

// ---------- media ----------

/// An image in the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    pub id: i32,
    pub src: String,
    /// The smallest variant, for thumbnails.
    pub thumb: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: i32,
    pub height: i32,
    pub size: String,
    pub variants: usize,
    pub uploaded: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaList {
    pub items: Vec<MediaItem>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

// ---------- messages ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i32,
    pub code: String,
    pub subject: String,
    pub name: String,
    pub received_at: String,
    pub status: String,
    pub wants_public: bool,
}

/// One tab of the queue: its filter code, label and count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueTab {
    pub code: String,
    pub label: String,
    pub count: u64,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageQueue {
    pub tabs: Vec<QueueTab>,
    pub rows: Vec<MessageRow>,
    pub pager: Pager,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDetail {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub content: String,
    pub wants_public: bool,
    pub status: String,
    pub is_spam: bool,
    pub is_replied: bool,
    pub is_published: bool,
    pub reply: String,
    pub replied: String,
    pub received_at: String,
}

// ---------- submissions ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionRow {
    pub id: i32,
    pub code: String,
    pub title: String,
    pub name: String,
    pub organization: String,
    pub received_at: String,
    pub files: u64,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionQueue {
    pub tabs: Vec<QueueTab>,
    pub rows: Vec<SubmissionRow>,
    pub pager: Pager,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionFileRow {
    pub name: String,
    pub kind: String,
    pub size: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionDetail {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub organization: String,
    pub phone: String,
    pub email: String,
    pub title: String,
    pub suggested_column: Option<ColumnChoice>,
    pub content: String,
    pub files: Vec<SubmissionFileRow>,
    pub status: String,
    pub can_accept: bool,
    pub can_reject: bool,
    pub is_spam: bool,
    pub reason: String,
    pub handled: String,
    /// The draft it became.
    pub article_href: Option<String>,
    pub received_at: String,
    /// Columns a draft may be filed under.
    pub columns: Vec<ColumnChoice>,
}

// ---------- audit ----------

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub object: String,
    pub summary: String,
    pub ip: String,
}

/// A page of the audit log with the filter menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditList {
    pub rows: Vec<AuditRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// Action codes with their Chinese names, for the filter menu.
    pub actions: Vec<(String, String)>,
    /// Object types with their Chinese names, for the filter menu.
    pub object_types: Vec<(String, String)>,
}

// ---------- sys ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    pub site_name: String,
    pub magazine_name: String,
    pub slogan: String,
    pub wechat_account: String,
    pub wechat_qr_url: String,
    pub qq_group: String,
    pub contact_email: String,
    pub footer_text: String,
    pub icp: String,
    pub copyright: String,
    pub logo_url: String,
    pub blocked_words: String,
    pub max_links: String,
    #[serde(default)]
    pub review_writers: String,
    #[serde(default)]
    pub review_levels: String,
    #[serde(default)]
    pub review_editors: String,
    #[serde(default)]
    pub review_mail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// `admin`, `editor` or `writer`.
    #[serde(default)]
    pub role: String,
    pub is_active: bool,
    /// Where review notices reach them.
    #[serde(default)]
    pub email: String,
    pub last_login: String,
    pub is_me: bool,
}
