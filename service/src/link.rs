//! Footer link groups and links.

use entity::{link, link_group};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};

use crate::input::required;

/// Saves a footer link group (`id` None creates one).
pub async fn save_link_group(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    name: &str,
    sort_order: i32,
) -> Result<()> {
    let name = required("分组名称", name, 50)?;
    let txn = db.begin().await?;
    let mut m: link_group::ActiveModel = match id {
        Some(i) => link_group::Entity::find_by_id(i)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?
            .into(),
        None => Default::default(),
    };
    m.name = Set(name.clone());
    m.sort_order = Set(sort_order);
    let saved = if id.is_some() {
        m.update(&txn).await?
    } else {
        m.insert(&txn).await?
    };
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.group",
        "link_group",
        saved.id,
        format!("链接分组「{name}」"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete_link_group(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let g = link_group::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    link::Entity::delete_many()
        .filter(link::Column::GroupId.eq(id))
        .exec(&txn)
        .await?;
    link_group::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.group.delete",
        "link_group",
        id,
        format!("删除链接分组「{}」及其链接", g.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves a footer link (`id` None creates one in `group_id`).
pub async fn save_link(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    group_id: i32,
    name: &str,
    url: &str,
    sort_order: i32,
) -> Result<()> {
    let name = required("链接名称", name, 100)?;
    let url = url.trim().to_owned();
    if !crate::site::is_link_address(&url) {
        return Err(Error::Invalid(
            "链接地址需以 http://、https:// 或 / 开头".into(),
        ));
    }
    let txn = db.begin().await?;
    link_group::Entity::find_by_id(group_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let mut m: link::ActiveModel = match id {
        Some(i) => link::Entity::find_by_id(i)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?
            .into(),
        None => Default::default(),
    };
    m.group_id = Set(group_id);
    m.name = Set(name.clone());
    m.url = Set(url.clone());
    m.sort_order = Set(sort_order);
    let saved = if id.is_some() {
        m.update(&txn).await?
    } else {
        m.insert(&txn).await?
    };
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.link",
        "link",
        saved.id,
        format!("链接「{name}」→ {url}"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete_link(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let l = link::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    link::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.link.delete",
        "link",
        id,
        format!("删除链接「{}」", l.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every link group with its links, for editing.
pub async fn link_groups(
    db: &impl ConnectionTrait,
) -> Result<Vec<(link_group::Model, Vec<link::Model>)>> {
    let groups = link_group::Entity::find()
        .order_by_asc(link_group::Column::SortOrder)
        .order_by_asc(link_group::Column::Id)
        .all(db)
        .await?;
    let links = link::Entity::find()
        .order_by_asc(link::Column::SortOrder)
        .order_by_asc(link::Column::Id)
        .all(db)
        .await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let mine = links
                .iter()
                .filter(|l| l.group_id == g.id)
                .cloned()
                .collect();
            (g, mine)
        })
        .collect())
}
