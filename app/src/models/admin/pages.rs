//! Single pages (单页).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub column_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub updated: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForm {
    pub column_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub body: String,
}
