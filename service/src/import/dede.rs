//! DedeCMS (织梦) 5.6 / 5.7 from a `mysqldump`: `dede_arctype` (the column tree),
//! `dede_archives` (each article's fields), `dede_addonarticle` (the bodies),
//! `dede_sgpage` (single pages) and `dede_sysconfig` (the old host and install path), with
//! any table prefix. Columns are read by name from each table's `CREATE TABLE`, so sites
//! with extra columns read the same.
//!
//! Meanings (from DedeCMS's install SQL and code): `arcrank` 0 public, -1 awaiting review,
//! -2 recycle bin, above 0 members only; `flag` letters h 头条, c 推荐, a 特荐, f 幻灯,
//! j 跳转; `ispart` 0 list, 1 channel cover, 2 external link; times are Unix seconds;
//! article addresses follow the column's `namerule` (default
//! `{typedir}/{Y}/{M}{D}/{aid}.html`), lists `namerule2` (default
//! `{typedir}/list_{tid}_{page}.html`), `typedir` starts with `{cmspath}`, and every article
//! also answers at `/plus/view.php?aid=N`.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use super::rows::row;
use super::sqldump::{Charset, Dump, Event, Value};
use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Reader, Skip};

/// Articles per list page assumed for the old list addresses (DedeCMS's default template).
const LIST_PAGE_SIZE: usize = 10;
/// The most list pages of one column given a redirect.
const MAX_LIST_PAGES: usize = 2_000;

pub struct Dede {
    source: std::path::PathBuf,
    charset: Charset,
    tz: Tz,
}

impl Dede {
    pub fn new(options: &Options) -> Dede {
        Dede {
            source: options.source.clone(),
            charset: options.charset,
            tz: options.time_zone,
        }
    }

    fn dump(&self) -> Result<Dump<Box<dyn std::io::Read + Send>>, ImportError> {
        Ok(Dump::new(super::open(&self.source)?, self.charset))
    }

    /// The first pass over the dump: the rows of the tables the catalog is made of.
    fn read_rows(&self) -> Result<Rows, ImportError> {
        let mut dump = self.dump()?;
        let mut types = Vec::new();
        let mut archives: Vec<Archive> = Vec::new();
        let mut pages = Vec::new();
        let mut config: HashMap<String, String> = HashMap::new();
        let mut seen = [false; 3];
        let mut skipped = Vec::new();
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
                Table::Arctype => {
                    seen[0] = true;
                    types.push(TypeRow {
                        id: r.int("id"),
                        parent: r.int("reid"),
                        order: r.int("sortrank"),
                        name: r.text("typename"),
                        typedir: r.text("typedir"),
                        ispart: r.int("ispart"),
                        defaultname: r.text("defaultname"),
                        namerule: r.text("namerule"),
                        namerule2: r.text("namerule2"),
                        description: r.text("description"),
                        content: r.text("content"),
                        channeltype: r.int("channeltype"),
                    });
                }
                Table::Archives => {
                    seen[1] = true;
                    let id = r.int("id");
                    let flags = r.text("flag");
                    let has = |f: char| flags.split(',').any(|x| x.trim().starts_with(f));
                    let arcrank = r.int("arcrank");
                    let channel = r.value("channel").and_then(Value::int).unwrap_or(1);
                    if arcrank <= -2 {
                        skipped.push(skip(id, "在旧站的回收站中（已删除）"));
                        continue;
                    }
                    if channel != 1 {
                        skipped.push(skip(id, "不是文章模型（图集、软件、专题等），暂不导入"));
                        continue;
                    }
                    if has('j') {
                        skipped.push(skip(id, "跳转链接（flag j），没有正文"));
                        continue;
                    }
                    let pubdate = r.int("pubdate");
                    let pubdate = if pubdate > 0 {
                        pubdate
                    } else {
                        r.int("senddate")
                    };
                    let a = OldArticle {
                        id: id.to_string(),
                        column: r.int("typeid").to_string(),
                        title: r.text("title"),
                        subtitle: r.text("shorttitle"),
                        source: r.text("source"),
                        author: r.text("writer"),
                        summary: r.text("description"),
                        keywords: r.text("keywords"),
                        published_at: DateTime::<Utc>::from_timestamp(pubdate, 0),
                        cover: r.text("litpic"),
                        headline: has('h'),
                        recommended: has('c') || has('a'),
                        slideshow: has('f'),
                        draft: arcrank != 0,
                        hits: r.int("click"),
                        tags: Vec::new(),
                        urls: Vec::new(),
                    };
                    let dynamic = arcrank != 0 || r.int("ismake") == -1 || r.int("money") > 0;
                    archives.push((
                        a,
                        id,
                        pubdate,
                        dynamic.then_some(1),
                        r.text("filename"),
                        r.int("typeid"),
                    ));
                }
                Table::AddonArticle => seen[2] = true,
                Table::SgPage => {
                    pages.push((
                        r.int("aid"),
                        r.text("title"),
                        r.text("filename"),
                        r.text("body"),
                        r.text("description"),
                    ));
                }
                Table::SysConfig => {
                    let name = r.text("varname");
                    if matches!(name.as_str(), "cfg_basehost" | "cfg_cmspath" | "cfg_arcdir") {
                        config.insert(name, r.text("value"));
                    }
                }
                Table::Other => {}
            }
        }
        if !seen[0] || !seen[1] {
            let tables: Vec<&String> = dump.tables().keys().collect();
            return Err(ImportError::Source(format!(
                "没有找到 DedeCMS 的数据表（需要 dede_arctype 和 dede_archives 的数据，文件中的表：{}）。请确认这是织梦站点数据库的 mysqldump 导出文件，且 --from 选对了系统",
                if tables.is_empty() {
                    "无".to_owned()
                } else {
                    tables
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                }
            )));
        }
        if !seen[2] {
            return Err(ImportError::Source(
                "没有找到 dede_addonarticle（文章正文）的数据；导出时请包含这张表".into(),
            ));
        }
        Ok(Rows {
            types,
            archives,
            pages,
            config,
            skipped,
        })
    }

    /// The articles, with the addresses the old site gave them.
    fn articles_of(
        &self,
        archives: Vec<Archive>,
        by_id: &HashMap<i64, &TypeRow>,
        cmspath: &str,
        catalog: &mut Catalog,
    ) {
        // Articles, with their addresses.
        for (mut a, id, pubdate, dynamic, filename, typeid) in archives {
            let Some(t) = by_id.get(&typeid) else {
                catalog
                    .skipped
                    .push(skip(id, &format!("所属栏目 {typeid} 不存在")));
                continue;
            };
            if t.ispart == 2 {
                catalog.skipped.push(skip(id, "所属栏目是外部链接栏目"));
                continue;
            }
            a.urls.push(format!("/plus/view.php?aid={id}"));
            a.urls.push(format!("/plus/view-{id}-1.html"));
            if dynamic.is_none() {
                let local = DateTime::<Utc>::from_timestamp(pubdate, 0)
                    .unwrap_or_default()
                    .with_timezone(&self.tz);
                let rule =
                    non_empty(&t.namerule, "{typedir}/{Y}/{M}{D}/{aid}.html").to_ascii_lowercase();
                let mut url = rule
                    .replace("{typedir}", &typedir(&t.typedir, cmspath))
                    .replace("{y}", &format!("{:04}", local.year()))
                    .replace("{m}", &format!("{:02}", local.month()))
                    .replace("{d}", &format!("{:02}", local.day()))
                    .replace("{timestamp}", &pubdate.to_string())
                    .replace("{aid}", &id.to_string());
                if !filename.trim().is_empty()
                    && let Some((dir, _)) = url.rsplit_once('/')
                {
                    url = format!("{dir}/{}.html", filename.trim());
                }
                if !url.contains('{') {
                    a.urls.push(url);
                }
            }
            catalog.articles.push(a);
        }
    }
}

/// Which DedeCMS table a dumped table is, whatever its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Arctype,
    Archives,
    AddonArticle,
    SgPage,
    SysConfig,
    Other,
}

impl Table {
    fn of(name: &str) -> Table {
        let n = name.to_ascii_lowercase();
        if n.ends_with("_arctype") {
            Table::Arctype
        } else if n.ends_with("_archives") {
            Table::Archives
        } else if n.ends_with("_addonarticle") {
            Table::AddonArticle
        } else if n.ends_with("_sgpage") {
            Table::SgPage
        } else if n.ends_with("_sysconfig") {
            Table::SysConfig
        } else {
            Table::Other
        }
    }
}

/// What the first pass keeps of a column before the tree is known.
struct TypeRow {
    id: i64,
    parent: i64,
    order: i64,
    name: String,
    typedir: String,
    ispart: i64,
    defaultname: String,
    namerule: String,
    namerule2: String,
    description: String,
    content: String,
    channeltype: i64,
}

/// An article's fields, id, publication time, whether the old site served it dynamically,
/// its custom file name and its column.
type Archive = (OldArticle, i64, i64, Option<i64>, String, i64);

/// A `dede_sgpage` row: id, title, file name, body, description.
type SgPage = (i64, String, String, String, String);

/// What the first pass keeps.
struct Rows {
    types: Vec<TypeRow>,
    archives: Vec<Archive>,
    pages: Vec<SgPage>,
    config: HashMap<String, String>,
    skipped: Vec<Skip>,
}

/// The columns, single pages included, with every address the old site gave them.
fn columns_of(
    types: &[TypeRow],
    by_id: &HashMap<i64, &TypeRow>,
    archives: &[Archive],
    pages: Vec<SgPage>,
    cmspath: &str,
    catalog: &mut Catalog,
) {
    // Columns, with their addresses; articles per column for the list pages.
    let mut per_column: HashMap<i64, usize> = HashMap::new();
    for (a, ..) in archives {
        if let Ok(c) = a.column.parse::<i64>() {
            *per_column.entry(c).or_default() += 1;
        }
    }
    for t in types {
        if t.ispart == 2 {
            catalog.skipped.push(Skip {
                kind: "栏目",
                id: t.id.to_string(),
                reason: format!("“{}”是外部链接栏目（{}）", t.name, t.typedir),
            });
            continue;
        }
        let typedir = typedir(&t.typedir, cmspath);
        let mut urls = vec![
            format!("{typedir}/"),
            format!("{typedir}/{}", non_empty(&t.defaultname, "index.html")),
            format!("/plus/list.php?tid={}", t.id),
        ];
        let rule = non_empty(&t.namerule2, "{typedir}/list_{tid}_{page}.html");
        let count = per_column.get(&t.id).copied().unwrap_or(0);
        let list_pages = count.div_ceil(LIST_PAGE_SIZE).clamp(1, MAX_LIST_PAGES);
        for page in 1..=list_pages {
            urls.push(
                rule.to_ascii_lowercase()
                    .replace("{typedir}", &typedir)
                    .replace("{tid}", &t.id.to_string())
                    .replace("{page}", &page.to_string()),
            );
        }
        let page = t.ispart == 1 && !t.content.trim().is_empty();
        let parent = (t.parent != 0 && by_id.get(&t.parent).is_some_and(|p| p.ispart != 2))
            .then(|| t.parent.to_string());
        catalog.columns.push(OldColumn {
            id: t.id.to_string(),
            parent,
            name: t.name.clone(),
            order: i32::try_from(t.order).unwrap_or(0),
            kind: if page {
                Kind::Page
            } else {
                Kind::guess(&t.name, t.channeltype == 2)
            },
            slug: typedir.rsplit('/').next().unwrap_or_default().to_owned(),
            description: t.description.clone(),
            body: if page {
                t.content.clone()
            } else {
                String::new()
            },
            urls,
        });
    }
    for (aid, title, filename, body, description) in pages {
        let file = filename.trim().trim_start_matches("{cmspath}").to_owned();
        let file = if file.starts_with('/') {
            file
        } else {
            format!("/{file}")
        };
        catalog.columns.push(OldColumn {
            id: format!("sgpage-{aid}"),
            parent: None,
            name: title,
            order: 1000,
            kind: Kind::Page,
            slug: file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".html")
                .trim_end_matches(".htm")
                .to_owned(),
            description,
            body,
            urls: vec![format!("{cmspath}{file}")],
        });
    }
}

impl Reader for Dede {
    fn catalog(&mut self) -> Result<Catalog, ImportError> {
        let Rows {
            types,
            archives,
            pages,
            config,
            skipped,
        } = self.read_rows()?;
        let cmspath = config
            .get("cfg_cmspath")
            .map(|p| p.trim().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let mut catalog = Catalog {
            skipped,
            ..Default::default()
        };
        if let Some(h) = config.get("cfg_basehost").and_then(|h| host_of(h)) {
            catalog.hosts.push(h);
        }
        let by_id: HashMap<i64, &TypeRow> = types.iter().map(|t| (t.id, t)).collect();
        columns_of(&types, &by_id, &archives, pages, &cmspath, &mut catalog);
        self.articles_of(archives, &by_id, &cmspath, &mut catalog);
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
            if Table::of(&table) != Table::AddonArticle {
                continue;
            }
            let r = row(&columns, &values, dump.charset());
            let body = OldBody {
                article: r.int("aid").to_string(),
                html: r.text("body"),
            };
            if !each(body) {
                break;
            }
        }
        Ok(())
    }
}

fn skip(id: i64, reason: &str) -> Skip {
    Skip {
        kind: "文章",
        id: id.to_string(),
        reason: reason.to_owned(),
    }
}

fn non_empty<'a>(s: &'a str, default: &'a str) -> &'a str {
    if s.trim().is_empty() {
        default
    } else {
        s.trim()
    }
}

/// `{cmspath}/a/news` as a path: `/a/news` (or `/sub/a/news` under an install path).
fn typedir(raw: &str, cmspath: &str) -> String {
    let dir = raw.trim().replace("{cmspath}", cmspath);
    let mut dir = if dir.starts_with('/') {
        dir
    } else {
        format!("/{dir}")
    };
    while dir.contains("//") {
        dir = dir.replace("//", "/");
    }
    dir.trim_end_matches('/').to_owned()
}

/// The host of `http://www.example.org.cn/` (lower case), if it has one.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typedirs_become_paths() {
        assert_eq!(typedir("{cmspath}/a/news", ""), "/a/news");
        assert_eq!(typedir("{cmspath}/a/news/", "/cms"), "/cms/a/news");
        assert_eq!(typedir("a/xx", ""), "/a/xx");
        assert_eq!(
            host_of("http://www.cadz.org.cn"),
            Some("www.cadz.org.cn".into())
        );
        assert_eq!(
            host_of("https://Old.Example/x/"),
            Some("old.example".into())
        );
    }
}
