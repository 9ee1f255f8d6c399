//! Site-wide data every page shows: settings, footer link groups, notices.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{link, link_group, notice, site_setting};
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
pub struct Settings {
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
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
            max_links: crate::forms::DEFAULT_MAX_LINKS.to_string(),
        }
    }
}

impl Settings {
    /// Every setting as (key in the `site_settings` table, value).
    pub fn entries(&self) -> [(&'static str, &str); 13] {
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
            _ => return false,
        };
        *field = value;
        true
    }
}

/// Reads the settings; keys that are missing keep their defaults, unknown keys are ignored.
pub async fn settings(db: &impl ConnectionTrait) -> Result<Settings> {
    let rows = site_setting::Entity::find().all(db).await?;
    let mut settings = Settings::default();
    for row in rows {
        settings.set(&row.key, row.value);
    }
    Ok(settings)
}

/// Stores every setting.
pub async fn save_settings(db: &impl ConnectionTrait, settings: &Settings) -> Result<()> {
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
