//! Old addresses answered with a redirect, and the addresses not found.

use serde::{Deserialize, Serialize};

use crate::models::Pager;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectRow {
    pub id: i32,
    pub from: String,
    pub to: String,
    /// 手工添加 / 导入（DedeCMS） ...
    pub origin: String,
    pub updated_at: String,
}

/// An address asked for and not found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissRow {
    pub path: String,
    pub hits: i64,
    pub last_seen: String,
}

/// What testing an address found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestedAddress {
    /// The address as it is looked up (host and fragment gone, decoded).
    pub address: String,
    /// The redirect's old address that matched (it may be another form of the address).
    pub matched: Option<String>,
    pub to: Option<String>,
}

/// The redirects page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectList {
    pub rows: Vec<RedirectRow>,
    pub pager: Pager,
    pub misses: Vec<MissRow>,
    pub tested: Option<TestedAddress>,
    /// Why the address to test could not be tested.
    pub test_error: Option<String>,
}
