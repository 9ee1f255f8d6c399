//! Site-wide data every page shows: settings, footer link groups, notices.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use entity::{column, link, link_group, notice, site_setting};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Result;

/// Whether `s` may be used as a link or image address on the site: a site path (`/…`, but
/// not the protocol-relative `//host`) or an http(s) address, without spaces, at most 500
/// bytes.
pub fn is_link_address(s: &str) -> bool {
    let shaped = (s.starts_with('/') && !s.starts_with("//"))
        || s.starts_with("https://")
        || s.starts_with("http://");
    shaped && s.len() <= 500 && !s.contains(char::is_whitespace)
}

/// The editable site settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSettings {
    pub site_name: String,
    /// The magazine's name, shown in the header: 《中国开发区》.
    pub magazine_name: String,
    pub slogan: String,
    /// 微信公众号 name.
    pub wechat_account: String,
    /// What the account's QR code encodes (the account's follow link).
    pub wechat_qr_url: String,
    /// 加入QQ交流群
    pub qq_group: String,
    /// Where 留言 goes: the association's public mailbox.
    pub contact_email: String,
    /// Lines of the footer (sponsor, address, phone), one per line.
    pub footer_text: String,
    /// ICP filing number, e.g. 京ICP备00000000号.
    pub icp: String,
    pub copyright: String,
    /// The header logo: a site path (`/media/…`) or an http(s) address; empty shows the
    /// built-in emblem.
    pub logo_url: String,
    /// Words refused in readers' messages and submissions: one per line.
    pub blocked_words: String,
    /// The most web links a reader's message or submission may hold.
    pub max_links: String,
    /// 先审后发: writers' articles go online only after review (`1`, the default) or on
    /// submission (`0`).
    pub review_writers: String,
    /// Review levels: `1` (one review) or `2` (初审 then 终审 by another person).
    pub review_levels: String,
    /// Editors' own changes: `direct` (published by themselves, the default) or `peer`
    /// (reviewed by another editor, like a writer's).
    pub review_editors: String,
    /// Mail the people concerned when an article is submitted, returned or approved (`1`), by
    /// the SMTP settings of the message box; `0` (the default) sends nothing.
    pub review_mail: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            site_name: "中国开发区协会".into(),
            magazine_name: "中国开发区".into(),
            slogan: String::new(),
            wechat_account: String::new(),
            wechat_qr_url: String::new(),
            qq_group: String::new(),
            contact_email: String::new(),
            footer_text: String::new(),
            icp: String::new(),
            copyright: String::new(),
            logo_url: String::new(),
            blocked_words: String::new(),
            max_links: crate::form::DEFAULT_MAX_LINKS.to_string(),
            review_writers: "1".into(),
            review_levels: "1".into(),
            review_editors: "direct".into(),
            review_mail: "0".into(),
        }
    }
}

impl SiteSettings {
    /// Every setting as (key in the `site_settings` table, value).
    pub fn entries(&self) -> [(&'static str, &str); 17] {
        [
            ("site_name", &self.site_name),
            ("magazine_name", &self.magazine_name),
            ("slogan", &self.slogan),
            ("wechat_account", &self.wechat_account),
            ("wechat_qr_url", &self.wechat_qr_url),
            ("qq_group", &self.qq_group),
            ("contact_email", &self.contact_email),
            ("footer_text", &self.footer_text),
            ("icp", &self.icp),
            ("copyright", &self.copyright),
            ("logo_url", &self.logo_url),
            ("blocked_words", &self.blocked_words),
            ("max_links", &self.max_links),
            ("review_writers", &self.review_writers),
            ("review_levels", &self.review_levels),
            ("review_editors", &self.review_editors),
            ("review_mail", &self.review_mail),
        ]
    }

    /// Sets one setting by key; returns false for an unknown key.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let field = match key {
            "site_name" => &mut self.site_name,
            "magazine_name" => &mut self.magazine_name,
            "slogan" => &mut self.slogan,
            "wechat_account" => &mut self.wechat_account,
            "wechat_qr_url" => &mut self.wechat_qr_url,
            "qq_group" => &mut self.qq_group,
            "contact_email" => &mut self.contact_email,
            "footer_text" => &mut self.footer_text,
            "icp" => &mut self.icp,
            "copyright" => &mut self.copyright,
            "logo_url" => &mut self.logo_url,
            "blocked_words" => &mut self.blocked_words,
            "max_links" => &mut self.max_links,
            "review_writers" => &mut self.review_writers,
            "review_levels" => &mut self.review_levels,
            "review_editors" => &mut self.review_editors,
            "review_mail" => &mut self.review_mail,
            _ => return false,
        };
        *field = value;
        true
    }
}

/// Reads the settings; keys that are missing keep their defaults, unknown keys are ignored.
pub async fn settings(db: &impl ConnectionTrait) -> Result<SiteSettings> {
    let rows = site_setting::Entity::find().all(db).await?;
    let mut settings = SiteSettings::default();
    for row in rows {
        settings.set(&row.key, row.value);
    }
    Ok(settings)
}

/// Stores every setting.
pub async fn save_settings(db: &impl ConnectionTrait, settings: &SiteSettings) -> Result<()> {
    let existing: Vec<String> = site_setting::Entity::find()
        .select_only()
        .column(site_setting::Column::Key)
        .into_tuple()
        .all(db)
        .await?;
    for (key, value) in settings.entries() {
        let model = site_setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value.to_owned()),
        };
        if existing.iter().any(|k| k == key) {
            site_setting::Entity::update(model).exec(db).await?;
        } else {
            site_setting::Entity::insert(model).exec(db).await?;
        }
    }
    Ok(())
}

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

/// Saves the site settings, logging which ones changed.
pub async fn update_settings(
    db: &crate::db::Db,
    actor: &crate::audit::Actor,
    new: &crate::site::SiteSettings,
) -> Result<()> {
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    let old = settings(&txn).await?;
    let changed: Vec<&str> = old
        .entries()
        .iter()
        .zip(new.entries().iter())
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0)
        .collect();
    save_settings(&txn, new).await?;
    crate::cache::invalidate(
        &txn,
        [
            crate::cache::tag::CHROME,
            crate::cache::tag::HOME,
            crate::cache::tag::FEED,
        ],
    )
    .await?;
    crate::audit::record(
        &txn,
        actor,
        "settings.update",
        "settings",
        "",
        if changed.is_empty() {
            "没有修改".to_owned()
        } else {
            format!("修改：{}", changed.join("、"))
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_link_address;

    #[test]
    fn link_addresses_are_site_paths_or_web_addresses() {
        for ok in [
            "/columns/news",
            "https://www.example.org/a",
            "http://x.example",
        ] {
            assert!(is_link_address(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "javascript:alert(1)",
            "/a b",
            "ftp://x",
            "",
        ] {
            assert!(!is_link_address(bad), "{bad}");
        }
        assert!(!is_link_address(&format!("/{}", "a".repeat(500))));
    }
}
