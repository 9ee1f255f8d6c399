//! `/favorites`: 我的收藏, kept in the reader's browser.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::{PageView, SitePage};
use crate::components::favorite::FavoritesList;

#[component]
pub fn FavoritesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| async { Ok(()) });
    view! {
        <SitePage
            data
            render=|()| PageView {
                active: String::new(),
                content: view! { <Favorites /> }.into_any(),
            }
        />
    }
}

#[component]
fn Favorites() -> impl IntoView {
    view! {
        <Title text="我的收藏" />
        <Meta name="robots" content="noindex" />
        <nav class="breadcrumb" aria-label="当前位置">
            <span class="breadcrumb-label">"当前位置："</span>
            <a href="/">"首页"</a>
            <span class="sep" aria-hidden="true">
                ">"
            </span>
            <span>"我的收藏"</span>
        </nav>
        <section class="panel">
            <h1 class="panel-title">"我的收藏"</h1>
            <FavoritesList />
        </section>
    }
}
