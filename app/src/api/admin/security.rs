//! The security policy (安全管理员, or the single 管理员 of a site without the separation of
//! duties), under `/api/admin/security/`.
// The save takes a plain HTML form post, one argument per field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::SecurityForm;

#[server(prefix = "/api/admin/security", endpoint = "policy", input = GetUrl)]
pub async fn get_security_policy() -> Result<SecurityForm, AppError> {
    use crate::models::admin::PolicyField;
    use crate::ssr::{require_security, state};
    use entity::user::Role;
    require_security()?;
    let state = state()?;
    let p = service::security::policy(&state.db).await?;
    let users = service::users::users(&state.db).await?;
    let count = |role: Role| {
        users
            .iter()
            .filter(|u| u.role == role && u.is_active)
            .count() as u64
    };
    Ok(SecurityForm {
        separation: p.separation,
        fields: service::security::fields()
            .iter()
            .filter(|f| f.key != "security.separation")
            .map(|f| PolicyField {
                name: f.key.trim_start_matches("security.").to_owned(),
                label: f.label.to_owned(),
                value: f.value(&p),
                min: f.min,
                max: f.max,
            })
            .collect(),
        administrators: [Role::SysAdmin, Role::SecAdmin, Role::Auditor, Role::Admin]
            .into_iter()
            .map(|r| (service::security::role_label(r).to_owned(), count(r)))
            .collect(),
    })
}

#[server(prefix = "/api/admin/security", endpoint = "save")]
pub async fn save_security_policy(
    separation: Option<String>,
    password_min_len: String,
    password_classes: String,
    password_history: String,
    password_max_age_days: String,
    idle_minutes: String,
    session_hours: String,
    lock_account_failures: String,
    lock_address_failures: String,
    lock_minutes: String,
    slow_after: String,
    audit_keep_days: String,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_security, state};
    let staff = require_security()?;
    let result = async {
        let state = state()?;
        let mut p = service::security::policy(&state.db).await?;
        let on = separation.as_deref().is_some_and(|v| !v.is_empty());
        p.set("security.separation", if on { "1" } else { "0" })?;
        for (key, value) in [
            ("password_min_len", password_min_len),
            ("password_classes", password_classes),
            ("password_history", password_history),
            ("password_max_age_days", password_max_age_days),
            ("idle_minutes", idle_minutes),
            ("session_hours", session_hours),
            ("lock_account_failures", lock_account_failures),
            ("lock_address_failures", lock_address_failures),
            ("lock_minutes", lock_minutes),
            ("slow_after", slow_after),
            ("audit_keep_days", audit_keep_days),
        ] {
            p.set(&format!("security.{key}"), &value)?;
        }
        service::security::save_policy(&state.db, &staff.actor(), &p).await?;
        state.security.forget();
        Ok(())
    }
    .await;
    finish(result, "安全策略已保存")
}
