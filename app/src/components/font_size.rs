//! 字体 大 / 中 / 小. Plain links that set a cookie on the server and come back (so it works
//! without script); once [`FontSizeLive`] is live, a click changes the size at once and sets
//! the same cookie, so the next page is rendered at the chosen size from the start. The island
//! has no props (it reads the links' `data-size`), so the browser bundle needs no JSON.

use leptos::prelude::*;

use super::browser::{on_window, select, select_all, set_cookie, target_closest, when_live};
use crate::prefs::FontSize;

/// `back_query` is the current path, already percent-encoded for the query string.
#[component]
pub fn FontSizeSwitcher(current: FontSize, back_query: String) -> impl IntoView {
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
                            class:active=s == current
                            aria-current=(s == current).then_some("true")
                            title=format!("{}号字体", s.label())
                            data-size=s.code()
                        >
                            {s.label()}
                        </a>
                    }
                })
                .collect_view()}
            <FontSizeLive />
        </span>
    }
}

/// Applies `size` to the page and remembers it.
pub fn choose(size: FontSize) {
    set_cookie(&size.cookie());
    if let Some(site) = select(".site") {
        let _ = site.set_attribute("data-fs", size.code());
    }
    for link in select_all("a.fs-option") {
        let chosen = link.get_attribute("data-size").as_deref() == Some(size.code());
        let _ = link.class_list().toggle_with_force("active", chosen);
        let _ = if chosen {
            link.set_attribute("aria-current", "true")
        } else {
            link.remove_attribute("aria-current")
        };
    }
}

fn start() {
    on_window("click", |e| {
        let size = target_closest(&e, "a.fs-option[data-size]")
            .and_then(|link| link.get_attribute("data-size"))
            .and_then(|code| FontSize::from_code(&code));
        if let Some(size) = size {
            e.prevent_default();
            choose(size);
        }
    });
}

#[island]
pub fn FontSizeLive() -> impl IntoView {
    when_live(start);
}
