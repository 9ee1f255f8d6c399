//! Between entity types and the back office's wire types.

use chrono_tz::Tz;
use entity::{article, column};

use crate::models::admin::{ArticleRow, ColumnOption};

/// Every column, parents before children, indented.
pub fn column_options(columns: &[column::Model]) -> Vec<ColumnOption> {
    fn walk(all: &[column::Model], parent: Option<i32>, depth: usize, out: &mut Vec<ColumnOption>) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push(ColumnOption {
                id: c.id,
                label: format!("{}{}", "　".repeat(depth), c.name),
                takes_articles: c.kind.takes_articles(),
            });
            if depth < 8 {
                walk(all, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(columns, None, 0, &mut out);
    out
}

pub fn article_row(
    a: &article::Model,
    review: Option<&entity::article_review::Model>,
    levels: i16,
    columns: &[column::Model],
    tz: Tz,
) -> ArticleRow {
    let mut flags = Vec::new();
    if a.is_headline {
        flags.push("头条".to_owned());
    }
    if a.is_recommended {
        flags.push("推荐".to_owned());
    }
    if a.is_slideshow {
        flags.push("幻灯".to_owned());
    }
    ArticleRow {
        id: a.id,
        title: a.title.clone(),
        column: columns
            .iter()
            .find(|c| c.id == a.column_id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        status: a.status,
        review: review
            .map(|r| service::review::state_label(r, levels).to_owned())
            .unwrap_or_default(),
        flags,
        author: a.author.clone(),
        updated: service::time::format_datetime(a.updated_at, tz),
        published: a
            .published_at
            .map(|t| service::time::format_datetime(t, tz))
            .unwrap_or_default(),
        hits: a.hits,
    }
}

/// `2026-11-27T14:30` (seconds only when they are not zero) in `tz`, for
/// `<input type="datetime-local" step="1">`.
pub fn local_input(at: Option<chrono::DateTime<chrono::Utc>>, tz: Tz) -> String {
    use chrono::Timelike;
    at.map(|t| {
        let local = t.with_timezone(&tz);
        let format = if local.second() == 0 {
            "%Y-%m-%dT%H:%M"
        } else {
            "%Y-%m-%dT%H:%M:%S"
        };
        local.format(format).to_string()
    })
    .unwrap_or_default()
}

/// Reads `2026-11-27T14:30` (or with seconds) in `tz`.
pub fn parse_local_input(s: &str, tz: Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let s = s.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A reader queue's tabs with their counts, `current` marked.
pub async fn queue_tabs<T: service::form::queue::Tab>(
    db: &impl sea_orm::ConnectionTrait,
    current: T,
) -> Result<Vec<crate::models::admin::QueueTab>, crate::error::AppError> {
    Ok(service::form::queue::counts::<T>(db)
        .await?
        .into_iter()
        .map(|(tab, count)| crate::models::admin::QueueTab {
            code: tab.code().to_owned(),
            label: tab.label().to_owned(),
            count,
            current: tab == current,
        })
        .collect())
}
