//! Revisions (list, read, restore) and autosaved copies of unsaved work.

use chrono::{DateTime, Utc};
use entity::article;
use entity::{article_autosave, article_revision};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::audit::{self, Actor};
use crate::{Error, Result};

use super::{ArticleInput, get, save};

/// The revisions of an article, newest first.
pub async fn revisions(
    db: &impl ConnectionTrait,
    article_id: i32,
) -> Result<Vec<article_revision::Model>> {
    Ok(article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(article_id))
        .order_by_desc(article_revision::Column::Id)
        .all(db)
        .await?)
}

/// One revision with its article's input.
pub async fn revision(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(article_revision::Model, ArticleInput)> {
    let rev = article_revision::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let input: ArticleInput = serde_json::from_str(&rev.data)
        .map_err(|_| Error::Invalid("该版本的数据无法读取".into()))?;
    Ok((rev, input))
}

/// Restores an article to a revision: a new save (and so a new revision) with its content.
/// Status and publication time stay as they are now.
pub async fn restore(
    db: &DatabaseConnection,
    actor: &Actor,
    revision_id: i32,
) -> Result<article::Model> {
    let (rev, input) = revision(db, revision_id).await?;
    let current = get(db, rev.article_id).await?;
    let restored = ArticleInput {
        status: current.status,
        published_at: current.published_at,
        ..input
    };
    let saved = save(db, actor, Some(rev.article_id), restored).await?;
    audit::record(
        db,
        actor,
        "article.restore",
        "article",
        saved.id,
        format!("《{}》恢复到版本 #{}", saved.title, revision_id),
    )
    .await?;
    Ok(saved)
}

/// Keeps the editor's unsaved copy (replacing the previous one for the same key).
pub async fn autosave(
    db: &impl ConnectionTrait,
    user_id: i32,
    draft_key: &str,
    article_id: Option<i32>,
    data: &str,
) -> Result<DateTime<Utc>> {
    if data.len() > 4 * 1024 * 1024 {
        return Err(Error::Invalid("草稿过大，无法自动保存".into()));
    }
    let now = Utc::now();
    let existing = article_autosave::Entity::find()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(article_autosave::Column::DraftKey.eq(draft_key))
        .one(db)
        .await?;
    match existing {
        Some(e) => {
            let mut m: article_autosave::ActiveModel = e.into();
            m.data = Set(data.to_owned());
            m.article_id = Set(article_id);
            m.updated_at = Set(now);
            m.update(db).await?;
        }
        None => {
            article_autosave::Entity::insert(article_autosave::ActiveModel {
                user_id: Set(user_id),
                draft_key: Set(draft_key.chars().take(80).collect()),
                article_id: Set(article_id),
                data: Set(data.to_owned()),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?;
        }
    }
    Ok(now)
}

/// The unsaved copy kept for `draft_key`, if any.
pub async fn autosaved(
    db: &impl ConnectionTrait,
    user_id: i32,
    draft_key: &str,
) -> Result<Option<article_autosave::Model>> {
    Ok(article_autosave::Entity::find()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(article_autosave::Column::DraftKey.eq(draft_key))
        .one(db)
        .await?)
}

/// Unsaved copies of new articles (never saved), newest first.
pub async fn new_drafts(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<article_autosave::Model>> {
    Ok(article_autosave::Entity::find()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(article_autosave::Column::ArticleId.is_null())
        .order_by_desc(article_autosave::Column::UpdatedAt)
        .limit(10)
        .all(db)
        .await?)
}

/// Throws an unsaved copy away.
pub async fn discard_autosave(
    db: &impl ConnectionTrait,
    user_id: i32,
    draft_key: &str,
) -> Result<()> {
    article_autosave::Entity::delete_many()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(article_autosave::Column::DraftKey.eq(draft_key))
        .exec(db)
        .await?;
    Ok(())
}
