//! Settings and accounts.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    pub site_name: String,
    pub site_name_en: String,
    pub magazine_name: String,
    pub slogan: String,
    pub wechat_account: String,
    pub wechat_qr_url: String,
    pub qq_group: String,
    pub contact_email: String,
    pub footer_text: String,
    pub icp: String,
    pub copyright: String,
    pub logo_url: String,
    pub blocked_words: String,
    pub max_links: u16,
    /// Writers' articles wait for review (先审后发).
    pub review_writers: bool,
    /// 1, or 2 (初审 and 终审).
    pub review_levels: i16,
    /// Editors' own changes are reviewed by another editor.
    pub review_peer: bool,
    /// Review notices by e-mail.
    pub review_mail: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// `admin`, `editor` or `writer`.
    #[serde(default)]
    pub role: String,
    pub is_active: bool,
    /// Where review notices reach them.
    #[serde(default)]
    pub email: String,
    pub last_login: String,
    pub is_me: bool,
}
