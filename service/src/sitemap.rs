//! What `sitemap.xml` lists. Articles are split into chunks by id so that no sitemap file
//! holds more than [`URLS_PER_FILE`] URLs.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;

/// The sitemap protocol's limit per file.
pub const URLS_PER_FILE: i64 = 50_000;

/// The largest id of a published article (0 when there is none).
pub async fn max_published_id(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<i32> {
    let id: Option<i32> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::PublishedAt.lte(now))
        .order_by_desc(article::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// How many article sitemap files there are.
pub async fn article_files(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<i64> {
    let max = i64::from(max_published_id(db, now).await?);
    Ok((max + URLS_PER_FILE - 1) / URLS_PER_FILE)
}

/// The published articles of file `n` (from 0): ids in `n*50000+1 ..= (n+1)*50000`, with the
/// time each last changed.
pub async fn article_file(
    db: &impl ConnectionTrait,
    n: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, DateTime<Utc>)>> {
    let first = n.saturating_mul(URLS_PER_FILE).saturating_add(1);
    let last = first.saturating_add(URLS_PER_FILE - 1);
    let (Ok(first), Ok(last)) = (
        i32::try_from(first),
        i32::try_from(last.min(i64::from(i32::MAX))),
    ) else {
        return Ok(Vec::new());
    };
    Ok(article::Entity::find()
        .select_only()
        .columns([article::Column::Id, article::Column::UpdatedAt])
        .filter(article::Column::Id.between(first, last))
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::PublishedAt.lte(now))
        .order_by_asc(article::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
