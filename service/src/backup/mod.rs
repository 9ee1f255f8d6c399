//! One archive of the whole site, and loading it back: `portico backup`, `restore` and
//! `move-to`.
//!
//! The archive is a gzip-compressed tar file:
//!
//! - `tables/<table>/<nnnnnn>.jsonl`: the rows of every table that holds the site's content
//!   and accounts, one JSON object per line, in pages of [`PAGE`] rows. JSON of the entity
//!   models, so an archive of a SQLite site loads into PostgreSQL and back.
//! - `files/media/<path>` and `files/private/<path>`: every stored file.
//! - `manifest.json` (last): the format, the schema (migration names), the row and file
//!   counts, and the SHA-256 of every other entry.
//!
//! The rows are read in one read-only transaction, so they are a snapshot of one moment even
//! while the site is serving. Left out, because they are rebuilt or only matter to a running
//! server: staff sessions (everyone signs in again), sign-in throttles, the page-cache
//! invalidation log and the search index (rebuilt after a restore).
//!
//! A restore reads the whole archive once to check it (every hash, every row, the schema)
//! before it writes anything; then it loads the rows in one transaction and the files.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use entity::*;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use futures_util::TryStreamExt;
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    Iterable, PaginatorTrait, PrimaryKeyToColumn, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db};
use crate::storage::{Store, Stores};
use crate::{Error, Result};

/// The archive format this code writes and reads.
pub const FORMAT: u32 = 1;
/// Rows per table entry (and per insert when loading).
pub const PAGE: u64 = 500;
const MANIFEST: &str = "manifest.json";

/// What an archive holds, written last into it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    /// When the snapshot of the rows was taken.
    pub made_at: DateTime<Utc>,
    /// The database it came from: `sqlite` or `postgres`.
    pub source: String,
    /// The migrations applied to that database, in order: a restore needs the same.
    pub schema: Vec<String>,
    /// Rows per table, in loading order.
    pub tables: Vec<(String, u64)>,
    pub media: FileCount,
    pub private: FileCount,
    /// SHA-256 (hex) of every entry but the manifest.
    pub entries: BTreeMap<String, String>,
}

/// How many files and bytes a store holds.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileCount {
    pub files: u64,
    pub bytes: u64,
}

/// What the commands report as they go.
#[derive(Clone, Debug)]
pub enum Progress {
    /// `rows` of `table` done so far (of `total`).
    Rows {
        table: String,
        rows: u64,
        total: u64,
    },
    /// Files copied so far.
    Files {
        store: &'static str,
        files: u64,
        total: u64,
        bytes: u64,
    },
    /// A step without a count (checking, rebuilding the search index).
    Step(String),
}

/// The tables an archive holds, in an order that loads without breaking a foreign key.
macro_rules! each_table {
    ($callback:ident ! ($($args:tt)*)) => {
        $callback!($($args)*;
            site,
            site_host,
            site_setting,
            site_value,
            user,
            password_history,
            recovery_code,
            column,
            image,
            link_group,
            link,
            article,
            article_revision,
            article_review,
            article_autosave,
            article_views_daily,
            article_listing,
            notice,
            notice_attachment,
            page,
            magazine_issue,
            magazine_issue_article,
            message,
            submission,
            submission_file,
            audit_head,
            audit_log,
            form_counter,
            redirect,
            import_record
        )
    };
}

fn table_name<E: EntityTrait>() -> String {
    E::default().table_name().to_owned()
}

/// The names of the archived tables, in loading order.
pub fn table_names() -> Vec<String> {
    macro_rules! names {
        ($($m:ident),*) => { vec![$(table_name::<$m::Entity>()),*] };
    }
    macro_rules! go {
        (; $($m:ident),*) => { names!($($m),*) };
    }
    each_table!(go!())
}

/// The migrations this build has, by name.
pub fn schema() -> Vec<String> {
    use migration::MigratorTrait;
    migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Rows per archived table in `db` now.
pub async fn row_counts(db: &impl ConnectionTrait) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    macro_rules! count {
        (; $($m:ident),*) => {
            $(out.push((table_name::<$m::Entity>(), $m::Entity::find().count(db).await?));)*
        };
    }
    each_table!(count!());
    Ok(out)
}

/// Files and bytes in a store now.
pub async fn file_count(store: &Store) -> Result<FileCount> {
    let mut count = FileCount::default();
    let mut list = store.list();
    while let Some((_, size)) = list.try_next().await? {
        count.files += 1;
        count.bytes += size;
    }
    Ok(count)
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

// --- writing ---------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

mod check;
mod restore;
mod write;

pub use check::{MAX_ENTRY, check, check_reader};
use check::{file_of, open_archive, parse_rows, read_entry, table_of};
pub use restore::restore;
pub use write::backup;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert_eq!(table_of("tables/articles/000003.jsonl"), Some("articles"));
        assert_eq!(table_of("tables/articles"), None);
        assert_eq!(
            file_of("files/media/2026/12/a.jpg"),
            Some(("media", "2026/12/a.jpg"))
        );
        assert_eq!(file_of("files/other/a.jpg"), None);
        let names = table_names();
        assert_eq!(names.first().map(String::as_str), Some("sites"));
        assert!(names.contains(&"articles".to_owned()));
        assert!(!names.contains(&"sessions".to_owned()));
        assert!(schema().len() >= 7);
    }

    /// A tar header may claim any size: an entry that says it holds a terabyte but holds a
    /// few bytes is refused as a broken archive, never allocated for.
    #[test]
    fn sizes_in_entry_headers_are_not_trusted() {
        let mut tar = Vec::new();
        let mut header = tar::Header::new_gnu();
        header.set_path("tables/articles/000000.jsonl").unwrap();
        header.set_size(1 << 40);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.extend_from_slice(header.as_bytes());
        tar.extend_from_slice(&[b'{'; 512]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&tar).unwrap();
        let archive = gz.finish().unwrap();
        // (Allocating what the header says aborted the whole process.)
        let result = check_reader(&archive[..], |_| {});
        assert!(matches!(&result, Err(Error::Invalid(_))), "{result:?}");
    }
}
