//! Writing what a [`super::Reader`] reads: columns, single pages, articles and notices with
//! their pictures and attachments, the redirects of every old address, and the import
//! records that make a second run update instead of duplicate.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use entity::{article, column, import_record, notice};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::body::{self, Attr};
use super::files::MediaDir;
use super::{Catalog, ImportError, Kind, OldArticle, OldBody, OldColumn, Options, Report, Skip};
use crate::Result;
use crate::audit::{Actor, record as audit};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::media::Details;
use crate::storage::Store;

mod articles;
mod columns;
mod files;

/// Articles written per transaction.
const BATCH: usize = 50;
/// Bodies received ahead of the one being written, their pictures started.
const LOOKAHEAD: usize = 16;

/// Where a run is, for a progress bar: `done` of `total` in `phase`.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Runs an import; `progress` is told as it goes. The report is the run's result whether
/// or not anything was written.
pub async fn run(
    db: &Db,
    media: &Store,
    options: Options,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Report, ImportError> {
    let started = Instant::now();
    let mut reader = super::reader(&options)?;
    let media_dir = MediaDir::open(options.media.as_deref()).map_err(|e| {
        ImportError::Source(format!(
            "无法打开 --media 目录 {}：{e}",
            options
                .media
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ))
    })?;
    progress(Progress {
        phase: "读取",
        done: 0,
        total: 0,
    });
    let (catalog, reader) = tokio::task::spawn_blocking(move || {
        let catalog = reader.catalog();
        (catalog, reader)
    })
    .await
    .map_err(|e| ImportError::Source(format!("读取中断：{e}")))?;
    let catalog = catalog?;
    let mut hosts = options.old_hosts.clone();
    hosts.extend(catalog.hosts.iter().cloned());
    let mut w = Writer {
        db,
        media,
        media_dir,
        system: options.system.code(),
        origin: format!("import:{}", options.system.code()),
        actor: Actor::system(&format!("导入（{}）", options.system.label())),
        dry: options.dry_run,
        hosts,
        report: Report {
            system: Some(options.system),
            dry_run: options.dry_run,
            ..Default::default()
        },
        columns: HashMap::new(),
        files: HashMap::new(),
        missing: BTreeSet::new(),
        touched_columns: BTreeSet::new(),
        known: known_records(db, options.system.code()).await?,
        scheduled: HashMap::new(),
        cores: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
    };
    let Catalog {
        columns,
        articles,
        skipped,
        ..
    } = catalog;
    w.report.skipped.extend(skipped);
    w.columns(&columns).await?;
    drop(columns);
    w.articles(articles, reader, progress).await?;
    if !w.dry {
        w.fix_pending_links().await?;
        crate::listing::recount(db, &w.touched_columns.iter().copied().collect::<Vec<_>>()).await?;
        let mut tags: Vec<String> = [
            tag::CHROME,
            tag::HOME,
            tag::FEED,
            tag::SITEMAP,
            tag::NOTICES,
        ]
        .into_iter()
        .map(String::from)
        .collect();
        tags.extend(w.touched_columns.iter().map(|c| tag::list(*c)));
        cache::invalidate(db, tags).await?;
        audit(
            db,
            &w.actor,
            "site.import",
            "site",
            0,
            format!(
                "从 {} 导入：{}",
                options.system.label(),
                w.report
                    .counts
                    .iter()
                    .map(|(k, c)| format!("{k} {}", c.total()))
                    .collect::<Vec<_>>()
                    .join("，")
            ),
        )
        .await?;
    }
    w.report.seconds = started.elapsed().as_secs_f64();
    Ok(w.report)
}

struct Writer<'a> {
    db: &'a Db,
    media: &'a Store,
    media_dir: MediaDir,
    system: &'static str,
    origin: String,
    actor: Actor,
    dry: bool,
    hosts: Vec<String>,
    report: Report,
    /// Old column id -> (new id, what it is).
    columns: HashMap<String, (i32, Kind)>,
    /// Old file address -> new address (`/media/...`), and the image id for pictures.
    files: HashMap<String, (String, Option<i32>)>,
    /// Old file addresses already reported missing.
    missing: BTreeSet<String>,
    touched_columns: BTreeSet<i32>,
    /// What earlier runs made of each (kind, source id), read once at the start.
    known: HashMap<(String, String), Known>,
    /// Pictures of bodies coming soon, being decoded, resized and encoded meanwhile.
    scheduled: HashMap<String, tokio::task::JoinHandle<Result<crate::media::Processed>>>,
    /// One permit per core for that work.
    cores: Arc<tokio::sync::Semaphore>,
}

fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What an earlier run made of a source row: its new id and the digest of what it was.
#[derive(Clone, Debug)]
pub(super) struct Known {
    pub(super) target_id: i32,
    pub(super) digest: String,
}

/// Every import record of `system`, so a run asks the database once instead of once a row
/// (a second run of 100,000 articles reads 100,000 records).
async fn known_records(
    db: &Db,
    system: &str,
) -> Result<HashMap<(String, String), Known>, ImportError> {
    let rows: Vec<(String, String, i32, String)> = import_record::Entity::find()
        .select_only()
        .column(import_record::Column::Kind)
        .column(import_record::Column::SourceId)
        .column(import_record::Column::TargetId)
        .column(import_record::Column::Digest)
        .filter(import_record::Column::SiteId.eq(crate::site::directory::MAIN))
        .filter(import_record::Column::System.eq(system))
        .into_tuple()
        .all(db)
        .await
        .map_err(crate::Error::from)?;
    Ok(rows
        .into_iter()
        .map(|(kind, source_id, target_id, digest)| {
            ((kind, source_id), Known { target_id, digest })
        })
        .collect())
}

/// An import record to write: (kind, source id, target id, digest, links pending).
pub(super) type NewRecord = (&'static str, String, i32, String, bool);

impl Writer<'_> {
    pub(super) fn record_of(&self, kind: &str, source_id: &str) -> Option<Known> {
        self.known
            .get(&(kind.to_owned(), source_id.to_owned()))
            .cloned()
    }

    pub(super) async fn remember(
        &mut self,
        db: &impl ConnectionTrait,
        kind: &'static str,
        source_id: &str,
        target_id: i32,
        digest: &str,
        pending: bool,
    ) -> Result<()> {
        self.remember_many(
            db,
            vec![(
                kind,
                source_id.to_owned(),
                target_id,
                digest.to_owned(),
                pending,
            )],
        )
        .await
    }

    /// Writes import records, a few hundred a statement (the last of a source id wins).
    pub(super) async fn remember_many(
        &mut self,
        db: &impl ConnectionTrait,
        records: Vec<NewRecord>,
    ) -> Result<()> {
        let now = Utc::now();
        let mut unique: HashMap<(&'static str, String), (i32, String, bool)> = HashMap::new();
        for (kind, source_id, target_id, digest, pending) in records {
            unique.insert((kind, source_id), (target_id, digest, pending));
        }
        let rows: Vec<import_record::ActiveModel> = unique
            .into_iter()
            .map(|((kind, source_id), (target_id, digest, pending))| {
                self.known.insert(
                    (kind.to_owned(), source_id.clone()),
                    Known {
                        target_id,
                        digest: digest.clone(),
                    },
                );
                import_record::ActiveModel {
                    system: Set(self.system.to_owned()),
                    kind: Set(kind.to_owned()),
                    source_id: Set(source_id),
                    target_id: Set(target_id),
                    digest: Set(digest),
                    pending_links: Set(pending),
                    updated_at: Set(now),
                    site_id: Set(crate::site::directory::MAIN),
                }
            })
            .collect();
        for chunk in rows.chunks(200) {
            import_record::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        import_record::Column::SiteId,
                        import_record::Column::System,
                        import_record::Column::Kind,
                        import_record::Column::SourceId,
                    ])
                    .update_columns([
                        import_record::Column::TargetId,
                        import_record::Column::Digest,
                        import_record::Column::PendingLinks,
                        import_record::Column::UpdatedAt,
                    ])
                    .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn redirects(
        &mut self,
        db: &impl ConnectionTrait,
        urls: &[String],
        to: &str,
    ) -> Result<()> {
        let pairs = redirect_pairs(urls, to);
        self.report.redirects += crate::redirect::put_many(db, &self.origin, &pairs).await?;
        Ok(())
    }
}

/// The redirects of a row's old addresses to its new one.
pub(super) fn redirect_pairs(urls: &[String], to: &str) -> Vec<(String, String)> {
    urls.iter()
        .filter_map(|u| crate::redirect::normalize(u))
        .filter(|u| u != "/" && u != to)
        .map(|u| (u, to.to_owned()))
        .collect()
}
