//! Footer link groups and links.

use entity::{link, link_group};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PrimaryKeyTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
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
    let saved = upsert::<link_group::Entity, _>(&txn, id, |m| {
        m.name = Set(name.clone());
        m.sort_order = Set(sort_order);
    })
    .await?;
    let what = format!("链接分组「{name}」");
    changed(txn, actor, "links.group", "link_group", saved.id, what).await
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
    let what = format!("删除链接分组「{}」及其链接", g.name);
    changed(txn, actor, "links.group.delete", "link_group", id, what).await
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
    let saved = upsert::<link::Entity, _>(&txn, id, |m| {
        m.group_id = Set(group_id);
        m.name = Set(name.clone());
        m.url = Set(url.clone());
        m.sort_order = Set(sort_order);
    })
    .await?;
    let what = format!("链接「{name}」→ {url}");
    changed(txn, actor, "links.link", "link", saved.id, what).await
}

pub async fn delete_link(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let l = link::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    link::Entity::delete_by_id(id).exec(&txn).await?;
    let what = format!("删除链接「{}」", l.name);
    changed(txn, actor, "links.link.delete", "link", id, what).await
}

/// Row `id` of `E` (a new one when `None`; not found when it is not there) with `fill`'s
/// changes, written.
async fn upsert<E, A>(
    txn: &DatabaseTransaction,
    id: Option<i32>,
    fill: impl FnOnce(&mut A),
) -> Result<E::Model>
where
    E: EntityTrait<ActiveModel = A>,
    E::Model: IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    let mut m = match id {
        Some(i) => E::find_by_id(i)
            .one(txn)
            .await?
            .ok_or(Error::NotFound)?
            .into_active_model(),
        None => <A as ActiveModelTrait>::default(),
    };
    fill(&mut m);
    Ok(if id.is_some() {
        m.update(txn).await?
    } else {
        m.insert(txn).await?
    })
}

/// Ends a change of the footer links: the pages' chrome is out of date, the audit log says
/// what changed, and the transaction commits.
async fn changed(
    txn: DatabaseTransaction,
    actor: &Actor,
    action: &str,
    object: &str,
    id: i32,
    what: String,
) -> Result<()> {
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(&txn, actor, action, object, id, what).await?;
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
