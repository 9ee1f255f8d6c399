//! What the back office's two reader queues (留言 and 投稿) share: the filter tabs with their
//! counts, the table with its pager, and the one-button action forms of an item's page.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{CsrfField, wants_full_contact};
use crate::components::pager::Pagination;
use crate::error::AppError;
use crate::models::Pager;
use crate::models::admin::QueueTab;
use crate::pages::article::parse_id;

/// The queue's filter and page from the address (`?filter=…&page=…`), for its resource.
pub(crate) fn filter_and_page() -> impl Fn() -> (String, u64) + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        (
            q.get("filter").unwrap_or_default(),
            q.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1),
        )
    }
}

/// The item of an `/admin/{queue}/{id}` page, loaded by `get` with whether its reader's
/// contact details are asked for whole (`?contact=full`); a 404 for an address without a
/// number.
pub(crate) fn item<T, Fut>(get: fn(i32, bool) -> Fut) -> Resource<Result<T, AppError>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let query = use_query_map();
    Resource::new_blocking(
        move || {
            (
                params.read().get("id").as_deref().and_then(parse_id),
                wants_full_contact(&query.read()),
            )
        },
        move |(id, full)| async move {
            match id {
                Some(id) => get(id, full).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

/// The first cells of a queue's row: the receipt code and the title, both linking to the
/// item, and who sent it with their masked contact details.
#[component]
pub(crate) fn LeadCells(
    href: String,
    code: String,
    title: String,
    name: String,
    contact: String,
) -> impl IntoView {
    view! {
        <td class="nowrap">
            <a href=href.clone()>{code}</a>
        </td>
        <td class="title-cell">
            <a href=href>{title}</a>
        </td>
        <td>{name} <br /> <small class="muted">{contact}</small></td>
    }
}

/// A queue: its tabs, then its rows under `headers` with the pager, or `empty` when there
/// are none.
#[component]
pub(crate) fn Queue(
    tabs: Vec<QueueTab>,
    base: &'static str,
    label: &'static str,
    headers: &'static [&'static str],
    rows: Vec<AnyView>,
    pager: Pager,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <QueueTabs tabs base label />
        {if rows.is_empty() {
            view! { <p class="empty">{empty}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>
                                {headers.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Pagination pager />
            }
                .into_any()
        }}
    }
}

/// The filter tabs of a queue, each with its count.
#[component]
fn QueueTabs(tabs: Vec<QueueTab>, base: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=label>
            {tabs
                .into_iter()
                .map(|t| {
                    view! {
                        <a
                            href=format!("{base}?filter={}", t.code)
                            class:current=t.current
                            aria-current=t.current.then_some("page")
                        >
                            {t.label}
                            <span class="count">{t.count}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A one-button form posting `name=value` for item `id`.
#[component]
pub(crate) fn ActionButton(
    action: &'static str,
    id: i32,
    name: &'static str,
    value: &'static str,
    label: &'static str,
    #[prop(optional)] class: &'static str,
    #[prop(optional, into)] confirm: Option<&'static str>,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField />
            <input type="hidden" name="id" value=id />
            {(!name.is_empty()).then(|| view! { <input type="hidden" name=name value=value /> })}
            <button type="submit" class=format!("button small {class}") data-confirm=confirm>
                {label}
            </button>
        </form>
    }
}
