//! The top navigation. Under 768 px it collapses behind 打开菜单 / 收起菜单. Before the island
//! is live (or without script) a plain link to `#site-nav` opens it through CSS `:target`.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use super::browser::focus;

pub const NAV_ID: &str = "site-nav";

fn clear_nav_hash() {
    if let Some(w) = web_sys::window()
        && w.location().hash().ok().as_deref() == Some("#site-nav")
        && let Ok(history) = w.history()
    {
        let loc = w.location();
        let url = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[island]
pub fn NavMenu(children: Children) -> impl IntoView {
    let open = RwSignal::new(false);
    let live = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();

    let close = move |return_focus: bool| {
        open.set(false);
        clear_nav_hash();
        if return_focus && let Some(b) = button.get_untracked() {
            focus(&b);
        }
    };

    Effect::new(move |_| {
        live.set(true);
        // Opened through the fallback link before the island was live: stay open.
        if web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .as_deref()
            == Some("#site-nav")
        {
            open.set(true);
        }
        let keys = window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" && open.get_untracked() {
                close(true);
            }
        });
        // Coming back through the back/forward cache counts as a navigation: start closed.
        let shows = window_event_listener(ev::pageshow, move |e| {
            if e.persisted() {
                close(false);
            }
        });
        on_cleanup(move || {
            keys.remove();
            shows.remove();
        });
    });

    view! {
        <div class="nav-bar">
            <div class="wrap nav-inner">
                <button
                    type="button"
                    class="menu-toggle"
                    node_ref=button
                    hidden=move || !live.get()
                    aria-expanded=move || open.get().to_string()
                    aria-controls=NAV_ID
                    on:click=move |_| {
                        if open.get_untracked() { close(false) } else { open.set(true) }
                    }
                >
                    <span class="burger" aria-hidden="true"></span>
                    {move || if open.get() { "收起菜单" } else { "打开菜单" }}
                </button>
                <a class="menu-toggle menu-fallback" href="#site-nav" hidden=move || live.get()>
                    <span class="burger" aria-hidden="true"></span>
                    "打开菜单"
                </a>
                <nav
                    id=NAV_ID
                    class="site-nav"
                    class:open=move || open.get()
                    aria-label="主导航"
                    on:click=move |e| {
                        let on_link = e
                            .target()
                            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                            .and_then(|el| el.closest("a").ok().flatten())
                            .is_some();
                        if on_link {
                            open.set(false);
                        }
                    }
                >
                    {children()}
                    <a class="menu-close-fallback" href="#" hidden=move || live.get()>"收起菜单"</a>
                </nav>
            </div>
        </div>
    }
}
