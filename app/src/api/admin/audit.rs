use leptos::prelude::*;

use crate::error::AppError;
use crate::models::admin::AuditList;
#[cfg(feature = "ssr")]
use crate::models::admin::AuditRow;

/// Rows per page of the audit log.
pub const AUDIT_PER_PAGE: u64 = 50;

/// The audit log, newest first, filtered (admin only).
#[server(prefix = "/api/admin/sys", endpoint = "audit", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_audit(
    username: Option<String>,
    action: Option<String>,
    object_type: Option<String>,
    text: Option<String>,
    page: Option<u64>,
) -> Result<AuditList, AppError> {
    use crate::ssr::{require_admin, state};
    use service::audit;
    require_admin()?;
    let state = state()?;
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = service::audit::Filter {
        username: clean(username),
        action: clean(action),
        object_type: clean(object_type),
        text: clean(text),
        ..Default::default()
    };
    let page = page.unwrap_or(1).max(1);
    let (rows, total) = service::audit::list(&state.db, &filter, page - 1, AUDIT_PER_PAGE).await?;
    let (actions, object_types) = service::audit::kinds(&state.db).await?;
    let tz = state.site.time_zone;
    Ok(AuditList {
        rows: rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: service::time::format_datetime(r.created_at, tz),
                username: audit::actor_label(&r.username).to_owned(),
                action: audit::action_label(&r.action).to_owned(),
                object: if r.object_id.is_empty() {
                    audit::object_label(&r.object_type).to_owned()
                } else {
                    format!("{} #{}", audit::object_label(&r.object_type), r.object_id)
                },
                summary: r.summary,
                ip: r.ip,
            })
            .collect(),
        page,
        pages: total.div_ceil(AUDIT_PER_PAGE).max(1),
        total,
        actions: actions
            .into_iter()
            .map(|a| {
                let label = audit::action_label(&a).to_owned();
                (a, label)
            })
            .collect(),
        object_types: object_types
            .into_iter()
            .map(|o| {
                let label = audit::object_label(&o).to_owned();
                (o, label)
            })
            .collect(),
    })
}
