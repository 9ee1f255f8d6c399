//! 字体 大 / 中 / 小. Plain links that set a cookie on the server and come back (so it works
//! without script); once hydrated, a click changes the size at once and sets the same cookie,
//! so the next page is rendered at the chosen size from the start.

use leptos::prelude::*;

use super::browser::{document, set_cookie};
use crate::prefs::FontSize;

/// `back_query` is the current path, already percent-encoded for the query string.
#[island]
pub fn FontSizeSwitcher(current: FontSize, back_query: String) -> impl IntoView {
    let size = RwSignal::new(current);
    let choose = move |s: FontSize| {
        size.set(s);
        set_cookie(&s.cookie());
        if let Some(site) = document().and_then(|d| d.query_selector(".site").ok().flatten()) {
            let _ = site.set_attribute("data-fs", s.code());
        }
    };
    view! {
        <span class="font-size" role="group" aria-label="字体大小">
            <span class="meta-label">"字体："</span>
            {FontSize::ALL
                .into_iter()
                .map(|s| {
                    view! {
                        <a
                            href=format!("/prefs/font-size?size={}&back={}", s.code(), back_query)
                            class="fs-option"
                            class:active=move || size.get() == s
                            aria-current=move || (size.get() == s).then_some("true")
                            title=format!("{}号字体", s.label())
                            data-size=s.code()
                            on:click=move |ev| {
                                ev.prevent_default();
                                choose(s);
                            }
                        >
                            {s.label()}
                        </a>
                    }
                })
                .collect_view()}
        </span>
    }
}
