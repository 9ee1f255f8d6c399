//! Notices.

use chrono::{DateTime, Utc};
use entity::notice;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};

use crate::input::required;

/// A notice as the form edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeInput {
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
    pub is_published: bool,
}

pub async fn save_notice(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    input: NoticeInput,
) -> Result<notice::Model> {
    let title = required("标题", &input.title, 200)?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let before = match id {
        Some(i) => Some(
            notice::Entity::find_by_id(i)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut m: notice::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => notice::ActiveModel {
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.title = Set(title);
    m.body = Set(crate::html::clean(input.body).await?);
    m.published_at = Set(input.published_at);
    m.is_published = Set(input.is_published);
    m.updated_at = Set(now);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    crate::search::index(&txn, &crate::search::Doc::notice(&saved)).await?;
    cache::invalidate(&txn, [tag::NOTICES, tag::CHROME, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        if before.is_some() {
            "notice.update"
        } else {
            "notice.create"
        },
        "notice",
        saved.id,
        format!(
            "通知「{}」{}",
            saved.title,
            if saved.is_published {
                "（已发布）"
            } else {
                "（未发布）"
            }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn delete_notice(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let n = notice::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    notice::Entity::delete_by_id(id).exec(&txn).await?;
    crate::search::remove(&txn, crate::search::Kind::Notice, id).await?;
    cache::invalidate(&txn, [tag::NOTICES, tag::CHROME, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        "notice.delete",
        "notice",
        id,
        format!("删除通知「{}」", n.title),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every notice (published or not), newest first.
pub async fn all_notices(db: &impl ConnectionTrait) -> Result<Vec<notice::Model>> {
    Ok(notice::Entity::find()
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .all(db)
        .await?)
}

/// A notice, published or not.
pub async fn for_editing(db: &impl ConnectionTrait, id: i32) -> Result<notice::Model> {
    notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}
