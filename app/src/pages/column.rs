//! `/columns/{slug}`: a column of any kind (article list, picture list, single page,
//! magazine archive, notices), with `?page=N` pagination.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::article::Breadcrumb;
use super::home::DatedList;
use super::{PageView, SitePage};
use crate::api::portal::get_column;
use crate::components::pager::Pagination;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{ColumnBody, ColumnPage as Column, IssueCard, ListItemView, Tab};

/// What `?page=` asks for: a page from 2 up, or a redirect to the canonical URL (absent or
/// `1` means page 1 at the URL without the parameter; anything else that is not a number
/// of 2 or more goes there too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageParam {
    Page(u64),
    ToFirst,
}

pub fn parse_page(raw: Option<&str>) -> PageParam {
    match raw {
        None => PageParam::Page(1),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n >= 2 => PageParam::Page(n),
            _ => PageParam::ToFirst,
        },
    }
}

/// Column slugs are lowercase ASCII words joined by hyphens.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 100
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[component]
pub fn ColumnPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || (params.read().get("slug"), query.read().get("page")),
        |(slug, page)| async move {
            let slug = slug.filter(|s| valid_slug(s)).ok_or(AppError::NotFound)?;
            match parse_page(page.as_deref()) {
                PageParam::Page(n) => get_column(slug, n).await,
                PageParam::ToFirst => Err(AppError::Moved(format!("/columns/{slug}"))),
            }
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(c: Column) -> PageView {
    PageView {
        active: c.section_href.clone(),
        content: view! { <ColumnView c /> }.into_any(),
    }
}

#[component]
fn Tabs(tabs: Vec<Tab>) -> impl IntoView {
    (!tabs.is_empty()).then(|| {
        view! {
            <nav class="tabs" aria-label="栏目">
                {tabs
                    .into_iter()
                    .map(|t| {
                        view! {
                            <a
                                href=t.href
                                class:current=t.current
                                aria-current=t.current.then_some("page")
                            >
                                {t.name}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    })
}

#[component]
fn ColumnView(c: Column) -> impl IntoView {
    let Column {
        name,
        crumbs,
        tabs,
        body,
        seo,
        ..
    } = c;
    let single = matches!(body, ColumnBody::Single { .. });
    let heading = name.clone();
    let with_side = single && !tabs.is_empty();
    let content = match body {
        ColumnBody::List {
            items,
            pager,
            pictures,
        } => view! {
            {if items.is_empty() {
                view! { <p class="state-empty">"本栏目暂无文章。"</p> }.into_any()
            } else if pictures {
                view! { <PictureList items /> }.into_any()
            } else {
                view! { <ArticleList items /> }.into_any()
            }}
            <Pagination pager />
        }
        .into_any(),
        ColumnBody::Notices { items, pager } => view! {
            <DatedList items empty="暂无通知公告" />
            <Pagination pager />
        }
        .into_any(),
        ColumnBody::Single { page } => view! {
            <article class="single-page">
                {(page.title != heading)
                    .then(|| view! { <h2 class="single-title">{page.title}</h2> })}
                {page
                    .submit_form
                    .then(|| {
                        view! {
                            <p class="page-actions">
                                <a class="button primary" href="/submit">
                                    "在线投稿"
                                </a>
                                <a href="/submit/track">"查询投稿结果"</a>
                            </p>
                        }
                    })} <div class="prose" inner_html=page.body_html></div>
                <p class="updated">{format!("更新时间：{}", page.updated)}</p>
            </article>
        }
        .into_any(),
        ColumnBody::Magazine { issues } => view! { <IssueArchive issues /> }.into_any(),
    };
    view! {
        <Seo seo />
        <Breadcrumb crumbs />
        <div class="column-layout" class:with-side=with_side>
            {if single {
                view! {
                    <aside class="side-menu" aria-label="本栏目">
                        <Tabs tabs />
                    </aside>
                }
                    .into_any()
            } else {
                view! { <Tabs tabs /> }.into_any()
            }}
            <section class="panel column-panel">
                <h1 class="panel-title">{name}</h1>
                {content}
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn ArticleList(items: Vec<ListItemView>) -> impl IntoView {
    view! {
        <ul class="column-list">
            {items
                .into_iter()
                .map(|i| {
                    view! {
                        <li>
                            <h2>
                                <a href=i.href.clone()>{i.title}</a>
                            </h2>
                            {(!i.summary.is_empty())
                                .then(|| view! { <p class="summary">{i.summary}</p> })}
                            <p class="date">{i.date}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PictureList(items: Vec<ListItemView>) -> impl IntoView {
    view! {
        <ul class="picture-list">
            {items
                .into_iter()
                .map(|i| {
                    view! {
                        <li>
                            <a href=i
                                .href
                                .clone()>
                                {i
                                    .thumb
                                    .map(|t| {
                                        view! {
                                            <img
                                                src=t.src
                                                srcset=t.srcset.clone()
                                                sizes=t
                                                    .srcset
                                                    .is_some()
                                                    .then_some(
                                                        "(max-width: 767.98px) 100vw, (max-width: 1023.98px) 50vw, 400px",
                                                    )
                                                alt=t.alt
                                                width=t.width
                                                height=t.height
                                                loading="lazy"
                                            />
                                        }
                                    })} <span class="picture-title">{i.title}</span>
                            </a>
                            <span class="date">{i.date}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn IssueArchive(issues: Vec<IssueCard>) -> impl IntoView {
    if issues.is_empty() {
        return view! { <p class="state-empty">"暂无期刊。"</p> }.into_any();
    }
    let mut years: Vec<(i32, Vec<IssueCard>)> = Vec::new();
    for issue in issues {
        match years.last_mut() {
            Some((y, list)) if *y == issue.year => list.push(issue),
            _ => years.push((issue.year, vec![issue])),
        }
    }
    view! {
        <div class="issue-archive">
            {years
                .into_iter()
                .map(|(year, list)| {
                    view! {
                        <section class="issue-year">
                            <h2>{format!("{year}年")}</h2>
                            <ul class="issue-grid">
                                {list
                                    .into_iter()
                                    .map(|i| {
                                        view! {
                                            <li>
                                                <a href=i
                                                    .href
                                                    .clone()>
                                                    {i
                                                        .cover
                                                        .map(|c| {
                                                            view! {
                                                                <img
                                                                    src=c.src
                                                                    srcset=c.srcset.clone()
                                                                    sizes=c.srcset.is_some().then_some("200px")
                                                                    alt=c.alt
                                                                    width=c.width
                                                                    height=c.height
                                                                    loading="lazy"
                                                                />
                                                            }
                                                        })} <strong>{i.label}</strong> <span>{i.theme}</span>
                                                </a>
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
}

#[cfg(test)]
mod tests {
    use super::{PageParam, parse_page};

    #[test]
    fn slugs_are_plain() {
        assert!(super::valid_slug("zone-news"));
        assert!(!super::valid_slug("Zone"));
        assert!(!super::valid_slug("a/b"));
        assert!(!super::valid_slug("中文"));
        assert!(!super::valid_slug(""));
    }

    #[test]
    fn page_numbers_are_checked() {
        assert_eq!(parse_page(None), PageParam::Page(1));
        assert_eq!(parse_page(Some("3")), PageParam::Page(3));
        for bad in ["1", "0", "-2", "abc", "", "2.5", "99999999999999999999999"] {
            assert_eq!(parse_page(Some(bad)), PageParam::ToFirst, "{bad}");
        }
    }
}
