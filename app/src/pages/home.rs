//! `/`: the home page.

use leptos::prelude::*;

use super::{PageView, SitePage};
use crate::api::portal::get_home;
use crate::components::seo::Seo;
use crate::components::slideshow::Slideshow;
use crate::models::{DatedLink, HomeBlock, HomePage as Home, IssueCard, NavLink};

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_home());
    view! { <SitePage data render=render /> }
}

fn render(home: Home) -> PageView {
    PageView {
        active: "/".into(),
        content: view! { <HomeView home /> }.into_any(),
    }
}

/// A list of dated titles.
#[component]
pub fn DatedList(items: Vec<DatedLink>, #[prop(optional)] empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="state-empty">{if empty.is_empty() { "暂无内容" } else { empty }}</p> }.into_any();
    }
    view! {
        <ul class="article-list compact">
            {items
                .into_iter()
                .map(|l| {
                    view! {
                        <li>
                            <a href=l.href>{l.title}</a>
                            <span class="date">{l.date}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A titled box with a 更多 link.
#[component]
pub fn BlockBox(
    #[prop(into)] title: String,
    #[prop(into)] more: String,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="block">
            <header class="block-head">
                <h2>{title.clone()}</h2>
                <a class="more" href=more aria-label=format!("更多{title}")>
                    "更多 ›"
                </a>
            </header>
            {children()}
        </section>
    }
    .into_any()
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    let Home {
        slides,
        headline,
        recommended,
        notices,
        blocks,
        magazine,
        services,
        service_pages,
        seo,
    } = home;
    let top = view! {
        <div class="home-top">
            <div class="home-slides">
                {if slides.is_empty() {
                    view! { <p class="state-empty">"暂无图片新闻"</p> }.into_any()
                } else {
                    view! { <Slideshow slides /> }.into_any()
                }}
            </div>
            <div class="home-side">
                {headline
                    .map(|h| {
                        view! {
                            <section class="headline" aria-label="头条">
                                <span class="badge">"头条"</span>
                                <h2>
                                    <a href=h.href.clone()>{h.title}</a>
                                </h2>
                                <p>
                                    {h.summary}<a class="more" href=h.href>
                                        "［详细］"
                                    </a>
                                </p>
                            </section>
                        }
                    })} <BlockBox title="通知公告" more="/columns/notices">
                    <DatedList items=notices empty="暂无通知公告" />
                </BlockBox>
            </div>
        </div>
    }
    .into_any();
    let columns = blocks
        .into_iter()
        .map(|HomeBlock { name, href, items }| {
            view! {
                <BlockBox title=name more=href>
                    <DatedList items />
                </BlockBox>
            }
        })
        .collect_view();
    let bottom = view! {
        <div class="home-grid">
            {magazine.map(|m| view! { <MagazineBlock issue=m /> })}
            <ServicesBlock block=services pages=service_pages />
            <BlockBox title="推荐阅读" more="/columns/news">
                <DatedList items=recommended />
            </BlockBox>
        </div>
    }
    .into_any();
    view! {
        <Seo seo />
        <h1 class="visually-hidden">"首页"</h1>
        {top}
        <div class="home-grid">{columns}</div>
        {bottom}
    }
    .into_any()
}

#[component]
fn MagazineBlock(issue: IssueCard) -> impl IntoView {
    view! {
        <BlockBox title="《中国开发区》" more="/columns/magazine">
            <a class="issue-card" href=issue.href.clone()>
                {issue
                    .cover
                    .map(|c| {
                        view! {
                            <img
                                class="issue-cover"
                                src=c.src
                                srcset=c.srcset.clone()
                                sizes=c.srcset.is_some().then_some("120px")
                                alt=c.alt
                                width=c.width
                                height=c.height
                                loading="lazy"
                            />
                        }
                    })}
                <span class="issue-text">
                    <strong>{issue.label}</strong>
                    <span class="issue-theme">{issue.theme}</span>
                    <span class="issue-summary">{issue.summary}</span>
                    <span class="more">"查看本期目录 ›"</span>
                </span>
            </a>
        </BlockBox>
    }
    .into_any()
}

#[component]
fn ServicesBlock(block: HomeBlock, pages: Vec<NavLink>) -> impl IntoView {
    view! {
        <BlockBox title=block.name more=block.href>
            {(!pages.is_empty())
                .then(|| {
                    view! {
                        <ul class="service-links">
                            {pages
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <li>
                                            <a href=p.href>{p.name}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <DatedList items=block.items />
        </BlockBox>
    }
    .into_any()
}
