//! Articles as readers see them: only published ones whose time has come.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{Error, Result};

/// The most ids one favorites look-up accepts.
pub const MAX_IDS_PER_LOOKUP: usize = 200;

/// A link to another article: enough for 上一篇 / 下一篇 and lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleLink {
    pub id: i32,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

/// Whether readers see `a` at `now`: published, and its publication time has come. The same
/// rule as the query condition below.
pub fn is_visible(a: &article::Model, now: DateTime<Utc>) -> bool {
    a.status == ArticleStatus::Published && a.published_at.is_some_and(|t| t <= now)
}

/// Readers of `site` see its published articles whose publication time has come.
fn visible(site: i32, now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(article::Column::SiteId.eq(site))
        .add(article::Column::Status.eq(ArticleStatus::Published))
        .add(article::Column::PublishedAt.lte(now))
}

/// The published article `id` of `site`, or `NotFound` for a missing, draft or not-yet-due
/// one, or one of another site.
pub async fn find_published(
    db: &impl ConnectionTrait,
    site: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<article::Model> {
    article::Entity::find_by_id(id)
        .filter(visible(site, now))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// The previous (older) and next (newer) published article in the same column.
pub async fn neighbours(
    db: &impl ConnectionTrait,
    of: &article::Model,
    now: DateTime<Utc>,
) -> Result<(Option<ArticleLink>, Option<ArticleLink>)> {
    let Some(at) = of.published_at else {
        return Ok((None, None));
    };
    // Each side is one index range that starts at this article: the newest older one is
    // found at once instead of scanning down from the newest of the column (two upper bounds
    // on `published_at` leave SQLite using either).
    let published = Condition::all()
        .add(article::Column::Status.eq(ArticleStatus::Published))
        .add(article::Column::ColumnId.eq(of.column_id));
    let older = published
        .clone()
        .add(article::Column::PublishedAt.lte(std::cmp::min(at, now)))
        .add(
            Condition::any()
                .add(article::Column::PublishedAt.lt(at))
                .add(article::Column::Id.lt(of.id)),
        );
    let newer = published
        .add(article::Column::PublishedAt.gte(at))
        .add(article::Column::PublishedAt.lte(now))
        .add(
            Condition::any()
                .add(article::Column::PublishedAt.gt(at))
                .add(article::Column::Id.gt(of.id)),
        );
    let prev = link_query(older)
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .one(db)
        .await?;
    let next = link_query(newer)
        .order_by_asc(article::Column::PublishedAt)
        .order_by_asc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .one(db)
        .await?;
    Ok((prev.and_then(to_link), next.and_then(to_link)))
}

fn link_query(cond: Condition) -> sea_orm::Select<article::Entity> {
    article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::PublishedAt,
        ])
        .filter(cond)
        .limit(1)
}

fn to_link((id, title, at): (i32, String, Option<DateTime<Utc>>)) -> Option<ArticleLink> {
    Some(ArticleLink {
        id,
        title,
        published_at: at?,
    })
}

/// The published articles among `ids` (unknown and unpublished ids are skipped), in the
/// order the ids were given. At most [`MAX_IDS_PER_LOOKUP`] ids are looked at.
pub async fn published_links(
    db: &impl ConnectionTrait,
    site: i32,
    ids: &[i32],
    now: DateTime<Utc>,
) -> Result<Vec<ArticleLink>> {
    let ids: Vec<i32> = ids.iter().copied().take(MAX_IDS_PER_LOOKUP).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::PublishedAt,
        ])
        .filter(visible(site, now))
        .filter(article::Column::Id.is_in(ids.clone()))
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .all(db)
        .await?;
    let mut links: Vec<ArticleLink> = rows.into_iter().filter_map(to_link).collect();
    links.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    Ok(links)
}

/// The newest published articles of `site`.
pub async fn latest(
    db: &impl ConnectionTrait,
    site: i32,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<ArticleLink>> {
    let rows = link_query(visible(site, now))
        .limit(limit)
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(to_link).collect())
}

/// Adds `by` to an article's stored hit count; false when there is no such article.
pub async fn add_hits(db: &impl ConnectionTrait, id: i32, by: u64) -> Result<bool> {
    let by = i64::try_from(by).map_err(|_| Error::Invalid("hit count overflow".into()))?;
    let res = article::Entity::update_many()
        .col_expr(
            article::Column::Hits,
            Expr::col(article::Column::Hits).add(by),
        )
        .filter(article::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// An article as lists show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub id: i32,
    pub column_id: i32,
    pub title: String,
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub cover: Option<entity::image::Model>,
}

/// The list items of `ids`, in the order given (unknown ids are skipped), with their covers.
pub async fn list_items(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<ListItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    type Row = (i32, i32, String, String, Option<DateTime<Utc>>, Option<i32>);
    let rows: Vec<Row> = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::ColumnId,
            article::Column::Title,
            article::Column::Summary,
            article::Column::PublishedAt,
            article::Column::CoverImageId,
        ])
        .filter(article::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let cover_ids: Vec<i32> = rows.iter().filter_map(|r| r.5).collect();
    let covers = if cover_ids.is_empty() {
        Vec::new()
    } else {
        entity::image::Entity::find()
            .filter(entity::image::Column::Id.is_in(cover_ids))
            .all(db)
            .await?
    };
    let mut items: Vec<ListItem> = rows
        .into_iter()
        .filter_map(|(id, column_id, title, summary, at, cover_id)| {
            Some(ListItem {
                id,
                column_id,
                title,
                summary,
                published_at: at?,
                cover: cover_id.and_then(|c| covers.iter().find(|i| i.id == c).cloned()),
            })
        })
        .collect();
    items.sort_by_key(|i| ids.iter().position(|id| *id == i.id));
    Ok(items)
}

/// The article flags the home page shows blocks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// 头条
    Headline,
    /// 推荐
    Recommended,
    /// 幻灯
    Slideshow,
}

/// The newest published articles carrying `flag` (only those with a cover if `with_cover`).
pub async fn flagged(
    db: &impl ConnectionTrait,
    site: i32,
    flag: Flag,
    limit: u64,
    with_cover: bool,
    now: DateTime<Utc>,
) -> Result<Vec<ListItem>> {
    let column = match flag {
        Flag::Headline => article::Column::IsHeadline,
        Flag::Recommended => article::Column::IsRecommended,
        Flag::Slideshow => article::Column::IsSlideshow,
    };
    let mut query = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(column.eq(true))
        .filter(visible(site, now));
    if with_cover {
        query = query.filter(article::Column::CoverImageId.is_not_null());
    }
    let ids: Vec<i32> = query
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    list_items(db, &ids).await
}

/// The cover image of `a`, if it has one.
pub async fn cover(
    db: &impl ConnectionTrait,
    a: &article::Model,
) -> Result<Option<entity::image::Model>> {
    match a.cover_image_id {
        Some(id) => Ok(entity::image::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// The stored hit count of a published article of `site`.
pub async fn stored_hits(
    db: &impl ConnectionTrait,
    site: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<i64> {
    article::Entity::find_by_id(id)
        .select_only()
        .column(article::Column::Hits)
        .filter(visible(site, now))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// The newest published articles of `site` as list items (for the site feed).
pub async fn latest_items(
    db: &impl ConnectionTrait,
    site: i32,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<ListItem>> {
    let ids: Vec<i32> = latest(db, site, limit, now)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    list_items(db, &ids).await
}
