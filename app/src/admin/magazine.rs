//! The magazine (期刊): its issues, one issue's form and table of contents.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::{AdminPage, AdminView, CsrfField, DeleteButton, id_or_new};
use crate::api::admin::magazine::AddToc;
use crate::api::admin::magazine::DeleteIssue;
use crate::api::admin::magazine::RemoveToc;
use crate::api::admin::magazine::SaveIssue;
use crate::api::admin::magazine::get_issue_form;
use crate::api::admin::magazine::get_issues_admin;
use crate::models::admin::IssueForm;
use crate::models::admin::{IssueRow, TocRow};

#[component]
pub fn MagazinePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_issues_admin());
    view! {
        <AdminPage
            data
            render={|rows: Vec<IssueRow>| AdminView {
                title: "期刊".into(),
                content: view! {
                    <p>
                        <a class="button primary" href="/admin/magazine/new">
                            "新建一期"
                        </a>
                    </p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"期号"</th>
                                    <th>"本期主题"</th>
                                    <th>"出版日期"</th>
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
                                                    <a href=format!("/admin/magazine/{}", r.id)>{r.label}</a>
                                                </td>
                                                <td>{r.title}</td>
                                                <td class="nowrap">{r.published_at}</td>
                                                <td>
                                                    <DeleteButton
                                                        action=DeleteIssue::PATH
                                                        id=r.id
                                                        question="确定删除这一期吗？目录也会一并删除。"
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
pub fn IssueEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || id_or_new(params.read().get("id")),
        |id| async move { get_issue_form(id?).await },
    );
    view! {
        <AdminPage
            data
            render={|f: IssueForm| AdminView {
                title: if f.id.is_some() {
                    format!("编辑期刊：{}年第{}期", f.year, f.number)
                } else {
                    "新建一期".into()
                },
                content: view! { <IssueEditor f /> }.into_any(),
            }}
        />
    }
}

#[component]
fn IssueEditor(f: IssueForm) -> impl IntoView {
    let toc =
        f.id.map(|issue_id| view! { <TableOfContents issue_id toc=f.toc.clone() /> });
    view! {
        <form method="post" action=SaveIssue::PATH class="panel stack">
            <CsrfField />
            {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <div class="row">
                <label>
                    "年份"
                    <input name="year" type="number" value=f.year required min="1980" max="2200" />
                </label>
                <label>
                    "期号"
                    <input name="number" type="number" value=f.number required min="1" max="99" />
                </label>
                <label>
                    "总期号"
                    <input name="total_number" type="number" value=f.total_number min="0" />
                </label>
                <label>
                    "出版时间"
                    <input
                        name="published_at"
                        type="datetime-local"
                        step="1"
                        value=f.published_at
                        required
                    />
                </label>
            </div>
            <label>"本期主题"<input name="title" value=f.title maxlength="200" /></label>
            <label>
                "本期导读"<textarea name="summary" maxlength="1000" rows="3">
                    {crate::components::textarea_text(&f.summary)}
                </textarea>
            </label>
            <label>
                "封面图片编号（在“媒体库”上传后可见编号）"
                <input
                    name="cover_image_id"
                    type="number"
                    min="1"
                    value=f.cover_image_id.map(|i| i.to_string()).unwrap_or_default()
                />
            </label>
            {f
                .cover_src
                .map(|src| view! { <img class="cover-preview" src=src alt="当前封面" /> })}
            <div class="actions">
                <button type="submit" class="button primary">
                    "保存"
                </button>
                <a class="button subtle" href="/admin/magazine">
                    "返回"
                </a>
            </div>
        </form>
        {toc}
    }
    .into_any()
}

/// An issue's table of contents: its articles in order, removing and adding.
#[component]
fn TableOfContents(issue_id: i32, toc: Vec<TocRow>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"本期目录"</h2>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th>"顺序"</th>
                            <th>"栏目"</th>
                            <th>"文章"</th>
                            <th>"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {toc
                            .iter()
                            .map(|t| {
                                view! {
                                    <tr>
                                        <td class="num">{t.sort_order}</td>
                                        <td>{t.section.clone()}</td>
                                        <td>
                                            <a href=format!(
                                                "/admin/articles/{}",
                                                t.article_id,
                                            )>{format!("#{} {}", t.article_id, t.title)}</a>
                                        </td>
                                        <td>
                                            <form
                                                method="post"
                                                action=RemoveToc::PATH
                                                class="inline-form"
                                            >
                                                <CsrfField />
                                                <input type="hidden" name="entry_id" value=t.id />
                                                <button type="submit" class="button small">
                                                    "移除"
                                                </button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {toc.is_empty().then(|| view! { <p class="empty">"目录还是空的。"</p> })}
            </div>
            <form method="post" action=AddToc::PATH class="filters">
                <CsrfField />
                <input type="hidden" name="issue_id" value=issue_id />
                <label>
                    "栏目名"
                    <input name="section" required maxlength="50" placeholder="封面文章" />
                </label>
                <label>
                    "文章编号"<input name="article_id" type="number" min="1" required />
                </label>
                <label>"顺序"<input name="sort_order" type="number" value=toc.len() /></label>
                <button type="submit" class="button">
                    "加入目录"
                </button>
            </form>
            <p class="hint">
                "文章编号见“文章”列表中每篇文章的链接地址（/admin/articles/编号）。"
            </p>
        </section>
    }
}
