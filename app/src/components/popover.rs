//! A disclosure built on `<details>`: it opens and closes without any script (and so before
//! the island is live); once hydrated it also closes on Esc (returning focus to its button)
//! and on a click outside.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use super::browser::{focus, is_outside};

#[island]
pub fn Popover(
    /// The text of the button that opens it.
    #[prop(into)]
    label: String,
    /// Extra classes for the `<details>` element.
    #[prop(into)]
    class: String,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let live = RwSignal::new(false);
    let details = NodeRef::<html::Details>::new();

    let close = move |return_focus: bool| {
        open.set(false);
        if return_focus
            && let Some(summary) = details
                .get_untracked()
                .and_then(|d| d.query_selector("summary").ok().flatten())
        {
            focus(&summary);
        }
    };

    Effect::new(move |_| {
        live.set(true);
        let keys = window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" && open.get_untracked() {
                close(true);
            }
        });
        let clicks = window_event_listener(ev::click, move |e| {
            if open.get_untracked()
                && let Some(d) = details.get_untracked()
                && is_outside(&e, &d)
            {
                close(false);
            }
        });
        on_cleanup(move || {
            keys.remove();
            clicks.remove();
        });
    });

    view! {
        <details
            class=format!("popover {class}")
            node_ref=details
            prop:open=open
            on:toggle=move |_| {
                if let Some(d) = details.get_untracked() {
                    open.set(d.open());
                }
            }
        >
            <summary>{label}</summary>
            <div class="popover-panel">
                {children()}
                <button
                    type="button"
                    class="popover-close"
                    aria-label="关闭"
                    title="关闭"
                    hidden=move || !live.get()
                    on:click=move |_| close(true)
                >
                    "×"
                </button>
            </div>
        </details>
    }
}
