//! The top navigation. Under 768 px it collapses behind 打开菜单 / 收起菜单. Without script (or
//! before [`NavMenuLive`] is live) a plain link to `#site-nav` opens it through CSS `:target`.
//! The island has no props and works on the server's markup, so the browser needs no view
//! code for it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::browser::{focus, key_of, on_window, select, select_all, target_closest, when_live};

pub const NAV_ID: &str = "site-nav";
const OPEN_LABEL: &str = "打开菜单";
const CLOSE_LABEL: &str = "收起菜单";

#[component]
pub fn NavMenu(children: Children) -> impl IntoView {
    view! {
        <div class="nav-bar">
            <div class="wrap nav-inner">
                <button
                    type="button"
                    class="menu-toggle"
                    hidden
                    aria-expanded="false"
                    aria-controls=NAV_ID
                >
                    <span class="burger" aria-hidden="true"></span>
                    <span class="menu-label">{OPEN_LABEL}</span>
                </button>
                <a class="menu-toggle menu-fallback" href="#site-nav">
                    <span class="burger" aria-hidden="true"></span>
                    {OPEN_LABEL}
                </a>
                <nav id=NAV_ID class="site-nav" aria-label="主导航">
                    {children()}
                    <a class="menu-close-fallback" href="#">
                        {CLOSE_LABEL}
                    </a>
                </nav>
                <NavMenuLive />
            </div>
        </div>
    }
}

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

fn toggle_button() -> Option<web_sys::Element> {
    select("button.menu-toggle")
}

fn is_open() -> bool {
    select(".site-nav").is_some_and(|nav| nav.class_list().contains("open"))
}

/// Opens or closes the menu, keeping the button's state and label in step.
fn set_open(open: bool, return_focus: bool) {
    if let Some(nav) = select(".site-nav") {
        let _ = nav.class_list().toggle_with_force("open", open);
    }
    if let Some(button) = toggle_button() {
        let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
        if let Ok(Some(label)) = button.query_selector(".menu-label") {
            label.set_text_content(Some(if open { CLOSE_LABEL } else { OPEN_LABEL }));
        }
        if return_focus {
            focus(&button);
        }
    }
    if !open {
        clear_nav_hash();
    }
}

fn start() {
    if let Some(button) = toggle_button() {
        let _ = button.remove_attribute("hidden");
    }
    for link in select_all(".menu-fallback, .menu-close-fallback") {
        let _ = link.set_attribute("hidden", "");
    }
    // Opened through the fallback link before the island was live: stay open.
    if web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .as_deref()
        == Some("#site-nav")
    {
        set_open(true, false);
    }
    on_window("click", |e| {
        if target_closest(&e, "button.menu-toggle").is_some() {
            set_open(!is_open(), false);
        } else if target_closest(&e, ".site-nav a").is_some() {
            set_open(false, false);
        }
    });
    on_window("keydown", |e| {
        if key_of(&e) == "Escape" && is_open() {
            set_open(false, true);
        }
    });
    // Coming back through the back/forward cache counts as a navigation: start closed.
    on_window("pageshow", |e| {
        if e.dyn_ref::<web_sys::PageTransitionEvent>()
            .is_some_and(web_sys::PageTransitionEvent::persisted)
        {
            set_open(false, false);
        }
    });
}

#[island]
pub fn NavMenuLive() -> impl IntoView {
    when_live(start);
}
