//! What every app server does in the background, each task on its own: writing view counts
//! and not-found counts, following the page-cache invalidation log, publishing scheduled
//! articles, and caring for readers' personal data (encrypting what is in the clear,
//! removing what is past its retention period).

use std::sync::Arc;
use std::time::Duration;

use app::ssr::AppState;
use service::db::Db;
use tokio::task::JoinHandle;

use crate::config::Settings;
use crate::page_cache::PageCache;

/// Writes the counts of addresses not found to the database, as often as view counts.
pub(crate) fn spawn_miss_flusher(state: &AppState, settings: &Settings) -> JoinHandle<()> {
    let (misses, db, every) = (state.misses.clone(), state.db.clone(), settings.hit_flush);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = misses.flush(&db).await {
                tracing::warn!(error = %e, "writing the not-found log failed; will retry");
            }
        }
    })
}

/// Writes buffered view counts to the database every `settings.hit_flush`.
pub(crate) fn spawn_hit_flusher(state: &AppState, settings: &Settings) -> JoinHandle<()> {
    let (hits, db, every, tz) = (
        state.hits.clone(),
        state.db.clone(),
        settings.hit_flush,
        settings.time_zone,
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = hits.flush(&db, tz).await {
                tracing::warn!(error = %e, "writing view counts failed; will retry");
            }
        }
    })
}

/// How long the site data every page shares may be kept without a change in the log.
pub(crate) const COMMON_MAX_AGE: Duration = Duration::from_secs(30);

/// Reads the page-cache invalidation log from `after` on and drops the stale pages (and the
/// shared site data when the change touched it); returns the position to read from next time.
pub async fn apply_invalidations(
    db: &Db,
    cache: &PageCache,
    common: &service::site::Common,
    sites: &service::site::directory::Sites,
    mut after: i64,
) -> i64 {
    loop {
        match service::cache::since(db, after, 1000).await {
            Ok(rows) if !rows.is_empty() => {
                let full = rows.len() == 1000;
                // By site (`None`: every site), in the order first seen.
                let mut by_site: Vec<(Option<i32>, Vec<String>)> = Vec::new();
                for (_, site, tag) in &rows {
                    match by_site.iter_mut().find(|(s, _)| s == site) {
                        Some((_, tags)) => tags.push(tag.clone()),
                        None => by_site.push((*site, vec![tag.clone()])),
                    }
                }
                let has = |wanted: &str| by_site.iter().any(|(_, t)| t.iter().any(|t| t == wanted));
                // First the data pages are made from, then the pages.
                if has(service::cache::tag::SITES)
                    && let Err(e) = sites.reload(db).await
                {
                    // The old directory serves until the next poll reads these rows again.
                    tracing::warn!(error = %e, "reading the sites again failed; will retry");
                    return after;
                }
                after = rows.last().map(|r| r.0).unwrap_or(after);
                for (site, tags) in &by_site {
                    if tags.iter().any(|t| t == service::cache::tag::CHROME) {
                        common.forget(*site);
                    }
                }
                for (site, tags) in &by_site {
                    let dropped = cache.invalidate(*site, tags);
                    tracing::debug!(?site, tags = tags.len(), dropped, "page cache invalidated");
                }
                if !full {
                    return after;
                }
            }
            Ok(_) => return after,
            Err(e) => {
                tracing::warn!(error = %e, "reading the cache invalidation log failed");
                return after;
            }
        }
    }
}

/// Follows the invalidation log every `settings.cache_poll`, and prunes entries older than
/// a day once an hour.
pub(crate) fn spawn_invalidation_follower(
    db: Db,
    cache: Arc<PageCache>,
    common: Arc<service::site::Common>,
    sites: Arc<service::site::directory::Sites>,
    every: Duration,
    start: i64,
    security: Arc<service::security::PolicyCache>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut after = start;
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_prune = std::time::Instant::now();
        loop {
            tick.tick().await;
            after = apply_invalidations(&db, &cache, &common, &sites, after).await;
            if last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = std::time::Instant::now();
                let _ = service::cache::prune(&db, chrono::Utc::now() - chrono::Duration::days(1))
                    .await;
                if let Ok(policy) = security.get(&db).await {
                    let _ = service::auth::prune(&db, &policy).await;
                }
                // Used form tokens older than any token still accepted.
                let _ = service::form::prune_tokens(
                    &db,
                    chrono::Utc::now()
                        - service::form::Limits::default().max_age
                        - chrono::Duration::hours(1),
                )
                .await;
            }
        }
    })
}

/// Publishes scheduled articles when their time comes (checked every second, by every
/// server; the conditional update in `publish_due` lets exactly one of them do it), and once
/// a minute merges recent saves into the search index (`service::search::tidy`).
pub(crate) fn spawn_scheduler(db: Db) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_tidy = std::time::Instant::now();
        loop {
            tick.tick().await;
            if last_tidy.elapsed() >= Duration::from_secs(60) {
                last_tidy = std::time::Instant::now();
                if let Err(e) = service::search::tidy(&db).await {
                    tracing::warn!(error = %e, "merging saves into the search index failed");
                }
            }
            match service::editorial::publish_due(&db).await {
                Ok(ids) if !ids.is_empty() => tracing::info!(?ids, "published scheduled articles"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "publishing scheduled articles failed; will retry")
                }
            }
        }
    })
}

/// Once an hour (the first a minute after start), apart from the publishing scheduler:
/// encrypts readers' contact details still in the clear (written by a server of an older
/// version during a rolling upgrade) and removes messages and manuscripts past the
/// retention period (`service::security::personal`).
pub(crate) fn spawn_personal_data_care(db: Db, private: service::storage::Store) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match service::security::personal::reseal_clear(&db).await {
                Ok(r) if r.rows > 0 => {
                    tracing::info!(rows = r.rows, "encrypted readers' contact details")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "encrypting readers' contact details failed"),
            }
            retention(&db, &private).await;
        }
    })
}

/// One run of the retention of readers' messages and manuscripts.
async fn retention(db: &Db, private: &service::storage::Store) {
    let months = match service::security::policy(db).await {
        Ok(p) => p.retention_months,
        Err(e) => {
            tracing::warn!(error = %e, "reading the retention period failed; will retry");
            return;
        }
    };
    match service::security::personal::apply_retention(db, private, months, chrono::Utc::now())
        .await
    {
        Ok(p) if !p.is_empty() => tracing::info!(
            messages = p.messages,
            anonymised = p.anonymised,
            submissions = p.submissions,
            files = p.files,
            "removed readers' messages and manuscripts past the retention period"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "applying the retention period failed; will retry"),
    }
}
