//! Footer links.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    pub id: i32,
    pub name: String,
    pub url: String,
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkGroupRow {
    pub id: i32,
    pub name: String,
    pub sort_order: i32,
    pub links: Vec<LinkRow>,
}
