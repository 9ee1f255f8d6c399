//! Columns, single pages, notices, magazine issues and footer links in the back office.
//! Writes are plain form posts that come back with a one-time message.
// These server functions take plain HTML form posts, one argument per form field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use super::articles::ColumnOption;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn checked(v: &Option<String>) -> bool {
    v.as_deref()
        .is_some_and(|s| !s.is_empty() && s != "0" && s != "false")
}

#[cfg(feature = "ssr")]
fn optional_id(v: Option<String>) -> Result<Option<i32>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("编号格式不正确".into())),
    }
}

#[cfg(feature = "ssr")]
fn local_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let tz = crate::server::state()?.site.time_zone;
    super::convert::parse_local_input(s, tz)
        .ok_or_else(|| AppError::BadRequest("时间格式不正确".into()))
}

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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
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
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    require_staff()?;
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
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
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
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result =
        async { Ok(service::content::delete_notice(&state()?.db, &staff.actor(), id).await?) }
            .await;
    finish(result, "通知已删除")
}

// ---------- Magazine ----------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: i32,
    pub label: String,
    pub title: String,
    pub published_at: String,
}

#[server(prefix = "/api/admin", endpoint = "magazine/list", input = GetUrl)]
pub async fn get_issues_admin() -> Result<Vec<IssueRow>, AppError> {
    use crate::server::{require_staff, state};
    require_staff()?;
    let state = state()?;
    Ok(service::content::all_issues(&state.db)
        .await?
        .into_iter()
        .map(|i| IssueRow {
            id: i.id,
            label: format!("{}年第{}期", i.year, i.number),
            title: i.title,
            published_at: service::time::format_date(i.published_at, state.site.time_zone),
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocRow {
    pub id: i32,
    pub section: String,
    pub article_id: i32,
    pub title: String,
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueForm {
    pub id: Option<i32>,
    pub year: i32,
    pub number: i32,
    pub total_number: i32,
    pub title: String,
    pub summary: String,
    pub cover_image_id: Option<i32>,
    pub cover_src: Option<String>,
    pub published_at: String,
    pub toc: Vec<TocRow>,
}

#[server(prefix = "/api/admin", endpoint = "magazine/form", input = GetUrl)]
pub async fn get_issue_form(id: Option<i32>) -> Result<IssueForm, AppError> {
    use crate::server::{require_staff, state};
    require_staff()?;
    let state = state()?;
    let tz = state.site.time_zone;
    match id {
        Some(id) => {
            let (i, cover) = service::content::issue(&state.db, id).await?;
            let toc = service::content::toc(&state.db, id)
                .await?
                .into_iter()
                .map(|(l, title)| TocRow {
                    id: l.id,
                    section: l.section,
                    article_id: l.article_id,
                    title,
                    sort_order: l.sort_order,
                })
                .collect();
            Ok(IssueForm {
                id: Some(id),
                year: i.year,
                number: i.number,
                total_number: i.total_number,
                title: i.title,
                summary: i.summary,
                cover_image_id: i.cover_image_id,
                cover_src: cover.map(|c| format!("/media/{}", c.path)),
                published_at: super::convert::local_input(Some(i.published_at), tz),
                toc,
            })
        }
        None => {
            use chrono::Datelike;
            let now = chrono::Utc::now().with_timezone(&tz);
            Ok(IssueForm {
                id: None,
                year: now.year(),
                number: i32::try_from(now.month()).unwrap_or(1),
                total_number: 0,
                title: String::new(),
                summary: String::new(),
                cover_image_id: None,
                cover_src: None,
                published_at: super::convert::local_input(Some(chrono::Utc::now()), tz),
                toc: Vec::new(),
            })
        }
    }
}

#[server(prefix = "/api/admin", endpoint = "magazine/save")]
pub async fn save_issue(
    id: Option<i32>,
    year: i32,
    number: i32,
    total_number: Option<i32>,
    title: String,
    summary: String,
    cover_image_id: Option<String>,
    published_at: String,
) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        let input = service::content::IssueInput {
            year,
            number,
            total_number: total_number.unwrap_or(0),
            title,
            summary,
            cover_image_id: optional_id(cover_image_id)?,
            published_at: local_time(&published_at)?,
        };
        let saved = service::content::save_issue(&state()?.db, &staff.actor(), id, input).await?;
        go_to(&format!("/admin/magazine/{}", saved.id));
        Ok(())
    }
    .await;
    finish(result, "期刊已保存")
}

#[server(prefix = "/api/admin", endpoint = "magazine/delete")]
pub async fn delete_issue(id: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        service::content::delete_issue(&state()?.db, &staff.actor(), id).await?;
        go_to("/admin/magazine");
        Ok(())
    }
    .await;
    finish(result, "期刊已删除")
}

#[server(prefix = "/api/admin", endpoint = "magazine/toc/add")]
pub async fn add_toc(
    issue_id: i32,
    article_id: i32,
    section: String,
    sort_order: Option<i32>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        service::content::add_toc_entry(
            &state()?.db,
            &staff.actor(),
            issue_id,
            article_id,
            &section,
            sort_order.unwrap_or(0),
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "已加入目录")
}

#[server(prefix = "/api/admin", endpoint = "magazine/toc/remove")]
pub async fn remove_toc(entry_id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        service::content::remove_toc_entry(&state()?.db, &staff.actor(), entry_id).await?;
        Ok(())
    }
    .await;
    finish(result, "已从目录移除")
}

// ---------- Footer links ----------

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

#[server(prefix = "/api/admin", endpoint = "links/list", input = GetUrl)]
pub async fn get_links_admin() -> Result<Vec<LinkGroupRow>, AppError> {
    use crate::server::{require_staff, state};
    require_staff()?;
    let state = state()?;
    let groups = service::content::link_groups(&state.db).await?;
    Ok(groups
        .into_iter()
        .map(|(g, links)| LinkGroupRow {
            links: links
                .into_iter()
                .map(|l| LinkRow {
                    id: l.id,
                    name: l.name,
                    url: l.url,
                    sort_order: l.sort_order,
                })
                .collect(),
            id: g.id,
            name: g.name,
            sort_order: g.sort_order,
        })
        .collect())
}

#[server(prefix = "/api/admin", endpoint = "links/group/save")]
pub async fn save_link_group(
    id: Option<i32>,
    name: String,
    sort_order: Option<i32>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        Ok(service::content::save_link_group(
            &state()?.db,
            &staff.actor(),
            id,
            &name,
            sort_order.unwrap_or(0),
        )
        .await?)
    }
    .await;
    finish(result, "链接分组已保存")
}

#[server(prefix = "/api/admin", endpoint = "links/group/delete")]
pub async fn delete_link_group(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result =
        async { Ok(service::content::delete_link_group(&state()?.db, &staff.actor(), id).await?) }
            .await;
    finish(result, "链接分组已删除")
}

#[server(prefix = "/api/admin", endpoint = "links/save")]
pub async fn save_link(
    id: Option<i32>,
    group_id: i32,
    name: String,
    url: String,
    sort_order: Option<i32>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result = async {
        Ok(service::content::save_link(
            &state()?.db,
            &staff.actor(),
            id,
            group_id,
            &name,
            &url,
            sort_order.unwrap_or(0),
        )
        .await?)
    }
    .await;
    finish(result, "链接已保存")
}

#[server(prefix = "/api/admin", endpoint = "links/delete")]
pub async fn delete_link(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let result =
        async { Ok(service::content::delete_link(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "链接已删除")
}
