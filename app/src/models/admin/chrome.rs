//! The back office's frame: the menu, the signed-in staff member, the one-time message.

use serde::{Deserialize, Serialize};

/// A one-time message shown at the top of the next page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub ok: bool,
    pub message: String,
}

/// What every back-office page shows around its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChrome {
    pub site_name: String,
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub is_admin: bool,
    /// 撰稿人: the menu shows only their articles and pictures.
    #[serde(default)]
    pub is_writer: bool,
    /// The content (articles, columns' content, review, readers' posts).
    #[serde(default)]
    pub can_content: bool,
    /// The security policy (安全管理员).
    #[serde(default)]
    pub can_security: bool,
    /// The audit log (审计管理员).
    #[serde(default)]
    pub can_audit: bool,
    /// Articles waiting for review (shown beside 待审核 in the menu; 0 for writers).
    #[serde(default)]
    pub waiting: u64,
    /// Why the password must be changed before anything else, when it must.
    #[serde(default)]
    pub password_due: Option<String>,
    /// The password rules in a sentence: 至少 10 个字符，包含…中的至少 3 种.
    #[serde(default)]
    pub password_rule: String,
    /// For forms and script requests: the guard checks it on every change.
    pub csrf_token: String,
    pub flash: Option<Flash>,
}

/// What the sign-in page needs (public: it is shown before signing in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginState {
    pub site_name: String,
    pub flash: Option<Flash>,
    /// No account exists yet and this request may run first-time setup.
    pub setup_available: bool,
    /// Setup would be available, but too many wrong codes closed it until a restart.
    pub setup_closed: bool,
}
