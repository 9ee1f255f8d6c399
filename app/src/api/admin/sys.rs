//! Admin-only: site settings and staff accounts (under `/api/admin/sys/`).
// These server functions take plain HTML form posts, one argument per form field.
#![allow(clippy::too_many_arguments)]

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
        review_writers: s.review_writers,
        review_levels: s.review_levels,
        review_editors: s.review_editors,
        review_mail: s.review_mail,
    })
}

#[server(prefix = "/api/admin/sys", endpoint = "settings/save")]
pub async fn save_settings(
    site_name: String,
    magazine_name: String,
    slogan: String,
    wechat_account: String,
    wechat_qr_url: String,
    qq_group: String,
    contact_email: String,
    footer_text: String,
    icp: String,
    copyright: String,
    logo_url: String,
    blocked_words: Option<String>,
    max_links: Option<String>,
    review_writers: Option<String>,
    review_levels: Option<String>,
    review_editors: Option<String>,
    review_mail: Option<String>,
) -> Result<(), AppError> {
    use super::form::finish;
    use crate::ssr::{require_admin, state};
    let staff = require_admin()?;
    let result = async {
        let clip = |s: String, n: usize| s.trim().chars().take(n).collect::<String>();
        if site_name.trim().is_empty() {
            return Err(AppError::BadRequest("网站名称不能为空".into()));
        }
        let url = wechat_qr_url.trim();
        let acceptable =
            url.is_empty() || url.starts_with("http://") || url.starts_with("https://");
        if !acceptable {
            return Err(AppError::BadRequest(
                "公众号二维码链接需以 http:// 或 https:// 开头".into(),
            ));
        }
        let logo = logo_url.trim();
        if !logo.is_empty() && !service::site::is_link_address(logo) {
            return Err(AppError::BadRequest(
                "标志图片地址需以 /、http:// 或 https:// 开头".into(),
            ));
        }
        let email = contact_email.trim();
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            return Err(AppError::BadRequest("留言邮箱格式不正确".into()));
        }
        let db = &state()?.db;
        let before = service::site::settings(db).await?;
        let max_links = match max_links.as_deref().map(str::trim) {
            None => before.max_links,
            Some(n) => match n.parse::<u16>() {
                Ok(n) if n <= 100 => n.to_string(),
                _ => {
                    return Err(AppError::BadRequest(
                        "留言和投稿中的网址数量上限应为 0 到 100 之间的整数".into(),
                    ));
                }
            },
        };
        let blocked_words = match blocked_words {
            None => before.blocked_words,
            Some(w) => {
                let lines: Vec<String> = w
                    .lines()
                    .map(|l| l.trim().chars().take(50).collect::<String>())
                    .filter(|l| !l.is_empty())
                    .take(2000)
                    .collect();
                lines.join("\n")
            }
        };
        // A choice of a select: one of `allowed`, or what it was when the form did not send it.
        let choice =
            |sent: Option<String>, before: String, allowed: &[&str]| -> Result<String, AppError> {
                match sent {
                    None => Ok(before),
                    Some(v) if allowed.contains(&v.trim()) => Ok(v.trim().to_owned()),
                    Some(_) => Err(AppError::BadRequest("审核设置的取值不正确".into())),
                }
            };
        let review_writers = choice(review_writers, before.review_writers.clone(), &["0", "1"])?;
        let review_levels = choice(review_levels, before.review_levels.clone(), &["1", "2"])?;
        let review_editors = choice(
            review_editors,
            before.review_editors.clone(),
            &["direct", "peer"],
        )?;
        let review_mail = choice(review_mail, before.review_mail.clone(), &["0", "1"])?;
        let settings = service::site::SiteSettings {
            site_name: clip(site_name, 50),
            magazine_name: clip(magazine_name, 50),
            slogan: clip(slogan, 100),
            wechat_account: clip(wechat_account, 50),
            wechat_qr_url: clip(wechat_qr_url, 500),
            qq_group: clip(qq_group, 30),
            contact_email: clip(contact_email, 100),
            footer_text: clip(footer_text, 1000),
            icp: clip(icp, 100),
            copyright: clip(copyright, 200),
            logo_url: clip(logo_url, 500),
            blocked_words,
            max_links,
            review_writers,
            review_levels,
            review_editors,
            review_mail,
        };
        service::site::update_settings(db, &staff.actor(), &settings).await?;
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

#[cfg(feature = "ssr")]
fn role_of(role: &str) -> Result<entity::user::Role, AppError> {
    service::security::parse_role(role).ok_or_else(|| AppError::BadRequest("未知的角色".into()))
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
                role: role_of(&role)?,
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
        let active = is_active.as_deref().is_some_and(|v| !v.is_empty());
        let state = state()?;
        service::user::update_user(
            &state.db,
            &state.passwords,
            &staff.actor(),
            id,
            service::user::UserChanges {
                display_name: &display_name,
                role: role_of(&role)?,
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
