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
            site_setting,
            user,
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
            audit_log,
            form_counter
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

/// The archive being written: entries with their hashes.
struct Writer {
    tar: tar::Builder<GzEncoder<BufWriter<File>>>,
    entries: BTreeMap<String, String>,
}

impl Writer {
    fn add(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(Utc::now().timestamp().max(0) as u64);
        header.set_entry_type(tar::EntryType::Regular);
        self.tar.append_data(&mut header, path, bytes)?;
        if path != MANIFEST {
            self.entries
                .insert(path.to_owned(), hex(&Sha256::digest(bytes)));
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn dump<E>(
    txn: &DatabaseTransaction,
    out: &mut Writer,
    progress: &mut impl FnMut(Progress),
) -> Result<u64>
where
    E: EntityTrait,
    E::Model: Serialize + Sync,
{
    let name = table_name::<E>();
    let total = E::find().count(txn).await?;
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let mut rows = 0;
    let mut page = 0u64;
    loop {
        let batch = query
            .clone()
            .offset(page * PAGE)
            .limit(PAGE)
            .all(txn)
            .await?;
        if batch.is_empty() {
            break;
        }
        let mut lines = Vec::with_capacity(batch.len() * 256);
        for row in &batch {
            serde_json::to_writer(&mut lines, row).map_err(io)?;
            lines.push(b'\n');
        }
        out.add(&format!("tables/{name}/{page:06}.jsonl"), &lines)?;
        rows += batch.len() as u64;
        page += 1;
        progress(Progress::Rows {
            table: name.clone(),
            rows,
            total,
        });
    }
    Ok(rows)
}

async fn copy_files(
    store: &Store,
    label: &'static str,
    out: &mut Writer,
    progress: &mut impl FnMut(Progress),
) -> Result<FileCount> {
    let mut files: Vec<(String, u64)> = store.list().try_collect().await?;
    files.sort();
    let total = files.len() as u64;
    let mut done = FileCount::default();
    for (path, _) in files {
        let bytes = match store.get(&path).await {
            Ok(b) => b,
            // Removed since it was listed (an image deleted meanwhile): not in the snapshot.
            Err(Error::NotFound) => continue,
            Err(e) => return Err(e),
        };
        out.add(&format!("files/{label}/{path}"), &bytes)?;
        done.files += 1;
        done.bytes += bytes.len() as u64;
        progress(Progress::Files {
            store: label,
            files: done.files,
            total,
            bytes: done.bytes,
        });
    }
    Ok(done)
}

/// Writes the archive of the site in `db` and `stores` to `path` (replacing it only once it
/// is complete). Safe while the site is serving: the rows are one snapshot; files written
/// after it are included, files deleted after it are not (their rows are deleted first).
pub async fn backup(
    db: &Db,
    stores: &Stores,
    path: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<Manifest> {
    let partial = path.with_extension("partial");
    let file = File::create(&partial)?;
    let mut out = Writer {
        tar: tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::fast())),
        entries: BTreeMap::new(),
    };
    let txn = match db.backend() {
        // One read-only snapshot of every table.
        Backend::Postgres => {
            db.writer()
                .begin_with_config(
                    Some(sea_orm::IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await?
        }
        // A deferred transaction: its first read fixes the snapshot (WAL), and it never
        // takes the write lock, so the site keeps saving meanwhile.
        Backend::Sqlite => db.writer().begin().await?,
    };
    let made_at = Utc::now();
    let mut tables = Vec::new();
    macro_rules! dump_all {
        (; $($m:ident),*) => {
            $(tables.push((table_name::<$m::Entity>(), dump::<$m::Entity>(&txn, &mut out, &mut progress).await?));)*
        };
    }
    each_table!(dump_all!());
    txn.rollback().await?;
    let media = copy_files(&stores.media, "media", &mut out, &mut progress).await?;
    let private = copy_files(&stores.private, "private", &mut out, &mut progress).await?;
    let manifest = Manifest {
        format: FORMAT,
        made_at,
        source: match db.backend() {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        schema: schema(),
        tables,
        media,
        private,
        entries: std::mem::take(&mut out.entries),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
    out.add(MANIFEST, &json)?;
    let mut gz = out.tar.into_inner()?;
    gz.flush()?;
    let buf = gz.finish()?;
    let file = buf.into_inner().map_err(|e| io(e.error()))?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    Ok(manifest)
}

// --- reading ---------------------------------------------------------------------------

fn open_archive(path: &Path) -> Result<tar::Archive<GzDecoder<BufReader<File>>>> {
    let file = File::open(path)?;
    Ok(tar::Archive::new(GzDecoder::new(BufReader::new(file))))
}

/// Parses the rows of one table entry as that table's models.
fn parse_rows<E>(bytes: &[u8]) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: DeserializeOwned,
{
    let mut rows = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        rows.push(serde_json::from_slice(line).map_err(|e| {
            bad(format!(
                "row {} of table {} does not read: {e}",
                n + 1,
                table_name::<E>()
            ))
        })?);
    }
    Ok(rows)
}

/// The number of rows in a table entry, after checking that every row reads.
fn check_rows(table: &str, bytes: &[u8]) -> Result<u64> {
    macro_rules! check {
        (; $($m:ident),*) => {
            $(if table == table_name::<$m::Entity>() {
                return Ok(parse_rows::<$m::Entity>(bytes)?.len() as u64);
            })*
        };
    }
    each_table!(check!());
    Err(bad(format!("the archive has an unknown table {table:?}")))
}

/// `tables/<name>/<page>.jsonl` → the table's name.
fn table_of(entry: &str) -> Option<&str> {
    let rest = entry.strip_prefix("tables/")?;
    let (name, file) = rest.split_once('/')?;
    file.ends_with(".jsonl").then_some(name)
}

/// `files/<store>/<path>` → the store and the path.
fn file_of(entry: &str) -> Option<(&str, &str)> {
    let rest = entry.strip_prefix("files/")?;
    let (store, path) = rest.split_once('/')?;
    matches!(store, "media" | "private").then_some((store, path))
}

/// Reads the whole archive and checks it: every entry's hash against the manifest, every
/// row against its table, the row and file counts, the format and the schema. Writes
/// nothing; returns the manifest.
pub fn check(path: &Path, mut progress: impl FnMut(Progress)) -> Result<Manifest> {
    let mut archive = open_archive(path)?;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut media = FileCount::default();
    let mut private = FileCount::default();
    let mut manifest: Option<Manifest> = None;
    let not_archive = |e: std::io::Error| bad(format!("not a Portico backup archive: {e}"));
    for entry in archive.entries().map_err(not_archive)? {
        let mut entry = entry.map_err(not_archive)?;
        let name = entry
            .path()
            .map_err(not_archive)?
            .to_string_lossy()
            .into_owned();
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut bytes).map_err(not_archive)?;
        if name == MANIFEST {
            manifest = Some(
                serde_json::from_slice(&bytes)
                    .map_err(|e| bad(format!("the archive's manifest does not read: {e}")))?,
            );
            continue;
        }
        if let Some(table) = table_of(&name) {
            let n = check_rows(table, &bytes)?;
            let total = rows.entry(table.to_owned()).or_default();
            *total += n;
            progress(Progress::Rows {
                table: table.to_owned(),
                rows: *total,
                total: 0,
            });
        } else if let Some((store, _)) = file_of(&name) {
            let count = if store == "media" {
                &mut media
            } else {
                &mut private
            };
            count.files += 1;
            count.bytes += bytes.len() as u64;
        } else {
            return Err(bad(format!("the archive has an unexpected entry {name:?}")));
        }
        if seen
            .insert(name.clone(), hex(&Sha256::digest(&bytes)))
            .is_some()
        {
            return Err(bad(format!("the archive has {name:?} twice")));
        }
    }
    let manifest = manifest.ok_or_else(|| {
        bad("the archive has no manifest.json (not a Portico backup, or cut short)")
    })?;
    if manifest.format != FORMAT {
        return Err(bad(format!(
            "the archive is in format {}, this Portico reads format {FORMAT}",
            manifest.format
        )));
    }
    if manifest.schema != schema() {
        return Err(bad(format!(
            "the archive's database schema ({} migrations, the last {:?}) differs from this \
             Portico's ({}, the last {:?}): restore it with the version that made it",
            manifest.schema.len(),
            manifest.schema.last(),
            schema().len(),
            schema().last()
        )));
    }
    if seen != manifest.entries {
        let damaged = manifest
            .entries
            .iter()
            .find(|(k, v)| seen.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .or_else(|| {
                seen.keys()
                    .find(|k| !manifest.entries.contains_key(*k))
                    .cloned()
            })
            .unwrap_or_default();
        return Err(bad(format!(
            "the archive is damaged: {damaged:?} is missing or differs from when it was written"
        )));
    }
    for (table, expected) in &manifest.tables {
        let got = rows.get(table).copied().unwrap_or(0);
        if got != *expected {
            return Err(bad(format!(
                "table {table}: the manifest says {expected} rows, the archive has {got}"
            )));
        }
    }
    if media != manifest.media || private != manifest.private {
        return Err(bad("the archive's files differ from its manifest"));
    }
    Ok(manifest)
}

/// Rows and files already in the target, as a sentence (`None` when it is empty).
async fn existing(db: &Db, stores: &Stores) -> Result<Option<String>> {
    let mut found = Vec::new();
    for (table, n) in row_counts(db).await? {
        // The settings row and the forms' key are made on first start of any server.
        if n > 0 && table != table_name::<site_setting::Entity>() {
            found.push(format!("{n} rows in {table}"));
        }
    }
    for (label, store) in [("media", &stores.media), ("private", &stores.private)] {
        let c = file_count(store).await?;
        if c.files > 0 {
            found.push(format!("{} files in the {label} storage", c.files));
        }
    }
    Ok((!found.is_empty()).then(|| found.join(", ")))
}

/// Empties the archived tables (children first), and the sessions and sign-in throttles
/// that point at the accounts.
async fn clear(txn: &DatabaseTransaction) -> Result<()> {
    session::Entity::delete_many().exec(txn).await?;
    login_throttle::Entity::delete_many().exec(txn).await?;
    // Columns point at their parents: unlinked before any is deleted.
    column::Entity::update_many()
        .col_expr(
            column::Column::ParentId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .exec(txn)
        .await?;
    for table in table_names().iter().rev() {
        txn.execute_unprepared(&format!("DELETE FROM \"{table}\""))
            .await?;
    }
    Ok(())
}

async fn insert_rows<E>(txn: &DatabaseTransaction, bytes: &[u8]) -> Result<u64>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
{
    let rows = parse_rows::<E>(bytes)?;
    let n = rows.len() as u64;
    if n > 0 {
        E::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
            .exec(txn)
            .await?;
    }
    Ok(n)
}

/// Columns first without their parents (a column may sit under one made after it), then
/// the parents set.
async fn insert_categories(
    txn: &DatabaseTransaction,
    bytes: &[u8],
    parents: &mut Vec<(i32, i32)>,
) -> Result<u64> {
    let mut rows = parse_rows::<column::Entity>(bytes)?;
    for row in &mut rows {
        if let Some(p) = row.parent_id.take() {
            parents.push((row.id, p));
        }
    }
    let n = rows.len() as u64;
    if n > 0 {
        column::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
            .exec(txn)
            .await?;
    }
    Ok(n)
}

async fn load_entry(
    txn: &DatabaseTransaction,
    table: &str,
    bytes: &[u8],
    parents: &mut Vec<(i32, i32)>,
) -> Result<u64> {
    if table == table_name::<column::Entity>() {
        return insert_categories(txn, bytes, parents).await;
    }
    macro_rules! load {
        (; $($m:ident),*) => {
            $(if table == table_name::<$m::Entity>() {
                return insert_rows::<$m::Entity>(txn, bytes).await;
            })*
        };
    }
    each_table!(load!());
    Err(bad(format!("unknown table {table:?}")))
}

/// PostgreSQL's id sequences continue after the loaded ids (SQLite's follow by themselves).
async fn reset_sequences(db: &Db) -> Result<()> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    for table in table_names() {
        let sql = format!(
            "SELECT setval(seq, COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false) \
             FROM pg_get_serial_sequence('\"{table}\"', 'id') AS seq WHERE seq IS NOT NULL"
        );
        // Tables keyed otherwise have no `id` column: nothing to do for them.
        let has_id: bool = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
                 WHERE table_name = $1 AND column_name = 'id')",
                [table.clone().into()],
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<bool>(0).ok())
            .unwrap_or(false);
        if has_id {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}

/// Loads the archive at `path` into `db` and `stores`, after [`check`]ing all of it. The
/// target must be empty unless `force` (then its rows are replaced; its files stay, and
/// files of the same name are overwritten). The search index is rebuilt afterwards.
pub async fn restore(
    db: &Db,
    stores: &Stores,
    path: &Path,
    force: bool,
    mut progress: impl FnMut(Progress),
) -> Result<Manifest> {
    progress(Progress::Step("checking the archive".into()));
    let manifest = check(path, &mut progress)?;
    if let Some(found) = existing(db, stores).await?
        && !force
    {
        return Err(bad(format!(
            "the target is not empty ({found}); restore into an empty database and storage, \
             or add --force to replace its rows"
        )));
    }
    let txn = db.begin().await?;
    if force {
        clear(&txn).await?;
    } else {
        // The settings row a first start made is replaced by the archive's.
        site_setting::Entity::delete_many().exec(&txn).await?;
    }
    let mut archive = open_archive(path)?;
    let mut parents = Vec::new();
    let mut loaded: BTreeMap<String, u64> = BTreeMap::new();
    let mut copied = FileCount::default();
    let total_files = manifest.media.files + manifest.private.files;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut bytes)?;
        if let Some(table) = table_of(&name) {
            let n = load_entry(&txn, table, &bytes, &mut parents).await?;
            let done = loaded.entry(table.to_owned()).or_default();
            *done += n;
            let total = manifest
                .tables
                .iter()
                .find(|(t, _)| t == table)
                .map_or(0, |t| t.1);
            progress(Progress::Rows {
                table: table.to_owned(),
                rows: *done,
                total,
            });
        } else if let Some((store, file)) = file_of(&name) {
            let (target, label) = if store == "media" {
                (&stores.media, "media")
            } else {
                (&stores.private, "private")
            };
            copied.bytes += bytes.len() as u64;
            target.put(file, bytes).await?;
            copied.files += 1;
            progress(Progress::Files {
                store: label,
                files: copied.files,
                total: total_files,
                bytes: copied.bytes,
            });
        }
    }
    for (id, parent) in parents {
        column::Entity::update_many()
            .col_expr(
                column::Column::ParentId,
                sea_orm::sea_query::Expr::value(Some(parent)),
            )
            .filter(column::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    // Every server drops its cached pages (a forced restore under a running site).
    crate::cache::invalidate(&txn, [crate::cache::tag::CHROME]).await?;
    txn.commit().await?;
    reset_sequences(db).await?;
    progress(Progress::Step("rebuilding the search index".into()));
    crate::search::rebuild(db, |_, _| {}).await?;
    Ok(manifest)
}

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
        assert_eq!(names.first().map(String::as_str), Some("site_settings"));
        assert!(names.contains(&"articles".to_owned()));
        assert!(!names.contains(&"sessions".to_owned()));
        assert!(schema().len() >= 7);
    }
}
