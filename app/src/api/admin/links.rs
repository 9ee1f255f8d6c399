//! Footer link groups and links in the back office.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::LinkGroupRow;
#[cfg(feature = "ssr")]
use crate::models::admin::LinkRow;

#[server(prefix = "/api/admin", endpoint = "links/list", input = GetUrl)]
pub async fn get_links_admin() -> Result<Vec<LinkGroupRow>, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let groups = service::link::link_groups(&state.db).await?;
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
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        Ok(service::link::save_link_group(
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
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::link::delete_link_group(&state()?.db, &staff.actor(), id).await?) }
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
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        Ok(service::link::save_link(
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
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result =
        async { Ok(service::link::delete_link(&state()?.db, &staff.actor(), id).await?) }.await;
    finish(result, "链接已删除")
}
