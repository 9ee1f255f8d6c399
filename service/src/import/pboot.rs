//! PbootCMS 1.x to 3.x from a `mysqldump`: `ay_content_sort` (the column tree, by `scode`
//! and `pcode`), `ay_model` (type 1 single page, 2 list; its `urlname`), `ay_content` (the
//! articles, and the text of single pages) and `ay_config` (the address style) and `ay_site` (the old host), with any
//! table prefix. Columns are read by name.
//!
//! Meanings (from PbootCMS's install SQL and its `parserLink`): `status` '1' shown;
//! `isheadline`, `isrecommend`, `istop` '1' set; `date` a local time; `outlink` makes an
//! entry a link elsewhere; `tags` comma-separated; content may be stored HTML-escaped.
//! Addresses: a column is `{filename}` or `{urlname}_{scode}`, an article
//! `{column}/{filename or id}.html`, each reachable as `/?…` (the default), `/…`
//! (pseudo-static) and `/index.php/…`; list pages `{column}_{n}/`.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::rows::row;
use super::sqldump::{Charset, Dump, Event};
use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Reader, Skip};

/// Articles per list page assumed for the old list addresses.
const LIST_PAGE_SIZE: usize = 10;
/// The most list pages of one column given a redirect.
const MAX_LIST_PAGES: usize = 2_000;

pub struct Pboot {
    source: std::path::PathBuf,
    charset: Charset,
    tz: Tz,
    /// The columns that are single pages (their content rows are not articles).
    pages: HashSet<String>,
}

impl Pboot {
    pub fn new(options: &Options) -> Pboot {
        Pboot {
            source: options.source.clone(),
            charset: options.charset,
            tz: options.time_zone,
            pages: HashSet::new(),
        }
    }

    fn dump(&self) -> Result<Dump<Box<dyn std::io::Read + Send>>, ImportError> {
        Ok(Dump::new(super::open(&self.source)?, self.charset))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Content,
    Sort,
    Model,
    Config,
    Site,
    Other,
}

impl Table {
    fn of(name: &str) -> Table {
        let n = name.to_ascii_lowercase();
        if n.ends_with("_content_sort") {
            Table::Sort
        } else if n.ends_with("_content") {
            Table::Content
        } else if n.ends_with("_model") {
            Table::Model
        } else if n.ends_with("_config") {
            Table::Config
        } else if n.ends_with("_site") {
            Table::Site
        } else {
            Table::Other
        }
    }
}

struct Sort {
    id: i64,
    mcode: String,
    pcode: String,
    scode: String,
    name: String,
    outlink: String,
    description: String,
    filename: String,
    sorting: i64,
}

struct Model {
    single: bool,
    urlname: String,
    name: String,
}

/// A content row's fields, its custom file name, whether it links elsewhere.
struct Entry {
    article: OldArticle,
    filename: String,
    outlink: bool,
}

/// PbootCMS may keep content HTML-escaped (`&lt;p&gt;`): made HTML again.
fn unescape_content(html: String) -> String {
    if html.contains("&lt;") && !html.contains('<') {
        html.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#039;", "'")
            .replace("&amp;", "&")
    } else {
        html
    }
}

impl Pboot {
    /// The address of a column without its wrapping: `news` or `list_2`.
    fn column_path(sort: &Sort, model: Option<&Model>, brk: &str) -> String {
        if !sort.filename.trim().is_empty() {
            return sort.filename.trim().trim_matches('/').to_owned();
        }
        let urlname = model
            .map(|m| m.urlname.trim())
            .filter(|u| !u.is_empty())
            .unwrap_or(if model.is_some_and(|m| m.single) {
                "about"
            } else {
                "list"
            });
        format!("{urlname}{brk}{}", sort.scode)
    }

    /// Every wrapping of `path` the old site answered: `/?path`, `/path`, `/index.php/path`.
    fn wrapped(path: &str) -> [String; 3] {
        [
            format!("/?{path}"),
            format!("/{path}"),
            format!("/index.php/{path}"),
        ]
    }
}

/// What the first pass keeps.
struct Rows {
    sorts: Vec<Sort>,
    models: HashMap<String, Model>,
    config: HashMap<String, String>,
    entries: Vec<Entry>,
    hosts: Vec<String>,
}

impl Pboot {
    /// The first pass over the dump: the rows the catalog is made of (bodies left out).
    fn read_rows(&self) -> Result<Rows, ImportError> {
        let mut dump = self.dump()?;
        let mut sorts: Vec<Sort> = Vec::new();
        let mut models: HashMap<String, Model> = HashMap::new();
        let mut config: HashMap<String, String> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
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
                Table::Sort => {
                    seen.0 = true;
                    sorts.push(Sort {
                        id: r.int("id"),
                        mcode: r.text("mcode"),
                        pcode: r.text("pcode"),
                        scode: r.text("scode"),
                        name: r.text("name"),
                        outlink: r.text("outlink"),
                        description: r.text("description"),
                        filename: r.text("filename"),
                        sorting: r.int("sorting"),
                    });
                }
                Table::Model => {
                    models.insert(
                        r.text("mcode"),
                        Model {
                            single: r.int("type") == 1,
                            urlname: r.text("urlname"),
                            name: r.text("name"),
                        },
                    );
                }
                Table::Config => {
                    let name = r.text("name");
                    if name.starts_with("url_") {
                        config.insert(name, r.text("value"));
                    }
                }
                Table::Site => {
                    if let Some(h) = super::dede::host_of(&r.text("domain"))
                        && !hosts.contains(&h)
                    {
                        hosts.push(h);
                    }
                }
                Table::Content => {
                    seen.1 = true;
                    let date =
                        NaiveDateTime::parse_from_str(r.text("date").trim(), "%Y-%m-%d %H:%M:%S")
                            .ok()
                            .and_then(|d| self.tz.from_local_datetime(&d).earliest())
                            .map(|d| d.with_timezone(&Utc));
                    let tags: Vec<String> = r
                        .text("tags")
                        .replace('，', ",")
                        .split(',')
                        .map(|t| t.trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .collect();
                    let one = |name: &str| r.text(name).trim() == "1";
                    entries.push(Entry {
                        article: OldArticle {
                            id: r.int("id").to_string(),
                            column: r.text("scode"),
                            title: r.text("title"),
                            subtitle: r.text("subtitle"),
                            source: r.text("source"),
                            author: r.text("author"),
                            summary: r.text("description"),
                            keywords: non_empty(r.text("keywords"), tags.join(",")),
                            published_at: date,
                            cover: r.text("ico"),
                            headline: one("isheadline") || one("istop"),
                            recommended: one("isrecommend"),
                            slideshow: false,
                            draft: !one("status"),
                            hits: r.int("visits"),
                            tags,
                            urls: Vec::new(),
                        },
                        filename: r.text("filename"),
                        outlink: !r.text("outlink").trim().is_empty(),
                    });
                }
                Table::Other => {}
            }
        }
        if !seen.0 || !seen.1 {
            return Err(super::tables_missing(
                "PbootCMS",
                "ay_content_sort 和 ay_content",
                dump.tables().keys(),
            ));
        }
        Ok(Rows {
            sorts,
            models,
            config,
            entries,
            hosts,
        })
    }
}

impl Reader for Pboot {
    fn catalog(&mut self) -> Result<Catalog, ImportError> {
        let Rows {
            sorts,
            models,
            config,
            entries,
            hosts,
        } = self.read_rows()?;
        let brk = config
            .get("url_break_char")
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .unwrap_or("_")
            .to_owned();
        let content_path = config
            .get("url_rule_content_path")
            .is_some_and(|v| v.trim() == "1");

        let mut catalog = Catalog {
            hosts,
            ..Default::default()
        };
        let by_scode: HashMap<&str, &Sort> = sorts.iter().map(|s| (s.scode.as_str(), s)).collect();
        let mut per_column: HashMap<&str, usize> = HashMap::new();
        for e in &entries {
            *per_column.entry(e.article.column.as_str()).or_default() += 1;
        }
        for s in &sorts {
            let model = models.get(&s.mcode);
            if !s.outlink.trim().is_empty() {
                catalog.skipped.push(Skip {
                    kind: "栏目",
                    id: s.scode.clone(),
                    reason: format!("“{}”是外部链接栏目（{}）", s.name, s.outlink.trim()),
                });
                continue;
            }
            let single = model.is_some_and(|m| m.single);
            if single {
                self.pages.insert(s.scode.clone());
            }
            let path = Self::column_path(s, model, &brk);
            let mut urls: Vec<String> = Self::wrapped(&format!("{path}/")).into();
            if !single {
                let count = per_column.get(s.scode.as_str()).copied().unwrap_or(0);
                let pages = count.div_ceil(LIST_PAGE_SIZE).clamp(1, MAX_LIST_PAGES);
                for n in 2..=pages {
                    urls.extend(Self::wrapped(&format!("{path}{brk}{n}/")));
                }
            }
            let pictures = model.is_some_and(|m| m.name.contains('图'));
            catalog.columns.push(OldColumn {
                id: s.scode.clone(),
                parent: (s.pcode.trim() != "0" && by_scode.contains_key(s.pcode.trim()))
                    .then(|| s.pcode.trim().to_owned()),
                name: s.name.clone(),
                order: i32::try_from(s.sorting * 10_000 + s.id).unwrap_or(i32::MAX),
                kind: if single {
                    Kind::Page
                } else {
                    Kind::guess(&s.name, pictures)
                },
                slug: if s.filename.trim().is_empty() {
                    String::new()
                } else {
                    path.clone()
                },
                description: s.description.clone(),
                body: String::new(),
                urls,
            });
        }
        for e in entries {
            let Entry {
                mut article,
                filename,
                outlink,
            } = e;
            if self.pages.contains(&article.column) {
                continue;
            }
            let Some(sort) = by_scode.get(article.column.as_str()) else {
                catalog.skipped.push(Skip {
                    kind: "文章",
                    id: article.id.clone(),
                    reason: format!("所属栏目 {} 不存在", article.column),
                });
                continue;
            };
            if outlink {
                catalog.skipped.push(Skip {
                    kind: "文章",
                    id: article.id.clone(),
                    reason: format!("《{}》是外部链接，没有正文", article.title),
                });
                continue;
            }
            let column = Self::column_path(sort, models.get(&sort.mcode), &brk);
            let name = if filename.trim().is_empty() {
                article.id.clone()
            } else {
                filename.trim().trim_matches('/').to_owned()
            };
            article
                .urls
                .extend(Self::wrapped(&format!("{column}/{name}.html")));
            if content_path {
                article.urls.extend(Self::wrapped(&format!("{name}.html")));
            }
            catalog.articles.push(article);
        }
        self.page_texts(&mut catalog)?;
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
            if Table::of(&table) != Table::Content {
                continue;
            }
            let r = row(&columns, &values, dump.charset());
            if self.pages.contains(&r.text("scode")) {
                continue;
            }
            let body = OldBody {
                article: r.int("id").to_string(),
                html: unescape_content(r.text("content")),
            };
            if !each(body) {
                break;
            }
        }
        Ok(())
    }
}

impl Pboot {
    /// The text of the single pages: a third, short read.
    fn page_texts(&self, catalog: &mut Catalog) -> Result<(), ImportError> {
        let pages = &self.pages;
        let mut bodies: HashMap<String, String> = HashMap::new();
        let mut dump = self.dump()?;
        while let Some(event) = dump.next_event()? {
            if let Event::Row {
                table,
                columns,
                values,
            } = event
                && Table::of(&table) == Table::Content
            {
                let r = row(&columns, &values, dump.charset());
                let scode = r.text("scode");
                if pages.contains(&scode) && !bodies.contains_key(&scode) {
                    bodies.insert(scode, unescape_content(r.text("content")));
                }
            }
        }
        for c in &mut catalog.columns {
            if c.kind == Kind::Page {
                c.body = bodies.remove(&c.id).unwrap_or_default();
            }
        }
        Ok(())
    }
}

fn non_empty(s: String, otherwise: String) -> String {
    if s.trim().is_empty() { otherwise } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_content_is_html_again() {
        assert_eq!(
            unescape_content("&lt;p&gt;园区&amp;企业&lt;/p&gt;".into()),
            "<p>园区&企业</p>"
        );
        assert_eq!(
            unescape_content("<p>&lt;不变&gt;</p>".into()),
            "<p>&lt;不变&gt;</p>"
        );
    }
}
