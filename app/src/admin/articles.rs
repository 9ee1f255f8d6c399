//! `/admin/articles…`: the list, the editor, revisions and their comparison.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::editor::ArticleEditor;
use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::articles::{
    BulkArticles, REVIEW_FILTERS, RestoreRevision, get_diff, get_editor, get_revisions,
    list_articles,
};
use crate::components::pager::Pagination;
use crate::error::AppError;
use crate::models::admin::AdminChrome;
use crate::models::admin::{
    ArticleList, ArticleRow, ArticleStatus, ColumnOption, Diff, EditorData, Revisions,
};
use crate::query::opt;

#[component]
pub fn ArticleListPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                q.get("column"),
                q.get("status"),
                q.get("flag"),
                q.get("author"),
                q.get("q"),
                q.get("review"),
                q.get("page"),
            )
        },
        |(column, status, flag, author, q, review, page)| {
            list_articles(
                column.and_then(|c| c.parse().ok()),
                status,
                flag,
                author,
                q,
                review,
                page.and_then(|p| p.parse().ok()),
            )
        },
    );
    let params = move || {
        let q = query.read();
        ["column", "status", "flag", "author", "q", "review"].map(|k| (k, opt(q.get(k))))
    };
    view! {
        <AdminPage
            data
            render=move |list: ArticleList| {
                let p = params();
                let [column, status, flag, author, text, review] = p.map(|(_, v)| v);
                let writer = use_context::<AdminChrome>().is_some_and(|c| c.is_writer);
                let title = if writer { "我的稿件" } else { "文章" };
                AdminView {
                    title: title.into(),
                    content: view! {
                        <ArticleListView list column status flag author text review writer />
                    }
                        .into_any(),
                }
            }
        />
    }
}

#[component]
fn ArticleListView(
    list: ArticleList,
    column: String,
    status: String,
    flag: String,
    author: String,
    text: String,
    review: String,
    writer: bool,
) -> impl IntoView {
    let ArticleList {
        rows,
        columns,
        pager,
    } = list;
    let table_rows = rows
        .into_iter()
        .map(|r| view! { <ArticleRowView r writer /> })
        .collect_view();
    view! {
        <ArticleFilters columns column status flag author text review />
        <form method="post" action=BulkArticles::PATH>
            <CsrfField />
            <div class="bulk-bar" hidden=writer>
                <label class="inline">
                    "对选中的文章：" <select name="action">
                        <option value="publish">"发布"</option>
                        <option value="unpublish">"撤回为草稿"</option>
                        <option value="archive">"归档"</option>
                    </select>
                </label>
                <button
                    type="submit"
                    class="button"
                    data-confirm="确定对选中的文章执行此操作吗？"
                >
                    "执行"
                </button>
            </div>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            {(!writer)
                                .then(|| {
                                    view! {
                                        <th>
                                            <span class="visually-hidden">"选择"</span>
                                        </th>
                                    }
                                })}<th>"标题"</th><th>"栏目"</th><th>"状态"</th>
                            <th class="wide-only">"作者"</th><th>"发布时间"</th>
                            <th class="wide-only">"最后修改"</th><th>"点击"</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
                {(pager.total == 0)
                    .then(|| view! { <p class="empty">"没有符合条件的文章。"</p> })}
            </div>
        </form>
        <Pagination pager />
    }
    .into_any()
}

/// The filters above the list (a GET form: a filtered list has its own address).
#[component]
fn ArticleFilters(
    columns: Vec<ColumnOption>,
    column: String,
    status: String,
    flag: String,
    author: String,
    text: String,
    review: String,
) -> impl IntoView {
    view! {
        <form method="get" class="filters" role="search" aria-label="筛选文章">
            <label>
                "关键词"
                <input
                    type="search"
                    name="q"
                    value=text
                    placeholder="标题、摘要或正文中的词语"
                />
            </label>
            <label>
                "栏目" <select name="column">
                    <option value="">"全部栏目"</option>
                    {columns
                        .iter()
                        .map(|c| {
                            view! {
                                <option value=c.id selected=c.id.to_string() == column>
                                    {c.label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "状态" <select name="status">
                    <option value="">"全部状态"</option>
                    {ArticleStatus::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.code() selected=s.code() == status>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "审核" <select name="review">
                    <option value="">"不限"</option>
                    {REVIEW_FILTERS
                        .into_iter()
                        .map(|(v, l)| {
                            view! {
                                <option value=v selected=v == review>
                                    {l}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "标记" <select name="flag">
                    <option value="">"不限"</option>
                    {[("headline", "头条"), ("recommended", "推荐"), ("slideshow", "幻灯")]
                        .into_iter()
                        .map(|(v, l)| {
                            view! {
                                <option value=v selected=v == flag>
                                    {l}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>"作者"<input name="author" value=author /></label>
            <button type="submit" class="button">
                "筛选"
            </button>
            <a class="button subtle" href="/admin/articles">
                "清除"
            </a>
            <a class="button primary push-right" href="/admin/articles/new">
                "写文章"
            </a>
        </form>
    }
}

/// One article in the list (with a checkbox for the bulk actions, except for writers).
#[component]
fn ArticleRowView(r: ArticleRow, writer: bool) -> impl IntoView {
    view! {
        <tr>
            {(!writer)
                .then(|| {
                    view! {
                        <td>
                            <input
                                type="checkbox"
                                name="ids[]"
                                value=r.id
                                aria-label=format!("选择《{}》", r.title)
                            />
                        </td>
                    }
                })} <td class="title-cell">
                <a href=format!("/admin/articles/{}", r.id)>{r.title.clone()}</a>
                {r
                    .flags
                    .iter()
                    .map(|f| view! { <span class="tag">{f.clone()}</span> })
                    .collect_view()}
            </td> <td class="nowrap">{r.column}</td> <td>
                <span class=format!("status status-{}", r.status.code())>{r.status.label()}</span>
                {(!r.review.is_empty())
                    .then(|| {
                        view! { <span class="status status-review">{r.review.clone()}</span> }
                    })}
            </td> <td class="wide-only">{r.author}</td> <td class="nowrap">{r.published}</td>
            <td class="nowrap muted wide-only">{r.updated}</td> <td class="num">{r.hits}</td>
        </tr>
    }
}

fn editor_view(data: EditorData, chrome_csrf: String) -> AnyView {
    view! {
        <noscript>
            <p class="flash flash-error">
                "文章编辑器需要浏览器启用 JavaScript；启用后刷新本页即可编辑。"
            </p>
        </noscript>
        {data
            .submission
            .clone()
            .map(|(code, href)| {
                view! {
                    <p class="from-submission">
                        "本文来自读者投稿 "<a href=href>{code}</a>
                        "，作者和单位已自动填入。"
                    </p>
                }
            })}
        <ArticleEditor data csrf=chrome_csrf />
    }
    .into_any()
}

#[component]
pub fn NewArticlePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_editor(None));
    view! {
        <AdminPage
            data
            render=|d: EditorData| {
                let csrf = use_context::<AdminChrome>().map(|c| c.csrf_token).unwrap_or_default();
                AdminView {
                    title: "写文章".into(),
                    content: editor_view(d, csrf),
                }
            }
        />
    }
}

#[component]
pub fn EditArticlePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || {
            params
                .read()
                .get("id")
                .and_then(|s| crate::pages::article::parse_id(&s))
        },
        |id| async move {
            match id {
                Some(id) => get_editor(Some(id)).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AdminPage
            data
            render=|d: EditorData| {
                let csrf = use_context::<AdminChrome>().map(|c| c.csrf_token).unwrap_or_default();
                AdminView {
                    title: "编辑文章".into(),
                    content: editor_view(d, csrf),
                }
            }
        />
    }
}

#[component]
pub fn RevisionsPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || {
            params
                .read()
                .get("id")
                .and_then(|s| crate::pages::article::parse_id(&s))
        },
        |id| async move {
            match id {
                Some(id) => get_revisions(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AdminPage
            data
            render=|r: Revisions| AdminView {
                title: format!("历史版本：{}", r.title),
                content: view! {
                    <p>
                        <a href=format!("/admin/articles/{}", r.article_id)>"‹ 返回编辑"</a>
                    </p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"版本"</th>
                                    <th>"保存时间"</th>
                                    <th>"保存人"</th>
                                    <th>"当时的标题"</th>
                                    <th>"操作"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .rows
                                    .into_iter()
                                    .map(|row| {
                                        view! {
                                            <tr>
                                                <td>{format!("#{}", row.id)}</td>
                                                <td class="nowrap">{row.at}</td>
                                                <td>{row.username}</td>
                                                <td>
                                                    {row.title}
                                                    {(!row.label.is_empty())
                                                        .then(|| {
                                                            view! { <span class="tag">{row.label.clone()}</span> }
                                                        })}
                                                </td>
                                                <td>
                                                    <a href=format!(
                                                        "/admin/revisions/{}",
                                                        row.id,
                                                    )>"与当前版本对比"</a>
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
            }
        />
    }
}

#[component]
pub fn DiffPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || {
            params
                .read()
                .get("rev")
                .and_then(|s| crate::pages::article::parse_id(&s))
        },
        |rev| async move {
            match rev {
                Some(rev) => get_diff(rev).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AdminPage
            data
            render=|d: Diff| AdminView {
                title: format!("版本对比：{}", d.title),
                content: view! { <DiffView d /> }.into_any(),
            }
        />
    }
}

#[component]
fn DiffView(d: Diff) -> impl IntoView {
    let changed = d.fields.iter().filter(|f| f.changed).count()
        + d.body.iter().filter(|l| l.kind != "same").count();
    view! {
        <p>
            <a href=format!("/admin/articles/{}/revisions", d.article_id)>"‹ 历史版本"</a>
            " · "
            <a href=format!("/admin/articles/{}", d.article_id)>"返回编辑"</a>
        </p>
        <div class="diff-head">
            <div>
                {format!("版本 #{}（{}，{}）", d.revision_id, d.revision_at, d.revision_user)}
            </div>
            <div>"当前版本"</div>
        </div>
        {(changed == 0)
            .then(|| {
                view! { <p class="flash flash-ok">"这个版本与当前版本相同。"</p> }
            })}
        <table class="diff">
            <tbody>
                {d
                    .fields
                    .into_iter()
                    .filter(|f| f.changed)
                    .map(|f| {
                        view! {
                            <tr class="changed">
                                <th>{f.label.clone()}</th>
                                <td class="left">{f.left}</td>
                                <td class="right">{f.right}</td>
                            </tr>
                        }
                    })
                    .collect_view()} <tr>
                    <th colspan="3">"正文"</th>
                </tr>
                {d
                    .body
                    .into_iter()
                    .map(|l| {
                        view! {
                            <tr class=l.kind.clone()>
                                <th></th>
                                <td class="left">{l.left.unwrap_or_default()}</td>
                                <td class="right">{l.right.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <form method="post" action=RestoreRevision::PATH class="restore">
            <CsrfField />
            <input type="hidden" name="rev" value=d.revision_id />
            <button
                type="submit"
                class="button primary"
                data-confirm="恢复到这个版本？当前内容会作为新版本保留在历史中。"
            >
                "恢复到这个版本"
            </button>
        </form>
    }
    .into_any()
}
