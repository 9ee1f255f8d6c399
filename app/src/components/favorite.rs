//! 收藏: favorites kept in the reader's own browser (localStorage), a toggle on article pages
//! and the 我的收藏 list, whose titles and dates come from the server.

use gloo_storage::{LocalStorage, Storage};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::browser::get_json;
use crate::api::articles::FAVORITES_ENDPOINT;
use crate::models::FavoriteItem;

/// The localStorage key.
pub const STORAGE_KEY: &str = "portico.favorites";
/// The most favorites kept; the oldest go first.
const MAX_FAVORITES: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Saved {
    id: i32,
    title: String,
}

fn load() -> Vec<Saved> {
    LocalStorage::get(STORAGE_KEY).unwrap_or_default()
}

fn store(list: &[Saved]) {
    let _ = LocalStorage::set(STORAGE_KEY, list);
}

fn contains(id: i32) -> bool {
    load().iter().any(|s| s.id == id)
}

/// Adds or removes `id`; returns whether it is saved now.
fn toggle(id: i32, title: &str) -> bool {
    let mut list = load();
    let saved = if let Some(pos) = list.iter().position(|s| s.id == id) {
        list.remove(pos);
        false
    } else {
        list.insert(
            0,
            Saved {
                id,
                title: title.to_owned(),
            },
        );
        list.truncate(MAX_FAVORITES);
        true
    };
    store(&list);
    saved
}

/// Runs `f` whenever another tab changes the favorites.
fn on_other_tab_change(f: impl Fn() + 'static) {
    let handle = window_event_listener(ev::storage, move |e| {
        if e.key().is_none_or(|k| k == STORAGE_KEY) {
            f();
        }
    });
    on_cleanup(move || handle.remove());
}

/// The 收藏 button of an article. Disabled until the island is live (it needs the
/// browser's storage).
#[island]
pub fn FavoriteToggle(id: i32, title: String) -> impl IntoView {
    let saved = RwSignal::new(false);
    let ready = RwSignal::new(false);
    Effect::new(move |_| {
        saved.set(contains(id));
        ready.set(true);
        on_other_tab_change(move || saved.set(contains(id)));
    });
    view! {
        <button
            type="button"
            class="fav-toggle"
            class:saved=move || saved.get()
            aria-pressed=move || saved.get().to_string()
            disabled=move || !ready.get()
            title=move || {
                if !ready.get() {
                    "收藏需要浏览器启用 JavaScript"
                } else if saved.get() {
                    "取消收藏"
                } else {
                    "收藏本文，可在“我的收藏”中查看"
                }
            }
            on:click=move |_| saved.set(toggle(id, &title))
        >
            <span class="fav-star" aria-hidden="true">{move || if saved.get() { "★" } else { "☆" }}</span>
            {move || if saved.get() { "已收藏" } else { "收藏" }}
        </button>
    }
}

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    /// Rendered on the server, before the island is live: explains that script is needed.
    NotLive,
    Loading,
    Ready(Vec<FavoriteItem>),
    Failed,
}

/// 我的收藏: the saved articles, newest saved first, with titles and dates from the server.
/// Articles that were removed or unpublished are simply not listed. Lazy: its code is a
/// separate wasm chunk (built with `--split`) that only the favorites page loads.
#[island(lazy)]
pub fn FavoritesList() -> impl IntoView {
    let state = RwSignal::new(ListState::NotLive);
    let reload = move || {
        let ids: Vec<String> = load().iter().map(|s| s.id.to_string()).collect();
        if ids.is_empty() {
            state.set(ListState::Ready(Vec::new()));
            return;
        }
        state.set(ListState::Loading);
        spawn_local(async move {
            let url = format!("{FAVORITES_ENDPOINT}?ids={}", ids.join(","));
            state.set(match get_json::<Vec<FavoriteItem>>(&url).await {
                Some(items) => ListState::Ready(items),
                None => ListState::Failed,
            });
        });
    };
    Effect::new(move |_| {
        reload();
        on_other_tab_change(reload);
    });
    let remove = move |id: i32| {
        let mut list = load();
        list.retain(|s| s.id != id);
        store(&list);
        state.update(|s| {
            if let ListState::Ready(items) = s {
                items.retain(|i| i.id != id);
            }
        });
    };

    view! {
        <div class="favorites" aria-live="polite">
            {move || match state.get() {
                ListState::NotLive => view! {
                    <p class="state-empty">"“我的收藏”保存在您的浏览器中，需要启用 JavaScript 才能查看。"</p>
                }
                .into_any(),
                ListState::Loading => view! {
                    <p class="state-loading" role="status">"正在加载我的收藏…"</p>
                }
                .into_any(),
                ListState::Failed => view! {
                    <div class="state-error" role="alert">
                        <p>"收藏加载失败，请检查网络后重试。"</p>
                        <button type="button" class="btn" on:click=move |_| reload()>"重新加载"</button>
                    </div>
                }
                .into_any(),
                ListState::Ready(items) if items.is_empty() => view! {
                    <div class="state-empty">
                        <p>"您还没有收藏文章。"</p>
                        <p>"阅读文章时点击标题下方的“☆ 收藏”，文章就会出现在这里。收藏只保存在本浏览器中。"</p>
                    </div>
                }
                .into_any(),
                ListState::Ready(items) => view! {
                    <p class="favorites-count">{format!("共收藏 {} 篇文章", items.len())}</p>
                    <ul class="article-list favorites-list">
                        {items
                            .into_iter()
                            .map(|item| {
                                let id = item.id;
                                view! {
                                    <li>
                                        <a href=item.href>{item.title}</a>
                                        <span class="date">{item.date}</span>
                                        <button
                                            type="button"
                                            class="btn-link remove-favorite"
                                            on:click=move |_| remove(id)
                                        >
                                            "取消收藏"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}
