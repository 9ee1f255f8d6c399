//! Numbers for the dashboard: articles by status and views by day.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use entity::article::{self, ArticleStatus};
use entity::article_views_daily as daily;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Result;

/// `2026-11-27`: the day `at` falls on in `tz`.
pub fn day_of(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// The last `n` days ending today (in `tz`), oldest first.
pub fn last_days(n: i64, tz: Tz) -> Vec<String> {
    let now = Utc::now();
    (0..n)
        .rev()
        .map(|k| day_of(now - Duration::days(k), tz))
        .collect()
}

/// Adds `n` views of `article_id` (an article of `site`) to `day`.
pub async fn add_daily_views(
    db: &impl ConnectionTrait,
    site: i32,
    article_id: i32,
    day: &str,
    n: u64,
) -> Result<()> {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    daily::Entity::insert(daily::ActiveModel {
        article_id: Set(article_id),
        day: Set(day.to_owned()),
        views: Set(n),
        site_id: Set(site),
    })
    .on_conflict(
        OnConflict::columns([daily::Column::ArticleId, daily::Column::Day])
            .value(
                daily::Column::Views,
                Expr::col((daily::Entity, daily::Column::Views)).add(n),
            )
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// How many articles are in each status.
pub async fn status_counts(db: &impl ConnectionTrait) -> Result<Vec<(ArticleStatus, i64)>> {
    let rows: Vec<(ArticleStatus, i64)> = article::Entity::find()
        .select_only()
        .column(article::Column::Status)
        .column_as(article::Column::Id.count(), "n")
        .group_by(article::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

#[derive(Debug, FromQueryResult)]
struct DaySum {
    day: String,
    views: Option<i64>,
}

/// `SUM(views)` as a BIGINT (PostgreSQL would answer NUMERIC, which does not decode as i64).
fn views_sum() -> sea_orm::sea_query::SimpleExpr {
    daily::Column::Views
        .sum()
        .cast_as(sea_orm::sea_query::Alias::new("BIGINT"))
}

/// Views per day from `first_day` on (days without views are absent).
pub async fn daily_totals(
    db: &impl ConnectionTrait,
    first_day: &str,
) -> Result<Vec<(String, i64)>> {
    let rows = daily::Entity::find()
        .select_only()
        .column(daily::Column::Day)
        .column_as(views_sum(), "views")
        .filter(daily::Column::Day.gte(first_day))
        .group_by(daily::Column::Day)
        .order_by_asc(daily::Column::Day)
        .into_model::<DaySum>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, r.views.unwrap_or(0)))
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct ArticleSum {
    article_id: i32,
    views: Option<i64>,
}

/// The `limit` most viewed articles from `first_day` on: (id, title, views).
pub async fn top_articles(
    db: &impl ConnectionTrait,
    first_day: &str,
    limit: u64,
) -> Result<Vec<(i32, String, i64)>> {
    let sums = daily::Entity::find()
        .select_only()
        .column(daily::Column::ArticleId)
        .column_as(views_sum(), "views")
        .filter(daily::Column::Day.gte(first_day))
        .group_by(daily::Column::ArticleId)
        .order_by_desc(Expr::col(sea_orm::sea_query::Alias::new("views")))
        .limit(limit)
        .into_model::<ArticleSum>()
        .all(db)
        .await?;
    let ids: Vec<i32> = sums.iter().map(|s| s.article_id).collect();
    let titles: Vec<(i32, String)> = if ids.is_empty() {
        Vec::new()
    } else {
        article::Entity::find()
            .select_only()
            .columns([article::Column::Id, article::Column::Title])
            .filter(article::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await?
    };
    Ok(sums
        .into_iter()
        .filter_map(|s| {
            let title = titles.iter().find(|t| t.0 == s.article_id)?.1.clone();
            Some((s.article_id, title, s.views.unwrap_or(0)))
        })
        .collect())
}

/// Articles waiting for their publication time, soonest first: (id, title, when); only
/// `owner`'s when given (a writer sees only their own).
pub async fn upcoming(
    db: &impl ConnectionTrait,
    limit: u64,
    owner: Option<i32>,
) -> Result<Vec<(i32, String, Option<DateTime<Utc>>)>> {
    let mut query = article::Entity::find();
    if let Some(owner) = owner {
        query = query.filter(article::Column::OwnerId.eq(owner));
    }
    Ok(query
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::PublishedAt,
        ])
        .filter(article::Column::Status.eq(ArticleStatus::Scheduled))
        .order_by_asc(article::Column::PublishedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?)
}

/// Views of the last 30 days, as the dashboard shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Views {
    /// Each of the last 30 days (`11-27`) with its views, oldest first; days without views are 0.
    pub daily: Vec<(String, i64)>,
    pub today: i64,
    pub last_7: i64,
    pub last_30: i64,
    /// The ten most viewed articles of the last 7 and 30 days: (id, title, views).
    pub top_7: Vec<(i32, String, i64)>,
    pub top_30: Vec<(i32, String, i64)>,
}

/// Views of the last 30 days (in `tz`): by day, summed over windows, and the most viewed.
pub async fn views(db: &impl ConnectionTrait, tz: Tz) -> Result<Views> {
    let days = last_days(30, tz);
    let first = days.first().cloned().unwrap_or_default();
    let seven = days
        .get(days.len().saturating_sub(7))
        .cloned()
        .unwrap_or_default();
    let totals = daily_totals(db, &first).await?;
    let daily: Vec<(String, i64)> = days
        .iter()
        .map(|d| {
            let v = totals.iter().find(|t| &t.0 == d).map(|t| t.1).unwrap_or(0);
            (d.get(5..).unwrap_or(d).to_owned(), v)
        })
        .collect();
    let sum_last = |n: usize| daily.iter().rev().take(n).map(|d| d.1).sum::<i64>();
    Ok(Views {
        today: sum_last(1),
        last_7: sum_last(7),
        last_30: sum_last(30),
        top_7: top_articles(db, &seven, 10).await?,
        top_30: top_articles(db, &first, 10).await?,
        daily,
    })
}
