//! `/admin/review` (the 待审核 queue) and `/admin/review/{id}` (one article under review:
//! compared with what readers see, blocked words marked, 通过 or 退回修改).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::review::{ApproveReview, ReturnReview, get_queue, get_review};
use crate::components::pager::Pagination;
use crate::error::AppError;
use crate::models::admin::{ColumnOption, QueueData, QueueRow, ReviewDetail};
use crate::pages::article::parse_id;
use vocab::ReviewStep;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
            (
                q.get("mine").is_some_and(|v| v == "1"),
                num("level").and_then(|l| i16::try_from(l).ok()),
                num("column").and_then(|c| i32::try_from(c).ok()),
                num("days"),
                num("page").and_then(|p| u64::try_from(p).ok()),
            )
        },
        |(mine, level, column, days, page)| get_queue(Some(mine), level, column, days, page),
    );
    view! {
        <AdminPage
            data
            render=move |q: QueueData| {
                let current = query.get_untracked();
                AdminView {
                    title: "待审核".into(),
                    content: view! { <QueueView q current /> }.into_any(),
                }
            }
        />
    }
}

#[component]
fn QueueView(q: QueueData, current: leptos_router::params::ParamsMap) -> impl IntoView {
    let get = |k: &str| current.get(k).unwrap_or_default();
    let (mine, level, column, days) = (get("mine"), get("level"), get("column"), get("days"));
    let summary = if q.levels == 2 {
        format!("待初审 {} 篇，待终审 {} 篇", q.first, q.second)
    } else {
        format!("共 {} 篇等待审核", q.first + q.second)
    };
    let columns = q.columns.clone();
    view! {
        <p class="hint" role="status">
            {summary}
        </p>
        <QueueFilters levels=q.levels columns mine level column days />
        {if q.rows.is_empty() {
            view! { <p class="empty">"没有等待审核的稿件。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                <th>"标题"</th>
                                <th>"栏目"</th>
                                <th>"提交人"</th>
                                <th class="wide-only">"提交时间"</th>
                                <th>"已等待"</th>
                                <th>"状态"</th>
                                <th>"提示"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {q
                                .rows
                                .into_iter()
                                .map(|r| view! { <QueueRowView r /> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pagination pager=q.pager />
            }
                .into_any()
        }}
    }
}

/// The queue's filters: mine, level (with two levels), column, how long waiting.
#[component]
fn QueueFilters(
    levels: i16,
    columns: Vec<ColumnOption>,
    mine: String,
    level: String,
    column: String,
    days: String,
) -> impl IntoView {
    view! {
        <form
            method="get"
            action="/admin/review"
            class="filters"
            role="search"
            aria-label="筛选待审核稿件"
        >
            <label>
                "范围" <select name="mine">
                    <option value="" selected=mine.is_empty()>
                        "全部稿件"
                    </option>
                    <option value="1" selected=mine == "1">
                        "我提交的"
                    </option>
                </select>
            </label>
            {(levels == 2)
                .then(|| {
                    view! {
                        <label>
                            "级别" <select name="level">
                                <option value="" selected=level.is_empty()>
                                    "全部"
                                </option>
                                <option value="1" selected=level == "1">
                                    "待初审"
                                </option>
                                <option value="2" selected=level == "2">
                                    "待终审"
                                </option>
                            </select>
                        </label>
                    }
                })}
            <label>
                "栏目" <select name="column">
                    <option value="">"全部栏目"</option>
                    {columns
                        .iter()
                        .map(|c| {
                            let selected = column == c.id.to_string();
                            view! {
                                <option value=c.id selected=selected>
                                    {c.label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "等待" <select name="days">
                    <option value="" selected=days.is_empty()>
                        "不限"
                    </option>
                    <option value="1" selected=days == "1">
                        "超过 1 天"
                    </option>
                    <option value="3" selected=days == "3">
                        "超过 3 天"
                    </option>
                    <option value="7" selected=days == "7">
                        "超过 7 天"
                    </option>
                </select>
            </label>
            <button type="submit" class="button">
                "筛选"
            </button>
        </form>
    }
}

/// One waiting piece in the queue.
#[component]
fn QueueRowView(r: QueueRow) -> impl IntoView {
    let href = format!("/admin/review/{}", r.article_id);
    view! {
        <tr>
            <td class="title-cell">
                <a href=href>{r.title}</a>
                {r
                    .is_edit
                    .then(|| {
                        view! { <span class="tag">"已发布文章的修改"</span> }
                    })}
            </td>
            <td>{r.column}</td>
            <td>{r.submitter}</td>
            <td class="nowrap wide-only">{r.submitted_at}</td>
            <td class="nowrap">{r.waiting}</td>
            <td class="nowrap">{r.level}</td>
            <td>
                {(!r.flagged.is_empty())
                    .then(|| {
                        view! {
                            <span class="tag tag-warn">
                                {format!("敏感词 {} 个", r.flagged.len())}
                            </span>
                        }
                    })}
            </td>
        </tr>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || params.read().get("id").as_deref().and_then(parse_id),
        |id| async move {
            match id {
                Some(id) => get_review(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AdminPage
            data
            render=|r: ReviewDetail| AdminView {
                title: format!("审核：{}", r.title),
                content: view! { <ReviewView r /> }.into_any(),
            }
        />
    }
}

/// `text` with each blocked word in `<mark>`.
fn marked(text: String, words: &[String]) -> AnyView {
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut rest = text.as_str();
    loop {
        let next = words
            .iter()
            .filter(|w| !w.is_empty())
            .filter_map(|w| rest.find(w.as_str()).map(|i| (i, w.len())))
            .min();
        match next {
            Some((i, len)) => {
                parts.push((rest[..i].to_owned(), false));
                parts.push((rest[i..i + len].to_owned(), true));
                rest = &rest[i + len..];
            }
            None => {
                parts.push((rest.to_owned(), false));
                break;
            }
        }
    }
    parts
        .into_iter()
        .map(|(t, hit)| {
            if hit {
                view! { <mark>{t}</mark> }.into_any()
            } else {
                t.into_any()
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn ReviewView(r: ReviewDetail) -> impl IntoView {
    view! {
        <p>
            <a href="/admin/review">"‹ 返回待审核列表"</a>
        </p>
        <ReviewFacts r=r.clone() />
        {if r.flagged.is_empty() {
            ().into_any()
        } else {
            view! {
                <div class="flash flash-error" role="alert">
                    {format!(
                        "稿件含有敏感词：{}。已在下文标出，请核实后再决定。",
                        r.flagged.join("、"),
                    )}
                </div>
            }
                .into_any()
        }}
        <Proposal r=r.clone() />
        <Decide r />
    }
    .into_any()
}

/// Who submitted it, when, at which level, and whether it changes a published article.
#[component]
fn ReviewFacts(r: ReviewDetail) -> impl IntoView {
    view! {
        <dl class="facts panel">
            <dt>"提交人"</dt>
            <dd>{r.submitter.clone()}</dd>
            <dt>"提交时间"</dt>
            <dd>{r.submitted_at.clone()}</dd>
            {(r.step != ReviewStep::Only)
                .then(|| {
                    view! {
                        <dt>"级别"</dt>
                        <dd>{r.step.label()}</dd>
                    }
                })}
            {(!r.first_reviewer.is_empty())
                .then(|| {
                    view! {
                        <dt>"初审"</dt>
                        <dd>{format!("{} 已通过", r.first_reviewer)}</dd>
                    }
                })}
            <dt>"类型"</dt>
            <dd>
                {if r.is_edit {
                    "已发布文章的修改（通过前网站上的版本不变）"
                } else {
                    "新稿件"
                }}
            </dd>
            {r
                .public_href
                .clone()
                .map(|h| {
                    view! {
                        <dt>"网站上"</dt>
                        <dd>
                            <a href=h target="_blank" rel="noopener">
                                "查看当前发布的版本"
                            </a>
                        </dd>
                    }
                })}
        </dl>
    }
}

/// What is proposed: an edit beside the published version, or a new piece as it will read;
/// blocked words marked.
#[component]
fn Proposal(r: ReviewDetail) -> impl IntoView {
    let flagged = r.flagged.clone();
    if r.is_edit {
        view! {
            <h2>"修改对比"</h2>
            <div class="diff-head">
                <div>"网站上的版本"</div>
                <div>"提交审核的版本"</div>
            </div>
            <table class="diff">
                <tbody>
                    {r
                        .fields
                        .iter()
                        .filter(|f| f.changed)
                        .map(|f| {
                            view! {
                                <tr class="changed">
                                    <th>{f.label.clone()}</th>
                                    <td class="left">{f.left.clone()}</td>
                                    <td class="right">{marked(f.right.clone(), &flagged)}</td>
                                </tr>
                            }
                        })
                        .collect_view()} <tr>
                        <th colspan="3">"正文"</th>
                    </tr>
                    {r
                        .body
                        .iter()
                        .map(|l| {
                            view! {
                                <tr class=l.kind.clone()>
                                    <th></th>
                                    <td class="left">{l.left.clone().unwrap_or_default()}</td>
                                    <td class="right">
                                        {marked(l.right.clone().unwrap_or_default(), &flagged)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <details class="panel">
                <summary>"按网页效果阅读提交的版本"</summary>
                <div class="prose review-preview" inner_html=r.preview_html.clone()></div>
            </details>
        }
        .into_any()
    } else {
        view! {
            <h2>"稿件内容"</h2>
            <section class="panel">
                <dl class="facts">
                    {r
                        .fields
                        .iter()
                        .filter(|f| !f.right.is_empty())
                        .map(|f| {
                            view! {
                                <dt>{f.label.clone()}</dt>
                                <dd>{marked(f.right.clone(), &flagged)}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
                <div class="prose review-preview" inner_html=r.preview_html.clone()></div>
            </section>
        }
        .into_any()
    }
}

/// 通过 (with a time, at the last level) or 退回修改; or why this reviewer cannot decide.
#[component]
fn Decide(r: ReviewDetail) -> impl IntoView {
    let (id, level) = (r.article_id, r.level);
    if r.cannot_decide.is_empty() {
        view! {
            <div class="review-decide">
                <form method="post" action=ApproveReview::PATH class="panel stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="level" value=level />
                    <h3>{if r.step.publishes() { "审核通过" } else { "初审通过" }}</h3>
                    {r
                        .step
                        .publishes()
                        .then(|| {
                            view! {
                                <label>
                                    "定时发布（可不填，不填则立即发布）"
                                    <input type="datetime-local" name="at" />
                                </label>
                            }
                        })}
                    <div class="actions">
                        <button type="submit" class="button primary">
                            {if r.step.publishes() {
                                "通过并发布"
                            } else {
                                "通过，转交终审"
                            }}
                        </button>
                    </div>
                </form>
                <form method="post" action=ReturnReview::PATH class="panel stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="level" value=level />
                    <h3>"退回修改"</h3>
                    <label>
                        "退回原因（撰稿人会看到）"
                        <textarea name="reason" rows="4" required maxlength="1000"></textarea>
                    </label>
                    <div class="actions">
                        <button type="submit" class="button">
                            "退回修改"
                        </button>
                    </div>
                </form>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="flash flash-error" role="status">
                {r.cannot_decide.clone()}
            </p>
        }
        .into_any()
    }
}
