//! Columns, single pages and notices in the back office.
//! Writes are plain form posts that come back with a one-time message.
// These server functions take plain HTML form posts, one argument per form field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use super::articles::ColumnOption;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::form::{checked, local_time, optional_id};

// ---------- Columns ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRow {
    pub id: i32,
    pub label: String,
    pub slug: String,
    pub kind: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub articles: i32,
}

#[server(prefix = "/api/admin", endpoint = "columns/list", input = GetUrl)]
pub async fn get_columns() -> Result<Vec<ColumnRow>, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    let all = service::category::all(&state.db).await?;
    let options = super::convert::column_options(&all);
    Ok(options
        .into_iter()
        .filter_map(|o| {
            let c = all.iter().find(|c| c.id == o.id)?;
            Some(ColumnRow {
                id: c.id,
                label: o.label,
                slug: c.slug.clone(),
                kind: service::content::COLUMN_KINDS
                    .iter()
                    .find(|k| k.0 == c.kind)
                    .map(|k| k.1)
                    .unwrap_or("")
                    .to_owned(),
                sort_order: c.sort_order,
                show_in_nav: c.show_in_nav,
                articles: c.listed_count,
            })
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnForm {
    pub id: Option<i32>,
    pub parent_id: Option<i32>,
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
    pub parents: Vec<ColumnOption>,
    pub kinds: Vec<(String, String)>,
}

#[server(prefix = "/api/admin", endpoint = "columns/form", input = GetUrl)]
pub async fn get_column_form(id: Option<i32>) -> Result<ColumnForm, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    let all = service::category::all(&state.db).await?;
    let kinds = service::content::COLUMN_KINDS
        .iter()
        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
        .collect();
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
                kind: c.kind.clone(),
                description: c.description.clone(),
                sort_order: c.sort_order,
                show_in_nav: c.show_in_nav,
                parents,
                kinds,
            })
        }
        None => Ok(ColumnForm {
            id: None,
            parent_id: None,
            name: String::new(),
            slug: String::new(),
            kind: "list".into(),
            description: String::new(),
            sort_order: i32::try_from(all.len()).unwrap_or(0),
            show_in_nav: true,
            parents,
            kinds,
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
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        let input = service::content::ColumnInput {
            parent_id: optional_id(parent_id)?,
            name,
            slug,
            kind,
            description: description.unwrap_or_default(),
            sort_order: sort_order.unwrap_or(0),
            show_in_nav: checked(&show_in_nav),
        };
        service::content::save_column(&state.db, &staff.actor(), id, input).await?;
        go_to("/admin/columns");
        Ok(())
    }
    .await;
    finish(result, "栏目已保存")
}

#[server(prefix = "/api/admin", endpoint = "columns/delete")]
pub async fn delete_column(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::content::delete_column(&state()?.db, &staff.actor(), id).await?) }
            .await;
    finish(result, "栏目已删除")
}

// ---------- Single pages ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRow {
    pub category_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub updated: String,
}

#[server(prefix = "/api/admin", endpoint = "pages/list", input = GetUrl)]
pub async fn get_pages() -> Result<Vec<PageRow>, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    let mut rows = Vec::new();
    for c in service::category::all(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.kind == "page" || c.kind == "submit")
    {
        let p = service::page::for_column(&state.db, c.id).await?;
        rows.push(PageRow {
            category_id: c.id,
            column: c.name.clone(),
            slug: c.slug.clone(),
            title: p.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
            updated: p
                .map(|p| service::time::format_datetime(p.updated_at, state.site.time_zone))
                .unwrap_or_else(|| "（尚未编写）".into()),
        });
    }
    Ok(rows)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForm {
    pub category_id: i32,
    pub column: String,
    pub slug: String,
    pub title: String,
    pub body: String,
}

#[server(prefix = "/api/admin", endpoint = "pages/form", input = GetUrl)]
pub async fn get_page_form(category_id: i32) -> Result<PageForm, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    let all = service::category::all(&state.db).await?;
    let c = all
        .iter()
        .find(|c| c.id == category_id)
        .ok_or(AppError::NotFound)?;
    let p = service::page::for_column(&state.db, category_id).await?;
    Ok(PageForm {
        category_id,
        column: c.name.clone(),
        slug: c.slug.clone(),
        title: p
            .as_ref()
            .map(|p| p.title.clone())
            .unwrap_or_else(|| c.name.clone()),
        body: p.map(|p| p.body).unwrap_or_default(),
    })
}

#[server(prefix = "/api/admin", endpoint = "pages/save")]
pub async fn save_page(category_id: i32, title: String, body: String) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::content::save_page(&state()?.db, &staff.actor(), category_id, &title, &body)
            .await?;
        Ok(())
    }
    .await;
    finish(result, "单页已保存")
}

// ---------- Notices ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i32,
    pub title: String,
    pub published_at: String,
    pub is_published: bool,
}

#[server(prefix = "/api/admin", endpoint = "notices/list", input = GetUrl)]
pub async fn get_notices_admin() -> Result<Vec<NoticeRow>, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    Ok(service::content::all_notices(&state.db)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            title: n.title,
            published_at: service::time::format_datetime(n.published_at, state.site.time_zone),
            is_published: n.is_published,
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub id: Option<i32>,
    pub title: String,
    pub body: String,
    pub published_at: String,
    pub is_published: bool,
}

#[server(prefix = "/api/admin", endpoint = "notices/form", input = GetUrl)]
pub async fn get_notice_form(id: Option<i32>) -> Result<NoticeForm, AppError> {
    use crate::server::{require_editor, state};
    require_editor()?;
    let state = state()?;
    let tz = state.site.time_zone;
    match id {
        Some(id) => {
            let n = service::content::notice(&state.db, id).await?;
            Ok(NoticeForm {
                id: Some(id),
                title: n.title,
                body: n.body,
                published_at: super::convert::local_input(Some(n.published_at), tz),
                is_published: n.is_published,
            })
        }
        None => Ok(NoticeForm {
            id: None,
            title: String::new(),
            body: String::new(),
            published_at: super::convert::local_input(Some(chrono::Utc::now()), tz),
            is_published: true,
        }),
    }
}

#[server(prefix = "/api/admin", endpoint = "notices/save")]
pub async fn save_notice(
    id: Option<i32>,
    title: String,
    body: String,
    published_at: String,
    is_published: Option<String>,
) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let input = service::content::NoticeInput {
            title,
            body,
            published_at: local_time(&published_at)?,
            is_published: checked(&is_published),
        };
        service::content::save_notice(&state()?.db, &staff.actor(), id, input).await?;
        go_to("/admin/notices");
        Ok(())
    }
    .await;
    finish(result, "通知已保存")
}

#[server(prefix = "/api/admin", endpoint = "notices/delete")]
pub async fn delete_notice(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::content::delete_notice(&state()?.db, &staff.actor(), id).await?) }
            .await;
    finish(result, "通知已删除")
}
