//! Moving an existing site in: its columns, articles, single pages, notices and pictures
//! from what another CMS produces (a WordPress export, a `mysqldump` of DedeCMS, PbootCMS or EmpireCMS), with every old address
//! answered by a redirect (see [`crate::redirect`]).
//!
//! A run reads the dump twice, streaming: first everything but the bodies (the column tree
//! and each article's fields, small), then the bodies one at a time, each written with its
//! pictures. Parsing runs on a blocking thread and hands bodies over a short queue, so
//! memory stays bounded whatever the size of the dump. Every row written keeps its source
//! id in `import_records` with a digest of what it said: a second run skips what did not
//! change, updates what did, and picks up where an interrupted run stopped.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::column::ColumnKind;

pub mod body;
pub mod dede;
pub mod empire;
pub mod files;
pub mod pboot;
pub mod rows;
pub mod sqldump;
pub mod write;
pub mod wxr;

pub use write::run;

/// The systems a site can be moved in from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    WordPress,
    DedeCms,
    PbootCms,
    EmpireCms,
}

impl System {
    pub const ALL: [System; 4] = [
        System::WordPress,
        System::DedeCms,
        System::PbootCms,
        System::EmpireCms,
    ];

    /// `wordpress`, `dedecms`, `pbootcms`, `empirecms`: the `--from` value and the
    /// `import_records.system` code.
    pub fn code(self) -> &'static str {
        match self {
            System::WordPress => "wordpress",
            System::DedeCms => "dedecms",
            System::PbootCms => "pbootcms",
            System::EmpireCms => "empirecms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            System::WordPress => "WordPress",
            System::DedeCms => "DedeCMS（织梦）",
            System::PbootCms => "PbootCMS",
            System::EmpireCms => "EmpireCMS（帝国）",
        }
    }

    pub fn from_code(code: &str) -> Option<System> {
        System::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How a run is made.
#[derive(Clone, Debug)]
pub struct Options {
    pub system: System,
    pub source: PathBuf,
    /// A copy of the old site's upload folder, where pictures and attachments are read from.
    pub media: Option<PathBuf>,
    /// Read everything and report, write nothing.
    pub dry_run: bool,
    /// How the dump's text is encoded when it does not say (`SET NAMES`).
    pub charset: sqldump::Charset,
    /// The zone the old site's dates and dated addresses were in.
    pub time_zone: Tz,
    /// Host names of the old site: links to them are links inside the site.
    pub old_hosts: Vec<String>,
}

/// A column of the old site.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OldColumn {
    pub id: String,
    pub parent: Option<String>,
    pub name: String,
    pub order: i32,
    pub kind: Kind,
    /// A URL name to start the new slug from (the old directory name, say).
    pub slug: String,
    pub description: String,
    /// The content of a single page.
    pub body: String,
    /// Every address the old site gave this column (its list pages included).
    pub urls: Vec<String>,
}

/// What a column becomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    List,
    Pictures,
    Page,
    Notices,
}

impl Kind {
    pub fn column_kind(self) -> ColumnKind {
        match self {
            Kind::List => ColumnKind::List,
            Kind::Pictures => ColumnKind::Pictures,
            Kind::Page => ColumnKind::Page,
            Kind::Notices => ColumnKind::Notices,
        }
    }

    /// A list column named like the notices (通知公告) becomes the notices.
    pub fn guess(name: &str, pictures: bool) -> Kind {
        if name.contains("通知") || name.contains("公告") {
            Kind::Notices
        } else if pictures {
            Kind::Pictures
        } else {
            Kind::List
        }
    }
}

/// An article of the old site (its body comes in the second pass).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OldArticle {
    pub id: String,
    pub column: String,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub summary: String,
    pub keywords: String,
    pub published_at: Option<DateTime<Utc>>,
    /// The old address of its cover picture.
    pub cover: String,
    pub headline: bool,
    pub recommended: bool,
    pub slideshow: bool,
    /// Not yet reviewed on the old site: a draft here.
    pub draft: bool,
    pub hits: i64,
    pub tags: Vec<String>,
    pub urls: Vec<String>,
}

/// Something of the old site that was not brought in, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// 栏目, 文章, 图片, 附件 ...
    pub kind: &'static str,
    pub id: String,
    pub reason: String,
}

/// What the first pass found.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub columns: Vec<OldColumn>,
    pub articles: Vec<OldArticle>,
    pub skipped: Vec<Skip>,
    /// Host names the dump names for the old site (DedeCMS's cfg_basehost, ...).
    pub hosts: Vec<String>,
}

/// A body of the second pass: the article's old id and its HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OldBody {
    pub article: String,
    pub html: String,
}

/// New / changed / unchanged counts of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Count {
    pub fn total(&self) -> u64 {
        self.added + self.updated + self.unchanged
    }

    /// One more row written: `updated` when an earlier run had made it, else added.
    pub fn tally(&mut self, updated: bool) {
        if updated {
            self.updated += 1
        } else {
            self.added += 1
        }
    }
}

/// What a run did (or, dry, would do).
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub system: Option<System>,
    pub dry_run: bool,
    pub counts: BTreeMap<&'static str, Count>,
    pub redirects: u64,
    pub skipped: Vec<Skip>,
    pub seconds: f64,
}

impl Report {
    pub fn count(&mut self, kind: &'static str) -> &mut Count {
        self.counts.entry(kind).or_default()
    }

    /// The report as the operator reads it (and as it is saved).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let system = self.system.map_or("", System::label);
        out.push_str(&format!(
            "{}导入报告：{system}\n",
            if self.dry_run {
                "【试运行，未写入】"
            } else {
                ""
            }
        ));
        for (kind, c) in &self.counts {
            out.push_str(&format!(
                "  {kind}：共 {}，新增 {}，更新 {}，未变 {}\n",
                c.total(),
                c.added,
                c.updated,
                c.unchanged
            ));
        }
        out.push_str(&format!("  旧地址跳转：新增或更新 {} 条\n", self.redirects));
        out.push_str(&format!("  用时 {:.1} 秒\n", self.seconds));
        if self.skipped.is_empty() {
            out.push_str("未跳过任何内容。\n");
        } else {
            out.push_str(&format!("跳过 {} 项：\n", self.skipped.len()));
            for s in &self.skipped {
                out.push_str(&format!("  {} {}：{}\n", s.kind, s.id, s.reason));
            }
        }
        out
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The source cannot be read as what it claims to be; names the line or item.
    #[error("{0}")]
    Source(String),
    #[error(transparent)]
    Service(#[from] crate::Error),
}

impl From<sqldump::DumpError> for ImportError {
    fn from(e: sqldump::DumpError) -> Self {
        ImportError::Source(e.to_string())
    }
}

/// Reads one source: the catalog (first pass), then the bodies (second pass), each
/// streamed from the file.
pub trait Reader: Send {
    fn catalog(&mut self) -> Result<Catalog, ImportError>;
    /// Calls `each` with every body, in the order of the file; stops when it returns false.
    fn bodies(&mut self, each: &mut dyn FnMut(OldBody) -> bool) -> Result<(), ImportError>;
}

/// The reader of `options.system`.
pub fn reader(options: &Options) -> Result<Box<dyn Reader>, ImportError> {
    match options.system {
        System::DedeCms => Ok(Box::new(dede::Dede::new(options))),
        System::WordPress => Ok(Box::new(wxr::Wxr::new(options))),
        System::PbootCms => Ok(Box::new(pboot::Pboot::new(options))),
        System::EmpireCms => Ok(Box::new(empire::Empire::new(options))),
    }
}

/// The error of a dump that lacks the tables a system's import needs: what it needs, what
/// the file has.
pub fn tables_missing<'a>(
    system: &str,
    needed: &str,
    found: impl Iterator<Item = &'a String>,
) -> ImportError {
    let found: Vec<&str> = found.map(String::as_str).collect();
    ImportError::Source(format!(
        "没有找到 {system} 的数据表（需要 {needed} 的数据，文件中的表：{}）。请确认这是 {system} 站点数据库的 mysqldump 导出文件，且 --from 选对了系统",
        if found.is_empty() {
            "无".to_owned()
        } else {
            found.join("、")
        }
    ))
}

/// Opens a dump file, gzip-compressed or not.
pub fn open(path: &std::path::Path) -> Result<Box<dyn std::io::Read + Send>, ImportError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)
        .map_err(|e| ImportError::Source(format!("无法打开 {}：{e}", path.display())))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).unwrap_or(0);
    let file = std::fs::File::open(path)
        .map_err(|e| ImportError::Source(format!("无法打开 {}：{e}", path.display())))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::new(file),
        )))
    } else {
        Ok(Box::new(file))
    }
}
