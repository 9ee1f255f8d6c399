//! Columns, single pages, notices, magazine issues and footer links.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::richtext::RichTextField;
use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::content::{
    ColumnForm, ColumnRow, DeleteColumn, DeleteNotice, NoticeForm, NoticeRow, PageForm, PageRow,
    SaveColumn, SaveNotice, SavePage, get_column_form, get_columns, get_notice_form,
    get_notices_admin, get_page_form, get_pages,
};
use crate::api::admin::links::{
    DeleteLink, DeleteLinkGroup, LinkGroupRow, SaveLink, SaveLinkGroup, get_links_admin,
};
use crate::api::admin::magazine::{
    AddToc, DeleteIssue, IssueForm, IssueRow, RemoveToc, SaveIssue, get_issue_form,
    get_issues_admin,
};
use crate::error::AppError;
use crate::pages::article::parse_id;

/// `Some(id)` for `/…/{id}`, `None` for `/…/new`, an error for anything else.
fn id_or_new(raw: Option<String>) -> Result<Option<i32>, AppError> {
    match raw.as_deref() {
        Some("new") => Ok(None),
        Some(s) => parse_id(s).map(Some).ok_or(AppError::NotFound),
        None => Err(AppError::NotFound),
    }
}

/// A delete button in its own small form, asking first.
#[component]
fn DeleteButton(action: &'static str, id: i32, question: &'static str) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField />
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button danger small" data-confirm=question>"删除"</button>
        </form>
    }
}

// ---------- Columns ----------

#[component]
pub fn ColumnsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_columns());
    view! {
        <AdminPage data render={|rows: Vec<ColumnRow>| AdminView {
            title: "栏目".into(),
            content: view! {
                <p><a class="button primary" href="/admin/columns/new">"新建栏目"</a></p>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"栏目"</th><th>"网址"</th><th>"类型"</th><th>"排序"</th><th>"导航"</th><th>"文章"</th><th>"操作"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="title-cell"><a href=format!("/admin/columns/{}", r.id)>{r.label}</a></td>
                                    <td><a href=format!("/columns/{}", r.slug) target="_blank" rel="noopener"><code>{format!("/columns/{}", r.slug)}</code></a></td>
                                    <td>{r.kind}</td>
                                    <td class="num">{r.sort_order}</td>
                                    <td>{if r.show_in_nav { "显示" } else { "—" }}</td>
                                    <td class="num">{r.articles}</td>
                                    <td><DeleteButton action=DeleteColumn::PATH id=r.id question="确定删除这个栏目吗？" /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }} />
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
        <AdminPage data render={|f: ColumnForm| AdminView {
            title: if f.id.is_some() { "编辑栏目".into() } else { "新建栏目".into() },
            content: view! {
                <section class="panel narrow-wide">
                    <form method="post" action=SaveColumn::PATH class="stack">
                        <CsrfField />
                        {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                        <label>"栏目名称"<input name="name" value=f.name required maxlength="50" /></label>
                        <label>"网址别名（小写字母、数字、连字符）"<input name="slug" value=f.slug required maxlength="60" pattern="[a-z0-9\\-]+" /></label>
                        <label>"上级栏目"
                            <select name="parent_id">
                                <option value="">"（无，作为一级栏目）"</option>
                                {f.parents.into_iter().map(|p| view! { <option value=p.id selected=Some(p.id) == f.parent_id>{p.label}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"类型"
                            <select name="kind">
                                {f.kinds.into_iter().map(|(k, l)| { let sel = k == f.kind; view! { <option value=k selected=sel>{l}</option> } }).collect_view()}
                            </select>
                        </label>
                        <label>"简介（用于搜索引擎描述）"<textarea name="description" maxlength="500" rows="3">{crate::components::textarea_text(&f.description)}</textarea></label>
                        <label>"排序（数字小的在前）"<input name="sort_order" type="number" value=f.sort_order /></label>
                        <label class="check"><input type="checkbox" name="show_in_nav" value="on" checked=f.show_in_nav />"一级栏目显示在网站导航中"</label>
                        <div class="actions"><button type="submit" class="button primary">"保存"</button><a class="button subtle" href="/admin/columns">"返回"</a></div>
                    </form>
                </section>
            }
            .into_any(),
        }} />
    }
}

// ---------- Single pages ----------

#[component]
pub fn PagesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_pages());
    view! {
        <AdminPage data render={|rows: Vec<PageRow>| AdminView {
            title: "单页".into(),
            content: view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"栏目"</th><th>"标题"</th><th>"网址"</th><th>"最后修改"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="title-cell"><a href=format!("/admin/pages/{}", r.category_id)>{r.column}</a></td>
                                    <td>{r.title}</td>
                                    <td><a href=format!("/columns/{}", r.slug) target="_blank" rel="noopener"><code>{format!("/columns/{}", r.slug)}</code></a></td>
                                    <td class="muted">{r.updated}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="hint">"单页属于“单页”或“投稿”类型的栏目；要增加新的单页，请先在“栏目”中新建一个单页栏目。"</p>
            }
            .into_any(),
        }} />
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
        <AdminPage data render={|f: PageForm| AdminView {
            title: format!("编辑单页：{}", f.column),
            content: view! {
                <form method="post" action=SavePage::PATH class="panel stack">
                    <CsrfField />
                    <input type="hidden" name="category_id" value=f.category_id />
                    <label>"标题"<input name="title" value=f.title required maxlength="200" /></label>
                    <RichTextField name="body".to_owned() initial=f.body />
                    <div class="actions">
                        <button type="submit" class="button primary">"保存"</button>
                        <a class="button" href=format!("/columns/{}", f.slug) target="_blank" rel="noopener">"查看"</a>
                        <a class="button subtle" href="/admin/pages">"返回"</a>
                    </div>
                </form>
            }
            .into_any(),
        }} />
    }
}

// ---------- Notices ----------

#[component]
pub fn NoticesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_notices_admin());
    view! {
        <AdminPage data render={|rows: Vec<NoticeRow>| AdminView {
            title: "通知公告".into(),
            content: view! {
                <p><a class="button primary" href="/admin/notices/new">"发布通知"</a></p>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"标题"</th><th>"发布时间"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="title-cell"><a href=format!("/admin/notices/{}", r.id)>{r.title}</a></td>
                                    <td class="nowrap">{r.published_at}</td>
                                    <td>{if r.is_published { view! { <span class="status status-published">"已发布"</span> }.into_any() } else { view! { <span class="status status-draft">"未发布"</span> }.into_any() }}</td>
                                    <td><DeleteButton action=DeleteNotice::PATH id=r.id question="确定删除这条通知吗？" /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }} />
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
        <AdminPage data render={|f: NoticeForm| AdminView {
            title: if f.id.is_some() { "编辑通知".into() } else { "发布通知".into() },
            content: view! {
                <form method="post" action=SaveNotice::PATH class="panel stack">
                    <CsrfField />
                    {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                    <label>"标题"<input name="title" value=f.title required maxlength="200" /></label>
                    <RichTextField name="body".to_owned() initial=f.body />
                    <div class="row">
                        <label>"发布时间"<input type="datetime-local" step="1" name="published_at" value=f.published_at required /></label>
                        <label class="check"><input type="checkbox" name="is_published" value="on" checked=f.is_published />"发布（到时间后显示在网站上）"</label>
                    </div>
                    <div class="actions"><button type="submit" class="button primary">"保存"</button><a class="button subtle" href="/admin/notices">"返回"</a></div>
                </form>
            }
            .into_any(),
        }} />
    }
}

// ---------- Magazine ----------

#[component]
pub fn IssuesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_issues_admin());
    view! {
        <AdminPage data render={|rows: Vec<IssueRow>| AdminView {
            title: "期刊".into(),
            content: view! {
                <p><a class="button primary" href="/admin/magazine/new">"新建一期"</a></p>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"期号"</th><th>"本期主题"</th><th>"出版日期"</th><th>"操作"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="title-cell"><a href=format!("/admin/magazine/{}", r.id)>{r.label}</a></td>
                                    <td>{r.title}</td>
                                    <td class="nowrap">{r.published_at}</td>
                                    <td><DeleteButton action=DeleteIssue::PATH id=r.id question="确定删除这一期吗？目录也会一并删除。" /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }} />
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
        <AdminPage data render={|f: IssueForm| AdminView {
            title: if f.id.is_some() { format!("编辑期刊：{}年第{}期", f.year, f.number) } else { "新建一期".into() },
            content: view! { <IssueEditor f /> }.into_any(),
        }} />
    }
}

#[component]
fn IssueEditor(f: IssueForm) -> impl IntoView {
    let toc = f.id.map(|issue_id| {
        view! {
            <section class="panel">
                <h2>"本期目录"</h2>
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr><th>"顺序"</th><th>"栏目"</th><th>"文章"</th><th>"操作"</th></tr></thead>
                        <tbody>
                            {f.toc.iter().map(|t| view! {
                                <tr>
                                    <td class="num">{t.sort_order}</td>
                                    <td>{t.section.clone()}</td>
                                    <td><a href=format!("/admin/articles/{}", t.article_id)>{format!("#{} {}", t.article_id, t.title)}</a></td>
                                    <td>
                                        <form method="post" action=RemoveToc::PATH class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="entry_id" value=t.id />
                                            <button type="submit" class="button small">"移除"</button>
                                        </form>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {f.toc.is_empty().then(|| view! { <p class="empty">"目录还是空的。"</p> })}
                </div>
                <form method="post" action=AddToc::PATH class="filters">
                    <CsrfField />
                    <input type="hidden" name="issue_id" value=issue_id />
                    <label>"栏目名"<input name="section" required maxlength="50" placeholder="封面文章" /></label>
                    <label>"文章编号"<input name="article_id" type="number" min="1" required /></label>
                    <label>"顺序"<input name="sort_order" type="number" value=f.toc.len() /></label>
                    <button type="submit" class="button">"加入目录"</button>
                </form>
                <p class="hint">"文章编号见“文章”列表中每篇文章的链接地址（/admin/articles/编号）。"</p>
            </section>
        }
    });
    view! {
        <form method="post" action=SaveIssue::PATH class="panel stack">
            <CsrfField />
            {f.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <div class="row">
                <label>"年份"<input name="year" type="number" value=f.year required min="1980" max="2200" /></label>
                <label>"期号"<input name="number" type="number" value=f.number required min="1" max="99" /></label>
                <label>"总期号"<input name="total_number" type="number" value=f.total_number min="0" /></label>
                <label>"出版时间"<input name="published_at" type="datetime-local" step="1" value=f.published_at required /></label>
            </div>
            <label>"本期主题"<input name="title" value=f.title maxlength="200" /></label>
            <label>"本期导读"<textarea name="summary" maxlength="1000" rows="3">{crate::components::textarea_text(&f.summary)}</textarea></label>
            <label>"封面图片编号（在“媒体库”上传后可见编号）"<input name="cover_image_id" type="number" min="1" value=f.cover_image_id.map(|i| i.to_string()).unwrap_or_default() /></label>
            {f.cover_src.map(|src| view! { <img class="cover-preview" src=src alt="当前封面" /> })}
            <div class="actions"><button type="submit" class="button primary">"保存"</button><a class="button subtle" href="/admin/magazine">"返回"</a></div>
        </form>
        {toc}
    }
    .into_any()
}

// ---------- Footer links ----------

#[component]
pub fn LinksPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_links_admin());
    view! {
        <AdminPage data render={|groups: Vec<LinkGroupRow>| AdminView {
            title: "友情链接".into(),
            content: view! {
                {groups.into_iter().map(|g| view! { <LinkGroupPanel g /> }).collect_view()}
                <section class="panel">
                    <h2>"新建链接分组"</h2>
                    <form method="post" action=SaveLinkGroup::PATH class="filters">
                        <CsrfField />
                        <label>"分组名称"<input name="name" required maxlength="50" /></label>
                        <label>"排序"<input name="sort_order" type="number" value="9" /></label>
                        <button type="submit" class="button">"新建"</button>
                    </form>
                </section>
            }
            .into_any(),
        }} />
    }
}

#[component]
fn LinkGroupPanel(g: LinkGroupRow) -> impl IntoView {
    view! {
        <section class="panel">
            <form method="post" action=SaveLinkGroup::PATH class="filters">
                <CsrfField />
                <input type="hidden" name="id" value=g.id />
                <label>"分组名称"<input name="name" value=g.name.clone() required maxlength="50" /></label>
                <label>"排序"<input name="sort_order" type="number" value=g.sort_order /></label>
                <button type="submit" class="button">"保存分组"</button>
            </form>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr><th>"名称"</th><th>"地址"</th><th>"排序"</th><th>"操作"</th></tr></thead>
                    <tbody>
                        {g.links.into_iter().map(|l| {
                            let form_id = format!("link-{}", l.id);
                            view! {
                                <tr>
                                    <td><input form=form_id.clone() name="name" value=l.name required maxlength="100" /></td>
                                    <td><input form=form_id.clone() name="url" value=l.url required maxlength="500" class="wide" /></td>
                                    <td><input form=form_id.clone() name="sort_order" type="number" value=l.sort_order class="short" /></td>
                                    <td class="nowrap">
                                        <form method="post" action=SaveLink::PATH id=form_id class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=l.id />
                                            <input type="hidden" name="group_id" value=g.id />
                                            <button type="submit" class="button small">"保存"</button>
                                        </form>
                                        <DeleteButton action=DeleteLink::PATH id=l.id question="确定删除这个链接吗？" />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <form method="post" action=SaveLink::PATH class="filters">
                <CsrfField />
                <input type="hidden" name="group_id" value=g.id />
                <label>"链接名称"<input name="name" required maxlength="100" /></label>
                <label>"地址"<input name="url" required maxlength="500" placeholder="https://" /></label>
                <label>"排序"<input name="sort_order" type="number" value="99" class="short" /></label>
                <button type="submit" class="button">"添加链接"</button>
            </form>
            <DeleteButton action=DeleteLinkGroup::PATH id=g.id question="确定删除整个分组及其所有链接吗？" />
        </section>
    }
    .into_any()
}
