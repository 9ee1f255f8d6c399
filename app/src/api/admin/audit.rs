use leptos::prelude::*;

use crate::error::AppError;
use crate::models::admin::AuditList;
#[cfg(feature = "ssr")]
use crate::models::admin::AuditRow;

/// The export of the log (CSV or JSON lines), a plain route of the server.
pub const EXPORT_URL: &str = "/api/admin/audit/export";

/// Rows per page of the audit log.
pub const AUDIT_PER_PAGE: u64 = 50;

/// The audit log, newest first, filtered (the 审计管理员 only, or the single 管理员).
#[server(prefix = "/api/admin/audit", endpoint = "list", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_audit(
    username: Option<String>,
    action: Option<String>,
    object_type: Option<String>,
    text: Option<String>,
    page: Option<u64>,
) -> Result<AuditList, AppError> {
    use crate::ssr::{require_auditor, state};
    use service::audit;
    require_auditor()?;
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
    let base = crate::query::address(
        "/admin/audit",
        &[
            ("username", filter.username.as_deref().unwrap_or_default()),
            ("action", filter.action.as_deref().unwrap_or_default()),
            (
                "object_type",
                filter.object_type.as_deref().unwrap_or_default(),
            ),
            ("text", filter.text.as_deref().unwrap_or_default()),
        ],
    );
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
                outcome: audit::Outcome::label(&r.outcome).to_owned(),
                ok: r.outcome == "ok",
            })
            .collect(),
        pager: crate::models::Pager::new(page, total, AUDIT_PER_PAGE, base),
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

/// Checks the whole audit chain and reports the first broken link (the 审计管理员 only).
/// Reading only; the check itself is recorded.
#[server(prefix = "/api/admin/audit", endpoint = "verify", input = leptos::server_fn::codec::GetUrl)]
pub async fn verify_audit() -> Result<crate::models::admin::AuditVerdict, AppError> {
    use crate::ssr::{require_auditor, state};
    let staff = require_auditor()?;
    let state = state()?;
    let v = service::audit::chain::verify(&state.db).await?;
    service::audit::record_outcome(
        &state.db,
        &staff.actor(),
        if v.intact() {
            service::audit::Outcome::Ok
        } else {
            service::audit::Outcome::Failed
        },
        "audit.verify",
        "audit",
        v.head_seq,
        match &v.broken {
            None => format!("校验通过：{} 条记录完整", v.checked),
            Some(b) => format!("校验未通过：{}", b.what),
        },
    )
    .await?;
    Ok(crate::models::admin::AuditVerdict {
        intact: v.intact(),
        checked: v.checked,
        first_seq: v.first_seq,
        head_seq: v.head_seq,
        head_hash: v.head_hash,
        broken: v.broken.map(|b| b.what),
        restarts: v.restarts,
        checked_at: service::time::format_datetime(chrono::Utc::now(), state.site.time_zone),
    })
}
