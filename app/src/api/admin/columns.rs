//! Columns (栏目) in the back office: the tree, one column's form, saving and deleting.
//! Writes are plain form posts that come back with a one-time message.
// These server functions take plain HTML form posts, one argument per form field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::ColumnKind;
use crate::models::admin::{ColumnForm, ColumnRow};

#[cfg(feature = "ssr")]
use super::form::{checked, optional_id};

#[server(prefix = "/api/admin", endpoint = "columns/list", input = GetUrl)]
pub async fn get_columns() -> Result<Vec<ColumnRow>, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let all = service::column::all(&state.db, service::site::MAIN).await?;
    let options = super::convert::column_options(&all);
    Ok(options
        .into_iter()
        .filter_map(|o| {
            let c = all.iter().find(|c| c.id == o.id)?;
            Some(ColumnRow {
                id: c.id,
                label: o.label,
                slug: c.slug.clone(),
                kind: c.kind,
                sort_order: c.sort_order,
                show_in_nav: c.show_in_nav,
                articles: c.listed_count,
            })
        })
        .collect())
}

#[server(prefix = "/api/admin", endpoint = "columns/form", input = GetUrl)]
pub async fn get_column_form(id: Option<i32>) -> Result<ColumnForm, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let all = service::column::all(&state.db, service::site::MAIN).await?;
    let parents = super::convert::column_options(&all)
        .into_iter()
        .filter(|o| Some(o.id) != id)
        .collect();
    match id {
        Some(id) => {
            let c = all.iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
            Ok(ColumnForm {
                id: Some(id),
                parent_id: c.parent_id,
                name: c.name.clone(),
                slug: c.slug.clone(),
                kind: c.kind,
                description: c.description.clone(),
                sort_order: c.sort_order,
                show_in_nav: c.show_in_nav,
                parents,
            })
        }
        None => Ok(ColumnForm {
            id: None,
            parent_id: None,
            name: String::new(),
            slug: String::new(),
            kind: ColumnKind::default(),
            description: String::new(),
            sort_order: i32::try_from(all.len()).unwrap_or(0),
            show_in_nav: true,
            parents,
        }),
    }
}

#[server(prefix = "/api/admin", endpoint = "columns/save")]
pub async fn save_column(
    id: Option<i32>,
    parent_id: Option<String>,
    name: String,
    slug: String,
    kind: String,
    description: Option<String>,
    sort_order: Option<i32>,
    show_in_nav: Option<String>,
) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let input = service::column::ColumnInput {
            parent_id: optional_id(parent_id)?,
            name,
            slug,
            kind: ColumnKind::from_code(&kind)
                .ok_or_else(|| AppError::BadRequest("未知的栏目类型".into()))?,
            description: description.unwrap_or_default(),
            sort_order: sort_order.unwrap_or(0),
            show_in_nav: checked(&show_in_nav),
        };
        service::column::save_column(&state.db, &staff.actor(), id, input).await?;
        go_to("/admin/columns");
        Ok(())
    }
    .await;
    finish(result, "栏目已保存")
}

#[server(prefix = "/api/admin", endpoint = "columns/delete")]
pub async fn delete_column(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::column::delete_column(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "栏目已删除")
}
