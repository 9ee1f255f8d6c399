//! 通知公告.

mod edit;
pub use edit::*;

use chrono::{DateTime, Utc};
use entity::{notice, notice_attachment};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{Error, Result};

/// Readers of `site` see its published notices whose time has come.
fn visible(site: i32, now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(notice::Column::SiteId.eq(site))
        .add(notice::Column::IsPublished.eq(true))
        .add(notice::Column::PublishedAt.lte(now))
}

/// Page `page` (from 0) of `site`'s published notices, newest first, and how many there are.
pub async fn page(
    db: &impl ConnectionTrait,
    site: i32,
    page: u64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<notice::Model>, u64)> {
    let total = count(db, site, now).await?;
    let items = notice::Entity::find()
        .filter(visible(site, now))
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// How many notices `site` has published.
pub async fn count(db: &impl ConnectionTrait, site: i32, now: DateTime<Utc>) -> Result<u64> {
    Ok(notice::Entity::find()
        .filter(visible(site, now))
        .count(db)
        .await?)
}

/// A published notice of `site` with its attachments.
pub async fn find(
    db: &impl ConnectionTrait,
    site: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(notice::Model, Vec<notice_attachment::Model>)> {
    let n = notice::Entity::find_by_id(id)
        .filter(visible(site, now))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let files = notice_attachment::Entity::find()
        .filter(notice_attachment::Column::NoticeId.eq(id))
        .order_by_asc(notice_attachment::Column::Id)
        .all(db)
        .await?;
    Ok((n, files))
}
