//! The audit log.

use serde::{Deserialize, Serialize};

use crate::models::Pager;

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub object: String,
    pub summary: String,
    pub ip: String,
    /// 成功, 失败 or 拒绝.
    pub outcome: String,
    pub ok: bool,
}

/// What checking the audit chain found, for the auditor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerdict {
    pub intact: bool,
    pub checked: u64,
    pub first_seq: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// The first broken link, in Chinese.
    pub broken: Option<String>,
    pub checked_at: String,
    /// Restarts of the chain after a lost key, as their rows say.
    #[serde(default)]
    pub restarts: Vec<String>,
}

/// A page of the audit log with the filter menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditList {
    pub rows: Vec<AuditRow>,
    pub pager: Pager,
    /// Action codes with their Chinese names, for the filter menu.
    pub actions: Vec<(String, String)>,
    /// Object types with their Chinese names, for the filter menu.
    pub object_types: Vec<(String, String)>,
}
