//! The plain-form handlers of the back office: signing in and out, first-time setup and
//! password changes.

use app::ssr::SetupCheck;
use axum::extract::FromRequest;

use crate::form_body::FormFields;

use super::*;

/// Where to go after signing in: a back-office path only.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == "/admin" || n.starts_with("/admin/")) && !n.starts_with("/admin/login") =>
        {
            app::prefs::safe_return_path(n).to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asks the browser to retry in a few seconds.
fn busy(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

impl LoginForm {
    fn read(f: &FormFields) -> Self {
        Self {
            username: f.text("username"),
            password: f.text("password"),
            next: f.get("next").map(str::to_owned),
        }
    }
}

/// Lands on `to` with the session cookie: a browser-session cookie (gone when the browser
/// closes); the server ends the session itself after the policy's idle and absolute times.
fn signed_in(state: &AppState, to: &str, token: &str) -> Response {
    let mut res = redirect(to);
    let secure = if state.site.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The security policy, or the 503 to answer when it cannot be read.
async fn policy_of(
    state: &AppState,
) -> Result<std::sync::Arc<service::security::Policy>, Response> {
    state.security.get(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "cannot read the security policy");
        AppError::Unavailable.into_response()
    })
}

/// `POST /admin/login`
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    fields: FormFields,
) -> Response {
    let form = LoginForm::read(&fields);
    let ip =
        app::ssr::client::client_address_text(&state.site.trusted_proxies, Some(addr), &headers);
    let back = |kind: &str, message: &str| {
        let mut res = redirect(&format!(
            "/admin/login?next={}",
            app::query::encode(&safe_next(form.next.as_deref()))
        ));
        flash(&mut res, kind, message, state.site.secure_cookies);
        res
    };
    // A few sign-ins are worked on at once; the rest wait here with little memory (the work
    // is boxed only once a turn comes), and past the gate's limits are asked to retry.
    let Ok(_turn) = state.logins.enter().await else {
        return busy(back("error", "登录的人较多，请稍等几秒后再试"));
    };
    let policy = match policy_of(&state).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let attempt = Box::pin(auth::login(
        &state.db,
        &state.passwords,
        &policy,
        &form.username,
        &form.password,
        &ip,
        &user_agent(&headers),
    ))
    .await;
    match attempt {
        Ok(auth::SignIn::SecondFactor(user)) => {
            // The password was right: the code comes next, within a few minutes, in this
            // browser (a signed cookie; no session exists yet).
            let Ok(token) = service::security::second_factor::pending_token(
                user.id,
                chrono::Utc::now().timestamp(),
            ) else {
                return AppError::Unavailable.into_response();
            };
            let mut res = redirect(&format!(
                "/admin/login/2fa?next={}",
                app::query::encode(&safe_next(form.next.as_deref()))
            ));
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    PENDING_COOKIE,
                    &token,
                    service::security::second_factor::PENDING_SECONDS,
                    state.site.secure_cookies,
                ),
            );
            res
        }
        Ok(auth::SignIn::Done(user, session)) => {
            // The old session of this browser, if any, ends: the id always changes on login.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                let _ = auth::logout(&state.db, &old, &Actor::system("session-rotation")).await;
            }
            // A password someone else chose, or one past its age, is changed first.
            let due = service::security::passwords::change_due(&policy, &user, chrono::Utc::now());
            let to = if due.is_some() {
                "/admin/password".to_owned()
            } else {
                safe_next(form.next.as_deref())
            };
            signed_in(&state, &to, &session.token)
        }
        Err(LoginError::Invalid) => back("error", "用户名或密码错误"),
        Err(LoginError::Throttled(wait)) => {
            let mut res = back(
                "error",
                &format!("登录尝试次数过多，请{}后再试", auth::wait_label(wait)),
            );
            *res.status_mut() = StatusCode::SEE_OTHER;
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait.num_seconds().max(1)),
            );
            res
        }
        Err(LoginError::Busy) => busy(back("error", "登录的人较多，请稍等几秒后再试")),
        Err(LoginError::Db(e)) => {
            tracing::error!(error = %e, "login failed");
            AppError::Unavailable.into_response()
        }
    }
}

struct SecondFactorForm {
    code: String,
    next: Option<String>,
}

impl SecondFactorForm {
    fn read(f: &FormFields) -> Self {
        Self {
            code: f.text("code"),
            next: f.get("next").map(str::to_owned),
        }
    }
}

/// `POST /admin/login/2fa`: the code of a sign-in whose password was right.
pub async fn login_second_factor(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    fields: FormFields,
) -> Response {
    let form = SecondFactorForm::read(&fields);
    let ip =
        app::ssr::client::client_address_text(&state.site.trusted_proxies, Some(addr), &headers);
    let next = safe_next(form.next.as_deref());
    let now = chrono::Utc::now().timestamp();
    let pending = cookie(&headers, PENDING_COOKIE)
        .and_then(|t| service::security::second_factor::pending_user(&t, now));
    let Some(user_id) = pending else {
        let mut res = redirect(&format!("/admin/login?next={}", app::query::encode(&next)));
        flash(
            &mut res,
            "error",
            "验证已超时，请重新输入用户名和密码",
            state.site.secure_cookies,
        );
        return res;
    };
    let back = |message: &str| {
        let mut res = redirect(&format!(
            "/admin/login/2fa?next={}",
            app::query::encode(&next)
        ));
        flash(&mut res, "error", message, state.site.secure_cookies);
        res
    };
    let policy = match policy_of(&state).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let code: String = form.code.chars().take(40).collect();
    match auth::login_second_factor(
        &state.db,
        &policy,
        user_id,
        &code,
        &ip,
        &user_agent(&headers),
    )
    .await
    {
        Ok((user, session)) => {
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                let _ = auth::logout(&state.db, &old, &Actor::system("session-rotation")).await;
            }
            let due = service::security::passwords::change_due(&policy, &user, chrono::Utc::now());
            let to = if due.is_some() {
                "/admin/password".to_owned()
            } else {
                next.clone()
            };
            let mut res = signed_in(&state, &to, &session.token);
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(PENDING_COOKIE, "", 0, state.site.secure_cookies),
            );
            res
        }
        Err(LoginError::Invalid) => back("动态口令或恢复码不正确，请重新输入"),
        Err(LoginError::Throttled(wait)) => {
            let mut res = back(&format!("尝试次数过多，请{}后再试", auth::wait_label(wait)));
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait.num_seconds().max(1)),
            );
            res
        }
        Err(LoginError::Busy) => busy(back("登录的人较多，请稍等几秒后再试")),
        Err(LoginError::Db(e)) => {
            tracing::error!(error = %e, "second-factor sign-in failed");
            AppError::Unavailable.into_response()
        }
    }
}

/// `POST /admin/logout`
pub async fn logout(State(state): State<AppState>, req: Request) -> Response {
    if let (Some(staff), Some(token)) = (
        req.extensions().get::<Staff>().cloned(),
        cookie(req.headers(), SESSION_COOKIE),
    ) && let Err(e) = auth::logout(&state.db, &token, &staff.actor()).await
    {
        tracing::error!(error = %e, "logout failed");
    }
    let mut res = redirect("/admin/login");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.site.secure_cookies),
    );
    flash(&mut res, "ok", "您已安全退出", state.site.secure_cookies);
    res
}

/// Whether first-time setup may be shown: no account exists yet, the request comes straight
/// from this machine, and not through a proxy.
pub async fn setup_allowed(state: &AppState, addr: SocketAddr, headers: &HeaderMap) -> bool {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers.clone();
    parts.extensions.insert(ConnectInfo(addr));
    app::ssr::is_local_unproxied(&parts)
        && !state.setup.is_closed()
        && auth::user_count(&state.db).await.is_ok_and(|n| n == 0)
}

struct SetupForm {
    code: String,
    username: String,
    display_name: Option<String>,
    password: String,
    confirm: String,
}

impl SetupForm {
    fn read(f: &FormFields) -> Self {
        Self {
            code: f.text("code"),
            username: f.text("username"),
            display_name: f.get("display_name").map(str::to_owned),
            password: f.text("password"),
            confirm: f.text("confirm"),
        }
    }
}

/// `POST /admin/setup`: creates the first administrator, then signs them in.
pub async fn setup(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    fields: FormFields,
) -> Response {
    let form = SetupForm::read(&fields);
    if !setup_allowed(&state, addr, &headers).await {
        return AppError::NotFound.into_response();
    }
    let fail = |message: &str| {
        let mut res = redirect("/admin/setup");
        flash(&mut res, "error", message, state.site.secure_cookies);
        res
    };
    match state.setup.check(&form.code) {
        SetupCheck::Right => {}
        SetupCheck::Wrong => {
            tracing::warn!(ip = %addr.ip(), "first-time setup with a wrong code");
            return fail("设置码不正确：请查看服务器启动时输出的设置码");
        }
        SetupCheck::Closed => {
            tracing::warn!(
                ip = %addr.ip(),
                "first-time setup closed after {} wrong codes; restart the server for a new code",
                app::ssr::SetupGate::MAX_FAILURES
            );
            return fail(
                "设置码错误次数过多，初始化已关闭：请重启服务器后使用新的设置码，或在服务器上运行 portico create-admin",
            );
        }
    }
    if form.password != form.confirm {
        return fail("两次输入的密码不一致");
    }
    let actor = Actor::unknown("setup", &addr.ip().to_string());
    let display = form.display_name.unwrap_or_default();
    // The first account: the system administrator (or, on a site that keeps the single
    // 管理员, the administrator), with the password they chose themselves.
    let policy = match policy_of(&state).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let role = if policy.separation {
        Role::SysAdmin
    } else {
        Role::Admin
    };
    if let Err(e) = auth::create_user(
        &state.db,
        &state.passwords,
        &actor,
        auth::NewAccount {
            username: &form.username,
            display_name: &display,
            password: &form.password,
            role,
            must_change_password: false,
        },
    )
    .await
    {
        return match e {
            service::Error::Invalid(m) => fail(&m),
            other => AppError::from(other).into_response(),
        };
    }
    match auth::login(
        &state.db,
        &state.passwords,
        &policy,
        &form.username,
        &form.password,
        &addr.ip().to_string(),
        &user_agent(&headers),
    )
    .await
    {
        Ok(auth::SignIn::Done(_, session)) => signed_in(&state, "/admin", &session.token),
        Ok(auth::SignIn::SecondFactor(_)) | Err(_) => redirect("/admin/login"),
    }
}

struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

impl PasswordForm {
    fn read(f: &FormFields) -> Self {
        Self {
            current: f.text("current"),
            password: f.text("password"),
            confirm: f.text("confirm"),
        }
    }
}

/// `POST /admin/password`
pub async fn change_password(State(state): State<AppState>, req: Request) -> Response {
    let Some(staff) = req.extensions().get::<Staff>().cloned() else {
        return redirect("/admin/login");
    };
    let ua = user_agent(req.headers());
    let Ok(fields) = FormFields::from_request(req, &state).await else {
        return AppError::BadRequest("请求有误，请返回重新填写".into()).into_response();
    };
    let form = PasswordForm::read(&fields);
    let back = |kind: &str, message: &str| {
        let mut res = redirect("/admin/password");
        flash(&mut res, kind, message, state.site.secure_cookies);
        res
    };
    if form.password != form.confirm {
        return back("error", "两次输入的新密码不一致");
    }
    let policy = match policy_of(&state).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    match auth::change_password(
        &state.db,
        &state.passwords,
        &policy,
        &staff.actor(),
        staff.user.id,
        &form.current,
        &form.password,
        &ua,
    )
    .await
    {
        Ok(session) => {
            let mut res = signed_in(&state, "/admin/password", &session.token);
            flash(
                &mut res,
                "ok",
                "密码已修改，其他设备上的登录已退出",
                state.site.secure_cookies,
            );
            res
        }
        Err(service::Error::Invalid(m)) => back("error", &m),
        Err(service::Error::Busy) => back("error", "系统繁忙，请稍等几秒后再试"),
        Err(e) => {
            tracing::error!(error = %e, "password change failed");
            back("error", "修改失败，请稍后再试")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_in_the_back_office() {
        assert_eq!(
            safe_next(Some("/admin/articles?page=2")),
            "/admin/articles?page=2"
        );
        assert_eq!(safe_next(Some("https://evil.example/")), "/admin");
        assert_eq!(safe_next(Some("/articles/1")), "/admin");
        assert_eq!(safe_next(Some("//evil")), "/admin");
        assert_eq!(safe_next(None), "/admin");
    }
}
