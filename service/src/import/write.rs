//! Writing what a [`super::Reader`] reads: columns, single pages, articles and notices with
//! their pictures and attachments, the redirects of every old address, and the import
//! records that make a second run update instead of duplicate.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use chrono::Utc;
use entity::{article, column, import_record, notice};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
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

/// Articles written per transaction.
const BATCH: usize = 50;

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

impl Writer<'_> {
    async fn record_of(&self, kind: &str, source_id: &str) -> Result<Option<import_record::Model>> {
        Ok(import_record::Entity::find_by_id((
            self.system.to_owned(),
            kind.to_owned(),
            source_id.to_owned(),
        ))
        .one(self.db)
        .await?)
    }

    async fn remember(
        &self,
        db: &impl ConnectionTrait,
        kind: &str,
        source_id: &str,
        target_id: i32,
        digest: &str,
        pending: bool,
    ) -> Result<()> {
        import_record::Entity::insert(import_record::ActiveModel {
            system: Set(self.system.to_owned()),
            kind: Set(kind.to_owned()),
            source_id: Set(source_id.to_owned()),
            target_id: Set(target_id),
            digest: Set(digest.to_owned()),
            pending_links: Set(pending),
            updated_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
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
        Ok(())
    }

    async fn redirects(
        &mut self,
        db: &impl ConnectionTrait,
        urls: &[String],
        to: &str,
    ) -> Result<()> {
        let pairs: Vec<(String, String)> = urls
            .iter()
            .filter_map(|u| crate::redirect::normalize(u))
            .filter(|u| u != "/" && u != to)
            .map(|u| (u, to.to_owned()))
            .collect();
        self.report.redirects += crate::redirect::put_many(db, &self.origin, &pairs).await?;
        Ok(())
    }

    /// The column tree, parents before children.
    async fn columns(&mut self, old: &[OldColumn]) -> Result<()> {
        let mut existing = crate::column::all(self.db).await?;
        let mut slugs: BTreeSet<String> = existing.iter().map(|c| c.slug.clone()).collect();
        // Parents first: repeat over what is left until nothing moves.
        let mut left: Vec<&OldColumn> = old.iter().collect();
        let known: BTreeSet<&str> = old.iter().map(|c| c.id.as_str()).collect();
        while !left.is_empty() {
            let before = left.len();
            let mut next = Vec::new();
            for c in left {
                let parent_ready = match &c.parent {
                    None => true,
                    Some(p) => !known.contains(p.as_str()) || self.columns.contains_key(p),
                };
                if parent_ready {
                    self.column(c, &mut existing, &mut slugs).await?;
                } else {
                    next.push(c);
                }
            }
            if next.len() == before {
                for c in next {
                    self.report.skipped.push(Skip {
                        kind: "栏目",
                        id: c.id.clone(),
                        reason: format!("“{}”的上级栏目形成循环", c.name),
                    });
                }
                break;
            }
            left = next;
        }
        Ok(())
    }

    async fn column(
        &mut self,
        c: &OldColumn,
        existing: &mut Vec<column::Model>,
        slugs: &mut BTreeSet<String>,
    ) -> Result<()> {
        let name = c.name.trim();
        if name.is_empty() {
            self.report.skipped.push(Skip {
                kind: "栏目",
                id: c.id.clone(),
                reason: "没有名称".into(),
            });
            return Ok(());
        }
        let parent = c
            .parent
            .as_ref()
            .and_then(|p| self.columns.get(p))
            .map(|(id, _)| *id);
        let kind = c.kind;
        let d = digest(&[
            name,
            &format!("{parent:?}{}{:?}", c.order, kind),
            &c.description,
            &c.body,
            &c.urls.join(" "),
        ]);
        let label = if kind == Kind::Page {
            "单页"
        } else {
            "栏目"
        };
        let record = self.record_of("column", &c.id).await?;
        let row = record
            .as_ref()
            .and_then(|r| existing.iter().find(|e| e.id == r.target_id))
            .cloned();
        if let (Some(r), Some(row)) = (&record, &row)
            && r.digest == d
        {
            self.columns.insert(c.id.clone(), (row.id, kind));
            self.report.count(label).unchanged += 1;
            return Ok(());
        }
        if self.dry {
            self.columns
                .insert(c.id.clone(), (row.as_ref().map_or(0, |r| r.id), kind));
            match row {
                Some(_) => self.report.count(label).updated += 1,
                None => self.report.count(label).added += 1,
            }
            return Ok(());
        }
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let saved = match row {
            Some(row) => {
                let mut m: column::ActiveModel = row.into();
                m.name = Set(name.chars().take(50).collect());
                m.parent_id = Set(parent);
                m.sort_order = Set(c.order);
                m.description = Set(c.description.chars().take(500).collect());
                m.updated_at = Set(now);
                self.report.count(label).updated += 1;
                m.update(&txn).await?
            }
            None => {
                let slug = unique_slug(&c.slug, &c.id, slugs);
                slugs.insert(slug.clone());
                self.report.count(label).added += 1;
                column::ActiveModel {
                    parent_id: Set(parent),
                    name: Set(name.chars().take(50).collect()),
                    slug: Set(slug),
                    kind: Set(kind.column_kind()),
                    description: Set(c.description.chars().take(500).collect()),
                    sort_order: Set(c.order),
                    show_in_nav: Set(parent.is_none() && !c.id.starts_with("sgpage-")),
                    listed_count: Set(0),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        self.remember(&txn, "column", &c.id, saved.id, &d, false)
            .await?;
        let to = format!("/columns/{}", saved.slug);
        self.redirects(&txn, &c.urls, &to).await?;
        cache::invalidate(
            &txn,
            [
                tag::CHROME.to_owned(),
                tag::list(saved.id),
                tag::page(saved.id),
            ],
        )
        .await?;
        txn.commit().await?;
        existing.retain(|e| e.id != saved.id);
        existing.push(saved.clone());
        self.columns.insert(c.id.clone(), (saved.id, kind));
        if kind == Kind::Page {
            let html = self.prepare_body(&c.body).await?.0;
            let html = if html.trim().is_empty() {
                "<p></p>".to_owned()
            } else {
                html
            };
            crate::page::save_page(self.db, &self.actor, saved.id, name, &html).await?;
        }
        Ok(())
    }

    /// Stores a picture or attachment of the old site once; its new address (and image id).
    async fn file(&mut self, old: &str, picture: bool) -> Option<(String, Option<i32>)> {
        let key = old.split(['?', '#']).next().unwrap_or_default().to_owned();
        if let Some(found) = self.files.get(&key) {
            return Some(found.clone());
        }
        if self.missing.contains(&key) {
            return None;
        }
        let kind = if picture { "图片" } else { "附件" };
        let path = match self.media_dir.find(&key) {
            Ok(p) => p,
            Err(why) => {
                self.missing.insert(key.clone());
                self.report.skipped.push(Skip {
                    kind,
                    id: key,
                    reason: why.reason(),
                });
                return None;
            }
        };
        let record_kind = if picture { "image" } else { "file" };
        if self.dry {
            self.report.count(kind).added += 1;
            let found = (key.clone(), None);
            self.files.insert(key, found.clone());
            return Some(found);
        }
        // Brought in by an earlier run.
        if let Ok(Some(r)) = self.record_of(record_kind, &key).await {
            let found = if picture {
                match crate::media::find(self.db, r.target_id).await {
                    Ok(Some(img)) => Some((format!("/media/{}", img.path), Some(img.id))),
                    _ => None,
                }
            } else {
                Some((r.digest.clone(), None))
            };
            if let Some(found) = found {
                self.report.count(kind).unchanged += 1;
                self.files.insert(key, found.clone());
                return Some(found);
            }
        }
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => b,
            Err(e) => {
                self.report.skipped.push(Skip {
                    kind,
                    id: key,
                    reason: format!("读取失败：{e}"),
                });
                return None;
            }
        };
        let found = if picture {
            let alt = String::new();
            match crate::media::store(
                self.db,
                self.media,
                &self.actor,
                &bytes,
                Details {
                    alt,
                    ..Default::default()
                },
            )
            .await
            {
                Ok(img) => {
                    let _ = self
                        .remember(self.db, "image", &key, img.id, "", false)
                        .await;
                    (format!("/media/{}", img.path), Some(img.id))
                }
                Err(e) => {
                    self.report.skipped.push(Skip {
                        kind,
                        id: key,
                        reason: e.reader_message(),
                    });
                    return None;
                }
            }
        } else {
            let ext = key
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            let stem = match crate::storage::stem() {
                Ok(s) => s,
                Err(_) => return None,
            };
            let rel = format!("files/{}/{stem}.{ext}", Utc::now().format("%Y/%m"));
            if let Err(e) = self.media.put(&rel, bytes).await {
                self.report.skipped.push(Skip {
                    kind,
                    id: key,
                    reason: e.reader_message(),
                });
                return None;
            }
            let address = format!("/media/{rel}");
            let _ = self
                .remember(self.db, "file", &key, 0, &address, false)
                .await;
            (address, None)
        };
        self.report.count(kind).added += 1;
        self.files.insert(key, found.clone());
        Some(found)
    }

    /// An old body made ready: its pictures and attachments brought in, links to old pages
    /// pointed at their new addresses where those are known, cleaned like a paste. Also
    /// says whether some old link is still unknown.
    async fn prepare_body(&mut self, html: &str) -> Result<(String, bool)> {
        self.rewrite_body(html, true).await
    }

    /// [`Self::prepare_body`]; without `files`, only links to pages are looked at (a body
    /// written already, its files brought in).
    async fn rewrite_body(&mut self, html: &str, files: bool) -> Result<(String, bool)> {
        let links = body::links(html);
        let mut new: HashMap<usize, String> = HashMap::new();
        let mut pending = false;
        for (i, l) in links.iter().enumerate() {
            let Some(local) = body::local(&l.value, &self.hosts) else {
                continue;
            };
            if ["/media/", "/articles/", "/columns/", "/notices/"]
                .iter()
                .any(|p| local.starts_with(p))
            {
                continue;
            }
            let picture = l.attr == Attr::ImgSrc;
            if picture || body::is_attachment(&local) {
                if !files {
                    continue;
                }
                if let Some((address, _)) = self.file(&local, picture).await {
                    new.insert(i, address);
                }
                continue;
            }
            let (path, query) = match local.split_once('?') {
                Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
                None => (local.clone(), None),
            };
            match crate::redirect::find_target(
                self.db,
                &crate::redirect::candidates(&path, query.as_deref()),
            )
            .await?
            {
                Some(to) => {
                    new.insert(i, to);
                }
                None => pending = true,
            }
        }
        let rewritten = body::rewrite(html, &links, |i, _| new.get(&i).cloned());
        let cleaned = crate::work::heavy(move || crate::paste::clean_markup(&rewritten)).await?;
        Ok((cleaned, pending))
    }

    async fn articles(
        &mut self,
        articles: Vec<OldArticle>,
        mut reader: Box<dyn super::Reader>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), ImportError> {
        let total = articles.len() as u64;
        let mut by_id: HashMap<String, OldArticle> =
            articles.into_iter().map(|a| (a.id.clone(), a)).collect();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<OldBody>(32);
        let reading = tokio::task::spawn_blocking(move || {
            reader.bodies(&mut |b| tx.blocking_send(b).is_ok())
        });
        let mut done = 0u64;
        let mut batch: Vec<Prepared> = Vec::new();
        while let Some(b) = rx.recv().await {
            let Some(a) = by_id.remove(&b.article) else {
                continue;
            };
            done += 1;
            if let Some(p) = self.prepare_article(a, &b.html).await? {
                batch.push(p);
            }
            if batch.len() >= BATCH {
                self.write_batch(std::mem::take(&mut batch)).await?;
            }
            if done.is_multiple_of(50) || done == total {
                progress(Progress {
                    phase: "文章",
                    done,
                    total,
                });
            }
        }
        self.write_batch(batch).await?;
        reading
            .await
            .map_err(|e| ImportError::Source(format!("读取中断：{e}")))??;
        let mut rest: Vec<OldArticle> = by_id.into_values().collect();
        rest.sort_by(|a, b| a.id.cmp(&b.id));
        for a in rest {
            self.report.skipped.push(Skip {
                kind: "文章",
                id: a.id,
                reason: format!("《{}》没有正文", a.title),
            });
        }
        progress(Progress {
            phase: "文章",
            done: total,
            total,
        });
        Ok(())
    }

    /// What to write of one article, or `None` when it is unchanged or skipped.
    async fn prepare_article(&mut self, a: OldArticle, html: &str) -> Result<Option<Prepared>> {
        let Some(&(column_id, kind)) = self.columns.get(&a.column) else {
            self.report.skipped.push(Skip {
                kind: "文章",
                id: a.id.clone(),
                reason: format!("《{}》所属栏目未导入", a.title),
            });
            return Ok(None);
        };
        if a.title.trim().is_empty() {
            self.report.skipped.push(Skip {
                kind: "文章",
                id: a.id.clone(),
                reason: "没有标题".into(),
            });
            return Ok(None);
        }
        if html.trim().is_empty() && a.cover.trim().is_empty() {
            self.report.skipped.push(Skip {
                kind: "文章",
                id: a.id.clone(),
                reason: format!("《{}》正文为空", a.title),
            });
            return Ok(None);
        }
        let notice = kind == Kind::Notices;
        let record_kind = if notice { "notice" } else { "article" };
        let label = if notice { "通知公告" } else { "文章" };
        let d = digest(&[&format!("{a:?}"), html, &column_id.to_string()]);
        let record = self.record_of(record_kind, &a.id).await?;
        if let Some(r) = &record
            && r.digest == d
        {
            self.report.count(label).unchanged += 1;
            return Ok(None);
        }
        if self.dry {
            match record {
                Some(_) => self.report.count(label).updated += 1,
                None => self.report.count(label).added += 1,
            }
            // Pictures are looked for, so the report names the missing ones.
            for l in body::links(html) {
                if l.attr == Attr::ImgSrc
                    && let Some(local) = body::local(&l.value, &self.hosts)
                {
                    self.file(&local, true).await;
                }
            }
            return Ok(None);
        }
        let (body, pending) = self.prepare_body(html).await?;
        let cover = match body::local(&a.cover, &self.hosts) {
            Some(c) if !a.cover.trim().is_empty() => {
                self.file(&c, true).await.and_then(|(_, id)| id)
            }
            _ => None,
        };
        Ok(Some(Prepared {
            old: a,
            column_id,
            notice,
            body,
            cover,
            digest: d,
            pending,
            target: record.map(|r| r.target_id),
        }))
    }

    async fn write_batch(&mut self, batch: Vec<Prepared>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let columns = crate::column::all(self.db).await?;
        let txn = self.db.begin().await?;
        for p in batch {
            let now = Utc::now();
            let a = &p.old;
            let published_at = a.published_at.unwrap_or(now);
            if p.notice {
                let existing = match p.target {
                    Some(id) => notice::Entity::find_by_id(id).one(&txn).await?,
                    None => None,
                };
                let mut m: notice::ActiveModel = match &existing {
                    Some(n) => n.clone().into(),
                    None => notice::ActiveModel {
                        created_at: Set(now),
                        ..Default::default()
                    },
                };
                m.title = Set(a.title.chars().take(200).collect());
                m.body = Set(p.body.clone());
                m.is_published = Set(!a.draft);
                m.published_at = Set(published_at);
                m.updated_at = Set(now);
                let saved = match existing {
                    Some(_) => m.update(&txn).await?,
                    None => m.insert(&txn).await?,
                };
                crate::search::index(&txn, &crate::search::Doc::notice(&saved)).await?;
                self.remember(&txn, "notice", &a.id, saved.id, &p.digest, p.pending)
                    .await?;
                self.redirects(&txn, &a.urls, &format!("/notices/{}", saved.id))
                    .await?;
                let c = self.report.count("通知公告");
                if existing.is_some() {
                    c.updated += 1
                } else {
                    c.added += 1
                }
                continue;
            }
            let existing = match p.target {
                Some(id) => article::Entity::find_by_id(id).one(&txn).await?,
                None => None,
            };
            let mut m: article::ActiveModel = match &existing {
                Some(x) => x.clone().into(),
                None => article::ActiveModel {
                    slug: Set(None),
                    owner_id: Set(None),
                    hits: Set(0),
                    created_at: Set(published_at.min(now)),
                    ..Default::default()
                },
            };
            let clip = |s: &str, n: usize| s.trim().chars().take(n).collect::<String>();
            m.column_id = Set(p.column_id);
            m.title = Set(clip(&a.title, 200));
            m.subtitle = Set(clip(&a.subtitle, 200));
            m.source = Set(clip(&a.source, 100));
            m.author = Set(clip(&a.author, 100));
            m.summary = Set(clip(&a.summary, 500));
            m.keywords = Set(clip(&a.keywords.replace('，', ","), 255));
            m.body = Set(p.body.clone());
            m.cover_image_id = Set(p.cover);
            m.is_headline = Set(a.headline);
            m.is_recommended = Set(a.recommended);
            m.is_slideshow = Set(a.slideshow);
            m.status = Set(if a.draft {
                article::ArticleStatus::Draft
            } else {
                article::ArticleStatus::Published
            });
            m.published_at = Set(Some(published_at));
            let hits = existing.as_ref().map_or(a.hits, |x| x.hits.max(a.hits));
            m.hits = Set(hits.max(0));
            m.updated_at = Set(now);
            let saved = match existing {
                Some(_) => m.update(&txn).await?,
                None => m.insert(&txn).await?,
            };
            // Listed under its column and every ancestor; counts are redone at the end.
            entity::article_listing::Entity::delete_many()
                .filter(entity::article_listing::Column::ArticleId.eq(saved.id))
                .exec(&txn)
                .await?;
            let listed = if a.draft {
                Vec::new()
            } else {
                crate::column::with_ancestors(&columns, saved.column_id)
            };
            self.touched_columns.extend(listed.iter().copied());
            crate::listing::insert_rows(&txn, listed.iter().map(|c| (*c, saved.id, published_at)))
                .await?;
            crate::search::index_article(&txn, &saved).await?;
            self.remember(&txn, "article", &a.id, saved.id, &p.digest, p.pending)
                .await?;
            self.redirects(&txn, &a.urls, &format!("/articles/{}", saved.id))
                .await?;
            cache::invalidate(&txn, [tag::article(saved.id)]).await?;
            let c = self.report.count("文章");
            if p.target.is_some() {
                c.updated += 1
            } else {
                c.added += 1
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Bodies written before the articles they link to: their links again, now that every
    /// old address has its redirect.
    async fn fix_pending_links(&mut self) -> Result<()> {
        let pending = import_record::Entity::find()
            .filter(import_record::Column::System.eq(self.system))
            .filter(import_record::Column::PendingLinks.eq(true))
            .all(self.db)
            .await?;
        for r in pending {
            let body = match r.kind.as_str() {
                "article" => article::Entity::find_by_id(r.target_id)
                    .one(self.db)
                    .await?
                    .map(|a| a.body),
                "notice" => notice::Entity::find_by_id(r.target_id)
                    .one(self.db)
                    .await?
                    .map(|n| n.body),
                _ => None,
            };
            let Some(old_body) = body else { continue };
            let (new_body, _) = self.rewrite_body(&old_body, false).await?;
            let txn = self.db.begin().await?;
            if new_body != old_body {
                match r.kind.as_str() {
                    "article" => {
                        article::Entity::update_many()
                            .col_expr(
                                article::Column::Body,
                                sea_orm::sea_query::Expr::value(new_body),
                            )
                            .filter(article::Column::Id.eq(r.target_id))
                            .exec(&txn)
                            .await?;
                        if let Some(a) = article::Entity::find_by_id(r.target_id).one(&txn).await? {
                            crate::search::index_article(&txn, &a).await?;
                        }
                        cache::invalidate(&txn, [tag::article(r.target_id)]).await?;
                    }
                    _ => {
                        notice::Entity::update_many()
                            .col_expr(
                                notice::Column::Body,
                                sea_orm::sea_query::Expr::value(new_body),
                            )
                            .filter(notice::Column::Id.eq(r.target_id))
                            .exec(&txn)
                            .await?;
                    }
                }
            }
            import_record::Entity::update_many()
                .col_expr(
                    import_record::Column::PendingLinks,
                    sea_orm::sea_query::Expr::value(false),
                )
                .filter(import_record::Column::System.eq(r.system.clone()))
                .filter(import_record::Column::Kind.eq(r.kind.clone()))
                .filter(import_record::Column::SourceId.eq(r.source_id.clone()))
                .exec(&txn)
                .await?;
            txn.commit().await?;
        }
        Ok(())
    }
}

/// One article ready to be written.
struct Prepared {
    old: OldArticle,
    column_id: i32,
    notice: bool,
    body: String,
    cover: Option<i32>,
    digest: String,
    pending: bool,
    /// What it became in an earlier run.
    target: Option<i32>,
}

/// A slug not yet taken, from the old directory name when it is usable.
fn unique_slug(hint: &str, id: &str, taken: &BTreeSet<String>) -> String {
    let clean: String = hint
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let clean = clean.trim_matches('-').to_owned();
    let base = if clean.is_empty() || clean.len() > 40 {
        format!(
            "c{}",
            id.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        )
    } else {
        clean
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken.contains(s))
        .unwrap_or(base)
}
