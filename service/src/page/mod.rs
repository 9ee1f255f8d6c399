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
