//! Pictures and attachments brought in, and bodies made ready.

use super::*;

impl Writer<'_> {
    /// Stores a picture or attachment of the old site once; its new address (and image id).
    pub(super) async fn file(&mut self, old: &str, picture: bool) -> Option<(String, Option<i32>)> {
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
        if let Some(r) = self.record_of(record_kind, &key) {
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
        if picture {
            let processed = match self.scheduled.remove(&key) {
                Some(job) => job
                    .await
                    .unwrap_or_else(|e| Err(crate::Error::Io(std::io::Error::other(e)))),
                None => prepared(path).await,
            };
            return self.store_picture(key, processed).await;
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
        let found = {
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

    /// Writes a picture made ready (or reports why it could not be); its new address and id.
    async fn store_picture(
        &mut self,
        key: String,
        processed: Result<crate::media::Processed>,
    ) -> Option<(String, Option<i32>)> {
        let stored = match processed {
            Ok(p) => {
                crate::media::store_processed(
                    self.db,
                    self.media,
                    &self.actor,
                    p,
                    Details::default(),
                )
                .await
            }
            Err(e) => Err(e),
        };
        match stored {
            Ok(img) => {
                let _ = self
                    .remember(self.db, "image", &key, img.id, "", false)
                    .await;
                let found = (format!("/media/{}", img.path), Some(img.id));
                self.report.count("图片").added += 1;
                self.files.insert(key, found.clone());
                Some(found)
            }
            Err(e) => {
                self.report.skipped.push(Skip {
                    kind: "图片",
                    id: key,
                    reason: e.reader_message(),
                });
                None
            }
        }
    }

    /// Starts the heavy part of bringing in the pictures of a body that comes soon
    /// (reading, decoding, resizing, encoding) on the blocking threads, as many at once as
    /// there are cores; [`Self::file`] then only waits for it and writes. Pictures known
    /// already, missing, or brought in by an earlier run are not started.
    pub(super) async fn schedule_pictures(&mut self, html: &str, cover: &str) {
        if self.dry {
            return;
        }
        let mut olds: Vec<String> = body::links(html)
            .into_iter()
            .filter(|l| l.attr == Attr::ImgSrc)
            .filter_map(|l| body::local(&l.value, &self.hosts))
            .collect();
        if !cover.trim().is_empty() {
            olds.extend(body::local(cover, &self.hosts));
        }
        for old in olds {
            let key = old.split(['?', '#']).next().unwrap_or_default().to_owned();
            if key.starts_with("/media/")
                || self.files.contains_key(&key)
                || self.missing.contains(&key)
                || self.scheduled.contains_key(&key)
            {
                continue;
            }
            let Ok(path) = self.media_dir.find(&key) else {
                continue;
            };
            if self.record_of("image", &key).is_some() {
                continue;
            }
            let cores = self.cores.clone();
            let job = tokio::spawn(async move {
                let _core = cores
                    .acquire_owned()
                    .await
                    .map_err(|e| crate::Error::Io(std::io::Error::other(e)))?;
                prepared(path).await
            });
            self.scheduled.insert(key, job);
        }
    }

    /// An old body made ready: its pictures and attachments brought in, links to old pages
    /// pointed at their new addresses where those are known, cleaned like a paste. Also
    /// says whether some old link is still unknown.
    pub(super) async fn prepare_body(&mut self, html: &str) -> Result<(String, bool)> {
        self.rewrite_body(html, true).await
    }

    /// [`Self::prepare_body`]; without `files`, only links to pages are looked at (a body
    /// written already, its files brought in).
    pub(super) async fn rewrite_body(&mut self, html: &str, files: bool) -> Result<(String, bool)> {
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
                crate::site::MAIN,
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
}

/// A picture file of the old site read and made ready (blocking work off the async threads).
async fn prepared(path: std::path::PathBuf) -> Result<crate::media::Processed> {
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| crate::Error::Invalid(format!("读取失败：{e}")))?;
    tokio::task::spawn_blocking(move || crate::media::prepare(&bytes))
        .await
        .map_err(|e| crate::Error::Io(std::io::Error::other(e)))?
}
