//! The media library.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::MediaItem;
use crate::models::admin::MediaList;

pub const MEDIA_PER_PAGE: u64 = 24;

/// The upload endpoint (multipart: `file`, `alt`, `caption`, `credit`).
pub const UPLOAD_URL: &str = "/api/admin/media/upload";

#[server(prefix = "/api/admin", endpoint = "media/list", input = GetUrl)]
pub async fn list_media(q: Option<String>, page: Option<u64>) -> Result<MediaList, AppError> {
    let (_, state) = crate::ssr::as_writer()?;
    let page = page.unwrap_or(1).max(1);
    let (rows, total) =
        service::media::list(&state.db, q.as_deref(), page - 1, MEDIA_PER_PAGE).await?;
    let tz = state.site.time_zone;
    Ok(MediaList {
        items: rows
            .iter()
            .map(|m| crate::api::admin::media::rows::item(m, tz))
            .collect(),
        pager: crate::models::Pager::new(
            page,
            total,
            MEDIA_PER_PAGE,
            crate::query::address("/admin/media", &[("q", q.as_deref().unwrap_or_default())]),
        ),
    })
}

/// Updates an image's alt text, caption and credit (a plain form post).
#[server(prefix = "/api/admin", endpoint = "media/describe")]
pub async fn describe_media(
    id: i32,
    alt: String,
    caption: String,
    credit: String,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        service::media::describe(
            &state.db,
            &staff.actor(),
            id,
            service::media::Details {
                alt,
                caption,
                credit,
            },
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "图片说明已保存")
}

/// Deletes an image unless it is in use (a plain form post).
#[server(prefix = "/api/admin", endpoint = "media/delete")]
pub async fn delete_media(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        let state = state()?;
        service::media::delete(&state.db, &state.files.media, &staff.actor(), id).await?;
        Ok(())
    }
    .await;
    finish(result, "图片已删除")
}

/// An image as the media library lists it.
#[cfg(feature = "ssr")]
mod rows {
    use super::*;

    pub(super) fn item(m: &entity::image::Model, tz: chrono_tz::Tz) -> MediaItem {
        let variants = service::media::variants_of(m);
        let src = format!("/media/{}", m.path);
        MediaItem {
            id: m.id,
            thumb: variants
                .first()
                .map(|v| format!("/media/{}", v.path))
                .unwrap_or_else(|| src.clone()),
            src,
            alt: m.alt.clone(),
            caption: m.caption.clone(),
            credit: m.credit.clone(),
            width: m.width,
            height: m.height,
            size: if m.size_bytes >= 1024 * 1024 {
                format!("{:.1} MB", m.size_bytes as f64 / 1048576.0)
            } else {
                format!("{} KB", (m.size_bytes + 1023) / 1024)
            },
            variants: variants.len(),
            uploaded: service::time::format_datetime(m.created_at, tz),
        }
    }
}
