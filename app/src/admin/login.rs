//! `/admin/login` and `/admin/setup`: shown to people who are not signed in.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{AdminHead, FlashMessage};
use crate::api::admin::chrome::get_login_state;
use crate::error::AppError;
use crate::models::admin::LoginState;
use crate::pages::error::ErrorContent;

#[component]
fn AuthCard(state: LoginState, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <AdminHead title=title />
        <main class="auth-page">
            <section class="auth-card" aria-labelledby="auth-title">
                <p class="auth-site">{state.site_name}</p>
                <h1 id="auth-title">{title}</h1>
                <FlashMessage flash=state.flash />
                {children()}
            </section>
        </main>
    }
    .into_any()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let state = Resource::new_blocking(|| (), |_| get_login_state());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match state.await {
                    Err(error) => {
                        view! {
                            <main class="auth-page">
                                <ErrorContent error />
                            </main>
                        }
                            .into_any()
                    }
                    Ok(state) => {
                        let setup = state.setup_available;
                        view! {
                            <AuthCard state title="管理后台登录">
                                <form method="post" action="/admin/login" class="stack">
                                    <input type="hidden" name="next" value=next() />
                                    <label>
                                        "用户名"
                                        <input
                                            name="username"
                                            autocomplete="username"
                                            required
                                            maxlength="50"
                                            autofocus
                                        />
                                    </label>
                                    <label>
                                        "密码"
                                        <input
                                            name="password"
                                            type="password"
                                            autocomplete="current-password"
                                            required
                                            maxlength="128"
                                        />
                                    </label>
                                    <button type="submit" class="button primary">
                                        "登录"
                                    </button>
                                </form>
                                {setup
                                    .then(|| {
                                        view! {
                                            <p class="hint">
                                                "尚未创建管理员账号。"
                                                <a href="/admin/setup">"前往初始化"</a>
                                            </p>
                                        }
                                    })}
                                <p class="hint">
                                    <a href="/">"‹ 返回网站首页"</a>
                                </p>
                            </AuthCard>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/admin/login/2fa`: the second step of signing in to an account with a second factor.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let state = Resource::new_blocking(|| (), |_| get_login_state());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match state.await {
                    Err(error) => {
                        view! {
                            <main class="auth-page">
                                <ErrorContent error />
                            </main>
                        }
                            .into_any()
                    }
                    Ok(state) => {
                        view! {
                            <AuthCard state title="双因素认证">
                                <form method="post" action="/admin/login/2fa" class="stack">
                                    <input type="hidden" name="next" value=next() />
                                    <label>
                                        "动态口令"
                                        <input
                                            name="code"
                                            autocomplete="one-time-code"
                                            inputmode="numeric"
                                            required
                                            maxlength="20"
                                            autofocus
                                            aria-describedby="code-hint"
                                        />
                                    </label>
                                    <p class="hint" id="code-hint">
                                        "请输入手机验证器（如 Google Authenticator、Microsoft Authenticator、腾讯身份验证器）当前显示的 6 位数字。手机不在身边时，可输入一个恢复码（形如 ABCD-EFGH，每个只能用一次）。"
                                    </p>
                                    <button type="submit" class="button primary">
                                        "验证并登录"
                                    </button>
                                </form>
                                <p class="hint">
                                    <a href="/admin/login">"‹ 重新登录"</a>
                                </p>
                            </AuthCard>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let state = Resource::new_blocking(|| (), |_| get_login_state());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(state) if state.setup_available => {
                        view! {
                            <AuthCard state title="创建第一个管理员">
                                <p class="hint">
                                    "网站还没有任何账号。请创建管理员账号（此页面只能在服务器本机访问，创建后即失效）。"
                                </p>
                                <form method="post" action="/admin/setup" class="stack">
                                    <label>
                                        "设置码"
                                        <input
                                            name="code"
                                            autocomplete="off"
                                            autocapitalize="characters"
                                            spellcheck="false"
                                            required
                                            maxlength="30"
                                            placeholder="XXXX-XXXX-XXXX"
                                        />
                                        <span class="hint">
                                            "服务器启动时在日志中输出。也可以在服务器上运行 portico create-admin 创建账号。"
                                        </span>
                                    </label>
                                    <label>
                                        "用户名"
                                        <input
                                            name="username"
                                            autocomplete="username"
                                            required
                                            minlength="3"
                                            maxlength="50"
                                            pattern="[A-Za-z0-9_.\\-]+"
                                        />
                                    </label>
                                    <label>
                                        "显示名称"<input name="display_name" maxlength="50" />
                                    </label>
                                    <label>
                                        "密码（至少 10 个字符）"
                                        <input
                                            name="password"
                                            type="password"
                                            autocomplete="new-password"
                                            required
                                            minlength="10"
                                            maxlength="128"
                                        />
                                    </label>
                                    <label>
                                        "再次输入密码"
                                        <input
                                            name="confirm"
                                            type="password"
                                            autocomplete="new-password"
                                            required
                                            minlength="10"
                                            maxlength="128"
                                        />
                                    </label>
                                    <button type="submit" class="button primary">
                                        "创建并登录"
                                    </button>
                                </form>
                            </AuthCard>
                        }
                            .into_any()
                    }
                    Ok(state) if state.setup_closed => {
                        view! {
                            <AuthCard state title="初始化已关闭">
                                <p class="hint">
                                    "设置码错误次数过多，为了安全，初始化已关闭。请重启服务器，使用服务器日志中新输出的设置码；也可以在服务器上运行 portico create-admin 创建账号。"
                                </p>
                            </AuthCard>
                        }
                            .into_any()
                    }
                    Ok(_) => {
                        view! {
                            <main class="auth-page">
                                <ErrorContent error=AppError::NotFound />
                            </main>
                        }
                            .into_any()
                    }
                    Err(error) => {
                        view! {
                            <main class="auth-page">
                                <ErrorContent error />
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
