//! `/admin/account/sessions`: where the person is signed in, with "end this one".

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::account::{EndMySessions, get_my_sessions};
use crate::models::admin::{MySessions, SessionRow};

#[component]
pub fn SessionsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_my_sessions());
    view! {
        <AdminPage
            data
            render=|m: MySessions| AdminView {
                title: "我的登录".into(),
                content: view! { <SessionsView m /> }.into_any(),
            }
        />
    }
}

#[component]
fn SessionsView(m: MySessions) -> impl IntoView {
    let others = m.rows.iter().filter(|r| !r.current).count();
    view! {
        <p class="hint">
            {format!(
                "无操作 {} 分钟后自动退出；登录 {} 小时后无论是否操作都须重新登录。",
                m.idle_minutes,
                m.session_hours,
            )}
        </p>
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"登录时间"</th>
                        <th>"最近活动"</th>
                        <th>"地址"</th>
                        <th>"浏览器"</th>
                        <th>"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {m.rows.into_iter().map(|r| view! { <SessionRowView r /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(others > 0)
            .then(|| {
                view! {
                    <form method="post" action=EndMySessions::PATH class="inline-form">
                        <CsrfField />
                        <button
                            type="submit"
                            class="button danger"
                            data-confirm="退出本机以外的所有登录？"
                        >
                            {format!("退出其他 {others} 处登录")}
                        </button>
                    </form>
                }
            })}
    }
}

#[component]
fn SessionRowView(r: SessionRow) -> impl IntoView {
    view! {
        <tr>
            <td class="nowrap">{r.signed_in}</td>
            <td class="nowrap">{r.last_seen}</td>
            <td>{r.ip}</td>
            <td>{r.browser}</td>
            <td>
                {if r.current {
                    view! { <strong>"本机（当前）"</strong> }.into_any()
                } else {
                    view! {
                        <form method="post" action=EndMySessions::PATH class="inline-form">
                            <CsrfField />
                            <input type="hidden" name="id" value=r.id />
                            <button type="submit" class="button small">
                                "退出此处登录"
                            </button>
                        </form>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}
