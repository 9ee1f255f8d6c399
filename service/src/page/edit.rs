//! Editing a column's single page.

use chrono::Utc;
use entity::{column, page};
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::input::required;
use crate::{Error, Result};

/// Saves the single page of a column.
pub async fn save_page(
    db: &Db,
    actor: &Actor,
    column_id: i32,
    title: &str,
    body: &str,
) -> Result<page::Model> {
    let title = required("标题", title, 200)?;
    let txn = db.begin().await?;
    let column = column::Entity::find_by_id(column_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let now = Utc::now();
    let existing = super::for_column(&txn, column_id).await?;
    let mut m: page::ActiveModel = match &existing {
        Some(p) => p.clone().into(),
        None => page::ActiveModel {
            column_id: Set(column_id),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.title = Set(title);
    m.body = Set(crate::html::clean(body.to_owned()).await?);
    m.updated_at = Set(now);
    let saved = match existing {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    crate::search::index(&txn, &crate::search::Doc::page(&saved, column.site_id)).await?;
    cache::invalidate_site(&txn, column.site_id, [tag::page(column_id)]).await?;
    audit::record(
        &txn,
        actor,
        "page.update",
        "page",
        column_id,
        format!("单页「{}」（{} 字节）", saved.title, saved.body.len()),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
