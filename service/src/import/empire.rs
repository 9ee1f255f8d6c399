//! EmpireCMS (帝国) 6.x to 7.5 from a `mysqldump`: `phome_enewsclass` (the column tree,
//! by `classid` and `bclassid`), the article model's tables `phome_ecms_news` (each
//! article's fields), `phome_ecms_news_data_N` (author, source, tags and the text),
//! `phome_ecms_news_check` and `_check_data` (articles awaiting review) and
//! `phome_enewspublic` (the old site's address), with any table prefix. Columns are read
//! by name. Archived (`_doc`) tables are left out: the old site no longer showed them.
//!
//! Meanings (from EmpireCMS's install SQL and code): `firsttitle` above 0 头条, `isgood`
//! above 0 推荐, `isurl` 1 a link elsewhere, times Unix seconds; an article's address is
//! `/{classpath}/{newspath}/{filename}{filetype}` and `/e/action/ShowInfo.php?classid=&id=`,
//! a column's `/{classpath}/` with `index{filetype}` and `index_{n}{filetype}` after the
//! first page; `[!--empirenews.page--]` splits a text into pages.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::rows::row;
use super::sqldump::{Charset, Dump, Event};
use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Reader, Skip};

/// Articles per list page assumed for the old list addresses (EmpireCMS's default).
const LIST_PAGE_SIZE: usize = 25;
/// The most list pages of one column given a redirect.
const MAX_LIST_PAGES: usize = 2_000;

pub struct Empire {
    source: std::path::PathBuf,
    charset: Charset,
}

impl Empire {
    pub fn new(options: &Options) -> Empire {
        Empire {
            source: options.source.clone(),
            charset: options.charset,
        }
    }

    fn dump(&self) -> Result<Dump<Box<dyn std::io::Read + Send>>, ImportError> {
        Ok(Dump::new(super::open(&self.source)?, self.charset))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    /// An article table: published (`false`) or awaiting review (`true`).
    Main(bool),
    /// Its side table with the text: published or awaiting review.
    Data(bool),
    Class,
    Public,
    Other,
}

impl Table {
    fn of(name: &str) -> Table {
        let n = name.to_ascii_lowercase();
        if n.ends_with("_enewsclass") {
            return Table::Class;
        }
        if n.ends_with("_enewspublic") {
            return Table::Public;
        }
        let Some((_, model)) = n.split_once("_ecms_") else {
            return Table::Other;
        };
        // news, news_data_1, news_check, news_check_data; not news_doc*, news_index.
        let parts: Vec<&str> = model.split('_').collect();
        match parts.as_slice() {
            [_] => Table::Main(false),
            [_, "check"] => Table::Main(true),
            [_, "check", "data"] => Table::Data(true),
            [_, "data", n] if n.chars().all(|c| c.is_ascii_digit()) => Table::Data(false),
            _ => Table::Other,
        }
    }
}

struct Class {
    id: i64,
    parent: i64,
    name: String,
    path: String,
    filetype: String,
    order: i64,
    intro: String,
    /// Whose articles are pictures (the model's table is `photo`).
    pictures: bool,
    external: String,
}

/// What a data row adds to an article.
#[derive(Default)]
struct Extra {
    writer: String,
    befrom: String,
    tags: String,
}

/// An article row: its fields, class, the parts of its address, whether it links elsewhere.
struct Entry {
    article: OldArticle,
    class: i64,
    newspath: String,
    filename: String,
    external: bool,
}

/// A text without EmpireCMS's page markers.
fn text_of(html: String) -> String {
    if html.contains("[!--empirenews.page--]") {
        html.replace("[!--empirenews.page--]", "")
    } else {
        html
    }
}

fn join(parts: &[&str]) -> String {
    let mut path = String::from("/");
    for p in parts {
        let p = p.trim().trim_matches('/');
        if p.is_empty() {
            continue;
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(p);
    }
    path
}

/// What the first pass keeps.
struct Rows {
    classes: Vec<Class>,
    entries: Vec<Entry>,
    extras: HashMap<String, Extra>,
    hosts: Vec<String>,
}

impl Empire {
    /// The first pass over the dump: the rows the catalog is made of (bodies left out).
    fn read_rows(&self) -> Result<Rows, ImportError> {
        let mut dump = self.dump()?;
        let mut classes: Vec<Class> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut extras: HashMap<String, Extra> = HashMap::new();
        let mut hosts = Vec::new();
        let mut seen = (false, false);
        while let Some(event) = dump.next_event()? {
            let Event::Row {
                table,
                columns,
                values,
            } = event
            else {
                continue;
            };
            let r = row(&columns, &values, dump.charset());
            match Table::of(&table) {
                Table::Class => {
                    seen.0 = true;
                    classes.push(Class {
                        id: r.int("classid"),
                        parent: r.int("bclassid"),
                        name: r.text("classname"),
                        path: r.text("classpath"),
                        filetype: r.text("filetype"),
                        order: r.int("myorder"),
                        intro: r.text("intro"),
                        pictures: r.text("tbname").eq_ignore_ascii_case("photo"),
                        external: r.text("wburl"),
                    });
                }
                Table::Public => {
                    if let Some(h) = super::dede::host_of(&r.text("newsurl")) {
                        hosts.push(h);
                    }
                }
                Table::Main(check) => {
                    seen.1 = true;
                    let id = r.int("id").to_string();
                    let time = r.int("newstime");
                    entries.push(Entry {
                        article: OldArticle {
                            id: id.clone(),
                            column: r.int("classid").to_string(),
                            title: r.text("title"),
                            subtitle: r.text("ftitle"),
                            summary: r.text("smalltext"),
                            keywords: r.text("keyboard"),
                            published_at: DateTime::<Utc>::from_timestamp(
                                if time > 0 { time } else { r.int("truetime") },
                                0,
                            ),
                            cover: r.text("titlepic"),
                            headline: r.int("firsttitle") > 0 || r.int("istop") > 0,
                            recommended: r.int("isgood") > 0,
                            draft: check,
                            hits: r.int("onclick"),
                            ..Default::default()
                        },
                        class: r.int("classid"),
                        newspath: r.text("newspath"),
                        filename: r.text("filename"),
                        external: r.int("isurl") == 1,
                    });
                }
                Table::Data(_) => {
                    extras.insert(
                        r.int("id").to_string(),
                        Extra {
                            writer: r.text("writer"),
                            befrom: r.text("befrom"),
                            tags: r.text("infotags"),
                        },
                    );
                }
                Table::Other => {}
            }
        }
        if !seen.0 || !seen.1 {
            return Err(super::tables_missing(
                "帝国 CMS",
                "phome_enewsclass 和 phome_ecms_news",
                dump.tables().keys(),
            ));
        }
        Ok(Rows {
            classes,
            entries,
            extras,
            hosts,
        })
    }
}

impl Reader for Empire {
    fn catalog(&mut self) -> Result<Catalog, ImportError> {
        let Rows {
            classes,
            entries,
            mut extras,
            hosts,
        } = self.read_rows()?;
        let mut catalog = Catalog {
            hosts,
            ..Default::default()
        };
        let by_id: HashMap<i64, &Class> = classes.iter().map(|c| (c.id, c)).collect();
        let mut per_class: HashMap<i64, usize> = HashMap::new();
        for e in &entries {
            *per_class.entry(e.class).or_default() += 1;
        }
        for c in &classes {
            if !c.external.trim().is_empty() {
                catalog.skipped.push(Skip {
                    kind: "栏目",
                    id: c.id.to_string(),
                    reason: format!("“{}”是外部链接栏目（{}）", c.name, c.external.trim()),
                });
                continue;
            }
            let dir = join(&[&c.path]);
            let filetype = non_empty(&c.filetype, ".html");
            let mut urls = vec![
                format!("{dir}/"),
                format!("{dir}/index{filetype}"),
                format!("/e/action/ListInfo/?classid={}", c.id),
                format!("/e/action/ListInfo.php?classid={}", c.id),
            ];
            let count = per_class.get(&c.id).copied().unwrap_or(0);
            let pages = count.div_ceil(LIST_PAGE_SIZE).clamp(1, MAX_LIST_PAGES);
            for n in 2..=pages {
                urls.push(format!("{dir}/index_{n}{filetype}"));
            }
            catalog.columns.push(OldColumn {
                id: c.id.to_string(),
                parent: (c.parent != 0 && by_id.contains_key(&c.parent))
                    .then(|| c.parent.to_string()),
                name: c.name.clone(),
                order: i32::try_from(c.order).unwrap_or(0),
                kind: Kind::guess(&c.name, c.pictures),
                slug: c
                    .path
                    .trim()
                    .trim_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                description: crate::html::to_text(&c.intro),
                body: String::new(),
                urls,
            });
        }
        for e in entries {
            let Entry {
                mut article,
                class,
                newspath,
                filename,
                external,
            } = e;
            let Some(c) = by_id.get(&class) else {
                catalog.skipped.push(Skip {
                    kind: "文章",
                    id: article.id.clone(),
                    reason: format!("所属栏目 {class} 不存在"),
                });
                continue;
            };
            if external {
                catalog.skipped.push(Skip {
                    kind: "文章",
                    id: article.id.clone(),
                    reason: format!("《{}》是外部链接（isurl），没有正文", article.title),
                });
                continue;
            }
            if let Some(x) = extras.remove(&article.id) {
                article.author = x.writer;
                article.source = x.befrom;
                article.tags = x
                    .tags
                    .split([',', '，', ' '])
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect();
                if article.keywords.trim().is_empty() {
                    article.keywords = article.tags.join(",");
                }
            }
            article.urls.push(format!(
                "/e/action/ShowInfo.php?classid={class}&id={}",
                article.id
            ));
            if !article.draft && !filename.trim().is_empty() {
                let file = format!("{}{}", filename.trim(), non_empty(&c.filetype, ".html"));
                article.urls.push(join(&[&c.path, &newspath, &file]));
            }
            catalog.articles.push(article);
        }
        Ok(catalog)
    }

    fn bodies(&mut self, each: &mut dyn FnMut(OldBody) -> bool) -> Result<(), ImportError> {
        let mut dump = self.dump()?;
        while let Some(event) = dump.next_event()? {
            let Event::Row {
                table,
                columns,
                values,
            } = event
            else {
                continue;
            };
            if !matches!(Table::of(&table), Table::Data(_)) {
                continue;
            }
            let r = row(&columns, &values, dump.charset());
            let body = OldBody {
                article: r.int("id").to_string(),
                html: text_of(r.text("newstext")),
            };
            if !each(body) {
                break;
            }
        }
        Ok(())
    }
}

fn non_empty<'a>(s: &'a str, default: &'a str) -> &'a str {
    if s.trim().is_empty() {
        default
    } else {
        s.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_known_by_their_part() {
        assert_eq!(Table::of("phome_ecms_news"), Table::Main(false));
        assert_eq!(Table::of("www_ecms_news_check"), Table::Main(true));
        assert_eq!(Table::of("phome_ecms_news_data_1"), Table::Data(false));
        assert_eq!(Table::of("phome_ecms_news_check_data"), Table::Data(true));
        assert_eq!(Table::of("phome_ecms_news_doc_data"), Table::Other);
        assert_eq!(Table::of("phome_ecms_news_index"), Table::Other);
        assert_eq!(Table::of("phome_enewsclass"), Table::Class);
        assert_eq!(
            join(&["news/guonei/", "2020-12-29", "123.html"]),
            "/news/guonei/2020-12-29/123.html"
        );
        assert_eq!(join(&["/news", "", "1.html"]), "/news/1.html");
    }
}
