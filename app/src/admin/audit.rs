//! `/admin/audit`: browse, filter, export and verify the audit log (the 审计管理员, or the
//! single 管理员 of a site without the separation of duties).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{AdminPage, AdminView};
use crate::api::admin::audit::{EXPORT_URL, get_audit, verify_audit};
use crate::components::pager::Pagination;
use crate::models::admin::{AuditList, AuditVerdict};
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
                let export = |format: &str| {
                    let f = filters();
                    let mut params = vec![("format", format)];
                    params.extend(f.iter().map(|(k, v)| (*k, v.as_str())));
                    crate::query::address(EXPORT_URL, &params)
                };
                AdminView {
                    title: "审计日志".into(),
                    content: view! {
                        <div class="actions-row">
                            <a href="/admin/audit/verify" class="button">
                                "校验完整性"
                            </a>
                            <a href=export("csv") class="button subtle" download="">
                                "导出 CSV"
                            </a>
                            <a href=export("jsonl") class="button subtle" download="">
                                "导出 JSON Lines"
                            </a>
                        </div>
                        <AuditFilters a=a.clone() username=u action=act object_type=ot text />
                        <div class="table-wrap">
                            <table class="data">
                                <thead>
                                    <tr>
                                        <th>"时间"</th>
                                        <th>"用户"</th>
                                        <th>"操作"</th>
                                        <th>"对象"</th>
                                        <th>"结果"</th>
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
                                                    <td class="nowrap" class:outcome-bad=!r.ok>
                                                        {r.outcome.clone()}
                                                    </td>
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
                        <Pagination pager=a.pager />
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
            <a href="/admin/audit" class="button subtle">
                "清除"
            </a>
        </form>
    }
}

/// `/admin/audit/verify`: checks the chain now and says whether it is intact, or where it
/// first breaks.
#[component]
pub fn AuditVerifyPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| verify_audit());
    view! {
        <AdminPage
            data
            render=|v: AuditVerdict| AdminView {
                title: "审计日志完整性校验".into(),
                content: view! { <VerdictView v /> }.into_any(),
            }
        />
    }
}

#[component]
fn VerdictView(v: AuditVerdict) -> impl IntoView {
    let summary = match &v.broken {
        None => view! {
            <div class="verdict verdict-ok" role="status">
                <strong>"校验通过"</strong>
                <p>
                    {format!(
                        "第 {} 至第 {} 条，共 {} 条记录完整，没有被改动或删除。",
                        v.first_seq,
                        v.head_seq,
                        v.checked,
                    )}
                </p>
            </div>
        }
        .into_any(),
        Some(what) => view! {
            <div class="verdict verdict-bad" role="alert">
                <strong>"校验未通过"</strong>
                <p>{format!("第一处断裂：{what}")}</p>
                <p>{format!("在此之前的 {} 条记录完整。", v.checked)}</p>
            </div>
        }
        .into_any(),
    };
    let restarts = (!v.restarts.is_empty()).then(|| {
        view! {
            <div class="verdict verdict-note" role="note">
                <strong>"审计链曾因原密钥丢失而重新开始"</strong>
                <ul>{v.restarts.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </div>
        }
    });
    view! {
        {summary}
        {restarts}
        <dl class="facts">
            <dt>"校验时间"</dt>
            <dd>{v.checked_at}</dd>
            <dt>"链尾序号"</dt>
            <dd>{v.head_seq}</dd>
            <dt>"链尾校验值"</dt>
            <dd class="mono">
                {if v.head_hash.is_empty() { "-".to_owned() } else { v.head_hash }}
            </dd>
        </dl>
        <p class="hint">
            "每条记录都带有与前一条相连的校验值（HMAC-SHA256，密钥不在数据库中）：改动或删除任何一条，都会在此处显示出来。请把链尾序号和校验值记录在案，以便日后核对。"
        </p>
        <p>
            <a href="/admin/audit" class="button subtle">
                "返回审计日志"
            </a>
        </p>
    }
}
