use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A one-time message shown at the top of the next page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub ok: bool,
    pub message: String,
}

/// What every back-office page shows around its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChrome {
    pub site_name: String,
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub is_admin: bool,
    /// 撰稿人: the menu shows only their articles and pictures.
    #[serde(default)]
    pub is_writer: bool,
    /// Articles waiting for review (shown beside 待审核 in the menu; 0 for writers).
    #[serde(default)]
    pub waiting: u64,
    /// For forms and script requests: the guard checks it on every change.
    pub csrf_token: String,
    pub flash: Option<Flash>,
}

/// The back office's frame for the signed-in staff member.
#[server(prefix = "/api/admin", endpoint = "chrome", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_admin_chrome() -> Result<AdminChrome, AppError> {
    use crate::server::{require_staff, state};
    let staff = require_staff()?;
    let state = state()?;
    let settings = service::site::settings(&state.db).await?;
    Ok(AdminChrome {
        site_name: settings.site_name,
        username: staff.user.username.clone(),
        display_name: staff.user.display_name.clone(),
        role_label: service::auth::role_label(staff.user.role).to_owned(),
        is_admin: staff.is_admin(),
        is_writer: staff.is_writer(),
        waiting: if staff.is_writer() {
            0
        } else {
            service::review::counts(&state.db).await?.waiting()
        },
        csrf_token: staff.csrf_token.clone(),
        flash: super::form::take_flash().map(|(ok, message)| Flash { ok, message }),
    })
}

/// What the sign-in page needs (public: it is shown before signing in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginState {
    pub site_name: String,
    pub flash: Option<Flash>,
    /// No account exists yet and this request may run first-time setup.
    pub setup_available: bool,
    /// Setup would be available, but too many wrong codes closed it until a restart.
    pub setup_closed: bool,
}

#[server(prefix = "/api/staff", endpoint = "login-state", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_login_state() -> Result<LoginState, AppError> {
    use crate::server::state;
    let state = state()?;
    let settings = service::site::settings(&state.db).await?;
    let local = use_context::<http::request::Parts>()
        .is_some_and(|p| crate::server::is_local_unproxied(&p));
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
