//! The audit log.

use serde::{Deserialize, Serialize};

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
}

/// A page of the audit log with the filter menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditList {
    pub rows: Vec<AuditRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// Action codes with their Chinese names, for the filter menu.
    pub actions: Vec<(String, String)>,
    /// Object types with their Chinese names, for the filter menu.
    pub object_types: Vec<(String, String)>,
}
