//! One module per page. Every public page waits for its data on the server (blocking
//! resources), so the HTML is complete without script, and errors become an error page with
//! the matching HTTP status.

pub mod article;
pub mod column;
pub mod error;
pub mod favorites;
mod form_fields;
pub mod home;
pub mod issue;
pub mod messages;
pub mod notice;
pub mod search;
pub mod submissions;

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::site::get_chrome;
use crate::components::layout::Layout;
use crate::components::seo::SiteName;
use crate::error::AppError;
use error::{BareErrorPage, ErrorContent};

/// What a page renders once its data is there.
pub struct PageView {
    /// The navigation item to mark as current (its href).
    pub active: String,
    pub content: AnyView,
}

/// The shell every page shares, on the reader site and in the back office: waits for the
/// chrome (what the frame around the page needs) and for the page's `data` on the server, then
/// renders `frame(chrome, data)`; `loading` is the class of the text shown meanwhile.
#[component]
pub fn Loaded<C, T, F>(
    chrome: Resource<Result<C, AppError>>,
    data: Resource<Result<T, AppError>>,
    loading: &'static str,
    frame: F,
) -> impl IntoView
where
    C: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(Result<C, AppError>, Result<T, AppError>) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=move || {
            view! { <p class=loading>"正在加载…"</p> }
        }>
            {move || {
                let frame = frame.clone();
                Suspend::new(async move {
                    let data = data.await;
                    frame(chrome.await, data)
                })
            }}
        </Suspense>
    }
}

/// Waits for the site chrome and for `data`, then renders `render(data)` inside the site
/// layout, or the error page.
#[component]
pub fn SitePage<T, F>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> PageView + Clone + Send + Sync + 'static,
{
    let chrome = Resource::new_blocking(|| (), |_| get_chrome());
    let frame = move |chrome: Result<crate::models::Chrome, AppError>,
                      data: Result<T, AppError>| match chrome {
        Err(error) => view! { <BareErrorPage error /> }.into_any(),
        Ok(chrome) => {
            provide_context(chrome.prefs);
            provide_context(SiteName(chrome.site_name.clone()));
            let page = match data {
                Ok(d) => render(d),
                Err(error) => PageView {
                    active: String::new(),
                    content: view! { <ErrorContent error /> }.into_any(),
                },
            };
            view! {
                <Layout chrome active=page.active>
                    {page.content}
                </Layout>
            }
            .into_any()
        }
    };
    view! { <Loaded chrome data loading="state-loading" frame /> }
}
