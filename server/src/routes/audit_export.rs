//! `GET /api/admin/audit/export?format=csv|jsonl&…`: the audit log for the auditor, as a
//! download streamed a page at a time (memory stays flat however long the log is).

use app::error::AppError;
use app::ssr::{AppState, Staff};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use service::audit::archive::{self, Format};
use service::audit::{Filter, Outcome};

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    username: Option<String>,
    action: Option<String>,
    object_type: Option<String>,
    text: Option<String>,
}

fn clean(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().chars().take(200).collect::<String>())
        .filter(|s| !s.is_empty())
}

pub async fn export(
    State(state): State<AppState>,
    staff: Option<axum::Extension<Staff>>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let Some(axum::Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    if !staff.duties.audit {
        return AppError::Forbidden.into_response();
    }
    let format = match q.format.as_deref() {
        None | Some("csv") => Format::Csv,
        Some("jsonl") => Format::JsonLines,
        Some(_) => return AppError::BadRequest("未知的导出格式".into()).into_response(),
    };
    let filter = Filter {
        username: clean(q.username),
        action: clean(q.action),
        object_type: clean(q.object_type),
        text: clean(q.text),
        ..Filter::default()
    };
    if let Err(e) = service::audit::record_outcome(
        &state.db,
        &staff.actor(),
        Outcome::Ok,
        "audit.export",
        "audit",
        "",
        format!(
            "导出审计日志（{}）",
            if format == Format::Csv {
                "CSV"
            } else {
                "JSON Lines"
            }
        ),
    )
    .await
    {
        return AppError::from(e).into_response();
    }
    let tz = state.site.time_zone;
    let head = Bytes::from_static(archive::export_head(format));
    let pages = futures_util::stream::unfold(Some(i64::MIN), move |after| {
        let (db, filter) = (state.db.clone(), filter.clone());
        async move {
            let after = after?;
            match archive::export_page(&db, &filter, format, tz, after).await {
                Ok((bytes, _, next)) => {
                    Some((Ok::<Bytes, std::io::Error>(Bytes::from(bytes)), next))
                }
                Err(e) => {
                    tracing::error!(error = %e, "audit export failed part way");
                    Some((Err(std::io::Error::other("export failed")), None))
                }
            }
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(head) }),
        pages,
    );
    let (mime, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::JsonLines => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    let stamp = chrono::Utc::now()
        .with_timezone(&tz)
        .format("%Y%m%d-%H%M%S");
    let mut res = Body::from_stream(body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"audit-{stamp}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
