//! `/magazine/{year}/{number}`: an issue of 《中国开发区》 with its table of contents.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::article::Breadcrumb;
use super::{PageView, SitePage};
use crate::api::portal::get_issue;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{IssuePage as Issue, NavLink};

fn parse_year_number(year: Option<String>, number: Option<String>) -> Option<(i32, i32)> {
    let year: i32 = year?.parse().ok().filter(|y| (1980..=9999).contains(y))?;
    let number: i32 = number?.parse().ok().filter(|n| (1..=99).contains(n))?;
    Some((year, number))
}

#[component]
pub fn IssuePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || {
            let p = params.read();
            parse_year_number(p.get("year"), p.get("number"))
        },
        |key| async move {
            match key {
                Some((year, number)) => get_issue(year, number).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(i: Issue) -> PageView {
    PageView {
        active: "/columns/magazine".into(),
        content: view! { <IssueView i /> }.into_any(),
    }
}

#[component]
fn IssueView(i: Issue) -> impl IntoView {
    let crumbs = vec![
        NavLink {
            name: "中国开发区".into(),
            href: "/columns/magazine".into(),
        },
        NavLink {
            name: i.card.label.clone(),
            href: i.card.href.clone(),
        },
    ];
    let card = i.card.clone();
    view! {
        <Seo seo=i.seo.clone() />
        <Breadcrumb crumbs />
        <section class="panel issue-page">
            <div class="issue-head">
                {card
                    .cover
                    .clone()
                    .map(|c| {
                        view! {
                            <img
                                class="issue-cover"
                                src=c.src
                                srcset=c.srcset.clone()
                                sizes=c.srcset.is_some().then_some("220px")
                                alt=c.alt
                                width=c.width
                                height=c.height
                            />
                        }
                    })} <div class="issue-info">
                    <p class="issue-magazine">"《中国开发区》"</p>
                    <h1>{card.label.clone()}</h1>
                    <p class="issue-meta">
                        {card.total_label.clone()}" · "{format!("{}出版", card.date)}
                    </p>
                    <p class="issue-theme">{card.theme.clone()}</p>
                    <p class="issue-summary">{card.summary.clone()}</p>
                </div>
            </div>
            <h2 class="toc-title">"本期目录"</h2>
            {if i.sections.is_empty() {
                view! { <p class="state-empty">"本期目录暂未公布。"</p> }.into_any()
            } else {
                view! {
                    <div class="toc">
                        {i
                            .sections
                            .iter()
                            .map(|s| {
                                view! {
                                    <section class="toc-section">
                                        <h3>{s.name.clone()}</h3>
                                        <ul>
                                            {s
                                                .entries
                                                .iter()
                                                .map(|e| {
                                                    view! {
                                                        <li>
                                                            <a href=e.href.clone()>{e.title.clone()}</a>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </section>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                    .into_any()
            }}
            <p class="back-to-column">
                <a href="/columns/magazine">"‹ 往期杂志"</a>
            </p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::parse_year_number;

    #[test]
    fn issue_paths_are_checked() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(parse_year_number(s("2026"), s("11")), Some((2026, 11)));
        assert_eq!(parse_year_number(s("2026"), s("0")), None);
        assert_eq!(parse_year_number(s("abc"), s("1")), None);
        assert_eq!(parse_year_number(s("99999999999"), s("1")), None);
    }
}
