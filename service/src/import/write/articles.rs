//! Articles and notices of a run, written in batches, and the links written before their
//! targets fixed at the end.

use super::*;

impl Writer<'_> {
    pub(super) async fn articles(
        &mut self,
        articles: Vec<OldArticle>,
        mut reader: Box<dyn super::super::Reader>,
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
        let mut ahead: std::collections::VecDeque<OldBody> = std::collections::VecDeque::new();
        let mut open = true;
        loop {
            // Keep a few bodies received ahead, their pictures started on the other cores.
            while open && ahead.len() < LOOKAHEAD {
                let next = if ahead.is_empty() {
                    rx.recv().await
                } else {
                    match rx.try_recv() {
                        Ok(b) => Some(b),
                        Err(tokio::sync::mpsc::error::TryRecvError::Empty) => break,
                        Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => None,
                    }
                };
                match next {
                    Some(b) => {
                        let cover = by_id.get(&b.article).map(|a| a.cover.clone());
                        if let Some(cover) = cover {
                            self.schedule_pictures(&b.html, &cover).await;
                        }
                        ahead.push_back(b);
                    }
                    None => open = false,
                }
            }
            let Some(b) = ahead.pop_front() else {
                break;
            };
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
        // Pictures of articles that were then skipped: their work is not needed.
        for (_, job) in self.scheduled.drain() {
            job.abort();
        }
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
    pub(super) async fn prepare_article(
        &mut self,
        a: OldArticle,
        html: &str,
    ) -> Result<Option<Prepared>> {
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
        let record = self.record_of(record_kind, &a.id);
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

    /// Writes a batch in one transaction: each row on its own (its new id is needed), what
    /// follows from them (listings, import records, redirects, cache entries) a few
    /// statements for the whole batch.
    pub(super) async fn write_batch(&mut self, batch: Vec<Prepared>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let columns = crate::column::all(self.db, crate::site::MAIN).await?;
        let txn = self.db.begin().await?;
        let mut after = After::default();
        for p in batch {
            if p.notice {
                self.write_notice(&txn, p, &mut after).await?;
            } else {
                self.write_article(&txn, p, &columns, &mut after).await?;
            }
        }
        if !after.unlisted.is_empty() {
            entity::article_listing::Entity::delete_many()
                .filter(entity::article_listing::Column::ArticleId.is_in(after.unlisted))
                .exec(&txn)
                .await?;
        }
        crate::listing::insert_rows(&txn, after.listings).await?;
        self.remember_many(&txn, after.records).await?;
        // A later row naming the same old address wins, as it would written one by one.
        let mut redirects = after.redirects;
        redirects.reverse();
        self.report.redirects += crate::redirect::put_many(&txn, &self.origin, &redirects).await?;
        cache::invalidate(&txn, after.tags).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn write_notice(
        &mut self,
        txn: &sea_orm::DatabaseTransaction,
        p: Prepared,
        after: &mut After,
    ) -> Result<()> {
        let now = Utc::now();
        let a = &p.old;
        let existing = match p.target {
            Some(id) => notice::Entity::find_by_id(id).one(txn).await?,
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
        m.published_at = Set(a.published_at.unwrap_or(now));
        m.updated_at = Set(now);
        let saved = match &existing {
            Some(_) => m.update(txn).await?,
            None => m.insert(txn).await?,
        };
        let doc = crate::search::Doc::notice(&saved);
        if existing.is_some() {
            crate::search::index(txn, &doc).await?;
        } else {
            crate::search::index_new(txn, &doc).await?;
        }
        after
            .records
            .push(("notice", a.id.clone(), saved.id, p.digest, p.pending));
        after
            .redirects
            .extend(redirect_pairs(&a.urls, &format!("/notices/{}", saved.id)));
        self.report.count("通知公告").tally(p.target.is_some());
        Ok(())
    }

    async fn write_article(
        &mut self,
        txn: &sea_orm::DatabaseTransaction,
        p: Prepared,
        columns: &[column::Model],
        after: &mut After,
    ) -> Result<()> {
        let now = Utc::now();
        let a = &p.old;
        let published_at = a.published_at.unwrap_or(now);
        let existing = match p.target {
            Some(id) => article::Entity::find_by_id(id).one(txn).await?,
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
        m.keywords = Set(clip(
            &crate::editorial::normalize_keywords(&a.keywords),
            255,
        ));
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
        let saved = match &existing {
            Some(_) => m.update(txn).await?,
            None => m.insert(txn).await?,
        };
        // Listed under its column and every ancestor; counts are redone at the end.
        if existing.is_some() {
            after.unlisted.push(saved.id);
            crate::search::index_article(txn, &saved).await?;
        } else {
            crate::search::index_new(txn, &crate::search::Doc::article(&saved)).await?;
        }
        let listed = if a.draft {
            Vec::new()
        } else {
            crate::column::with_ancestors(columns, saved.column_id)
        };
        self.touched_columns.extend(listed.iter().copied());
        after
            .listings
            .extend(listed.iter().map(|c| (*c, saved.id, published_at)));
        after
            .records
            .push(("article", a.id.clone(), saved.id, p.digest, p.pending));
        after
            .redirects
            .extend(redirect_pairs(&a.urls, &format!("/articles/{}", saved.id)));
        after.tags.push(tag::article(saved.id));
        self.report.count("文章").tally(p.target.is_some());
        Ok(())
    }

    /// Bodies written before the articles they link to: their links again, now that every
    /// old address has its redirect.
    pub(super) async fn fix_pending_links(&mut self) -> Result<()> {
        let pending = import_record::Entity::find()
            .filter(import_record::Column::SiteId.eq(crate::site::directory::MAIN))
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
                .filter(import_record::Column::SiteId.eq(r.site_id))
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

/// What the rows of a batch bring with them, written together before it commits.
#[derive(Default)]
pub(super) struct After {
    /// Articles listed before (updated ones): their listings are made again.
    unlisted: Vec<i32>,
    listings: Vec<(i32, i32, chrono::DateTime<Utc>)>,
    records: Vec<NewRecord>,
    redirects: Vec<(String, String)>,
    tags: Vec<String>,
}

/// One article ready to be written.
pub(super) struct Prepared {
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
