//! Admin-only: site settings and staff accounts (under `/api/admin/sys/`).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::{SettingsForm, UserRow};

#[server(prefix = "/api/admin/sys", endpoint = "settings", input = GetUrl)]
pub async fn get_settings_form() -> Result<SettingsForm, AppError> {
    use crate::ssr::{require_admin, state};
    require_admin()?;
    let s = service::site::settings(&state()?.db).await?;
    Ok(SettingsForm {
        site_name: s.site_name,
        site_name_en: s.site_name_en,
        magazine_name: s.magazine_name,
        slogan: s.slogan,
        wechat_account: s.wechat_account,
        wechat_qr_url: s.wechat_qr_url,
        qq_group: s.qq_group,
        contact_email: s.contact_email,
        footer_text: s.footer_text,
        icp: s.icp,
        copyright: s.copyright,
        logo_url: s.logo_url,
        blocked_words: s.blocked_words,
        max_links: s.max_links,
        review_writers: s.review.writers,
        review_levels: s.review.levels,
        review_peer: s.review.editors,
        review_mail: s.review.mail,
    })
}

/// The settings form's post: its fields by name (the form's field names are the settings'
/// keys), parsed and checked by [`service::site::SettingsInput`]; a field not sent keeps its
/// value.
#[server(prefix = "/api/admin/sys", endpoint = "settings/save")]
pub async fn save_settings(
    #[server(flatten)] fields: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_admin, state};
    let staff = require_admin()?;
    let result = async {
        let input = service::site::SettingsInput::parse(&fields)?;
        service::site::update_settings(&state()?.db, &staff.actor(), input).await?;
        Ok(())
    }
    .await;
    finish(result, "网站设置已保存")
}

#[server(prefix = "/api/admin/sys", endpoint = "users", input = GetUrl)]
pub async fn get_users() -> Result<Vec<UserRow>, AppError> {
    let (me, state) = crate::ssr::as_admin()?;
    Ok(service::user::users(&state.db)
        .await?
        .into_iter()
        .map(|u| UserRow {
            is_me: u.id == me.user.id,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            is_admin: matches!(
                u.role,
                entity::user::Role::Admin
                    | entity::user::Role::SysAdmin
                    | entity::user::Role::SecAdmin
                    | entity::user::Role::Auditor
            ),
            role: service::security::role_code(u.role).to_owned(),
            is_active: u.is_active,
            email: u.email.clone(),
            last_login: u
                .last_login_at
                .map(|t| service::time::format_datetime(t, state.site.time_zone))
                .unwrap_or_else(|| "从未登录".into()),
        })
        .collect())
}

#[server(prefix = "/api/admin/sys", endpoint = "users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_admin, state};
    let staff = require_admin()?;
    let result = async {
        let state = state()?;
        // The password is the administrator's choice: the person sets their own at the
        // first sign-in.
        service::auth::create_user(
            &state.db,
            &state.passwords,
            &staff.actor(),
            service::auth::NewAccount {
                username: &username,
                display_name: &display_name,
                password: &password,
                role: crate::api::admin::sys::input::role_of(&role)?,
                must_change_password: true,
            },
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "用户已创建")
}

#[server(prefix = "/api/admin/sys", endpoint = "users/update")]
pub async fn update_user(
    id: i32,
    display_name: String,
    role: String,
    is_active: Option<String>,
    password: Option<String>,
    email: Option<String>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_admin, state};
    let staff = require_admin()?;
    let result = async {
        let active = crate::query::is_checked(is_active.as_deref());
        let state = state()?;
        service::user::update_user(
            &state.db,
            &state.passwords,
            &staff.actor(),
            id,
            service::user::UserChanges {
                display_name: &display_name,
                role: crate::api::admin::sys::input::role_of(&role)?,
                is_active: active,
                new_password: password.as_deref(),
                email: email.as_deref(),
            },
        )
        .await?;
        Ok(())
    }
    .await;
    finish(result, "用户已更新")
}

/// The users form's values read.
#[cfg(feature = "ssr")]
mod input {
    use super::*;

    pub(super) fn role_of(role: &str) -> Result<entity::user::Role, AppError> {
        service::security::parse_role(role).ok_or_else(|| AppError::BadRequest("未知的角色".into()))
    }
}
