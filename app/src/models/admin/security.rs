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
