//! The back office's queues of readers' items (留言, 投稿): filter tabs, how many items each
//! holds, and one page of a tab, newest first.

use sea_orm::{
    Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::Result;

/// A tab of a reader queue.
pub trait Tab: Copy + PartialEq + Sized + 'static {
    /// The table the queue lists.
    type Entity: EntityTrait<Model: Send + Sync>;
    /// Every tab in the order shown: the first is the default, the last shows everything.
    const TABS: &'static [Self];
    /// The table's creation time and id columns (the newest first).
    const ORDER: [<Self::Entity as EntityTrait>::Column; 2];

    /// In the address: `?filter=new`.
    fn code(self) -> &'static str;
    /// What the tab says: 待答复, 已采用, ...
    fn label(self) -> &'static str;
    /// The rows the tab holds.
    fn condition(self) -> Condition;

    /// The tab of an address's `filter` (the first for anything unknown).
    fn parse(code: &str) -> Self {
        Self::TABS
            .iter()
            .copied()
            .find(|t| t.code() == code)
            .unwrap_or(Self::TABS[0])
    }
}

/// How many rows `tab` holds.
pub async fn count<T: Tab>(db: &impl ConnectionTrait, tab: T) -> Result<u64> {
    Ok(T::Entity::find().filter(tab.condition()).count(db).await?)
}

/// Every tab with how many rows it holds.
pub async fn counts<T: Tab>(db: &impl ConnectionTrait) -> Result<Vec<(T, u64)>> {
    let mut out = Vec::with_capacity(T::TABS.len());
    for &tab in T::TABS {
        out.push((tab, count(db, tab).await?));
    }
    Ok(out)
}

/// Page `page` (from 0) of `tab`, newest first, and how many rows the tab holds.
pub async fn page<T: Tab>(
    db: &impl ConnectionTrait,
    tab: T,
    page: u64,
    per_page: u64,
) -> Result<(Vec<<T::Entity as EntityTrait>::Model>, u64)> {
    let query = T::Entity::find().filter(tab.condition());
    let total = query.clone().count(db).await?;
    let [created, id] = T::ORDER;
    let rows = query
        .order_by_desc(created)
        .order_by_desc(id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}
