//! Notices (通知公告): the list and one notice's form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::{AdminPage, AdminView, CsrfField, DeleteButton, id_or_new};
use crate::admin::richtext::RichTextField;
use crate::api::admin::notices::DeleteNotice;
use crate::api::admin::notices::SaveNotice;
use crate::api::admin::notices::get_notice_form;
use crate::api::admin::notices::get_notices_admin;
use crate::models::admin::NoticeForm;
use crate::models::admin::NoticeRow;

#[component]
pub fn NoticesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_notices_admin());
    view! {
        <AdminPage
            data
            render={|rows: Vec<NoticeRow>| AdminView {
                title: "通知公告".into(),
                content: view! {
                    <p>
                        <a class="button primary" href="/admin/notices/new">
                            "发布通知"
                        </a>
                    </p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"标题"</th>
                                    <th>"发布时间"</th>
                                    <th>"状态"</th>
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
                                                    <a href=format!("/admin/notices/{}", r.id)>{r.title}</a>
                                                </td>
                                                <td class="nowrap">{r.published_at}</td>
                                                <td>
                                                    {if r.is_published {
                                                        view! {
                                                            <span class="status status-published">"已发布"</span>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! {
                                                            <span class="status status-draft">"未发布"</span>
                                                        }
                                                            .into_any()
                                                    }}
                                                </td>
                                                <td>
                                                    <DeleteButton
                                                        action=DeleteNotice::PATH
                                                        id=r.id
                                                        question="确定删除这条通知吗？"
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
pub fn NoticeEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || id_or_new(params.read().get("id")),
        |id| async move { get_notice_form(id?).await },
    );
    view! {
        <AdminPage
            data
            render={|f: NoticeForm| AdminView {
                title: if f.id.is_some() { "编辑通知".into() } else { "发布通知".into() },
                content: view! {
                    <form method="post" action=SaveNotice::PATH class="panel stack">
                        <CsrfField />
                        {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                        <label>
                            "标题"<input name="title" value=f.title required maxlength="200" />
                        </label>
                        <RichTextField name="body".to_owned() initial=f.body />
                        <div class="row">
                            <label>
                                "发布时间"
                                <input
                                    type="datetime-local"
                                    step="1"
                                    name="published_at"
                                    value=f.published_at
                                    required
                                />
                            </label>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="is_published"
                                    value="on"
                                    checked=f.is_published
                                />
                                "发布（到时间后显示在网站上）"
                            </label>
                        </div>
                        <div class="actions">
                            <button type="submit" class="button primary">
                                "保存"
                            </button>
                            <a class="button subtle" href="/admin/notices">
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
