//! Single pages (单页): the list and the page editor.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::{AdminPage, AdminView, CsrfField};
use crate::AppError;
use crate::admin::richtext::RichTextField;
use crate::api::admin::pages::SavePage;
use crate::api::admin::pages::get_page_form;
use crate::api::admin::pages::get_pages;
use crate::models::admin::PageForm;
use crate::models::admin::PageRow;
use crate::pages::article::parse_id;

#[component]
pub fn PagesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_pages());
    view! {
        <AdminPage
            data
            render={|rows: Vec<PageRow>| AdminView {
                title: "单页".into(),
                content: view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"栏目"</th>
                                    <th>"标题"</th>
                                    <th>"网址"</th>
                                    <th>"最后修改"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td class="title-cell">
                                                    <a href=format!(
                                                        "/admin/pages/{}",
                                                        r.column_id,
                                                    )>{r.column}</a>
                                                </td>
                                                <td>{r.title}</td>
                                                <td>
                                                    <a
                                                        href=format!("/columns/{}", r.slug)
                                                        target="_blank"
                                                        rel="noopener"
                                                    >
                                                        <code>{format!("/columns/{}", r.slug)}</code>
                                                    </a>
                                                </td>
                                                <td class="muted">{r.updated}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="hint">
                        "单页属于“单页”或“投稿”类型的栏目；要增加新的单页，请先在“栏目”中新建一个单页栏目。"
                    </p>
                }
                    .into_any(),
            }}
        />
    }
}

#[component]
pub fn PageEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || params.read().get("id").as_deref().and_then(parse_id),
        |id| async move { get_page_form(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <AdminPage
            data
            render={|f: PageForm| AdminView {
                title: format!("编辑单页：{}", f.column),
                content: view! {
                    <form method="post" action=SavePage::PATH class="panel stack">
                        <CsrfField />
                        <input type="hidden" name="column_id" value=f.column_id />
                        <label>
                            "标题"<input name="title" value=f.title required maxlength="200" />
                        </label>
                        <RichTextField name="body".to_owned() initial=f.body />
                        <div class="actions">
                            <button type="submit" class="button primary">
                                "保存"
                            </button>
                            <a
                                class="button"
                                href=format!("/columns/{}", f.slug)
                                target="_blank"
                                rel="noopener"
                            >
                                "查看"
                            </a>
                            <a class="button subtle" href="/admin/pages">
                                "返回"
                            </a>
                        </div>
                    </form>
                }
                    .into_any(),
            }}
        />
    }
}
