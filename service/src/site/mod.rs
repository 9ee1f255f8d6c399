//! Site-wide data every page shows: settings, footer link groups, notices.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use entity::{column, link, link_group, notice};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;

pub mod directory;
pub use directory::MAIN;
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

/// Every footer link group of `site` with its links (two queries).
pub async fn link_groups(db: &impl ConnectionTrait, site: i32) -> Result<Vec<LinkGroup>> {
    let groups = link_group::Entity::find()
        .filter(link_group::Column::SiteId.eq(site))
        .order_by_asc(link_group::Column::SortOrder)
        .order_by_asc(link_group::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = groups.iter().map(|g| g.id).collect();
    let links = link::Entity::find()
        .filter(link::Column::GroupId.is_in(ids))
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

/// The newest published notices of `site`.
pub async fn latest_notices(
    db: &impl ConnectionTrait,
    site: i32,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<notice::Model>> {
    Ok(notice::Entity::find()
        .filter(notice::Column::SiteId.eq(site))
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
    /// The site this is the data of.
    pub site: i32,
    pub settings: SiteSettings,
    pub columns: Vec<column::Model>,
    pub link_groups: Vec<LinkGroup>,
    /// The newest [`NOTICE_STRIP`] published notices.
    pub notices: Vec<notice::Model>,
    /// Until when this copy may be used: its reading plus the memo's age limit, or sooner
    /// when a scheduled notice comes due.
    expires: DateTime<Utc>,
}

/// [`Shared`] read once per process and kept for each site, so that a page rendered from the
/// database costs its own queries only (five fewer per page). Every change to what it holds
/// records the `chrome` tag in the invalidation log (see [`crate::cache`]) with its site; the
/// server's log follower calls [`Common::forget`] for that site when it sees the tag, so a
/// copy is never older than the page cache's own pages. An age limit bounds it besides, and a
/// scheduled notice expires it when it comes due.
pub struct Common {
    by_site: RwLock<HashMap<i32, Arc<Slot>>>,
    max_age: chrono::Duration,
}

/// One site's copy.
#[derive(Default)]
struct Slot {
    shared: RwLock<Option<Arc<Shared>>>,
    /// Bumped by [`Common::forget`]: a reading begun before it is not kept.
    generation: AtomicU64,
}

impl Common {
    pub fn new(max_age: std::time::Duration) -> Common {
        Common {
            by_site: RwLock::new(HashMap::new()),
            max_age: chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::seconds(10)),
        }
    }

    fn slot(&self, site: i32) -> Arc<Slot> {
        if let Ok(map) = self.by_site.read()
            && let Some(slot) = map.get(&site)
        {
            return slot.clone();
        }
        match self.by_site.write() {
            Ok(mut map) => map.entry(site).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }

    /// The current copy of `site`'s data, read from the database (six small queries) when
    /// there is none. Only sites the request routing found reach here, so the map holds at
    /// most one slot per site of the installation.
    pub async fn get(&self, db: &impl ConnectionTrait, site: i32) -> Result<Arc<Shared>> {
        let now = Utc::now();
        let slot = self.slot(site);
        if let Ok(shared) = slot.shared.read()
            && let Some(shared) = shared.as_ref()
            && shared.expires > now
        {
            return Ok(shared.clone());
        }
        let generation = slot.generation.load(Ordering::Acquire);
        let shared = Arc::new(read_shared(db, site, now, self.max_age).await?);
        if let Ok(mut kept) = slot.shared.write()
            && slot.generation.load(Ordering::Acquire) == generation
        {
            *kept = Some(shared.clone());
        }
        Ok(shared)
    }

    /// Drops `site`'s copy (every site's for `None`): the next page reads the database again.
    pub fn forget(&self, site: Option<i32>) {
        let slots: Vec<Arc<Slot>> = match self.by_site.read() {
            Ok(map) => match site {
                Some(site) => map.get(&site).cloned().into_iter().collect(),
                None => map.values().cloned().collect(),
            },
            Err(_) => Vec::new(),
        };
        for slot in slots {
            slot.generation.fetch_add(1, Ordering::AcqRel);
            if let Ok(mut kept) = slot.shared.write() {
                *kept = None;
            }
        }
    }
}

/// Something made from one copy of a site's [`Shared`] (its pages' chrome, say), kept for each
/// site until that site's copy is replaced.
pub struct Derived<T> {
    by_site: RwLock<HashMap<i32, Made<T>>>,
}

/// What was made, with the copy it was made of.
type Made<T> = (Arc<Shared>, Arc<T>);

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Derived {
            by_site: RwLock::new(HashMap::new()),
        }
    }
}

impl<T> Derived<T> {
    /// What `make` made of `shared`, made now if `shared` is not the copy it was made of.
    pub fn get_or(&self, shared: &Arc<Shared>, make: impl FnOnce(&Shared) -> T) -> Arc<T> {
        if let Ok(map) = self.by_site.read()
            && let Some((of, made)) = map.get(&shared.site)
            && Arc::ptr_eq(of, shared)
        {
            return made.clone();
        }
        let made = Arc::new(make(shared));
        if let Ok(mut map) = self.by_site.write() {
            map.insert(shared.site, (shared.clone(), made.clone()));
        }
        made
    }
}

async fn read_shared(
    db: &impl ConnectionTrait,
    site: i32,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> Result<Shared> {
    let next_notice: Option<DateTime<Utc>> = notice::Entity::find()
        .select_only()
        .column(notice::Column::PublishedAt)
        .filter(notice::Column::SiteId.eq(site))
        .filter(notice::Column::IsPublished.eq(true))
        .filter(notice::Column::PublishedAt.gt(now))
        .order_by_asc(notice::Column::PublishedAt)
        .into_tuple()
        .one(db)
        .await?;
    let expires = next_notice.map_or(now + max_age, |t| t.min(now + max_age));
    Ok(Shared {
        site,
        settings: settings_of(db, site).await?,
        columns: crate::column::all(db, site).await?,
        link_groups: link_groups(db, site).await?,
        notices: latest_notices(db, site, NOTICE_STRIP, now).await?,
        expires,
    })
}
