//! Footer links (友情链接 and the other groups).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{AdminPage, AdminView, CsrfField, DeleteButton};
use crate::api::admin::links::DeleteLink;
use crate::api::admin::links::DeleteLinkGroup;
use crate::api::admin::links::SaveLink;
use crate::api::admin::links::SaveLinkGroup;
use crate::api::admin::links::get_links_admin;
use crate::models::admin::LinkGroupRow;

#[component]
pub fn LinksPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_links_admin());
    view! {
        <AdminPage
            data
            render={|groups: Vec<LinkGroupRow>| AdminView {
                title: "友情链接".into(),
                content: view! {
                    {groups.into_iter().map(|g| view! { <LinkGroupPanel g /> }).collect_view()}
                    <section class="panel">
                        <h2>"新建链接分组"</h2>
                        <form method="post" action=SaveLinkGroup::PATH class="filters">
                            <CsrfField />
                            <label>
                                "分组名称"<input name="name" required maxlength="50" />
                            </label>
                            <label>
                                "排序"<input name="sort_order" type="number" value="9" />
                            </label>
                            <button type="submit" class="button">
                                "新建"
                            </button>
                        </form>
                    </section>
                }
                    .into_any(),
            }}
        />
    }
}

#[component]
fn LinkGroupPanel(g: LinkGroupRow) -> impl IntoView {
    view! {
        <section class="panel">
            <form method="post" action=SaveLinkGroup::PATH class="filters">
                <CsrfField />
                <input type="hidden" name="id" value=g.id />
                <label>
                    "分组名称"<input name="name" value=g.name.clone() required maxlength="50" />
                </label>
                <label>"排序"<input name="sort_order" type="number" value=g.sort_order /></label>
                <button type="submit" class="button">
                    "保存分组"
                </button>
            </form>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th>"名称"</th>
                            <th>"地址"</th>
                            <th>"排序"</th>
                            <th>"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {g
                            .links
                            .into_iter()
                            .map(|l| {
                                let form_id = format!("link-{}", l.id);
                                view! {
                                    <tr>
                                        <td>
                                            <input
                                                form=form_id.clone()
                                                name="name"
                                                value=l.name
                                                required
                                                maxlength="100"
                                            />
                                        </td>
                                        <td>
                                            <input
                                                form=form_id.clone()
                                                name="url"
                                                value=l.url
                                                required
                                                maxlength="500"
                                                class="wide"
                                            />
                                        </td>
                                        <td>
                                            <input
                                                form=form_id.clone()
                                                name="sort_order"
                                                type="number"
                                                value=l.sort_order
                                                class="short"
                                            />
                                        </td>
                                        <td class="nowrap">
                                            <form
                                                method="post"
                                                action=SaveLink::PATH
                                                id=form_id
                                                class="inline-form"
                                            >
                                                <CsrfField />
                                                <input type="hidden" name="id" value=l.id />
                                                <input type="hidden" name="group_id" value=g.id />
                                                <button type="submit" class="button small">
                                                    "保存"
                                                </button>
                                            </form>
                                            <DeleteButton
                                                action=DeleteLink::PATH
                                                id=l.id
                                                question="确定删除这个链接吗？"
                                            />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <form method="post" action=SaveLink::PATH class="filters">
                <CsrfField />
                <input type="hidden" name="group_id" value=g.id />
                <label>"链接名称"<input name="name" required maxlength="100" /></label>
                <label>
                    "地址"<input name="url" required maxlength="500" placeholder="https://" />
                </label>
                <label>
                    "排序"<input name="sort_order" type="number" value="99" class="short" />
                </label>
                <button type="submit" class="button">
                    "添加链接"
                </button>
            </form>
            <DeleteButton
                action=DeleteLinkGroup::PATH
                id=g.id
                question="确定删除整个分组及其所有链接吗？"
            />
        </section>
    }
    .into_any()
}
