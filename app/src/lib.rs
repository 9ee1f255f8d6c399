#![recursion_limit = "256"]
//! Portico's Leptos application: pages, components, islands and server functions, compiled
//! for the server (`ssr`) and for the browser (`hydrate`).

mod admin;
pub mod api;
pub mod app;
pub mod canonical;
mod components;
pub mod cookies;
pub mod error;
pub mod models;
mod pages;
pub mod prefs;
pub mod query;
mod response;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::App;
pub use error::AppError;
#[cfg(feature = "ssr")]
pub use ssr::shell::shell;

/// The article id of an article page path (`/articles/{id}`), if it is one.
pub fn article_id_from_path(path: &str) -> Option<i32> {
    path.strip_prefix("/articles/")
        .and_then(pages::article::parse_id)
}
