//! Reading a WXR file as a stream: what the channel holds, one item at a time, each
//! element's text bounded, a broken file refused naming its line.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::super::ImportError;

/// The most one element (a post's content, say) may hold.
const MAX_TEXT: usize = 32 << 20;
/// The most bytes read for one XML event before it is refused.
const MAX_EVENT: u64 = 40 << 20;

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
pub(super) struct Term {
    pub(super) id: String,
    pub(super) slug: String,
    pub(super) parent: String,
    pub(super) name: String,
    pub(super) description: String,
}

/// One `<item>`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Item {
    pub(super) title: String,
    pub(super) link: String,
    pub(super) guid: String,
    pub(super) creator: String,
    pub(super) content: String,
    pub(super) excerpt: String,
    pub(super) id: String,
    pub(super) date: String,
    pub(super) date_gmt: String,
    pub(super) status: String,
    pub(super) parent: String,
    pub(super) post_type: String,
    pub(super) sticky: bool,
    pub(super) menu_order: i32,
    pub(super) attachment_url: String,
    /// (domain, nicename, name)
    pub(super) terms: Vec<(String, String, String)>,
    pub(super) meta: Vec<(String, String)>,
}

impl Item {
    pub(super) fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
    }
}

/// What the channel holds, as it comes.
#[derive(Debug)]
pub(super) enum Found {
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
pub(super) fn read(
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
pub(super) fn line_at(path: &std::path::Path, offset: u64) -> u64 {
    let Ok(source) = super::super::open(path) else {
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
            let _ = super::autop(&it.content);
        }
        true
    })?;
    Ok(items)
}
