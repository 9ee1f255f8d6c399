//! Columns (栏目).

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRow {
    pub id: i32,
    pub label: String,
    pub slug: String,
    pub kind: ColumnKind,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub articles: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnForm {
    pub id: Option<i32>,
    pub parent_id: Option<i32>,
    pub name: String,
    pub slug: String,
    pub kind: ColumnKind,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub parents: Vec<ColumnOption>,
}
