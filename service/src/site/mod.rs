//! Site-wide data every page shows: settings, footer link groups, notices.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use entity::{column, link, link_group, notice};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;

pub mod directory;
mod settings;
pub use settings::{
    SettingsInput, SiteSettings, is_link_address, save_settings, save_settings_of, settings,
    settings_of, update_settings,
};

/// A footer link group with its links, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkGroup {
    pub name: String,
    pub links: Vec<link::Model>,
}

/// Every footer link group with its links (two queries).
pub async fn link_groups(db: &impl ConnectionTrait) -> Result<Vec<LinkGroup>> {
    let groups = link_group::Entity::find()
        .order_by_asc(link_group::Column::SortOrder)
        .order_by_asc(link_group::Column::Id)
        .all(db)
        .await?;
    let links = link::Entity::find()
        .order_by_asc(link::Column::GroupId)
        .order_by_asc(link::Column::SortOrder)
        .order_by_asc(link::Column::Id)
        .all(db)
        .await?;
    let mut by_group: HashMap<i32, Vec<link::Model>> = HashMap::new();
    for l in links {
        by_group.entry(l.group_id).or_default().push(l);
    }
    Ok(groups
        .into_iter()
        .map(|g| LinkGroup {
            links: by_group.remove(&g.id).unwrap_or_default(),
            name: g.name,
        })
        .collect())
}

/// The newest published notices.
pub async fn latest_notices(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<notice::Model>> {
    Ok(notice::Entity::find()
        .filter(notice::Column::IsPublished.eq(true))
        .filter(notice::Column::PublishedAt.lte(now))
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// How many notices the strip in every page's header shows.
pub const NOTICE_STRIP: u64 = 5;

/// What every public page reads and what rarely changes: the settings, the columns, the footer
/// links and the notices strip. See [`Common`].
#[derive(Debug)]
pub struct Shared {
    pub settings: SiteSettings,
    pub columns: Vec<column::Model>,
    pub link_groups: Vec<LinkGroup>,
    /// The newest [`NOTICE_STRIP`] published notices.
    pub notices: Vec<notice::Model>,
    /// Until when this copy may be used: its reading plus the memo's age limit, or sooner
    /// when a scheduled notice comes due.
    expires: DateTime<Utc>,
}

/// [`Shared`] read once per process and kept, so that a page rendered from the database
/// costs its own queries only (five fewer per page). Every change to what it holds records
/// the `chrome` tag in the invalidation log (see [`crate::cache`]); the server's log
/// follower calls [`Common::forget`] when it sees that tag, so a copy is never older than
/// the page cache's own pages. An age limit bounds it besides, and a scheduled notice
/// expires it when it comes due.
pub struct Common {
    slot: RwLock<Option<Arc<Shared>>>,
    /// Bumped by [`Common::forget`]: a reading begun before it is not kept.
    generation: AtomicU64,
    max_age: chrono::Duration,
}

impl Common {
    pub fn new(max_age: std::time::Duration) -> Common {
        Common {
            slot: RwLock::new(None),
            generation: AtomicU64::new(0),
            max_age: chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::seconds(10)),
        }
    }

    /// The current copy, read from the database (six small queries) when there is none.
    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<Arc<Shared>> {
        let now = Utc::now();
        if let Ok(slot) = self.slot.read()
            && let Some(shared) = slot.as_ref()
            && shared.expires > now
        {
            return Ok(shared.clone());
        }
        let generation = self.generation.load(Ordering::Acquire);
        let shared = Arc::new(read_shared(db, now, self.max_age).await?);
        if let Ok(mut slot) = self.slot.write()
            && self.generation.load(Ordering::Acquire) == generation
        {
            *slot = Some(shared.clone());
        }
        Ok(shared)
    }

    /// Drops the copy: the next page reads the database again.
    pub fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut slot) = self.slot.write() {
            *slot = None;
        }
    }
}

/// Something made from one copy of [`Shared`] (a page's chrome, say), kept until the copy
/// is replaced.
pub struct Derived<T> {
    slot: RwLock<Option<(Arc<Shared>, Arc<T>)>>,
}

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Derived {
            slot: RwLock::new(None),
        }
    }
}

impl<T> Derived<T> {
    /// What `make` made of `shared`, made now if `shared` is not the copy it was made of.
    pub fn get_or(&self, shared: &Arc<Shared>, make: impl FnOnce(&Shared) -> T) -> Arc<T> {
        if let Ok(slot) = self.slot.read()
            && let Some((of, made)) = slot.as_ref()
            && Arc::ptr_eq(of, shared)
        {
            return made.clone();
        }
        let made = Arc::new(make(shared));
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some((shared.clone(), made.clone()));
        }
        made
    }
}

async fn read_shared(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> Result<Shared> {
    let next_notice: Option<DateTime<Utc>> = notice::Entity::find()
        .select_only()
        .column(notice::Column::PublishedAt)
        .filter(notice::Column::IsPublished.eq(true))
        .filter(notice::Column::PublishedAt.gt(now))
        .order_by_asc(notice::Column::PublishedAt)
        .into_tuple()
        .one(db)
        .await?;
    let expires = next_notice.map_or(now + max_age, |t| t.min(now + max_age));
    Ok(Shared {
        settings: settings(db).await?,
        columns: crate::column::all(db).await?,
        link_groups: link_groups(db).await?,
        notices: latest_notices(db, NOTICE_STRIP, now).await?,
        expires,
    })
}
