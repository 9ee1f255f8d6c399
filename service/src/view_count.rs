//! Batched, honest view counting. Page views only touch an in-memory map; a background task
//! flushes the map to the database every few seconds in one transaction of `hits = hits + n`
//! updates, which several app servers can run against one database without losing counts.
//!
//! A reader counts once per article per [`VIEW_WINDOW`]: a reader is a keyed hash of the
//! client's address and User-Agent (the key is random per process, so nothing stored links
//! back to a person), remembered for at most [`MAX_READERS`] readers.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use crate::db::Db;
use crate::{Result, article};

#[derive(Default)]
struct Counts {
    /// Views recorded since the last flush started.
    pending: HashMap<i32, u64>,
    /// Views being written by the flush under way.
    in_flight: HashMap<i32, u64>,
}

/// One view per reader per article within this time.
pub const VIEW_WINDOW: Duration = Duration::from_secs(30 * 60);

/// The most reader/article pairs remembered (about 2 MB). When that many were all seen
/// within the window, further new ones are not counted: a flood of made-up readers cannot
/// push out the real ones and count them again.
pub const MAX_READERS: usize = 100_000;

/// Who has been counted recently, by keyed hash.
struct Seen {
    started: Instant,
    /// Reader/article hash -> second (since `started`) it was last counted.
    at: HashMap<u64, u32>,
    last_prune: u32,
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            started: Instant::now(),
            at: HashMap::new(),
            last_prune: 0,
        }
    }
}

/// Views recorded in this process and not yet written to the database.
#[derive(Default)]
pub struct HitBuffer {
    counts: Mutex<Counts>,
    seen: Mutex<Seen>,
    /// The key of the reader hashes, random per process.
    key: std::hash::RandomState,
}

impl HitBuffer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a page view of article `id` by the reader at `client` with `user_agent`, unless
    /// that reader was counted for it within [`VIEW_WINDOW`]. Returns whether it counted.
    pub fn record_view(&self, id: i32, client: &str, user_agent: &str) -> bool {
        self.record_reader(id, self.reader(id, client, user_agent))
    }

    /// Who is reading article `id`: the keyed hash [`Self::record_reader`] takes. Worked out
    /// before a page is served, so that nothing about the request need be kept meanwhile.
    /// An IPv6 reader is known by its /64, so changing addresses within it counts once.
    pub fn reader(&self, id: i32, client: &str, user_agent: &str) -> u64 {
        self.key
            .hash_one((crate::net::limit_key(client), user_agent, id))
    }

    /// [`Self::record_view`] for a reader already hashed by [`Self::reader`].
    pub fn record_reader(&self, id: i32, reader: u64) -> bool {
        let window = u32::try_from(VIEW_WINDOW.as_secs()).unwrap_or(u32::MAX);
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            let now = u32::try_from(seen.started.elapsed().as_secs()).unwrap_or(u32::MAX);
            if seen
                .at
                .get(&reader)
                .is_some_and(|at| now.saturating_sub(*at) < window)
            {
                return false;
            }
            if seen.at.len() >= MAX_READERS && !seen.at.contains_key(&reader) {
                if seen.last_prune != now {
                    seen.last_prune = now;
                    seen.at.retain(|_, at| now.saturating_sub(*at) < window);
                }
                if seen.at.len() >= MAX_READERS {
                    return false;
                }
            }
            seen.at.insert(reader, now);
        }
        self.record(id);
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic while holding this lock cannot leave the maps half-updated in a way that
        // matters more than losing a view, so a poisoned lock is simply taken over.
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one view of article `id`, whoever it came from (see [`Self::record_view`]).
    pub fn record(&self, id: i32) {
        *self.lock().pending.entry(id).or_default() += 1;
    }

    /// Views of `id` recorded here and not yet stored: add them to the stored count to show
    /// an up-to-date number.
    pub fn unflushed(&self, id: i32) -> u64 {
        let counts = self.lock();
        counts.pending.get(&id).copied().unwrap_or(0)
            + counts.in_flight.get(&id).copied().unwrap_or(0)
    }

    /// Total views waiting to be written.
    pub fn total_unflushed(&self) -> u64 {
        let counts = self.lock();
        counts.pending.values().sum::<u64>() + counts.in_flight.values().sum::<u64>()
    }

    /// Moves the pending counts into the in-flight set and returns them. Returns nothing while
    /// another flush is still in flight.
    fn begin_flush(&self) -> Option<Vec<(i32, u64)>> {
        let mut counts = self.lock();
        if !counts.in_flight.is_empty() || counts.pending.is_empty() {
            return None;
        }
        counts.in_flight = std::mem::take(&mut counts.pending);
        let mut batch: Vec<(i32, u64)> = counts.in_flight.iter().map(|(k, v)| (*k, *v)).collect();
        // A fixed order keeps concurrent flushers from different servers from deadlocking.
        batch.sort_unstable();
        Some(batch)
    }

    fn finish_flush(&self, written: bool) {
        let mut counts = self.lock();
        let in_flight = std::mem::take(&mut counts.in_flight);
        if !written {
            for (id, n) in in_flight {
                *counts.pending.entry(id).or_default() += n;
            }
        }
    }

    /// Writes every pending count to the database in one transaction: the articles' totals
    /// and today's views (the day in `tz`). On failure the counts go back into the buffer and
    /// are retried by the next flush; nothing is lost. Returns how many articles were updated.
    pub async fn flush(&self, db: &Db, tz: Tz) -> Result<usize> {
        let Some(batch) = self.begin_flush() else {
            return Ok(0);
        };
        let day = crate::statistics::day_of(Utc::now(), tz);
        let result = write(db, &batch, &day).await;
        self.finish_flush(result.is_ok());
        result.map(|()| batch.len())
    }
}

async fn write(db: &Db, batch: &[(i32, u64)], day: &str) -> Result<()> {
    let txn = db.begin().await?;
    // Each article's site, for its daily views (an article deleted meanwhile is skipped).
    let mut sites: HashMap<i32, i32> = HashMap::with_capacity(batch.len());
    for chunk in batch.chunks(500) {
        let ids = chunk.iter().map(|(id, _)| *id);
        sites.extend(
            entity::article::Entity::find()
                .select_only()
                .columns([entity::article::Column::Id, entity::article::Column::SiteId])
                .filter(entity::article::Column::Id.is_in(ids))
                .into_tuple::<(i32, i32)>()
                .all(&txn)
                .await?,
        );
    }
    for (id, n) in batch {
        if let Some(&site) = sites.get(id)
            && article::add_hits(&txn, *id, *n).await?
        {
            crate::statistics::add_daily_views(&txn, site, *id, day, *n).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Obvious robots by User-Agent: crawlers, feed fetchers, link previewers, scripts and tools.
/// An empty User-Agent counts as a robot too.
pub fn is_bot(user_agent: &str) -> bool {
    const MARKERS: &[&str] = &[
        "bot",
        "spider",
        "crawl",
        "slurp",
        "fetch",
        "preview",
        "scan",
        "monitor",
        "headless",
        "curl",
        "wget",
        "python",
        "java/",
        "go-http-client",
        "okhttp",
        "libwww",
        "httpclient",
        "axios",
        "node-fetch",
        "scrapy",
        "facebookexternalhit",
        "lighthouse",
        "pingdom",
        "wrk",
    ];
    let ua = user_agent.trim().to_ascii_lowercase();
    ua.is_empty() || MARKERS.iter().any(|m| ua.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_views_per_article() {
        let buf = HitBuffer::new();
        for _ in 0..5 {
            buf.record(7);
        }
        buf.record(9);
        assert_eq!(buf.unflushed(7), 5);
        assert_eq!(buf.unflushed(9), 1);
        assert_eq!(buf.unflushed(1), 0);
        assert_eq!(buf.total_unflushed(), 6);

        let batch = buf.begin_flush().unwrap();
        assert_eq!(batch, vec![(7, 5), (9, 1)]);
        // While the batch is being written it still shows, and new views keep counting.
        buf.record(7);
        assert_eq!(buf.unflushed(7), 6);
        // Only one flush at a time.
        assert!(buf.begin_flush().is_none());
        buf.finish_flush(true);
        assert_eq!(buf.unflushed(7), 1);
        assert_eq!(buf.unflushed(9), 0);
    }

    #[test]
    fn failed_flush_keeps_the_counts() {
        let buf = HitBuffer::new();
        buf.record(3);
        buf.record(3);
        let _ = buf.begin_flush().unwrap();
        buf.record(3);
        buf.finish_flush(false);
        assert_eq!(buf.unflushed(3), 3);
        assert_eq!(buf.begin_flush().unwrap(), vec![(3, 3)]);
    }

    #[test]
    fn a_reader_counts_once_per_article_within_the_window() {
        let buf = HitBuffer::new();
        let ua = "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0";
        for _ in 0..1000 {
            buf.record_view(7, "203.0.113.5", ua);
        }
        assert_eq!(buf.unflushed(7), 1);
        // Another article, another address, another browser: each counts.
        assert!(buf.record_view(8, "203.0.113.5", ua));
        assert!(buf.record_view(7, "203.0.113.6", ua));
        assert!(buf.record_view(7, "203.0.113.5", "Mozilla/5.0 (iPhone) Mobile/15E148"));
        assert_eq!(buf.unflushed(7), 3);
    }

    #[test]
    fn a_flood_of_made_up_readers_stays_within_memory_and_cannot_recount() {
        let buf = HitBuffer::new();
        let ua = "Mozilla/5.0 Chrome/120.0";
        assert!(buf.record_view(1, "198.51.100.1", ua));
        for i in 0..MAX_READERS + 500 {
            buf.record_view(
                2,
                &format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255),
                ua,
            );
        }
        let seen = buf.seen.lock().unwrap().at.len();
        assert!(seen <= MAX_READERS, "{seen}");
        // The first reader is still remembered: no second count.
        assert!(!buf.record_view(1, "198.51.100.1", ua));
        assert_eq!(buf.unflushed(1), 1);
        assert_eq!(buf.unflushed(2) as usize, MAX_READERS - 1);
    }

    #[test]
    fn nothing_to_flush_is_not_a_flush() {
        let buf = HitBuffer::new();
        assert!(buf.begin_flush().is_none());
    }

    #[test]
    fn recognises_robots() {
        assert!(is_bot(""));
        assert!(is_bot(
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
        ));
        assert!(is_bot(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(is_bot("Sogou web spider/4.0"));
        assert!(is_bot("curl/8.5.0"));
        assert!(is_bot("python-requests/2.31"));
        assert!(is_bot(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36"
        ));
        assert!(!is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40"
        ));
        assert!(!is_bot(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0"
        ));
    }
}
