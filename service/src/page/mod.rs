//! Single pages (单页): 协会简介, 联系我们 and the like, one per `page` column.

mod edit;
pub use edit::*;

use entity::page;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Result;

/// The single page of a column, if it has one.
pub async fn for_column(db: &impl ConnectionTrait, column_id: i32) -> Result<Option<page::Model>> {
    Ok(page::Entity::find()
        .filter(page::Column::ColumnId.eq(column_id))
        .one(db)
        .await?)
}

/// Every column that has a single page (单页, 投稿), in the columns' order, with its page if
/// one was written. One query for the columns' pages.
pub async fn all_with_columns(
    db: &impl ConnectionTrait,
) -> Result<Vec<(entity::column::Model, Option<page::Model>)>> {
    let columns: Vec<_> = crate::column::all(db, crate::site::MAIN)
        .await?
        .into_iter()
        .filter(|c| c.kind.has_page())
        .collect();
    let ids: Vec<i32> = columns.iter().map(|c| c.id).collect();
    let mut pages = page::Entity::find()
        .filter(page::Column::ColumnId.is_in(ids))
        .all(db)
        .await?;
    Ok(columns
        .into_iter()
        .map(|c| {
            let p = pages
                .iter()
                .position(|p| p.column_id == c.id)
                .map(|i| pages.swap_remove(i));
            (c, p)
        })
        .collect())
}
