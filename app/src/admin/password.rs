//! `/admin/password`: change one's own password.

use leptos::prelude::*;

use super::{AdminPage, AdminView, CsrfField};

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
                                "新密码（至少 10 个字符）"
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
                            <p class="hint">
                                "修改后，您在其他设备上的登录会全部退出。"
                            </p>
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
