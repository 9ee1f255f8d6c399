//! `/notices/{id}`: one notice with its attachments.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::article::{Breadcrumb, parse_id};
use super::{PageView, SitePage};
use crate::api::portal::get_notice;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{NavLink, NoticePage as Notice};

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || params.read().get("id").as_deref().and_then(parse_id),
        |id| async move {
            match id {
                Some(id) => get_notice(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(n: Notice) -> PageView {
    PageView {
        active: "/columns/news".into(),
        content: view! { <NoticeView n /> }.into_any(),
    }
}

#[component]
fn NoticeView(n: Notice) -> impl IntoView {
    let crumbs = vec![
        NavLink {
            name: "资讯中心".into(),
            href: "/columns/news".into(),
        },
        NavLink {
            name: "通知公告".into(),
            href: "/columns/notices".into(),
        },
    ];
    view! {
        <Seo seo=n.seo.clone() />
        <Breadcrumb crumbs />
        <article class="article notice" aria-labelledby="notice-title">
            <header class="article-header">
                <h1 id="notice-title">{n.title.clone()}</h1>
                <div class="article-meta">
                    <span class="meta-item">
                        <span class="meta-label">"发布时间："</span>
                        {n.published_at.clone()}
                    </span>
                </div>
            </header>
            <div class="article-body prose" inner_html=n.body_html.clone()></div>
            {(!n.attachments.is_empty())
                .then(|| {
                    view! {
                        <section class="attachments" aria-label="附件">
                            <h2>"附件"</h2>
                            <ul>
                                {n
                                    .attachments
                                    .iter()
                                    .map(|f| {
                                        view! {
                                            <li>
                                                <a href=f.href.clone() download=f.title.clone()>
                                                    {f.title.clone()}
                                                </a>
                                                <span class="size">{format!("（{}）", f.size)}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
            <footer class="article-footer">
                <p class="back-to-column">
                    "返回："<a href="/columns/notices">"通知公告"</a>
                </p>
            </footer>
        </article>
    }
    .into_any()
}
