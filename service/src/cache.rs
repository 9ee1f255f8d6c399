//! Page-cache invalidation. Cached pages carry tags naming what they show; a change records
//! the tags it makes stale in `cache_invalidations`, in the same transaction as the change.
//! Every app server polls that log and drops the matching pages, so several servers sharing
//! one database never serve a page that a committed change has made stale for longer than
//! one poll interval.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::cache_invalidation;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Result;

/// Tag names.
pub mod tag {
    /// Header, navigation, notices strip and footer: on every page.
    pub const CHROME: &str = "chrome";
    pub const HOME: &str = "home";
    pub const FEED: &str = "feed";
    pub const SITEMAP: &str = "sitemap";
    pub const NOTICES: &str = "notices";
    pub const MAGAZINE: &str = "magazine";
    /// The sites and their host names (站群): every server reads its directory again.
    pub const SITES: &str = "sites";

    /// Pages that show article `id` (its own page, its neighbours' 上一篇/下一篇, lists).
    pub fn article(id: i32) -> String {
        format!("article:{id}")
    }

    /// List pages and feeds of column `id`.
    pub fn list(id: i32) -> String {
        format!("list:{id}")
    }

    /// The single page of column `id`.
    pub fn page(id: i32) -> String {
        format!("page:{id}")
    }
}

/// Records that `tags` are stale on every site (what the installation shares, such as the
/// sites themselves, or a change whose site is not known).
pub async fn invalidate<I, T>(db: &impl ConnectionTrait, tags: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    record(db, None, tags).await
}

/// Records that `tags` are stale on site `site` only (站群: another site's page with the same
/// tag, such as its `home`, stays).
pub async fn invalidate_site<I, T>(db: &impl ConnectionTrait, site: i32, tags: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    record(db, Some(site), tags).await
}

async fn record<I, T>(db: &impl ConnectionTrait, site: Option<i32>, tags: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    let now = Utc::now();
    let unique: BTreeSet<String> = tags.into_iter().map(Into::into).collect();
    let rows: Vec<cache_invalidation::ActiveModel> = unique
        .into_iter()
        .map(|tag| cache_invalidation::ActiveModel {
            tag: Set(tag),
            created_at: Set(now),
            site_id: Set(site),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    cache_invalidation::Entity::insert_many(rows)
        .exec(db)
        .await?;
    Ok(())
}

/// The newest entry of the log (0 when empty): where a fresh server starts reading.
pub async fn latest_id(db: &impl ConnectionTrait) -> Result<i64> {
    let id: Option<i64> = cache_invalidation::Entity::find()
        .select_only()
        .column(cache_invalidation::Column::Id)
        .order_by_desc(cache_invalidation::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// An entry of the log: its position, the site it is for (`None`: every site) and the tag.
pub type Stale = (i64, Option<i32>, String);

/// Log entries after `after`, oldest first.
pub async fn since(db: &impl ConnectionTrait, after: i64, limit: u64) -> Result<Vec<Stale>> {
    Ok(cache_invalidation::Entity::find()
        .select_only()
        .columns([
            cache_invalidation::Column::Id,
            cache_invalidation::Column::SiteId,
            cache_invalidation::Column::Tag,
        ])
        .filter(cache_invalidation::Column::Id.gt(after))
        .order_by_asc(cache_invalidation::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?)
}

/// Deletes log entries older than `before` (every server has long seen them).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    Ok(cache_invalidation::Entity::delete_many()
        .filter(cache_invalidation::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
