//! Single pages (单页) in the back office: the list and one page's form.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::{PageForm, PageRow};

#[server(prefix = "/api/admin", endpoint = "pages/list", input = GetUrl)]
pub async fn get_pages() -> Result<Vec<PageRow>, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let tz = state.site.time_zone;
    Ok(service::page::all_with_columns(&state.db)
        .await?
        .into_iter()
        .map(|(c, p)| PageRow {
            column_id: c.id,
            column: c.name,
            slug: c.slug,
            title: p.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
            updated: p
                .map(|p| service::time::format_datetime(p.updated_at, tz))
                .unwrap_or_else(|| "（尚未编写）".into()),
        })
        .collect())
}

#[server(prefix = "/api/admin", endpoint = "pages/form", input = GetUrl)]
pub async fn get_page_form(column_id: i32) -> Result<PageForm, AppError> {
    let (_, state) = crate::ssr::as_editor()?;
    let all = service::column::all(&state.db, service::site::MAIN).await?;
    let c = all
        .iter()
        .find(|c| c.id == column_id)
        .ok_or(AppError::NotFound)?;
    let p = service::page::for_column(&state.db, column_id).await?;
    Ok(PageForm {
        column_id,
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
pub async fn save_page(column_id: i32, title: String, body: String) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::page::save_page(&state()?.db, &staff.actor(), column_id, &title, &body).await?;
        Ok(())
    }
    .await;
    finish(result, "单页已保存")
}
