//! A disclosure built on `<details>`: it opens and closes without any script. One island per
//! page, [`Popovers`], adds the rest to every popover of the page once it is live: Esc closes
//! the open one (returning focus to its button), a click outside closes it, and the × button
//! inside appears and works. The island has no props, so the browser bundle needs no JSON.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::browser::{focus, is_outside, key_of, on_window, select_all, target_closest, when_live};

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
                <button
                    type="button"
                    class="popover-close"
                    aria-label="关闭"
                    title="关闭"
                    hidden
                >
                    "×"
                </button>
            </div>
        </details>
    }
}

/// Every open popover of the page.
fn open_popovers() -> Vec<web_sys::HtmlDetailsElement> {
    select_all("details.popover[open]")
        .into_iter()
        .filter_map(|n| n.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .collect()
}

fn close(details: &web_sys::HtmlDetailsElement, return_focus: bool) {
    details.set_open(false);
    if return_focus && let Ok(Some(summary)) = details.query_selector("summary") {
        focus(&summary);
    }
}

fn start() {
    for button in select_all(".popover-close") {
        let _ = button.remove_attribute("hidden");
    }
    on_window("keydown", |e| {
        if key_of(&e) == "Escape" {
            for details in open_popovers() {
                close(&details, true);
            }
        }
    });
    on_window("click", |e| {
        let on_close = target_closest(&e, ".popover-close").is_some();
        for details in open_popovers() {
            if is_outside(&e, &details) {
                close(&details, false);
            } else if on_close {
                close(&details, true);
            }
        }
    });
}

/// The behaviour of every [`Popover`] on the page (place it once).
#[island]
pub fn Popovers() -> impl IntoView {
    when_live(start);
}
