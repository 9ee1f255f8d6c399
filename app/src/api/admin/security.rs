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
    let me_ip = require_security()?.ip;
    let state = state()?;
    let p = service::security::policy(&state.db).await?;
    let users = service::user::users(&state.db).await?;
    let count = |role: Role| {
        users
            .iter()
            .filter(|u| u.role == role && u.is_active)
            .count() as u64
    };
    Ok(SecurityForm {
        admin_allow: p.admin_allow.clone(),
        current_ip: me_ip,
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
    totp_admins: Option<String>,
    totp_editors: Option<String>,
    totp_writers: Option<String>,
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
    retention_months: Option<String>,
    admin_allow: Option<String>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_security, state};
    let staff = require_security()?;
    let result = async {
        let state = state()?;
        let mut p = service::security::policy(&state.db).await?;
        for (key, ticked) in [
            ("separation", &separation),
            ("totp_admins", &totp_admins),
            ("totp_editors", &totp_editors),
            ("totp_writers", &totp_writers),
        ] {
            let on = super::form::checked(ticked);
            p.set(&format!("security.{key}"), if on { "1" } else { "0" })?;
        }
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
        if let Some(months) = retention_months {
            p.set(service::security::RETENTION_MONTHS, &months)?;
        }
        p.set(
            service::security::ADMIN_ALLOW,
            admin_allow.as_deref().unwrap_or_default(),
        )?;
        crate::api::admin::security::check::allow_list(&p.admin_allow, &staff.ip)?;
        service::security::save_policy(&state.db, &staff.actor(), &p).await?;
        state.security.forget();
        Ok(())
    }
    .await;
    finish(result, "安全策略已保存")
}

/// Every account with its second factor and locks, for the 安全管理员.
#[server(prefix = "/api/admin/security", endpoint = "accounts", input = GetUrl)]
pub async fn get_accounts_security()
-> Result<Vec<crate::models::admin::AccountSecurityRow>, AppError> {
    use crate::models::admin::AccountSecurityRow;
    use crate::ssr::{require_security, state};
    let me = require_security()?;
    let state = state()?;
    let policy = state.security.get(&state.db).await?;
    let users = service::user::users(&state.db).await?;
    let locked = service::auth::locked_accounts(&state.db, &users).await?;
    let tz = state.site.time_zone;
    Ok(users
        .into_iter()
        .map(|u| AccountSecurityRow {
            second_factor: match u.totp_enabled_at {
                Some(t) => format!("已启用（{}）", service::time::format_datetime(t, tz)),
                None if service::security::second_factor::required(&policy, u.role) => {
                    "未启用（下次登录时须设置）".to_owned()
                }
                None => "未启用".to_owned(),
            },
            has_second_factor: u.totp_secret.is_some(),
            locked: locked.contains(&u.id),
            last_login: u
                .last_login_at
                .map(|t| service::time::format_datetime(t, tz))
                .unwrap_or_else(|| "从未登录".into()),
            is_me: u.id == me.user.id,
            id: u.id,
            role: service::security::role_label(u.role).to_owned(),
            username: u.username,
            display_name: u.display_name,
            is_active: u.is_active,
        })
        .collect())
}

/// Turns a colleague's second factor off (a lost phone); recorded.
#[server(prefix = "/api/admin/security", endpoint = "reset-2fa")]
pub async fn reset_two_factor(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_security, state};
    let staff = require_security()?;
    let result = async {
        let state = state()?;
        service::security::second_factor::reset(&state.db, &staff.actor(), id).await?;
        Ok(())
    }
    .await;
    finish(result, "已重置该账号的双因素认证，其登录已全部退出")
}

/// Lifts the sign-in locks of an account; recorded.
#[server(prefix = "/api/admin/security", endpoint = "unlock")]
pub async fn unlock_account(id: i32) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_security, state};
    let staff = require_security()?;
    let result = async {
        let state = state()?;
        service::auth::unlock(&state.db, &staff.actor(), id).await?;
        Ok(())
    }
    .await;
    finish(result, "已解除该账号的登录限制")
}

/// 等保自查: each control, its setting here and the levels it meets (the audit chain is
/// verified as part of it).
#[server(prefix = "/api/admin/security", endpoint = "check", input = GetUrl)]
pub async fn get_self_check() -> Result<crate::models::admin::SelfCheck, AppError> {
    use crate::models::admin::{ControlRow, SelfCheck};
    use crate::ssr::{require_security, state};
    use service::security::check;
    require_security()?;
    let state = state()?;
    let policy = service::security::policy(&state.db).await?;
    let mut facts = check::facts(&state.db, policy, state.site.secure_cookies).await?;
    facts.chain_intact = Some(service::audit::chain::verify(&state.db).await?.intact());
    Ok(SelfCheck {
        rows: check::controls(&facts)
            .into_iter()
            .map(|c| ControlRow {
                clause: c.clause.to_owned(),
                title: c.title.to_owned(),
                setting: c.setting,
                level2: c.level2,
                level3: c.level3,
            })
            .collect(),
        checked_at: service::time::format_datetime(chrono::Utc::now(), state.site.time_zone),
    })
}

/// What a new policy is checked for before it is saved.
#[cfg(feature = "ssr")]
mod check {
    use super::*;

    /// An allow-list must read as addresses and ranges, and must not shut out the address the
    /// change is made from.
    pub(super) fn allow_list(list: &str, current: &str) -> Result<(), AppError> {
        if list.is_empty() {
            return Ok(());
        }
        let parsed = crate::ssr::client::TrustedProxies::parse(list)
            .map_err(|e| AppError::BadRequest(format!("后台地址白名单有误：{e}")))?;
        let inside = current
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| parsed.contains(ip));
        if inside {
            Ok(())
        } else {
            Err(AppError::BadRequest(format!(
                "新的后台地址白名单不包含您当前的地址 {current}：保存后您自己也将无法进入管理后台。请把该地址或其所在网段加入白名单"
            )))
        }
    }
}
