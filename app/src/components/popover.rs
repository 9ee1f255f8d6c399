//! A disclosure built on `<details>`: it opens and closes without any script. One island per
//! page, [`Popovers`], adds the rest to every popover of the page once it is live: Esc closes
//! the open one (returning focus to its button), a click outside closes it, and the × button
//! inside appears and works. The island has no props, so the browser bundle needs no JSON.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::browser::{document, focus, is_outside};

#[component]
pub fn Popover(
    /// The text of the button that opens it.
    #[prop(into)]
    label: String,
    /// Extra classes for the `<details>` element.
    #[prop(into)]
    class: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class=format!("popover {class}")>
            <summary>{label}</summary>
            <div class="popover-panel">
                {children()}
                <button type="button" class="popover-close" aria-label="关闭" title="关闭" hidden>
                    "×"
                </button>
            </div>
        </details>
    }
}

/// Every open popover of the page.
fn open_popovers() -> Vec<web_sys::HtmlDetailsElement> {
    let Some(list) = document().and_then(|d| d.query_selector_all("details.popover[open]").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .collect()
}

fn close(details: &web_sys::HtmlDetailsElement, return_focus: bool) {
    details.set_open(false);
    if return_focus && let Ok(Some(summary)) = details.query_selector("summary") {
        focus(&summary);
    }
}

/// The behaviour of every [`Popover`] on the page (place it once).
#[island]
pub fn Popovers() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(list) = document().and_then(|d| d.query_selector_all(".popover-close").ok()) {
            for button in (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            {
                button.set_hidden(false);
            }
        }
        let keys = window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" {
                for details in open_popovers() {
                    close(&details, true);
                }
            }
        });
        let clicks = window_event_listener(ev::click, move |e| {
            let on_close = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(".popover-close").ok().flatten())
                .is_some();
            for details in open_popovers() {
                if is_outside(&e, &details) {
                    close(&details, false);
                } else if on_close {
                    close(&details, true);
                }
            }
        });
        on_cleanup(move || {
            keys.remove();
            clicks.remove();
        });
    });
}
