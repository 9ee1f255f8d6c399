//! The site's settings (网站设置): what they are ([`SiteSettings`], typed), how they are
//! stored (one `site_values` row per site and key, as text), and what the settings form sends
//! ([`SettingsInput`], parsed once and checked here).

use std::collections::HashMap;

use entity::site_value;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::review::Workflow;
use crate::{Error, Result};

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
    /// The name in English under it in the header; empty shows none.
    pub site_name_en: String,
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
    /// The most web links a reader's message or submission may hold (0 to
    /// [`MAX_LINKS_LIMIT`]).
    pub max_links: u16,
    /// The review rules (审核).
    pub review: Workflow,
}

/// The highest [`SiteSettings::max_links`] the form accepts.
pub const MAX_LINKS_LIMIT: u16 = 100;

/// The text settings: key and the most characters kept. `blocked_words` is cut per line
/// instead (see [`blocked_words`]).
const TEXT: [(&str, usize); 13] = [
    ("site_name", 50),
    ("site_name_en", 100),
    ("magazine_name", 50),
    ("slogan", 100),
    ("wechat_account", 50),
    ("wechat_qr_url", 500),
    ("qq_group", 30),
    ("contact_email", 100),
    ("footer_text", 1000),
    ("icp", 100),
    ("copyright", 200),
    ("logo_url", 500),
    ("blocked_words", usize::MAX),
];

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            site_name: "中国开发区协会".into(),
            site_name_en: "China Association of Development Zones".into(),
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
            max_links: crate::form::DEFAULT_MAX_LINKS,
            review: Workflow::default(),
        }
    }
}

impl SiteSettings {
    fn text_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "site_name" => &mut self.site_name,
            "site_name_en" => &mut self.site_name_en,
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
            _ => return None,
        })
    }

    /// Every setting as stored: (key in the `site_values` table, text).
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let mut me = self.clone();
        let mut out: Vec<(&'static str, String)> = TEXT
            .iter()
            .map(|&(key, _)| {
                (
                    key,
                    me.text_mut(key).map(std::mem::take).unwrap_or_default(),
                )
            })
            .collect();
        let flag = |on: bool| if on { "1" } else { "0" }.to_owned();
        let r = self.review;
        out.extend([
            ("max_links", self.max_links.to_string()),
            ("review_writers", flag(r.writers)),
            ("review_levels", r.levels.to_string()),
            (
                "review_editors",
                if r.editors { "peer" } else { "direct" }.to_owned(),
            ),
            ("review_mail", flag(r.mail)),
        ]);
        out
    }

    /// Sets one setting from its stored text; returns false for an unknown key. A stored
    /// value that is not one of the choices reads as the safe one (reviews on, one level,
    /// editors direct, no mail; the default number of links).
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let v = value.trim();
        match key {
            "max_links" => self.max_links = v.parse().unwrap_or(crate::form::DEFAULT_MAX_LINKS),
            "review_writers" => self.review.writers = v != "0",
            "review_levels" => self.review.levels = if v == "2" { 2 } else { 1 },
            "review_editors" => self.review.editors = v == "peer",
            "review_mail" => self.review.mail = v == "1",
            _ => match self.text_mut(key) {
                Some(field) => *field = value,
                None => return false,
            },
        }
        true
    }
}

/// What the settings form sent, parsed: the text as typed, the choices as values. A field
/// the form did not send is `None` (or absent from `text`) and keeps its stored value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsInput {
    /// The text settings sent, by key.
    pub text: Vec<(&'static str, String)>,
    pub max_links: Option<u16>,
    pub review_writers: Option<bool>,
    pub review_levels: Option<i16>,
    pub review_editors: Option<bool>,
    pub review_mail: Option<bool>,
}

impl SettingsInput {
    /// Reads the form's fields (name → value; other names are ignored). A number or a
    /// choice that is not one the form offers is refused with the reason.
    pub fn parse(fields: &HashMap<String, String>) -> Result<SettingsInput> {
        let field = |name: &str| fields.get(name).map(|v| v.trim());
        let choice = |name: &str, no: &str, yes: &str| match field(name) {
            None => Ok(None),
            Some(v) if v == no => Ok(Some(false)),
            Some(v) if v == yes => Ok(Some(true)),
            Some(_) => Err(Error::Invalid("审核设置的取值不正确".into())),
        };
        let max_links = match field("max_links") {
            None => None,
            Some(n) => match n.parse::<u16>() {
                Ok(n) if n <= MAX_LINKS_LIMIT => Some(n),
                _ => {
                    return Err(Error::Invalid(format!(
                        "留言和投稿中的网址数量上限应为 0 到 {MAX_LINKS_LIMIT} 之间的整数"
                    )));
                }
            },
        };
        Ok(SettingsInput {
            text: TEXT
                .iter()
                .filter_map(|&(key, _)| Some((key, fields.get(key)?.clone())))
                .collect(),
            max_links,
            review_writers: choice("review_writers", "0", "1")?,
            review_levels: choice("review_levels", "1", "2")?.map(|two| if two { 2 } else { 1 }),
            review_editors: choice("review_editors", "direct", "peer")?,
            review_mail: choice("review_mail", "0", "1")?,
        })
    }

    /// The settings this input makes of `before`: text trimmed and cut to size and checked
    /// (a name is required; addresses and the mailbox must be well formed), what was not
    /// sent kept.
    pub fn apply(self, before: SiteSettings) -> Result<SiteSettings> {
        let mut s = before;
        for (key, value) in self.text {
            let value = match key {
                "blocked_words" => blocked_words(&value),
                _ => {
                    let limit = TEXT.iter().find(|t| t.0 == key).map_or(0, |t| t.1);
                    value.trim().chars().take(limit).collect()
                }
            };
            check_text(key, &value)?;
            if let Some(field) = s.text_mut(key) {
                *field = value;
            }
        }
        let r = &mut s.review;
        s.max_links = self.max_links.unwrap_or(s.max_links);
        r.writers = self.review_writers.unwrap_or(r.writers);
        r.levels = self.review_levels.unwrap_or(r.levels);
        r.editors = self.review_editors.unwrap_or(r.editors);
        r.mail = self.review_mail.unwrap_or(r.mail);
        Ok(s)
    }
}

/// One word per line, each cut to 50 characters, at most 2,000 lines, empty lines dropped.
fn blocked_words(text: &str) -> String {
    text.lines()
        .map(|l| l.trim().chars().take(50).collect::<String>())
        .filter(|l| !l.is_empty())
        .take(2000)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refuses a text setting that cannot be used, with the reason.
fn check_text(key: &str, value: &str) -> Result<()> {
    let refuse = |why: &str| Err(Error::Invalid(why.to_owned()));
    match key {
        "site_name" if value.is_empty() => refuse("网站名称不能为空"),
        "wechat_qr_url"
            if !(value.is_empty()
                || value.starts_with("http://")
                || value.starts_with("https://")) =>
        {
            refuse("公众号二维码链接需以 http:// 或 https:// 开头")
        }
        "logo_url" if !value.is_empty() && !is_link_address(value) => {
            refuse("标志图片地址需以 /、http:// 或 https:// 开头")
        }
        "contact_email"
            if !value.is_empty()
                && (!value.contains('@') || value.contains(char::is_whitespace)) =>
        {
            refuse("留言邮箱格式不正确")
        }
        _ => Ok(()),
    }
}

/// Reads the main site's settings. (Until the back office and the reader side are scoped
/// by site, every caller means the main site.)
pub async fn settings(db: &impl ConnectionTrait) -> Result<SiteSettings> {
    settings_of(db, super::directory::MAIN).await
}

/// Reads a site's settings; keys that are missing keep their defaults, unknown keys are
/// ignored.
pub async fn settings_of(db: &impl ConnectionTrait, site: i32) -> Result<SiteSettings> {
    let rows = site_value::Entity::find()
        .filter(site_value::Column::SiteId.eq(site))
        .all(db)
        .await?;
    let mut settings = SiteSettings::default();
    for row in rows {
        settings.set(&row.key, row.value);
    }
    Ok(settings)
}

/// Stores every setting of the main site.
pub async fn save_settings(db: &impl ConnectionTrait, settings: &SiteSettings) -> Result<()> {
    save_settings_of(db, super::directory::MAIN, settings).await
}

/// Stores every setting of a site.
pub async fn save_settings_of(
    db: &impl ConnectionTrait,
    site: i32,
    settings: &SiteSettings,
) -> Result<()> {
    let existing: Vec<String> = site_value::Entity::find()
        .select_only()
        .column(site_value::Column::Key)
        .filter(site_value::Column::SiteId.eq(site))
        .into_tuple()
        .all(db)
        .await?;
    for (key, value) in settings.entries() {
        let model = site_value::ActiveModel {
            site_id: Set(site),
            key: Set(key.to_owned()),
            value: Set(value),
        };
        if existing.iter().any(|k| k == key) {
            site_value::Entity::update(model).exec(db).await?;
        } else {
            site_value::Entity::insert(model).exec(db).await?;
        }
    }
    Ok(())
}

/// Applies what the settings form sent and saves it, logging which settings changed.
pub async fn update_settings(
    db: &crate::db::Db,
    actor: &crate::audit::Actor,
    input: SettingsInput,
) -> Result<()> {
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    let old = settings(&txn).await?;
    let new = input.apply(old.clone())?;
    let changed: Vec<&str> = old
        .entries()
        .iter()
        .zip(new.entries().iter())
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0)
        .collect();
    save_settings(&txn, &new).await?;
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
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

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

    #[test]
    fn stored_text_reads_back_typed_and_odd_values_read_as_the_safe_choice() {
        let mut s = SiteSettings::default();
        assert!(s.review.writers && s.review.levels == 1 && !s.review.editors);
        for (k, v) in [
            ("max_links", " 7 "),
            ("review_writers", "0"),
            ("review_levels", "2"),
            ("review_editors", "peer"),
            ("review_mail", "1"),
        ] {
            assert!(s.set(k, v.into()));
        }
        assert_eq!(s.max_links, 7);
        assert_eq!(
            s.review,
            Workflow {
                writers: false,
                levels: 2,
                editors: true,
                mail: true
            }
        );
        // What is stored is what was read.
        let mut again = SiteSettings::default();
        for (k, v) in s.entries() {
            assert!(again.set(k, v));
        }
        assert_eq!(again, s);
        for (k, v) in [
            ("max_links", "many"),
            ("review_writers", "maybe"),
            ("review_levels", "3"),
            ("review_editors", "everyone"),
            ("review_mail", "yes"),
        ] {
            s.set(k, v.into());
        }
        assert_eq!(s.max_links, crate::form::DEFAULT_MAX_LINKS);
        assert_eq!(s.review, Workflow::default());
        assert!(!s.set("nonsense", String::new()));
    }

    #[test]
    fn the_form_is_parsed_once_and_what_it_did_not_send_is_kept() {
        let before = SiteSettings {
            slogan: "旧口号".into(),
            max_links: 5,
            ..SiteSettings::default()
        };
        let input = SettingsInput::parse(&form(&[
            ("site_name", "  新名称 "),
            ("review_levels", "2"),
            ("review_editors", "peer"),
            ("csrf", "ignored"),
        ]))
        .unwrap();
        assert_eq!(input.review_levels, Some(2));
        assert_eq!(input.review_writers, None);
        let after = input.apply(before).unwrap();
        assert_eq!(after.site_name, "新名称");
        assert_eq!(after.slogan, "旧口号");
        assert_eq!(after.max_links, 5);
        assert!(after.review.writers && after.review.editors && after.review.levels == 2);
    }

    #[test]
    fn text_is_cut_to_size_and_blocked_words_per_line() {
        let long = "长".repeat(80);
        let words = format!(" 博彩 \n\n{}\n", "词".repeat(60));
        let after = SettingsInput::parse(&form(&[("site_name", &long), ("blocked_words", &words)]))
            .unwrap()
            .apply(SiteSettings::default())
            .unwrap();
        assert_eq!(after.site_name.chars().count(), 50);
        assert_eq!(after.blocked_words, format!("博彩\n{}", "词".repeat(50)));
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let refused = |pairs: &[(&str, &str)]| {
            let r =
                SettingsInput::parse(&form(pairs)).and_then(|i| i.apply(SiteSettings::default()));
            match r {
                Err(Error::Invalid(why)) => why,
                other => panic!("{pairs:?} was not refused: {other:?}"),
            }
        };
        assert!(refused(&[("max_links", "101")]).contains("0 到 100"));
        assert!(refused(&[("max_links", "-1")]).contains("0 到 100"));
        assert!(refused(&[("review_levels", "3")]).contains("审核设置"));
        assert!(refused(&[("review_editors", "all")]).contains("审核设置"));
        assert!(refused(&[("site_name", "  ")]).contains("网站名称"));
        assert!(refused(&[("wechat_qr_url", "weixin://x")]).contains("二维码"));
        assert!(refused(&[("logo_url", "javascript:alert(1)")]).contains("标志图片"));
        assert!(refused(&[("contact_email", "office at example")]).contains("留言邮箱"));
        let ok = SettingsInput::parse(&form(&[("max_links", " 0 "), ("review_mail", "1")]))
            .unwrap()
            .apply(SiteSettings::default())
            .unwrap();
        assert_eq!(ok.max_links, 0);
        assert!(ok.review.mail);
    }
}
