//! The security policy page and the signed-in person's own sessions.

use serde::{Deserialize, Serialize};

/// One setting of the security policy as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyField {
    /// The form field's name (the setting's key without `security.`).
    pub name: String,
    pub label: String,
    pub value: u32,
    pub min: u32,
    pub max: u32,
}

/// The security policy, for the 安全管理员.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityForm {
    /// 三权分立 on.
    pub separation: bool,
    /// Every numeric setting, in order.
    pub fields: Vec<PolicyField>,
    /// Accounts of each administrator role that are active: (role name, count).
    pub administrators: Vec<(String, u64)>,
    /// The back office's address allow-list (empty: every address).
    pub admin_allow: String,
    /// The address this page was asked from, to put on the list.
    pub current_ip: String,
}

/// One signed-in browser of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: String,
    pub signed_in: String,
    pub last_seen: String,
    pub ip: String,
    /// The browser and system, read from its User-Agent.
    pub browser: String,
    /// The browser this page was asked from.
    pub current: bool,
}

/// The person's sessions, with the policy's limits to explain them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySessions {
    pub rows: Vec<SessionRow>,
    pub idle_minutes: u32,
    pub session_hours: u32,
}

/// The person's second factor, for `/admin/account/2fa`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    /// On since (a formatted time), when on.
    pub enabled_since: Option<String>,
    pub codes_left: u64,
    /// The policy asks this person for it.
    pub required: bool,
    /// An enrolment under way: the secret as text and its QR code (inline SVG).
    pub pending: Option<PendingEnrolment>,
    /// Recovery codes just made, shown this once.
    pub new_codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEnrolment {
    pub secret: String,
    pub qr_svg: String,
}

/// One account as the 安全管理员 sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSecurityRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub is_active: bool,
    /// 已启用 since …, 未启用, or 未启用（要求启用）.
    pub second_factor: String,
    pub has_second_factor: bool,
    /// Locked from some address now (too many failures).
    pub locked: bool,
    pub last_login: String,
    pub is_me: bool,
}

/// One control of the 等保自查 report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRow {
    pub clause: String,
    pub title: String,
    pub setting: String,
    pub level2: bool,
    pub level3: bool,
}

/// The 等保自查 report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheck {
    pub rows: Vec<ControlRow>,
    pub checked_at: String,
}
