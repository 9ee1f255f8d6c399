//! 收藏: favorites kept in the reader's own browser (localStorage), a toggle on article pages
//! and the 我的收藏 list, whose titles and dates come from the server.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::browser::{get_json, on_window, select, spawn, target_closest, when_live};
use crate::api::articles::FAVORITES_ENDPOINT;
use crate::models::FavoriteItem;

/// The localStorage key.
pub const STORAGE_KEY: &str = "portico.favorites";
/// The most favorites kept; the oldest go first.
const MAX_FAVORITES: usize = 200;

#[derive(Clone, Debug, PartialEq)]
struct Saved {
    id: i32,
    title: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved list: a JSON array of `{"id": …, "title": …}`, read and written with the
/// browser's own JSON (so the bundle carries no JSON code of its own).
fn load() -> Vec<Saved> {
    let Some(raw) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Vec::new();
    };
    let Ok(array) = js_sys::JSON::parse(&raw).and_then(|v| v.dyn_into::<js_sys::Array>()) else {
        return Vec::new();
    };
    array
        .iter()
        .filter_map(|item| {
            let id = js_sys::Reflect::get(&item, &"id".into()).ok()?.as_f64()?;
            let id = (id.fract() == 0.0 && id >= 1.0 && id <= f64::from(i32::MAX))
                .then_some(id as i32)?;
            let title = js_sys::Reflect::get(&item, &"title".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            Some(Saved { id, title })
        })
        .collect()
}

fn store(list: &[Saved]) {
    let array = js_sys::Array::new();
    for saved in list {
        let item = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&item, &"id".into(), &JsValue::from(saved.id));
        let _ = js_sys::Reflect::set(&item, &"title".into(), &JsValue::from_str(&saved.title));
        array.push(&item);
    }
    if let (Some(storage), Ok(text)) = (storage(), js_sys::JSON::stringify(&array)) {
        let _ = storage.set_item(STORAGE_KEY, &String::from(text));
    }
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
    on_window("storage", move |e| {
        let key = e
            .dyn_ref::<web_sys::StorageEvent>()
            .and_then(web_sys::StorageEvent::key);
        if key.is_none_or(|k| k == STORAGE_KEY) {
            f();
        }
    });
}

/// The 收藏 button of an article. Disabled until [`FavoriteLive`] is live (it needs the
/// browser's storage).
#[component]
pub fn FavoriteToggle(id: i32, title: String) -> impl IntoView {
    view! {
        <button
            type="button"
            class="fav-toggle"
            data-id=id
            data-title=title
            aria-pressed="false"
            disabled
            title="收藏需要浏览器启用 JavaScript"
        >
            <span class="fav-star" aria-hidden="true">
                "☆"
            </span>
            <span class="fav-label">"收藏"</span>
        </button>
        <FavoriteLive />
    }
}

/// Shows whether the article of `button` is saved.
fn show(button: &web_sys::Element, saved: bool) {
    let _ = button.class_list().toggle_with_force("saved", saved);
    let _ = button.set_attribute("aria-pressed", if saved { "true" } else { "false" });
    let _ = button.set_attribute(
        "title",
        if saved {
            "取消收藏"
        } else {
            "收藏本文，可在“我的收藏”中查看"
        },
    );
    let _ = button.remove_attribute("disabled");
    if let Ok(Some(star)) = button.query_selector(".fav-star") {
        star.set_text_content(Some(if saved { "★" } else { "☆" }));
    }
    if let Ok(Some(label)) = button.query_selector(".fav-label") {
        label.set_text_content(Some(if saved { "已收藏" } else { "收藏" }));
    }
}

fn toggle_button() -> Option<(web_sys::Element, i32)> {
    let button = select("button.fav-toggle[data-id]")?;
    let id = button.get_attribute("data-id")?.parse().ok()?;
    Some((button, id))
}

fn refresh_toggle() {
    if let Some((button, id)) = toggle_button() {
        show(&button, contains(id));
    }
}

fn start() {
    if toggle_button().is_none() {
        return;
    }
    refresh_toggle();
    on_other_tab_change(refresh_toggle);
    on_window("click", |e| {
        if target_closest(&e, "button.fav-toggle").is_some()
            && let Some((button, id)) = toggle_button()
        {
            let title = button.get_attribute("data-title").unwrap_or_default();
            show(&button, toggle(id, &title));
        }
    });
}

/// Brings the page's 收藏 button to life (no props: the article is read from its `data-id`).
#[island]
pub fn FavoriteLive() -> impl IntoView {
    when_live(start);
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
// Readers' pages load the reader bundle, built without `full`: there this is a plain component
// (never called in the browser), so its code, data and bindings are not in what they download.
// The server and the full bundle (`frontend-full`) have the island.
#[cfg_attr(any(feature = "ssr", feature = "full"), island(lazy))]
#[cfg_attr(not(any(feature = "ssr", feature = "full")), component)]
pub fn FavoritesList() -> impl IntoView {
    let state = RwSignal::new(ListState::NotLive);
    let reload = move || {
        let ids: Vec<String> = load().iter().map(|s| s.id.to_string()).collect();
        if ids.is_empty() {
            state.set(ListState::Ready(Vec::new()));
            return;
        }
        state.set(ListState::Loading);
        spawn(async move {
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
                ListState::NotLive => {
                    view! {
                        <p class="state-empty">
                            "“我的收藏”保存在您的浏览器中，需要启用 JavaScript 才能查看。"
                        </p>
                    }
                        .into_any()
                }
                ListState::Loading => {
                    view! {
                        <p class="state-loading" role="status">
                            "正在加载我的收藏…"
                        </p>
                    }
                        .into_any()
                }
                ListState::Failed => {
                    view! {
                        <div class="state-error" role="alert">
                            <p>"收藏加载失败，请检查网络后重试。"</p>
                            <button type="button" class="btn" on:click=move |_| reload()>
                                "重新加载"
                            </button>
                        </div>
                    }
                        .into_any()
                }
                ListState::Ready(items) if items.is_empty() => {
                    view! {
                        <div class="state-empty">
                            <p>"您还没有收藏文章。"</p>
                            <p>
                                "阅读文章时点击标题下方的“☆ 收藏”，文章就会出现在这里。收藏只保存在本浏览器中。"
                            </p>
                        </div>
                    }
                        .into_any()
                }
                ListState::Ready(items) => {
                    view! {
                        <p class="favorites-count">
                            {format!("共收藏 {} 篇文章", items.len())}
                        </p>
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
                        .into_any()
                }
            }}
        </div>
    }
}
