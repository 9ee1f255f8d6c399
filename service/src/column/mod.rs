//! Columns (栏目): a small tree, read whole.

mod edit;
pub use edit::*;

use entity::column;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::Result;

/// Every column of `site`, in tree order (parents before children, siblings by sort order).
pub async fn all(db: &impl ConnectionTrait, site: i32) -> Result<Vec<column::Model>> {
    Ok(column::Entity::find()
        .filter(column::Column::SiteId.eq(site))
        .order_by_asc(column::Column::SortOrder)
        .order_by_asc(column::Column::Id)
        .all(db)
        .await?)
}

/// Every column of every site (a column's parent is always of its own site, so the tree
/// functions below work on this list as well).
pub async fn all_sites(db: &impl ConnectionTrait) -> Result<Vec<column::Model>> {
    Ok(column::Entity::find()
        .order_by_asc(column::Column::SortOrder)
        .order_by_asc(column::Column::Id)
        .all(db)
        .await?)
}

/// The chain of columns from the top section down to `id` (inclusive). A broken or cyclic
/// parent chain stops rather than loops.
pub fn path(all: &[column::Model], id: i32) -> Vec<column::Model> {
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(current) = next {
        if chain.len() > all.len() {
            break;
        }
        match all.iter().find(|c| c.id == current) {
            Some(c) => {
                chain.push(c.clone());
                next = c.parent_id;
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// The column with this slug.
pub fn by_slug<'a>(all: &'a [column::Model], slug: &str) -> Option<&'a column::Model> {
    all.iter().find(|c| c.slug == slug)
}

/// The direct children of a column, in order.
pub fn children(all: &[column::Model], id: i32) -> Vec<column::Model> {
    all.iter()
        .filter(|c| c.parent_id == Some(id))
        .cloned()
        .collect()
}

/// `id` and every column below it, at any depth.
pub fn with_descendants(all: &[column::Model], id: i32) -> Vec<i32> {
    let mut ids = vec![id];
    let mut i = 0;
    while let Some(&parent) = ids.get(i) {
        ids.extend(
            all.iter()
                .filter(|c| c.parent_id == Some(parent))
                .map(|c| c.id),
        );
        i += 1;
    }
    ids
}

/// `id` and all its ancestors (the columns an article in `id` is listed under).
pub fn with_ancestors(all: &[column::Model], id: i32) -> Vec<i32> {
    path(all, id).into_iter().map(|c| c.id).collect()
}

/// The top-level sections shown in the navigation, in order.
pub fn nav_sections(all: &[column::Model]) -> Vec<column::Model> {
    all.iter()
        .filter(|c| c.parent_id.is_none() && c.show_in_nav)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn cat(id: i32, parent_id: Option<i32>, slug: &str, sort: i32) -> column::Model {
        column::Model {
            id,
            parent_id,
            name: slug.to_uppercase(),
            slug: slug.into(),
            kind: column::ColumnKind::List,
            description: String::new(),
            sort_order: sort,
            show_in_nav: true,
            listed_count: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            site_id: 1,
        }
    }

    #[test]
    fn path_runs_from_section_to_column() {
        let all = vec![
            cat(1, None, "news", 1),
            cat(2, Some(1), "photo", 1),
            cat(3, Some(2), "deep", 1),
        ];
        let slugs: Vec<_> = path(&all, 3).into_iter().map(|c| c.slug).collect();
        assert_eq!(slugs, ["news", "photo", "deep"]);
        assert!(path(&all, 99).is_empty());
    }

    #[test]
    fn path_survives_a_cycle() {
        let all = vec![cat(1, Some(2), "a", 1), cat(2, Some(1), "b", 1)];
        assert!(path(&all, 1).len() <= 3);
    }

    #[test]
    fn nav_lists_visible_sections_only() {
        let mut hidden = cat(4, None, "hidden", 4);
        hidden.show_in_nav = false;
        let all = vec![cat(1, None, "news", 1), cat(2, Some(1), "photo", 1), hidden];
        let slugs: Vec<_> = nav_sections(&all).into_iter().map(|c| c.slug).collect();
        assert_eq!(slugs, ["news"]);
    }
}
