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
use std::path::PathBuf;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Reader, Skip};

mod autop;
mod parse;
#[cfg(test)]
mod tests;

pub use autop::autop;
pub use parse::check;
use parse::{Found, Item, Term, line_at, read};

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

/// What the first pass over the file keeps.
#[derive(Default)]
struct Items {
    hosts: Vec<String>,
    authors: HashMap<String, String>,
    terms: Vec<Term>,
    /// Attachment id -> its address.
    attachments: HashMap<String, String>,
    posts: Vec<Item>,
    pages: Vec<Item>,
    skipped: Vec<Skip>,
}

/// The categories by slug, with each one's path of slugs from the top.
struct Tree<'a> {
    by_slug: HashMap<&'a str, &'a Term>,
}

impl<'a> Tree<'a> {
    fn new(terms: &'a [Term]) -> Tree<'a> {
        Tree {
            by_slug: terms.iter().map(|t| (t.slug.as_str(), t)).collect(),
        }
    }

    fn get(&self, slug: &str) -> Option<&'a Term> {
        self.by_slug.get(slug).copied()
    }

    /// The slugs from the top category down to `t` (at most 16 deep: a loop stops there).
    fn path(&self, t: &Term) -> Vec<String> {
        let mut parts = vec![t.slug.clone()];
        let mut at = t;
        while !at.parent.is_empty() && parts.len() < 16 {
            match self.by_slug.get(at.parent.as_str()) {
                Some(p) => {
                    parts.push(p.slug.clone());
                    at = p;
                }
                None => break,
            }
        }
        parts.reverse();
        parts
    }
}

impl Items {
    /// Keeps what the first pass found.
    fn add(&mut self, found: Found) {
        match found {
            Found::Site(url) => {
                if let Some(h) = super::dede::host_of(&url)
                    && !self.hosts.contains(&h)
                {
                    self.hosts.push(h);
                }
            }
            Found::Author { login, name } => {
                self.authors.insert(login, name);
            }
            Found::Category(t) => self.terms.push(t),
            Found::Item(it) => self.add_item(*it),
        }
    }

    fn add_item(&mut self, it: Item) {
        match it.post_type.as_str() {
            "attachment" => {
                let url = if it.attachment_url.is_empty() {
                    it.guid.clone()
                } else {
                    it.attachment_url.clone()
                };
                self.attachments.insert(it.id.clone(), url);
            }
            "post" | "page" => match it.status.as_str() {
                "trash" => self.skipped.push(Skip {
                    kind: if it.post_type == "page" {
                        "单页"
                    } else {
                        "文章"
                    },
                    id: it.id.clone(),
                    reason: format!("《{}》在旧站的回收站中（已删除）", it.title),
                }),
                "auto-draft" | "inherit" => {}
                _ if it.post_type == "page" => self.pages.push(it),
                _ => self.posts.push(it),
            },
            t if is_machinery(t) => {}
            t => self.skipped.push(Skip {
                kind: "条目",
                id: it.id.clone(),
                reason: format!("《{}》是自定义内容类型 {t}，暂不导入", it.title),
            }),
        }
    }
}

impl Wxr {
    /// The first pass: everything but the posts' text.
    fn items(&self) -> Result<Items, ImportError> {
        let mut items = Items::default();
        let source = super::open(&self.source)?;
        read(
            source,
            &|at| line_at(&self.source, at),
            false,
            &mut |found| {
                items.add(found);
                true
            },
        )?;
        Ok(items)
    }

    /// Posts, each in the deepest of its categories; counts per category.
    fn articles(
        &mut self,
        items: &mut Items,
        tree: &Tree,
        catalog: &mut Catalog,
    ) -> HashMap<String, usize> {
        let posts = std::mem::take(&mut items.posts);
        let (authors, attachments) = (&items.authors, &items.attachments);
        let mut per_term: HashMap<String, usize> = HashMap::new();
        for it in posts {
            let column = it
                .terms
                .iter()
                .filter(|(d, ..)| d == "category")
                .filter_map(|(_, slug, _)| tree.get(slug))
                .max_by_key(|t| tree.path(t).len())
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
        per_term
    }
}

/// Categories with their posts (or their children's); empty ones are left out.
fn columns(terms: &[Term], tree: &Tree, per_term: &HashMap<String, usize>, catalog: &mut Catalog) {
    let mut used: HashSet<String> = HashSet::new();
    for t in terms {
        if per_term.contains_key(&t.id) {
            for slug in tree.path(t) {
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
        let path = tree.path(t).join("/");
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
            parent: tree
                .get(&t.parent)
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
}

/// Pages: the published ones become single pages, under their parent page.
fn single_pages(pages: Vec<Item>, catalog: &mut Catalog) {
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
        let mut items = self.items()?;
        let mut catalog = Catalog {
            hosts: std::mem::take(&mut items.hosts),
            skipped: std::mem::take(&mut items.skipped),
            ..Default::default()
        };
        let terms = std::mem::take(&mut items.terms);
        let tree = Tree::new(&terms);
        let per_term = self.articles(&mut items, &tree, &mut catalog);
        columns(&terms, &tree, &per_term, &mut catalog);
        single_pages(std::mem::take(&mut items.pages), &mut catalog);
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
