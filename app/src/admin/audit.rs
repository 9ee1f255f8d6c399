//! `/admin/sys/audit`: browse and filter the audit log (admins only).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{AdminPage, AdminPager, AdminView};
use crate::api::admin::audit::get_audit;
use crate::models::admin::AuditList;
use crate::query::opt;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                q.get("username"),
                q.get("action"),
                q.get("object_type"),
                q.get("text"),
                q.get("page"),
            )
        },
        |(username, action, object_type, text, page)| {
            get_audit(
                username,
                action,
                object_type,
                text,
                page.and_then(|p| p.parse().ok()),
            )
        },
    );
    let filters = move || {
        let q = query.read();
        [
            ("username", opt(q.get("username"))),
            ("action", opt(q.get("action"))),
            ("object_type", opt(q.get("object_type"))),
            ("text", opt(q.get("text"))),
        ]
    };
    view! {
        <AdminPage
            data
            render=move |a: AuditList| {
                let [u, act, ot, text] = filters().map(|(_, v)| v);
                let base = {
                    let params: Vec<String> = filters()
                        .into_iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, v)| format!("{k}={}", crate::query::encode(&v)))
                        .collect();
                    if params.is_empty() {
                        "/admin/sys/audit".to_owned()
                    } else {
                        format!("/admin/sys/audit?{}", params.join("&"))
                    }
                };
                AdminView {
                    title: "审计日志".into(),
                    content: view! {
                        <AuditFilters a=a.clone() username=u action=act object_type=ot text />
                        <div class="table-wrap">
                            <table class="data">
                                <thead>
                                    <tr>
                                        <th>"时间"</th>
                                        <th>"用户"</th>
                                        <th>"操作"</th>
                                        <th>"对象"</th>
                                        <th>"摘要"</th>
                                        <th>"IP"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {a
                                        .rows
                                        .iter()
                                        .map(|r| {
                                            view! {
                                                <tr>
                                                    <td class="nowrap">{r.at.clone()}</td>
                                                    <td>{r.username.clone()}</td>
                                                    <td class="nowrap">{r.action.clone()}</td>
                                                    <td>{r.object.clone()}</td>
                                                    <td class="summary">{r.summary.clone()}</td>
                                                    <td class="muted">{r.ip.clone()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            {a
                                .rows
                                .is_empty()
                                .then(|| {
                                    view! { <p class="empty">"没有符合条件的记录。"</p> }
                                })}
                        </div>
                        <AdminPager base page=a.page pages=a.pages total=a.total />
                    }
                        .into_any(),
                }
            }
        />
    }
}

/// The log's filters: who, what, on what, containing which words.
#[component]
fn AuditFilters(
    a: AuditList,
    username: String,
    action: String,
    object_type: String,
    text: String,
) -> impl IntoView {
    let (u, act, ot) = (username, action, object_type);
    view! {
        <form method="get" class="filters" role="search">
            <label>"用户"<input name="username" value=u /></label>
            <label>
                "操作" <select name="action">
                    <option value="">"全部"</option>
                    {a
                        .actions
                        .iter()
                        .map(|(code, label)| {
                            view! {
                                <option value=code.clone() selected=*code == act>
                                    {label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "对象" <select name="object_type">
                    <option value="">"全部"</option>
                    {a
                        .object_types
                        .iter()
                        .map(|(code, label)| {
                            view! {
                                <option value=code.clone() selected=*code == ot>
                                    {label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>"内容包含"<input name="text" value=text /></label>
            <button type="submit" class="button">
                "筛选"
            </button>
            <a href="/admin/sys/audit" class="button subtle">
                "清除"
            </a>
        </form>
    }
}
