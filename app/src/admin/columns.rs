//! Columns (栏目): the tree and one column's form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::{AdminPage, AdminView, CsrfField, DeleteButton, id_or_new};
use crate::api::admin::columns::DeleteColumn;
use crate::api::admin::columns::SaveColumn;
use crate::api::admin::columns::get_column_form;
use crate::api::admin::columns::get_columns;
use crate::models::admin::ColumnForm;
use crate::models::admin::ColumnKind;
use crate::models::admin::ColumnRow;

#[component]
pub fn ColumnsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_columns());
    view! {
        <AdminPage
            data
            render={|rows: Vec<ColumnRow>| AdminView {
                title: "栏目".into(),
                content: view! {
                    <p>
                        <a class="button primary" href="/admin/columns/new">
                            "新建栏目"
                        </a>
                    </p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"栏目"</th>
                                    <th>"网址"</th>
                                    <th>"类型"</th>
                                    <th>"排序"</th>
                                    <th>"导航"</th>
                                    <th>"文章"</th>
                                    <th>"操作"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td class="title-cell">
                                                    <a href=format!("/admin/columns/{}", r.id)>{r.label}</a>
                                                </td>
                                                <td>
                                                    <a
                                                        href=format!("/columns/{}", r.slug)
                                                        target="_blank"
                                                        rel="noopener"
                                                    >
                                                        <code>{format!("/columns/{}", r.slug)}</code>
                                                    </a>
                                                </td>
                                                <td>{r.kind.label()}</td>
                                                <td class="num">{r.sort_order}</td>
                                                <td>{if r.show_in_nav { "显示" } else { "—" }}</td>
                                                <td class="num">{r.articles}</td>
                                                <td>
                                                    <DeleteButton
                                                        action=DeleteColumn::PATH
                                                        id=r.id
                                                        question="确定删除这个栏目吗？"
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
                    .into_any(),
            }}
        />
    }
}

#[component]
pub fn ColumnEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || id_or_new(params.read().get("id")),
        |id| async move { get_column_form(id?).await },
    );
    view! {
        <AdminPage
            data
            render={|f: ColumnForm| AdminView {
                title: if f.id.is_some() { "编辑栏目".into() } else { "新建栏目".into() },
                content: view! {
                    <section class="panel narrow-wide">
                        <form method="post" action=SaveColumn::PATH class="stack">
                            <CsrfField />
                            {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                            <label>
                                "栏目名称"
                                <input name="name" value=f.name required maxlength="50" />
                            </label>
                            <label>
                                "网址别名（小写字母、数字、连字符）"
                                <input
                                    name="slug"
                                    value=f.slug
                                    required
                                    maxlength="60"
                                    pattern="[a-z0-9\\-]+"
                                />
                            </label>
                            <label>
                                "上级栏目" <select name="parent_id">
                                    <option value="">"（无，作为一级栏目）"</option>
                                    {f
                                        .parents
                                        .into_iter()
                                        .map(|p| {
                                            view! {
                                                <option value=p.id selected=Some(p.id) == f.parent_id>
                                                    {p.label}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <label>
                                "类型"
                                <select name="kind">
                                    {ColumnKind::ALL
                                        .into_iter()
                                        .map(|k| {
                                            view! {
                                                <option value=k.code() selected=k == f.kind>
                                                    {k.label()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <label>
                                "简介（用于搜索引擎描述）"
                                <textarea name="description" maxlength="500" rows="3">
                                    {crate::components::textarea_text(&f.description)}
                                </textarea>
                            </label>
                            <label>
                                "排序（数字小的在前）"
                                <input name="sort_order" type="number" value=f.sort_order />
                            </label>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="show_in_nav"
                                    value="on"
                                    checked=f.show_in_nav
                                />
                                "一级栏目显示在网站导航中"
                            </label>
                            <div class="actions">
                                <button type="submit" class="button primary">
                                    "保存"
                                </button>
                                <a class="button subtle" href="/admin/columns">
                                    "返回"
                                </a>
                            </div>
                        </form>
                    </section>
                }
                    .into_any(),
            }}
        />
    }
}
