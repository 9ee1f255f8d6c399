//! Column listings: which published articles a column lists, newest first. An article is
//! listed under its own column and every ancestor, one row each, so any column's page is one
//! range of the `(column_id, published_at, article_id)` index, however deep the tree.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use entity::{article_listing, column};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Result;

/// The columns `a` should be listed under, given its state.
fn wanted(a: &article::Model, columns: &[column::Model]) -> Vec<i32> {
    if a.status == ArticleStatus::Published && a.published_at.is_some() {
        crate::column::with_ancestors(columns, a.column_id)
    } else {
        Vec::new()
    }
}

/// Makes the listing rows of `a` match its state and recounts the columns involved. Returns
/// the columns whose lists changed.
pub async fn sync(
    db: &impl ConnectionTrait,
    a: &article::Model,
    columns: &[column::Model],
) -> Result<Vec<i32>> {
    let existing: Vec<i32> = article_listing::Entity::find()
        .select_only()
        .column(article_listing::Column::ColumnId)
        .filter(article_listing::Column::ArticleId.eq(a.id))
        .into_tuple()
        .all(db)
        .await?;
    let wanted = wanted(a, columns);
    article_listing::Entity::delete_many()
        .filter(article_listing::Column::ArticleId.eq(a.id))
        .exec(db)
        .await?;
    if let Some(at) = a.published_at
        && !wanted.is_empty()
    {
        insert_rows(db, wanted.iter().map(|c| (*c, a.id, at))).await?;
    }
    let affected: BTreeSet<i32> = existing.into_iter().chain(wanted).collect();
    let affected: Vec<i32> = affected.into_iter().collect();
    recount(db, &affected).await?;
    Ok(affected)
}

/// Inserts listing rows `(column_id, article_id, published_at)` in batches.
pub async fn insert_rows(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = (i32, i32, DateTime<Utc>)>,
) -> Result<()> {
    let rows: Vec<article_listing::ActiveModel> = rows
        .into_iter()
        .map(
            |(column_id, article_id, published_at)| article_listing::ActiveModel {
                column_id: Set(column_id),
                article_id: Set(article_id),
                published_at: Set(published_at),
            },
        )
        .collect();
    for chunk in rows.chunks(300) {
        article_listing::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Stores how many articles each of `ids` lists.
pub async fn recount(db: &impl ConnectionTrait, ids: &[i32]) -> Result<()> {
    for id in ids {
        let n = article_listing::Entity::find()
            .filter(article_listing::Column::ColumnId.eq(*id))
            .count(db)
            .await?;
        column::Entity::update_many()
            .col_expr(
                column::Column::ListedCount,
                sea_orm::sea_query::Expr::value(i32::try_from(n).unwrap_or(i32::MAX)),
            )
            .filter(column::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Rebuilds every listing from the articles (after bulk imports).
pub async fn rebuild_all(db: &impl ConnectionTrait) -> Result<()> {
    let columns = crate::column::all_sites(db).await?;
    article_listing::Entity::delete_many().exec(db).await?;
    let published: Vec<(i32, i32, Option<DateTime<Utc>>)> = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::ColumnId,
            article::Column::PublishedAt,
        ])
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .into_tuple()
        .all(db)
        .await?;
    let rows = published.into_iter().flat_map(|(id, column_id, at)| {
        let chain = crate::column::with_ancestors(&columns, column_id);
        at.into_iter()
            .flat_map(move |at| chain.clone().into_iter().map(move |c| (c, id, at)))
    });
    insert_rows(db, rows).await?;
    let ids: Vec<i32> = columns.iter().map(|c| c.id).collect();
    recount(db, &ids).await
}

/// The ids of page `page` (from 0) of a column's list, newest first. The offset is walked in
/// the covering index only; the articles themselves are then fetched by id.
pub async fn page_ids(
    db: &impl ConnectionTrait,
    column_id: i32,
    page: u64,
    per_page: u64,
    now: DateTime<Utc>,
) -> Result<Vec<i32>> {
    Ok(article_listing::Entity::find()
        .select_only()
        .column(article_listing::Column::ArticleId)
        .filter(article_listing::Column::ColumnId.eq(column_id))
        .filter(article_listing::Column::PublishedAt.lte(now))
        .order_by_desc(article_listing::Column::PublishedAt)
        .order_by_desc(article_listing::Column::ArticleId)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .into_tuple()
        .all(db)
        .await?)
}
