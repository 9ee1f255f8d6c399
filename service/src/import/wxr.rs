//! WordPress from its own export file (WXR, "WordPress eXtended RSS", versions 1.0 to
//! 1.2, as `wp-admin/includes/export.php` writes it): categories become the column tree,
//! posts the articles (their first, deepest category the column; tags the keywords; the
//! featured image the cover; sticky ones 头条), pages the single pages, attachments the
//! pictures. Namespaces are matched by what they are, not by a fixed prefix or version.
//!
//! Old addresses kept: each item's permalink (`<link>`), `/?p=N` and `/?page_id=N`; each
//! category's `/?cat=N`, `/category/{path}/` and its later list pages.
//!
//! The file is streamed twice (everything but the posts' bodies, then those), never held
//! whole: each element's text is bounded, and a broken file is refused naming its line.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Reader, Skip};

/// The most one element (a post's content, say) may hold.
const MAX_TEXT: usize = 32 << 20;
/// The most bytes read for one XML event before it is refused.
const MAX_EVENT: u64 = 40 << 20;
/// Posts per list page assumed for the old category pages (WordPress's default).
const LIST_PAGE_SIZE: usize = 10;
/// The most list pages of one category given a redirect.
const MAX_LIST_PAGES: usize = 2_000;

pub struct Wxr {
    source: PathBuf,
    tz: Tz,
    /// Ids of the posts the catalog took, for the bodies pass.
    posts: HashSet<String>,
}

impl Wxr {
    pub fn new(options: &Options) -> Wxr {
        Wxr {
            source: options.source.clone(),
            tz: options.time_zone,
            posts: HashSet::new(),
        }
    }
}

/// A namespace, by what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    /// No namespace: RSS's own elements.
    Rss,
    /// `http://wordpress.org/export/1.x/`
    Wp,
    /// `http://wordpress.org/export/1.x/excerpt/`
    Excerpt,
    /// `http://purl.org/rss/1.0/modules/content/`
    Content,
    /// `http://purl.org/dc/elements/1.1/`
    Dc,
    Other,
}

impl Ns {
    fn of(r: &ResolveResult) -> Ns {
        match r {
            ResolveResult::Unbound => Ns::Rss,
            ResolveResult::Bound(ns) => {
                let uri = String::from_utf8_lossy(ns.as_ref()).to_ascii_lowercase();
                let uri = uri.trim_end_matches('/');
                if let Some(rest) = uri
                    .strip_prefix("http://wordpress.org/export/")
                    .or_else(|| uri.strip_prefix("https://wordpress.org/export/"))
                {
                    if rest.ends_with("/excerpt") {
                        Ns::Excerpt
                    } else {
                        Ns::Wp
                    }
                } else if uri == "http://purl.org/rss/1.0/modules/content" {
                    Ns::Content
                } else if uri == "http://purl.org/dc/elements/1.1" {
                    Ns::Dc
                } else {
                    Ns::Other
                }
            }
            ResolveResult::Unknown(_) => Ns::Other,
        }
    }
}

/// A category or tag of the channel.
#[derive(Clone, Debug, Default, PartialEq)]
struct Term {
    id: String,
    slug: String,
    parent: String,
    name: String,
    description: String,
}

/// One `<item>`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Item {
    title: String,
    link: String,
    guid: String,
    creator: String,
    content: String,
    excerpt: String,
    id: String,
    date: String,
    date_gmt: String,
    status: String,
    parent: String,
    post_type: String,
    sticky: bool,
    menu_order: i32,
    attachment_url: String,
    /// (domain, nicename, name)
    terms: Vec<(String, String, String)>,
    meta: Vec<(String, String)>,
}

impl Item {
    fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
    }
}

/// What the channel holds, as it comes.
#[derive(Debug)]
enum Found {
    Site(String),
    Author { login: String, name: String },
    Category(Term),
    Item(Box<Item>),
}

/// Counts the bytes read since the last event, so one element can never take more than
/// [`MAX_EVENT`] of memory.
struct Bounded<R> {
    inner: R,
    since: Arc<AtomicU64>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.since.fetch_add(n as u64, Ordering::Relaxed) + n as u64 > MAX_EVENT {
            return Err(std::io::Error::other(format!(
                "一个元素超过 {} MB",
                MAX_EVENT >> 20
            )));
        }
        Ok(n)
    }
}

/// Not WXR at all: said the same wherever it is found.
const NOT_WXR: &str = "这不是 WordPress 导出文件（WXR）：没有 <rss> 根元素或 WordPress 导出的命名空间（http://wordpress.org/export/…）。请在 WordPress 后台“工具 → 导出”中导出“所有内容”";

/// What the reader is in the middle of.
#[derive(Default)]
struct State {
    /// The open elements: (namespace, local name).
    stack: Vec<(Ns, String)>,
    text: String,
    item: Option<Item>,
    term: Option<Term>,
    author: (String, String),
    meta: (String, String),
    category: (String, String),
    is_wxr: bool,
    rss: bool,
    items: u64,
    /// Keep the posts' content (otherwise only the pages').
    bodies: bool,
}

/// What to do after an element ends.
enum Next {
    Go,
    Stop,
}

impl State {
    /// An element starts; `attr` reads one of its attributes.
    fn start(
        &mut self,
        ns: Ns,
        name: String,
        attr: &dyn Fn(&[u8]) -> String,
    ) -> Result<(), String> {
        self.text.clear();
        match (ns, name.as_str(), self.stack.len()) {
            (Ns::Rss, "rss", 0) => self.rss = true,
            (_, _, 0) => return Err(NOT_WXR.into()),
            (Ns::Rss, "item", _) => {
                self.items += 1;
                self.item = Some(Item::default());
            }
            (Ns::Wp, "category" | "term", _) if self.item.is_none() => {
                self.term = Some(Term::default());
            }
            (Ns::Rss, "category", _) if self.item.is_some() => {
                self.category = (attr(b"domain"), attr(b"nicename"));
            }
            _ => {}
        }
        if ns == Ns::Wp {
            self.is_wxr = true;
        }
        self.stack.push((ns, name));
        Ok(())
    }

    fn end(&mut self, each: &mut dyn FnMut(Found) -> bool) -> Result<Next, String> {
        let Some((ns, name)) = self.stack.pop() else {
            return Err("多余的结束标记".into());
        };
        let value = std::mem::take(&mut self.text);
        let found = if self.item.is_some() {
            self.end_in_item(ns, &name, value)
        } else if self.term.is_some() {
            self.end_in_term(ns, &name, value)
        } else {
            self.end_in_channel(ns, &name, value)
        };
        Ok(match found.map(each) {
            Some(false) => Next::Stop,
            _ => Next::Go,
        })
    }

    fn end_in_item(&mut self, ns: Ns, name: &str, value: String) -> Option<Found> {
        let it = self.item.as_mut()?;
        let trimmed = || value.trim().to_owned();
        match (ns, name) {
            (Ns::Rss, "item") => {
                let mut done = self.item.take()?;
                if !self.bodies && done.post_type != "page" {
                    done.content = String::new();
                }
                return Some(Found::Item(Box::new(done)));
            }
            (Ns::Rss, "title") => it.title = trimmed(),
            (Ns::Rss, "link") => it.link = trimmed(),
            (Ns::Rss, "guid") => it.guid = trimmed(),
            (Ns::Rss, "category") => {
                let (domain, nicename) = std::mem::take(&mut self.category);
                it.terms.push((domain, nicename, trimmed()));
            }
            (Ns::Dc, "creator") => it.creator = trimmed(),
            // A post's content is dropped at once when not wanted (its type comes later
            // in the item, so only a known post's is).
            (Ns::Content, "encoded")
                if self.bodies || it.post_type.is_empty() || it.post_type == "page" =>
            {
                it.content = value
            }
            (Ns::Excerpt, "encoded") => it.excerpt = trimmed(),
            (Ns::Wp, "post_id") => it.id = trimmed(),
            (Ns::Wp, "post_date") => it.date = trimmed(),
            (Ns::Wp, "post_date_gmt") => it.date_gmt = trimmed(),
            (Ns::Wp, "status") => it.status = trimmed(),
            (Ns::Wp, "post_parent") => it.parent = trimmed(),
            (Ns::Wp, "post_type") => it.post_type = trimmed(),
            (Ns::Wp, "is_sticky") => it.sticky = value.trim() == "1",
            (Ns::Wp, "menu_order") => it.menu_order = value.trim().parse().unwrap_or(0),
            (Ns::Wp, "attachment_url") => it.attachment_url = trimmed(),
            (Ns::Wp, "meta_key") => self.meta.0 = trimmed(),
            (Ns::Wp, "meta_value") => self.meta.1 = value,
            (Ns::Wp, "postmeta") => it.meta.push(std::mem::take(&mut self.meta)),
            _ => {}
        }
        None
    }

    fn end_in_term(&mut self, ns: Ns, name: &str, value: String) -> Option<Found> {
        let t = self.term.as_mut()?;
        let value = value.trim().to_owned();
        match (ns, name) {
            (Ns::Wp, "category") => return self.term.take().map(Found::Category),
            // Categories come as <wp:category> too; other taxonomies are not columns.
            (Ns::Wp, "term") => self.term = None,
            (Ns::Wp, "term_id") => t.id = value,
            (Ns::Wp, "category_nicename") => t.slug = value,
            (Ns::Wp, "category_parent") => t.parent = value,
            (Ns::Wp, "cat_name") => t.name = value,
            (Ns::Wp, "category_description") => t.description = value,
            _ => {}
        }
        None
    }

    fn end_in_channel(&mut self, ns: Ns, name: &str, value: String) -> Option<Found> {
        let in_channel = matches!(self.stack.last(), Some((Ns::Rss, p)) if p == "channel");
        let value = value.trim().to_owned();
        match (ns, name) {
            (Ns::Wp, "base_site_url" | "base_blog_url") => return Some(Found::Site(value)),
            (Ns::Rss, "link") if in_channel => return Some(Found::Site(value)),
            (Ns::Wp, "author_login") => self.author.0 = value,
            (Ns::Wp, "author_display_name") => self.author.1 = value,
            (Ns::Wp, "author") => {
                let (login, name) = std::mem::take(&mut self.author);
                return Some(Found::Author { login, name });
            }
            _ => {}
        }
        None
    }
}

/// The text of a reference (`&amp;`, `&#27700;`): only XML's own and characters; a
/// document may declare no others (see the DOCTYPE refusal).
fn reference(g: &quick_xml::events::BytesRef) -> Result<String, String> {
    let resolved = match g.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        Ok(None) => g.decode().ok().and_then(|name| {
            quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
        }),
        Err(_) => None,
    };
    resolved.ok_or_else(|| {
        format!(
            "未知的实体 &{};",
            String::from_utf8_lossy(g.as_ref())
                .chars()
                .take(40)
                .collect::<String>()
        )
    })
}

/// Streams `source`, calling `each` with what it finds; stops when `each` says false.
/// `bodies`: keep the posts' content (otherwise only the pages' is kept).
fn read(
    source: impl Read,
    line_of: &dyn Fn(u64) -> u64,
    bodies: bool,
    each: &mut dyn FnMut(Found) -> bool,
) -> Result<(), ImportError> {
    let since = Arc::new(AtomicU64::new(0));
    let input = BufReader::new(Bounded {
        inner: source,
        since: since.clone(),
    });
    let mut r = quick_xml::reader::NsReader::from_reader(input);
    r.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut st = State {
        bodies,
        ..Default::default()
    };
    let fail = |r: &quick_xml::reader::NsReader<_>, why: String, items: u64| -> ImportError {
        if why == NOT_WXR {
            return ImportError::Source(why);
        }
        let line = line_of(r.error_position().max(r.buffer_position()));
        ImportError::Source(format!(
            "WordPress 导出文件第 {line} 行（第 {items} 个条目附近）：{why}"
        ))
    };
    loop {
        since.store(0, Ordering::Relaxed);
        let (ns, event) = match r.read_resolved_event_into(&mut buf) {
            Ok((ns, event)) => (Ns::of(&ns), event),
            Err(e) => return Err(fail(&r, format!("XML 格式错误（{e}）"), st.items)),
        };
        let step = match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attr = |key: &[u8]| {
                    e.try_get_attribute(key)
                        .ok()
                        .flatten()
                        .and_then(|a| {
                            a.decoded_and_normalized_value(
                                quick_xml::XmlVersion::Implicit1_0,
                                r.decoder(),
                            )
                            .ok()
                        })
                        .map(|v| v.into_owned())
                        .unwrap_or_default()
                };
                st.start(ns, name, &attr).map(|()| Next::Go)
            }
            Event::Text(t) => t
                .xml10_content()
                .map_err(|e| format!("文字编码错误（{e}）"))
                .and_then(|s| push_text(&mut st.text, &s))
                .map(|()| Next::Go),
            Event::CData(t) => t
                .decode()
                .map_err(|e| format!("文字编码错误（{e}）"))
                .and_then(|s| push_text(&mut st.text, &s))
                .map(|()| Next::Go),
            Event::GeneralRef(g) => reference(&g)
                .and_then(|s| push_text(&mut st.text, &s))
                .map(|()| Next::Go),
            Event::End(_) => st.end(each),
            // An empty element says nothing, unless it is the only one.
            Event::Empty(_) if st.stack.is_empty() => Err(NOT_WXR.into()),
            Event::DocType(_) => {
                Err("文件带有 DOCTYPE 声明；WordPress 导出文件不会有，出于安全不予读取".into())
            }
            Event::Eof => break,
            _ => Ok(Next::Go),
        };
        match step {
            Ok(Next::Go) => {}
            Ok(Next::Stop) => return Ok(()),
            Err(why) => return Err(fail(&r, why, st.items)),
        }
        buf.clear();
    }
    if !st.stack.is_empty() || st.item.is_some() {
        return Err(fail(
            &r,
            "文件在中途结束（导出文件不完整，请重新导出）".into(),
            st.items,
        ));
    }
    if !st.rss || !st.is_wxr {
        return Err(ImportError::Source(NOT_WXR.into()));
    }
    Ok(())
}

fn push_text(text: &mut String, s: &str) -> Result<(), String> {
    if text.len() + s.len() > MAX_TEXT {
        return Err(format!("一个元素的内容超过 {} MB", MAX_TEXT >> 20));
    }
    text.push_str(s);
    Ok(())
}

/// The line of byte `offset` of the (possibly compressed) source, counted again from the
/// start: only when a message needs it.
fn line_at(path: &std::path::Path, offset: u64) -> u64 {
    let Ok(source) = super::open(path) else {
        return 0;
    };
    let mut input = BufReader::new(source.take(offset));
    let mut line = 1u64;
    while let Ok(chunk) = input.fill_buf() {
        if chunk.is_empty() {
            break;
        }
        line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        let n = chunk.len();
        input.consume(n);
    }
    line
}

/// Reads a whole export held in memory, as a run does, and says how many items it has
/// (the fuzz target's entry).
pub fn check(data: &[u8]) -> Result<usize, ImportError> {
    let line_of = |at: u64| {
        let end = usize::try_from(at).unwrap_or(usize::MAX).min(data.len());
        1 + data[..end].iter().filter(|&&b| b == b'\n').count() as u64
    };
    let mut items = 0;
    read(data, &line_of, true, &mut |found| {
        if let Found::Item(it) = found {
            items += 1;
            let _ = autop(&it.content);
        }
        true
    })?;
    Ok(items)
}

/// A WordPress date (`2020-12-29 11:06:00`): the GMT one when set, else the local one in
/// the site's zone.
fn date_of(item: &Item, tz: Tz) -> Option<DateTime<Utc>> {
    let parse = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    if let Some(d) = parse(&item.date_gmt)
        && !item.date_gmt.starts_with("0000")
    {
        return Some(d.and_utc());
    }
    parse(&item.date).and_then(|d| {
        tz.from_local_datetime(&d)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
    })
}

/// The path (and query) of an address of the old site.
fn path_of(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = if url.contains("://") {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        rest
    };
    Some(path.to_owned())
}

/// WordPress keeps a post's content with its paragraphs as blank lines (the classic
/// editor) or wrapped in block comments (the block editor); the theme adds the `<p>`s
/// when showing it (`wpautop`). This does the same, simply: block comments go, each run
/// of text between blank lines that does not start with a block element becomes a
/// paragraph, single line breaks in it `<br>`.
pub fn autop(content: &str) -> String {
    let content = content.replace("\r\n", "\n").replace('\r', "\n");
    let mut without = String::with_capacity(content.len());
    let mut rest = content.as_str();
    while let Some(i) = rest.find("<!--") {
        let after = &rest[i + 4..];
        let comment_end = after.find("-->");
        let is_block =
            after.trim_start().starts_with("wp:") || after.trim_start().starts_with("/wp:");
        without.push_str(&rest[..i]);
        match comment_end {
            Some(j) if is_block => rest = &after[j + 3..],
            Some(j) => {
                without.push_str(&rest[i..i + 4 + j + 3]);
                rest = &after[j + 3..];
            }
            None => {
                without.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    without.push_str(rest);
    const BLOCKS: [&str; 30] = [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "section",
        "article",
        "dl",
        "address",
        "form",
        "iframe",
        "!--",
    ];
    let starts_block = |chunk: &str| {
        let Some(tag) = chunk.strip_prefix('<') else {
            return false;
        };
        let tag = tag.trim_start_matches('/');
        BLOCKS.iter().any(|b| {
            let (Some(head), Some(after)) = (tag.get(..b.len()), tag.get(b.len()..)) else {
                return false;
            };
            head.eq_ignore_ascii_case(b)
                && (*b == "!--"
                    || after
                        .chars()
                        .next()
                        .is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace()))
        })
    };
    let mut out = String::with_capacity(without.len() + 64);
    let mut chunk = String::new();
    let flush = |chunk: &mut String, out: &mut String| {
        let t = chunk.trim();
        if !t.is_empty() {
            if starts_block(t) {
                out.push_str(t);
            } else {
                out.push_str("<p>");
                out.push_str(&t.replace('\n', "<br>\n"));
                out.push_str("</p>");
            }
            out.push('\n');
        }
        chunk.clear();
    };
    for line in without.split('\n') {
        if line.trim().is_empty() {
            flush(&mut chunk, &mut out);
        } else {
            if !chunk.is_empty() {
                chunk.push('\n');
            }
            chunk.push_str(line);
        }
    }
    flush(&mut chunk, &mut out);
    out
}

/// Post types that are the site's machinery, not its content: left out silently.
fn is_machinery(post_type: &str) -> bool {
    post_type.starts_with("wp_")
        || matches!(
            post_type,
            "nav_menu_item"
                | "custom_css"
                | "customize_changeset"
                | "oembed_cache"
                | "user_request"
                | "revision"
                | "attachment"
        )
}

impl Reader for Wxr {
    fn catalog(&mut self) -> Result<Catalog, ImportError> {
        let mut hosts = Vec::new();
        let mut authors: HashMap<String, String> = HashMap::new();
        let mut terms: Vec<Term> = Vec::new();
        let mut attachments: HashMap<String, String> = HashMap::new();
        let mut posts: Vec<Item> = Vec::new();
        let mut pages: Vec<Item> = Vec::new();
        let mut skipped = Vec::new();
        let source = super::open(&self.source)?;
        read(
            source,
            &|at| line_at(&self.source, at),
            false,
            &mut |found| {
                match found {
                    Found::Site(url) => {
                        if let Some(h) = super::dede::host_of(&url)
                            && !hosts.contains(&h)
                        {
                            hosts.push(h);
                        }
                    }
                    Found::Author { login, name } => {
                        authors.insert(login, name);
                    }
                    Found::Category(t) => terms.push(t),
                    Found::Item(it) => {
                        let it = *it;
                        match it.post_type.as_str() {
                            "attachment" => {
                                let url = if it.attachment_url.is_empty() {
                                    it.guid.clone()
                                } else {
                                    it.attachment_url.clone()
                                };
                                attachments.insert(it.id.clone(), url);
                            }
                            "post" | "page" => match it.status.as_str() {
                                "trash" => skipped.push(Skip {
                                    kind: if it.post_type == "page" {
                                        "单页"
                                    } else {
                                        "文章"
                                    },
                                    id: it.id.clone(),
                                    reason: format!("《{}》在旧站的回收站中（已删除）", it.title),
                                }),
                                "auto-draft" | "inherit" => {}
                                _ if it.post_type == "page" => pages.push(it),
                                _ => posts.push(it),
                            },
                            t if is_machinery(t) => {}
                            t => skipped.push(Skip {
                                kind: "条目",
                                id: it.id.clone(),
                                reason: format!("《{}》是自定义内容类型 {t}，暂不导入", it.title),
                            }),
                        }
                    }
                }
                true
            },
        )?;

        let mut catalog = Catalog {
            hosts,
            skipped,
            ..Default::default()
        };
        let by_slug: HashMap<&str, &Term> = terms.iter().map(|t| (t.slug.as_str(), t)).collect();
        // Each category's path of slugs from the top, and its depth.
        let path_of_term = |t: &Term| {
            let mut parts = vec![t.slug.clone()];
            let mut at = t;
            while !at.parent.is_empty() && parts.len() < 16 {
                match by_slug.get(at.parent.as_str()) {
                    Some(p) => {
                        parts.push(p.slug.clone());
                        at = p;
                    }
                    None => break,
                }
            }
            parts.reverse();
            parts
        };
        // Posts: the column is the deepest of their categories.
        let mut per_term: HashMap<String, usize> = HashMap::new();
        for it in posts {
            let column = it
                .terms
                .iter()
                .filter(|(d, ..)| d == "category")
                .filter_map(|(_, slug, _)| by_slug.get(slug.as_str()))
                .max_by_key(|t| path_of_term(t).len())
                .map(|t| t.id.clone());
            let Some(column) = column else {
                catalog.skipped.push(Skip {
                    kind: "文章",
                    id: it.id.clone(),
                    reason: format!("《{}》没有分类", it.title),
                });
                continue;
            };
            *per_term.entry(column.clone()).or_default() += 1;
            let tags: Vec<String> = it
                .terms
                .iter()
                .filter(|(d, ..)| d == "post_tag")
                .map(|(.., name)| name.clone())
                .collect();
            let mut urls = vec![format!("/?p={}", it.id)];
            urls.extend(path_of(&it.link));
            if it.guid.contains("?p=") {
                urls.extend(path_of(&it.guid));
            }
            let cover = it
                .meta("_thumbnail_id")
                .and_then(|id| attachments.get(id))
                .cloned()
                .unwrap_or_default();
            self.posts.insert(it.id.clone());
            catalog.articles.push(OldArticle {
                id: it.id.clone(),
                column,
                title: crate::html::to_text(&it.title),
                author: authors
                    .get(&it.creator)
                    .cloned()
                    .unwrap_or(it.creator.clone()),
                summary: crate::html::to_text(&it.excerpt),
                keywords: tags.join(","),
                published_at: date_of(&it, self.tz),
                cover,
                headline: it.sticky,
                draft: it.status != "publish",
                tags,
                urls,
                ..Default::default()
            });
        }
        // Categories with their posts (or their children's); empty ones are left out.
        let mut used: HashSet<String> = HashSet::new();
        for t in &terms {
            if per_term.contains_key(&t.id) {
                for slug in path_of_term(t) {
                    used.insert(slug);
                }
            }
        }
        for (order, t) in terms.iter().enumerate() {
            if !used.contains(&t.slug) {
                catalog.skipped.push(Skip {
                    kind: "栏目",
                    id: t.id.clone(),
                    reason: format!("分类“{}”没有文章", t.name),
                });
                continue;
            }
            let path = path_of_term(t).join("/");
            let mut urls = vec![
                format!("/?cat={}", t.id),
                format!("/?category_name={}", t.slug),
                format!("/category/{path}/"),
                format!("/category/{}/", t.slug),
            ];
            let count = per_term.get(&t.id).copied().unwrap_or(0);
            let list_pages = count.div_ceil(LIST_PAGE_SIZE).clamp(1, MAX_LIST_PAGES);
            for page in 2..=list_pages {
                urls.push(format!("/category/{path}/page/{page}/"));
            }
            catalog.columns.push(OldColumn {
                id: t.id.clone(),
                parent: by_slug
                    .get(t.parent.as_str())
                    .filter(|_| !t.parent.is_empty())
                    .map(|p| p.id.clone()),
                name: t.name.clone(),
                order: i32::try_from(order).unwrap_or(0),
                kind: Kind::guess(&t.name, false),
                slug: t.slug.clone(),
                description: t.description.clone(),
                body: String::new(),
                urls,
            });
        }
        // Pages: the published ones become single pages, under their parent page.
        let published: HashSet<String> = pages
            .iter()
            .filter(|p| p.status == "publish")
            .map(|p| p.id.clone())
            .collect();
        for p in pages {
            if p.status != "publish" {
                catalog.skipped.push(Skip {
                    kind: "单页",
                    id: p.id.clone(),
                    reason: format!("《{}》在旧站未发布（{}）", p.title, p.status),
                });
                continue;
            }
            let mut urls = vec![format!("/?page_id={}", p.id)];
            urls.extend(path_of(&p.link));
            let slug = path_of(&p.link)
                .and_then(|l| {
                    l.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            catalog.columns.push(OldColumn {
                id: format!("page-{}", p.id),
                parent: published
                    .contains(&p.parent)
                    .then(|| format!("page-{}", p.parent)),
                name: crate::html::to_text(&p.title),
                order: 1000 + p.menu_order,
                kind: Kind::Page,
                slug,
                description: p.excerpt.clone(),
                body: autop(&p.content),
                urls,
            });
        }
        Ok(catalog)
    }

    fn bodies(&mut self, each: &mut dyn FnMut(OldBody) -> bool) -> Result<(), ImportError> {
        let source = super::open(&self.source)?;
        let posts = &self.posts;
        let path = self.source.clone();
        read(
            source,
            &|at| line_at(&path, at),
            true,
            &mut |found| match found {
                Found::Item(it) if posts.contains(&it.id) && it.post_type == "post" => {
                    each(OldBody {
                        article: it.id.clone(),
                        html: autop(&it.content),
                    })
                }
                _ => true,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_made_as_wordpress_shows_them() {
        assert_eq!(
            autop("一段。\n\n二段，\n续行。"),
            "<p>一段。</p>\n<p>二段，<br>\n续行。</p>\n"
        );
        assert_eq!(
            autop(
                "<!-- wp:paragraph -->\n<p>块。</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2>标题</h2>\n<!-- /wp:heading -->"
            ),
            "<p>块。</p>\n<h2>标题</h2>\n"
        );
        assert_eq!(
            autop("文字\n\n<img src=\"a.jpg\">\n\n<ul>\n<li>一</li>\n</ul>"),
            "<p>文字</p>\n<p><img src=\"a.jpg\"></p>\n<ul>\n<li>一</li>\n</ul>\n"
        );
        // A comment that is not a block's is left for the cleaning to drop.
        assert_eq!(autop("<!-- more -->"), "<!-- more -->\n");
        assert_eq!(autop(""), "");
        // Text that only looks like a tag, in any script.
        assert_eq!(autop("<中文>\n\n<p"), "<p><中文></p>\n<p\n");
    }

    #[test]
    fn the_fixture_reads_whole_and_broken_files_name_their_line() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../server/tests/fixtures/import/wordpress.xml"
        ))
        .unwrap();
        assert_eq!(check(&xml).unwrap(), 10);
        let text = String::from_utf8(xml).unwrap();
        let broken = text.replacen("</wp:post_id>", "</wp:post_i>", 2);
        let line = 1 + text[..text.find("</wp:post_id>").unwrap()]
            .matches('\n')
            .count();
        let err = check(broken.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("第 {line} 行")),
            "{err} (line {line})"
        );
    }

    fn catalog_of(xml: &str) -> Catalog {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.xml");
        std::fs::write(&path, xml).unwrap();
        let mut w = Wxr {
            source: path,
            tz: chrono_tz::Asia::Shanghai,
            posts: HashSet::new(),
        };
        w.catalog().unwrap()
    }

    #[test]
    fn namespaces_are_matched_by_what_they_are_not_their_prefix_or_version() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../server/tests/fixtures/import/wordpress.xml"
        ))
        .unwrap();
        let now = catalog_of(&text);
        // An export of WordPress 2.x: WXR 1.0, other prefixes, text escaped, not CDATA.
        let old = text
            .replace("export/1.2/", "export/1.0/")
            .replace("xmlns:wp=", "xmlns:wordpress=")
            .replace("<wp:", "<wordpress:")
            .replace("</wp:", "</wordpress:")
            .replace("xmlns:content=", "xmlns:c=")
            .replace("content:encoded", "c:encoded");
        let old = cdata_to_escaped(&old);
        let then = catalog_of(&old);
        assert_eq!(now.articles.len(), 5);
        assert_eq!(now.articles, then.articles);
        assert_eq!(now.columns, then.columns);
        assert_eq!(now.hosts, vec!["www.old-cadz.org.cn".to_owned()]);
        let lead = now.articles.iter().find(|a| a.id == "6").unwrap();
        assert_eq!(lead.column, "3", "the deepest category");
        assert!(lead.cover.ends_with("/2020/12/yuanqu-niaokan.jpg"));
        assert!(lead.urls.contains(&"/2020/12/zuotanhui/".to_owned()));
    }

    /// `<![CDATA[x]]>` as escaped text.
    fn cdata_to_escaped(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(i) = rest.find("<![CDATA[") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 9..];
            let end = after.find("]]>").unwrap();
            out.push_str(
                &after[..end]
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            );
            rest = &after[end + 3..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn addresses_lose_their_host() {
        assert_eq!(
            path_of("http://old.example/2020/12/a/"),
            Some("/2020/12/a/".into())
        );
        assert_eq!(path_of("https://old.example"), Some("/".into()));
        assert_eq!(path_of("http://old.example/?p=5"), Some("/?p=5".into()));
        assert_eq!(path_of("/?page_id=3"), Some("/?page_id=3".into()));
        assert_eq!(path_of(" "), None);
    }
}
