//! `/admin`: the dashboard.

use leptos::prelude::*;

use super::{AdminPage, AdminView};
use crate::api::admin::dashboard::get_dashboard;
use crate::models::admin::AdminChrome;
use crate::models::admin::{Count, Dashboard, MyReview, TopArticle};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_dashboard());
    view! {
        <AdminPage
            data
            render=|d: Dashboard| AdminView {
                title: "仪表盘".into(),
                content: view! { <DashboardView d /> }.into_any(),
            }
        />
    }
}

/// A bar chart of daily views, drawn on the server as SVG.
#[component]
fn DailyChart(daily: Vec<(String, i64)>) -> impl IntoView {
    if daily.iter().all(|d| d.1 == 0) {
        return view! { <p class="empty">"最近 30 天还没有浏览记录。"</p> }.into_any();
    }
    let (w, h, pad) = (720.0_f64, 220.0_f64, 28.0_f64);
    let max = daily.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let n = daily.len().max(1) as f64;
    let slot = (w - pad * 2.0) / n;
    let bars = daily
        .iter()
        .enumerate()
        .map(|(i, (day, v))| {
            let bh = (*v as f64 / max) * (h - pad * 2.0);
            let x = pad + i as f64 * slot + slot * 0.15;
            let y = h - pad - bh;
            let label = (i % 5 == 4 || i + 1 == daily.len()).then(|| {
                view! {
                    <text x=x + slot * 0.35 y=h - 8.0 text-anchor="middle" class="axis">
                        {day.clone()}
                    </text>
                }
            });
            view! {
                <g>
                    <rect x=x y=y width=slot * 0.7 height=bh.max(1.0) class="bar">
                        <title>{format!("{day}：{v} 次浏览")}</title>
                    </rect>
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {w} {h}")
            role="img"
            aria-label="最近 30 天每日浏览量"
        >
            <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="baseline" />
            <text x=pad y=16.0 class="axis">
                {format!("最高 {} 次/天", max as i64)}
            </text>
            {bars}
        </svg>
    }
    .into_any()
}

#[component]
fn TopList(title: &'static str, rows: Vec<TopArticle>) -> impl IntoView {
    let max = rows.iter().map(|r| r.views).max().unwrap_or(0).max(1);
    view! {
        <section class="panel">
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"这段时间还没有浏览记录。"</p> }.into_any()
            } else {
                view! {
                    <ol class="top-list">
                        {rows
                            .into_iter()
                            .map(|r| {
                                let pct = r.views as f64 * 100.0 / max as f64;
                                view! {
                                    <li>
                                        <a
                                            href=format!("/articles/{}", r.id)
                                            target="_blank"
                                            rel="noopener"
                                        >
                                            {r.title}
                                        </a>
                                        <svg
                                            class="meter"
                                            aria-hidden="true"
                                            viewBox="0 0 100 8"
                                            preserveAspectRatio="none"
                                        >
                                            <rect width=format!("{pct:.0}") height="8"></rect>
                                        </svg>
                                        <span class="num">{r.views}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

/// My articles in review: where each stands, and why it came back.
#[component]
fn MyReviews(rows: Vec<MyReview>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"我的稿件审核情况"</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"没有正在审核或被退回的稿件。"</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <li>
                                        <a href=format!("/admin/articles/{}", r.id)>{r.title}</a>
                                        <span class="status status-review">{r.state}</span>
                                        <span class="muted">{r.updated}</span>
                                        {(!r.note.is_empty())
                                            .then(|| {
                                                view! {
                                                    <p class="review-note">
                                                        {format!("退回原因：{}", r.note)}
                                                    </p>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// What each kind of staff member sees first: the security and audit administrators their
/// duties, a writer their own articles, everyone else the site's figures.
#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let chrome = use_context::<AdminChrome>();
    if let Some(c) = chrome.as_ref().filter(|c| !c.can_content) {
        return view! { <DutyList security=c.can_security audit=c.can_audit /> }.into_any();
    }
    if chrome.is_some_and(|c| c.is_writer) {
        return view! { <WriterHome mine=d.mine /> }.into_any();
    }
    let mine = (!d.mine.is_empty()).then(|| view! { <MyReviews rows=d.mine /> });
    view! {
        <StatGrid
            by_status=d.by_status
            review=(d.review_levels, d.review_first, d.review_second)
            waiting=(d.messages_waiting, d.submissions_waiting)
            views=(d.views_today, d.views_7, d.views_30)
        />
        <section class="panel">
            <h2>"最近 30 天浏览量"</h2>
            <DailyChart daily=d.daily />
        </section>
        <div class="two-col">
            <TopList title="近 7 天热门文章" rows=d.top_7 />
            <TopList title="近 30 天热门文章" rows=d.top_30 />
        </div>
        <Upcoming rows=d.upcoming />
        {mine}
    }
    .into_any()
}

/// The security and audit administrators' pages, for someone without the content duty.
#[component]
fn DutyList(security: bool, audit: bool) -> impl IntoView {
    let duties = [
        (
            security,
            "/admin/security",
            "安全策略",
            "密码规则、会话时长、登录失败限制、三权分立",
        ),
        (
            security,
            "/admin/security/check",
            "等保自查",
            "各项安全控制的当前设置与等级保护第二级、第三级要求的对照",
        ),
        (
            audit,
            "/admin/audit",
            "审计日志",
            "查阅、筛选和导出所有人的操作记录",
        ),
        (
            audit,
            "/admin/audit/verify",
            "完整性校验",
            "检查审计记录是否被改动或删除",
        ),
    ];
    view! {
        <ul class="duty-list">
            {duties
                .into_iter()
                .filter(|d| d.0)
                .map(|(_, href, label, what)| {
                    view! {
                        <li>
                            <a href=href>{label}</a>
                            <span class="muted">{what}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A writer's start: their articles in review, and where to write.
#[component]
fn WriterHome(mine: Vec<MyReview>) -> impl IntoView {
    view! {
        <MyReviews rows=mine />
        <p>
            <a class="button primary" href="/admin/articles/new">
                "写文章"
            </a>
            " "
            <a class="button" href="/admin/articles">
                "我的稿件"
            </a>
        </p>
    }
}

/// The figures at the top: articles by state, what waits for review, messages and
/// manuscripts waiting, and views.
#[component]
fn StatGrid(
    by_status: Vec<Count>,
    /// (review levels, waiting for 初审 or the only review, waiting for 终审)
    review: (i16, u64, u64),
    /// (messages, manuscripts)
    waiting: (u64, u64),
    /// (today, 7 days, 30 days)
    views: (i64, i64, i64),
) -> impl IntoView {
    let (levels, first, second) = review;
    let review = if levels == 2 {
        view! {
            <a class="stat" href="/admin/review?level=1">
                <span class="stat-value">{first}</span>
                <span class="stat-label">"待初审"</span>
            </a>
            <a class="stat" href="/admin/review?level=2">
                <span class="stat-value">{second}</span>
                <span class="stat-label">"待终审"</span>
            </a>
        }
        .into_any()
    } else {
        view! {
            <a class="stat" href="/admin/review">
                <span class="stat-value">{first + second}</span>
                <span class="stat-label">"待审核文章"</span>
            </a>
        }
        .into_any()
    };
    let figure = |value: String, label: &'static str| {
        view! {
            <div class="stat">
                <span class="stat-value">{value}</span>
                <span class="stat-label">{label}</span>
            </div>
        }
    };
    view! {
        <div class="stat-grid">
            {by_status
                .into_iter()
                .map(|c| {
                    view! {
                        <div class="stat">
                            <span class="stat-value">{c.value}</span>
                            <span class="stat-label">{format!("{}文章", c.label)}</span>
                        </div>
                    }
                })
                .collect_view()} {review} <a class="stat" href="/admin/messages">
                <span class="stat-value">{waiting.0}</span>
                <span class="stat-label">"待答复留言"</span>
            </a> <a class="stat" href="/admin/submissions">
                <span class="stat-value">{waiting.1}</span>
                <span class="stat-label">"待审阅投稿"</span>
            </a> {figure(views.0.to_string(), "今日浏览")}
            {figure(views.1.to_string(), "近 7 天浏览")}
            {figure(views.2.to_string(), "近 30 天浏览")}
        </div>
    }
}

/// Articles scheduled to go out, soonest first.
#[component]
fn Upcoming(rows: Vec<(i32, String, String)>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"待发布"</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"没有定时发布的文章。"</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {rows
                            .into_iter()
                            .map(|(id, title, at)| {
                                view! {
                                    <li>
                                        <a href=format!("/admin/articles/{id}")>{title}</a>
                                        <span class="muted">{at}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                <a class="button primary" href="/admin/articles/new">
                    "写文章"
                </a>
            </p>
        </section>
    }
}
