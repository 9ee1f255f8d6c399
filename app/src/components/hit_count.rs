//! 点击量 that stays right on cached pages: the server renders the count of when the page was
//! made; once live, the island asks for the current one.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser::get_json;

/// Where the current count of an article is read.
pub fn hits_url(id: i32) -> String {
    format!("/api/hits/{id}")
}

#[island]
pub fn HitCount(id: i32, initial: u64) -> impl IntoView {
    let count = RwSignal::new(initial);
    Effect::new(move |_| {
        spawn_local(async move {
            if let Some(n) = get_json::<u64>(&hits_url(id)).await {
                count.set(n);
            }
        });
    });
    view! { <span class="hit-count">{move || count.get()}</span> }
}
