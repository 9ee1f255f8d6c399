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
