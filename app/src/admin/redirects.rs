//! `/admin/redirects`: old addresses answered with a 301 (made by an import or by hand), a
//! test of any address, and the addresses most asked for and not found, each with "make a
//! redirect".

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{AdminPage, AdminView, CsrfField, DeleteButton};
use crate::api::admin::redirects::{DeleteRedirect, IgnoreMiss, SaveRedirect, get_redirects_admin};
use crate::components::pager::Pagination;
use crate::models::admin::{MissRow, RedirectList, RedirectRow};
use crate::query::opt;

#[component]
pub fn RedirectsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (q.get("text"), q.get("page"), q.get("test"))
        },
        |(text, page, test)| get_redirects_admin(text, page.and_then(|p| p.parse().ok()), test),
    );
    let params = move || {
        let q = query.read();
        (opt(q.get("text")), opt(q.get("test")))
    };
    view! {
        <AdminPage
            data
            render=move |list: RedirectList| {
                let (text, test) = params();
                AdminView {
                    title: "旧地址跳转".into(),
                    content: view! {
                        <p class="hint">
                            "旧网站的网址（例如 /a/news/2020/1229/12.html、/?p=12）会以 301 永久跳转到本站的新页面。导入旧站时自动生成，也可以手工添加。新地址只能是本站的路径。"
                        </p>
                        <TestPanel list=list.clone() test />
                        <section class="panel">
                            <h2>"新建跳转"</h2>
                            <form method="post" action=SaveRedirect::PATH class="filters">
                                <CsrfField />
                                <label>
                                    "旧地址"
                                    <input
                                        name="from"
                                        required
                                        maxlength="1000"
                                        class="wide"
                                        placeholder="/a/news/2020/1229/12.html"
                                    />
                                </label>
                                <label>
                                    "新地址"
                                    <input
                                        name="to"
                                        required
                                        maxlength="1000"
                                        placeholder="/articles/12"
                                    />
                                </label>
                                <button type="submit" class="button">
                                    "添加"
                                </button>
                            </form>
                        </section>
                        <MissesPanel misses=list.misses.clone() />
                        <section class="panel">
                            <h2>{format!("全部跳转（{} 条）", list.pager.total)}</h2>
                            <form method="get" class="filters" role="search">
                                <label>"地址包含"<input name="text" value=text /></label>
                                <button type="submit" class="button">
                                    "查找"
                                </button>
                                <a href="/admin/redirects" class="button subtle">
                                    "清除"
                                </a>
                            </form>
                            <RedirectTable rows=list.rows.clone() />
                            <Pagination pager=list.pager.clone() />
                        </section>
                    }
                        .into_any(),
                }
            }
        />
    }
}

/// Tests an address the way a reader's request for it is answered.
#[component]
fn TestPanel(list: RedirectList, test: String) -> impl IntoView {
    let result = match (&list.tested, &list.test_error) {
        (_, Some(why)) => Some(
            view! {
                <p class="flash flash-error" role="alert">
                    {why.clone()}
                </p>
            }
            .into_any(),
        ),
        (Some(t), None) => Some(match (&t.matched, &t.to) {
            (Some(from), Some(to)) => view! {
                <p class="flash flash-ok" role="status">
                    {format!("{} 会 301 跳转到 ", t.address)}
                    <a href=to.clone()>{to.clone()}</a>
                    {(from != &t.address).then(|| format!("（按 {from} 匹配）"))}
                </p>
            }
            .into_any(),
            _ => view! {
                <p class="flash flash-error" role="status">
                    {format!(
                        "{} 没有跳转：网站会照常处理这个地址，没有页面时显示“找不到页面”。",
                        t.address,
                    )}
                </p>
            }
            .into_any(),
        }),
        (None, None) => None,
    };
    view! {
        <section class="panel">
            <h2>"测试一个地址"</h2>
            <form method="get" class="filters">
                <label>
                    "旧地址或完整网址"
                    <input
                        name="test"
                        value=test
                        maxlength="1000"
                        class="wide"
                        placeholder="http://旧网站/a/news/2020/1229/12.html"
                    />
                </label>
                <button type="submit" class="button">
                    "测试"
                </button>
            </form>
            {result}
        </section>
    }
}

/// The addresses most asked for and not found, each with "make a redirect" and "ignore".
#[component]
fn MissesPanel(misses: Vec<MissRow>) -> impl IntoView {
    let empty = misses.is_empty();
    view! {
        <section class="panel">
            <h2>"最常见的“找不到页面”地址"</h2>
            {if empty {
                view! { <p class="empty">"还没有记录到找不到的地址。"</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"地址"</th>
                                    <th>"次数"</th>
                                    <th>"最近一次"</th>
                                    <th>"跳转到"</th>
                                    <th>"操作"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {misses
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, m)| {
                                        let form_id = format!("miss-{i}");
                                        view! {
                                            <tr>
                                                <td class="summary">{m.path.clone()}</td>
                                                <td>{m.hits}</td>
                                                <td class="nowrap">{m.last_seen}</td>
                                                <td>
                                                    <input
                                                        form=form_id.clone()
                                                        name="to"
                                                        required
                                                        maxlength="1000"
                                                        placeholder="/articles/12"
                                                        aria-label=format!("{} 跳转到", m.path)
                                                    />
                                                </td>
                                                <td class="nowrap">
                                                    <form
                                                        method="post"
                                                        action=SaveRedirect::PATH
                                                        id=form_id
                                                        class="inline-form"
                                                    >
                                                        <CsrfField />
                                                        <input type="hidden" name="from" value=m.path.clone() />
                                                        <button type="submit" class="button small">
                                                            "生成跳转"
                                                        </button>
                                                    </form>
                                                    <form
                                                        method="post"
                                                        action=IgnoreMiss::PATH
                                                        class="inline-form"
                                                    >
                                                        <CsrfField />
                                                        <input type="hidden" name="path" value=m.path />
                                                        <button type="submit" class="button subtle small">
                                                            "忽略"
                                                        </button>
                                                    </form>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn RedirectTable(rows: Vec<RedirectRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="empty">
                "还没有跳转。导入旧站（portico import）时会自动生成，也可以在上方手工添加。"
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"旧地址"</th>
                        <th>"新地址"</th>
                        <th>"来源"</th>
                        <th>"更新时间"</th>
                        <th>"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let form_id = format!("redirect-{}", r.id);
                            view! {
                                <tr>
                                    <td>
                                        <input
                                            form=form_id.clone()
                                            name="from"
                                            value=r.from.clone()
                                            required
                                            maxlength="1000"
                                            class="wide"
                                            aria-label="旧地址"
                                        />
                                    </td>
                                    <td>
                                        <input
                                            form=form_id.clone()
                                            name="to"
                                            value=r.to.clone()
                                            required
                                            maxlength="1000"
                                            aria-label="新地址"
                                        />
                                        " "
                                        <a href=r.to.clone() class="muted">
                                            "打开"
                                        </a>
                                    </td>
                                    <td class="nowrap">{r.origin}</td>
                                    <td class="nowrap">{r.updated_at}</td>
                                    <td class="nowrap">
                                        <form
                                            method="post"
                                            action=SaveRedirect::PATH
                                            id=form_id
                                            class="inline-form"
                                        >
                                            <CsrfField />
                                            <input type="hidden" name="id" value=r.id />
                                            <button type="submit" class="button small">
                                                "保存"
                                            </button>
                                        </form>
                                        <DeleteButton
                                            action=DeleteRedirect::PATH
                                            id=r.id
                                            question="确定删除这条跳转吗？旧地址将不再跳转。"
                                        />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
