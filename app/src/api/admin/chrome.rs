use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::admin::Flash;
use crate::models::admin::{AdminChrome, LoginState};

/// The back office's frame for the signed-in staff member.
#[server(prefix = "/api/admin", endpoint = "chrome", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_admin_chrome() -> Result<AdminChrome, AppError> {
    let (staff, state) = crate::ssr::as_staff()?;
    let settings = service::site::settings(&state.db).await?;
    let policy = state.security.get(&state.db).await?;
    Ok(AdminChrome {
        password_due: staff.password_due.map(str::to_owned),
        password_rule: service::security::passwords::rule_text(&policy),
        site_name: settings.site_name,
        username: staff.user.username.clone(),
        display_name: staff.user.display_name.clone(),
        role_label: service::auth::role_label(staff.user.role).to_owned(),
        is_admin: staff.is_admin(),
        is_writer: staff.is_writer(),
        can_content: staff.duties.content,
        can_security: staff.duties.security,
        can_audit: staff.duties.audit,
        waiting: if staff.is_writer() || !staff.duties.content {
            0
        } else {
            service::review::counts(&state.db).await?.waiting()
        },
        csrf_token: staff.csrf_token.clone(),
        flash: super::form::take_flash().map(|(ok, message)| Flash { ok, message }),
    })
}

#[server(prefix = "/api/staff", endpoint = "login-state", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_login_state() -> Result<LoginState, AppError> {
    use crate::ssr::state;
    let state = state()?;
    let settings = service::site::settings(&state.db).await?;
    let local =
        use_context::<http::request::Parts>().is_some_and(|p| crate::ssr::is_local_unproxied(&p));
    let no_accounts = local && service::auth::user_count(&state.db).await? == 0;
    let setup_closed = no_accounts && state.setup.is_closed();
    let setup_available = no_accounts && !setup_closed;
    Ok(LoginState {
        site_name: settings.site_name,
        flash: super::form::take_flash().map(|(ok, message)| Flash { ok, message }),
        setup_available,
        setup_closed,
    })
}
