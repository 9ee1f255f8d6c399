//! `/admin/password`: change one's own password.

use leptos::prelude::*;

use super::{AdminPage, AdminView, CsrfField};
use crate::models::admin::AdminChrome;

/// Why the password must change now, and the rules a new one follows.
#[component]
fn PasswordRules() -> impl IntoView {
    let chrome = use_context::<AdminChrome>();
    let due = chrome.as_ref().and_then(|c| c.password_due.clone());
    let rule = chrome.map(|c| c.password_rule).unwrap_or_default();
    view! {
        {due
            .map(|why| {
                view! {
                    <div class="flash flash-error" role="alert">
                        {why}
                    </div>
                }
            })}
        <p class="hint">
            {format!(
                "新密码{rule}。修改后，您在其他设备上的登录会全部退出。",
            )}
        </p>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| async { Ok(()) });
    view! {
        <AdminPage
            data
            render=|()| AdminView {
                title: "修改密码".into(),
                content: view! {
                    <section class="panel narrow">
                        <form method="post" action="/admin/password" class="stack">
                            <CsrfField />
                            <label>
                                "当前密码"
                                <input
                                    name="current"
                                    type="password"
                                    autocomplete="current-password"
                                    required
                                    maxlength="128"
                                />
                            </label>
                            <label>
                                "新密码"
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
                                "再次输入新密码"
                                <input
                                    name="confirm"
                                    type="password"
                                    autocomplete="new-password"
                                    required
                                    minlength="10"
                                    maxlength="128"
                                />
                            </label>
                            <PasswordRules />
                            <button type="submit" class="button primary">
                                "修改密码"
                            </button>
                        </form>
                    </section>
                }
                    .into_any(),
            }
        />
    }
}
