//! Footer link groups and links in the back office.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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
    use crate::server::{require_editor, state};
    require_editor()?;
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
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
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
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
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
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
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
    use crate::server::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::content::delete_link(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "链接已删除")
}
