//! Revisions (list, read, restore) and autosaved copies of unsaved work.

use chrono::{DateTime, Utc};
use entity::article;
use entity::{article_autosave, article_revision};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::Db;
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
pub async fn restore(db: &Db, actor: &Actor, revision_id: i32) -> Result<article::Model> {
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

/// The longest draft key (the column's width).
pub const MAX_DRAFT_KEY: usize = 80;
/// Unsaved copies kept per person; saving one more drops the oldest.
pub const MAX_AUTOSAVES_PER_USER: u64 = 50;

/// A valid draft key: `new:…` or `article:12`, at most [`MAX_DRAFT_KEY`] characters of
/// letters, digits, `:`, `-` and `_`.
pub fn parse_draft_key(key: &str) -> Result<&str> {
    let ok = !key.is_empty()
        && key.len() <= MAX_DRAFT_KEY
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'));
    if ok {
        Ok(key)
    } else {
        Err(Error::Invalid("草稿标识无效，请刷新编辑页面后重试".into()))
    }
}

/// Keeps the editor's unsaved copy (replacing the previous one for the same key), and at
/// most [`MAX_AUTOSAVES_PER_USER`] copies per person.
pub async fn autosave(
    db: &Db,
    user_id: i32,
    draft_key: &str,
    article_id: Option<i32>,
    data: &str,
) -> Result<DateTime<Utc>> {
    let draft_key = parse_draft_key(draft_key)?;
    if data.len() > 4 * 1024 * 1024 {
        return Err(Error::Invalid("草稿过大，无法自动保存".into()));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    article_autosave::Entity::insert(article_autosave::ActiveModel {
        user_id: Set(user_id),
        draft_key: Set(draft_key.to_owned()),
        article_id: Set(article_id),
        data: Set(data.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            article_autosave::Column::UserId,
            article_autosave::Column::DraftKey,
        ])
        .update_columns([
            article_autosave::Column::ArticleId,
            article_autosave::Column::Data,
            article_autosave::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let older: Vec<i32> = article_autosave::Entity::find()
        .select_only()
        .column(article_autosave::Column::Id)
        .filter(article_autosave::Column::UserId.eq(user_id))
        .order_by_desc(article_autosave::Column::UpdatedAt)
        .order_by_desc(article_autosave::Column::Id)
        .offset(MAX_AUTOSAVES_PER_USER)
        .limit(1000)
        .into_tuple()
        .all(&txn)
        .await?;
    if !older.is_empty() {
        article_autosave::Entity::delete_many()
            .filter(article_autosave::Column::Id.is_in(older))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(now)
}

/// The unsaved copy kept for `draft_key`, if any.
pub async fn autosaved(
    db: &impl ConnectionTrait,
    user_id: i32,
    draft_key: &str,
) -> Result<Option<article_autosave::Model>> {
    let draft_key = parse_draft_key(draft_key)?;
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
    let draft_key = parse_draft_key(draft_key)?;
    article_autosave::Entity::delete_many()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(article_autosave::Column::DraftKey.eq(draft_key))
        .exec(db)
        .await?;
    Ok(())
}
