//! 点击量 that stays right on cached pages: the server renders the count of when the page was
//! made; once live, [`HitCountRefresh`] asks for the current one and writes it in. The island
//! has no props (the article is named by the element's `data-article`), so the browser bundle
//! needs no JSON.

use leptos::prelude::*;

use super::browser::{get_text, select, spawn, when_live};

/// Where the current count of an article is read (a plain number).
pub fn hits_url(id: i32) -> String {
    format!("/api/hits/{id}")
}

#[component]
pub fn HitCount(id: i32, initial: u64) -> impl IntoView {
    view! {
        <span data-article=id class="hit-count">
            {initial}
        </span>
        <HitCountRefresh />
    }
}

fn start() {
    let Some(el) = select(".hit-count[data-article]") else {
        return;
    };
    let Some(id) = el
        .get_attribute("data-article")
        .and_then(|v| v.parse::<i32>().ok())
    else {
        return;
    };
    spawn(async move {
        if let Some(n) = get_text(&hits_url(id))
            .await
            .and_then(|t| t.trim().parse::<u64>().ok())
        {
            el.set_text_content(Some(&n.to_string()));
        }
    });
}

#[island]
pub fn HitCountRefresh() -> impl IntoView {
    when_live(start);
}
