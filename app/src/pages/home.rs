//! `/`: the home page (latest news).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::{PageView, SitePage};
use crate::api::articles::get_latest;
use crate::models::DatedLink;

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_latest());
    view! { <SitePage data render=render /> }
}

fn render(latest: Vec<DatedLink>) -> PageView {
    PageView {
        active: "/".into(),
        content: view! {
            <Title text="首页" />
            <Meta name="description" content="中国开发区协会门户网站：开发区资讯、政策法规、协会服务与会刊《中国开发区》。" />
            <section class="panel">
                <h1 class="panel-title">"最新资讯"</h1>
                {if latest.is_empty() {
                    view! { <p class="state-empty">"暂无文章。"</p> }.into_any()
                } else {
                    view! {
                        <ul class="article-list">
                            {latest.into_iter().map(|l| view! {
                                <li><a href=l.href>{l.title}</a><span class="date">{l.date}</span></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
        .into_any(),
    }
}
