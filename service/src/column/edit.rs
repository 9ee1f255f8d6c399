//! Editing columns: creating, renaming, moving in the tree, deleting.

use chrono::Utc;
use entity::column::ColumnKind;
use entity::{article, column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};

use crate::input::{clip, required};

/// A column as the form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnInput {
    pub parent_id: Option<i32>,
    pub name: String,
    pub slug: String,
    pub kind: ColumnKind,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
}

/// Creates or updates a column.
pub async fn save_column(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    input: ColumnInput,
) -> Result<column::Model> {
    let name = required("栏目名称", &input.name, 50)?;
    let slug = input.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 60
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::Invalid(
            "网址别名只能包含小写英文字母、数字和连字符，最多 60 个字符".into(),
        ));
    }
    let txn = db.begin().await?;
    let all = crate::column::all(&txn, crate::site::MAIN).await?;
    if all.iter().any(|c| c.slug == slug && Some(c.id) != id) {
        return Err(Error::Invalid("该网址别名已被其他栏目使用".into()));
    }
    if let Some(p) = input.parent_id {
        if !all.iter().any(|c| c.id == p) {
            return Err(Error::Invalid("上级栏目不存在".into()));
        }
        if let Some(me) = id
            && crate::column::path(&all, p).iter().any(|c| c.id == me)
        {
            return Err(Error::Invalid(
                "不能把栏目移到它自己或它的下级栏目之下".into(),
            ));
        }
    }
    let now = Utc::now();
    let before = id.and_then(|i| all.iter().find(|c| c.id == i).cloned());
    if id.is_some() && before.is_none() {
        return Err(Error::NotFound);
    }
    let mut m: column::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => column::ActiveModel {
            created_at: Set(now),
            listed_count: Set(0),
            ..Default::default()
        },
    };
    m.parent_id = Set(input.parent_id);
    m.name = Set(name);
    m.slug = Set(slug);
    m.kind = Set(input.kind);
    m.description = Set(clip(&input.description, 500));
    m.sort_order = Set(input.sort_order);
    m.show_in_nav = Set(input.show_in_nav);
    m.updated_at = Set(now);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    if before
        .as_ref()
        .is_some_and(|b| b.parent_id != saved.parent_id)
    {
        crate::listing::rebuild_all(&txn).await?;
    }
    cache::invalidate(
        &txn,
        [
            tag::CHROME.to_owned(),
            tag::HOME.into(),
            tag::SITEMAP.into(),
            tag::FEED.into(),
            tag::list(saved.id),
            tag::page(saved.id),
        ],
    )
    .await?;
    let summary = match &before {
        Some(b) => format!(
            "栏目「{}」→「{}」（/columns/{}）",
            b.name, saved.name, saved.slug
        ),
        None => format!("新建栏目「{}」（/columns/{}）", saved.name, saved.slug),
    };
    audit::record(
        &txn,
        actor,
        if before.is_some() {
            "column.update"
        } else {
            "column.create"
        },
        "column",
        saved.id,
        summary,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a column that has no sub-columns and no articles.
pub async fn delete_column(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let c = column::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if column::Entity::find()
        .filter(column::Column::ParentId.eq(id))
        .count(&txn)
        .await?
        > 0
    {
        return Err(Error::Invalid("请先删除或移走它的下级栏目".into()));
    }
    let n = article::Entity::find()
        .filter(article::Column::ColumnId.eq(id))
        .count(&txn)
        .await?;
    if n > 0 {
        return Err(Error::Invalid(format!(
            "该栏目下还有 {n} 篇文章，请先移到其他栏目"
        )));
    }
    column::Entity::delete_by_id(id).exec(&txn).await?;
    if let Some(p) = crate::page::for_column(&txn, id).await? {
        crate::search::remove(&txn, crate::search::Kind::Page, p.id).await?;
    }
    cache::invalidate(
        &txn,
        [
            tag::CHROME.to_owned(),
            tag::SITEMAP.into(),
            tag::list(id),
            tag::page(id),
        ],
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "column.delete",
        "column",
        id,
        format!("删除栏目「{}」", c.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
