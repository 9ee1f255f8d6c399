//! `/search?q=…`: the search form and one page of results. A plain GET form, so it works
//! the same without script; the page is rendered for each query and never stored.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{PageView, SitePage};
use crate::api::search::get_search;
use crate::components::pager::Pagination;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{Marked, SearchColumn, SearchForm, SearchPage as Page, SearchResult};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (
                get("q"),
                get("column"),
                get("from"),
                get("to"),
                get("sort"),
                q.get("page"),
            )
        },
        |(q, column, from, to, sort, page)| async move {
            let page = match page.as_deref() {
                None => 1,
                Some(p) => p
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or(AppError::NotFound)?,
            };
            get_search(q, column, from, to, sort, page).await
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(p: Page) -> PageView {
    PageView {
        active: String::new(),
        content: view! { <SearchView p /> }.into_any(),
    }
}

/// Text with the searched words in `<mark>`.
fn marked(pieces: Vec<Marked>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.mark {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn SearchView(p: Page) -> impl IntoView {
    let Page {
        seo,
        form,
        columns,
        words,
        cut,
        notes,
        total,
        more,
        results,
        pager,
        fewer,
    } = p;
    let searched = !words.is_empty();
    let title = seo.title.clone();
    // A search that found nothing says so below, with what to try instead.
    let summary = (searched && total > 0).then(|| {
        let count = if more {
            format!(
                "找到超过 {total} 条结果，仅显示前 {total} 条，可增加关键词或按栏目、日期缩小范围。"
            )
        } else {
            format!("找到 {total} 条结果。")
        };
        view! {
            <p class="search-summary" role="status">
                {count}
            </p>
        }
    });
    let body = if !searched {
        view! {
            <p class="state-empty">
                "请输入要查找的词语，例如“营商环境”“开发区”“2025年”。多个词语用空格分开，表示同时包含。"
            </p>
        }
        .into_any()
    } else if results.is_empty() {
        view! { <NoResults words fewer /> }.into_any()
    } else {
        view! {
            <ol class="search-results">
                {results.into_iter().map(|h| view! { <ResultItem h /> }).collect_view()}
            </ol>
            {pager.map(|pager| view! { <Pagination pager /> })}
        }
        .into_any()
    };
    view! {
        <Seo seo />
        <section class="panel search-panel">
            <h1 class="panel-title">{title}</h1>
            <SearchFormView form columns />
            {cut
                .then(|| {
                    view! {
                        <p class="search-note">
                            "搜索词过长，只使用了前 64 个字（至多 8 个词）。"
                        </p>
                    }
                })}
            {notes.into_iter().map(|n| view! { <p class="search-note">{n}</p> }).collect_view()}
            {summary}
            {body}
        </section>
    }
    .into_any()
}

#[component]
fn SearchFormView(form: SearchForm, columns: Vec<SearchColumn>) -> impl IntoView {
    let SearchForm {
        q,
        column,
        from,
        to,
        sort,
    } = form;
    let options = columns
        .into_iter()
        .map(|c| {
            let selected = c.value == column;
            let name = format!("{}{}", "\u{3000}".repeat(c.depth), c.name);
            view! {
                <option value=c.value selected=selected>
                    {name}
                </option>
            }
        })
        .collect_view();
    let by_date = sort == vocab::SearchSort::Date;
    // The filters fold away until one is used (they take a phone's whole screen).
    let narrowed = !column.is_empty() || !from.is_empty() || !to.is_empty() || by_date;
    view! {
        <form class="search-form" action="/search" method="get" role="search">
            <div class="search-main">
                <label class="visually-hidden" for="search-q">
                    "搜索词"
                </label>
                <input
                    id="search-q"
                    type="search"
                    name="q"
                    value=q
                    maxlength="64"
                    placeholder="输入要查找的词语"
                    autocomplete="off"
                    enterkeyhint="search"
                />
                <button type="submit" class="button primary">
                    "搜索"
                </button>
            </div>
            <details class="search-more" open=narrowed>
                <summary>"按栏目、日期筛选或排序"</summary>
                <div class="search-filters">
                    <label>
                        <span>"栏目"</span>
                        <select name="column">
                            <option value="" selected=column.is_empty()>
                                "全部栏目"
                            </option>
                            {options}
                        </select>
                    </label>
                    <label>
                        <span>"起始日期"</span>
                        <input type="date" name="from" value=from />
                    </label>
                    <label>
                        <span>"截止日期"</span>
                        <input type="date" name="to" value=to />
                    </label>
                    <label>
                        <span>"排序"</span>
                        <select name="sort">
                            <option value=vocab::SearchSort::Relevance.param() selected=!by_date>
                                "按相关度"
                            </option>
                            <option value=vocab::SearchSort::Date.param() selected=by_date>
                                "按时间（最新在前）"
                            </option>
                        </select>
                    </label>
                </div>
            </details>
        </form>
    }
}

#[component]
fn ResultItem(h: SearchResult) -> impl IntoView {
    let SearchResult {
        href,
        label,
        column,
        date,
        title,
        snippet,
    } = h;
    let place = match (label, column.is_empty()) {
        (Some(l), true) => l,
        (Some(l), false) => format!("{l} · {column}"),
        (None, _) => column,
    };
    view! {
        <li>
            <h2>
                <a href=href>{marked(title)}</a>
            </h2>
            {(!snippet.is_empty()).then(|| view! { <p class="snippet">{marked(snippet)}</p> })}
            <p class="meta">
                {(!place.is_empty()).then(|| view! { <span class="place">{place}</span> })}
                <span class="date">{date}</span>
            </p>
        </li>
    }
}

#[component]
fn NoResults(words: Vec<String>, fewer: Vec<(String, String, u64)>) -> impl IntoView {
    let asked = words
        .iter()
        .map(|w| format!("“{w}”"))
        .collect::<Vec<_>>()
        .join("");
    view! {
        <div class="search-none">
            <p class="state-empty" role="status">
                {format!("没有找到同时包含{asked}的内容。")}
            </p>
            {(!fewer.is_empty())
                .then(|| {
                    view! {
                        <p>"减少一个词语后可以找到："</p>
                        <ul class="search-fewer">
                            {fewer
                                .into_iter()
                                .map(|(q, href, n)| {
                                    let count = if n > 1000 {
                                        "超过 1000 条".to_owned()
                                    } else {
                                        format!("{n} 条")
                                    };
                                    view! {
                                        <li>
                                            <a href=href>{q}</a>
                                            " （"
                                            {count}
                                            "）"
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <p class="hint">
                "可以换用更短或更常见的词语，或去掉栏目、日期的限制再试。"
            </p>
        </div>
    }
}
