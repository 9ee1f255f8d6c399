use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::error::AppError;
use crate::response::{set_location, set_status};

fn explanation(error: &AppError) -> String {
    match error {
        AppError::NotFound => "您访问的页面不存在，可能已被删除、尚未发布，或网址有误。".into(),
        AppError::Unavailable => "网站正在维护或访问量过大，请稍后刷新重试。".into(),
        AppError::BadRequest(msg) => msg.clone(),
        AppError::Moved(to) => format!("页面已移至 {to}"),
        other => other.to_string(),
    }
}

/// The error message inside the site layout; sets the response status.
#[component]
pub fn ErrorContent(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    if let AppError::Moved(to) = &error {
        set_location(to);
    }
    view! {
        <Title text=error.title() />
        <Meta name="robots" content="noindex" />
        <section class="error-page">
            <p class="error-code">{error.status_code()}</p>
            <h1>{error.title()}</h1>
            <p>{explanation(&error)}</p>
            <p class="error-actions">
                <a class="btn" href="/">
                    "返回首页"
                </a>
            </p>
        </section>
    }
}

/// The error page when even the site frame cannot be loaded (database unreachable).
#[component]
pub fn BareErrorPage(error: AppError) -> impl IntoView {
    view! {
        <div class="site">
            <main id="main" class="wrap main">
                <ErrorContent error />
            </main>
        </div>
    }
}

/// The page for a URL no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| async { Err::<(), _>(AppError::NotFound) });
    view! { <super::SitePage data render=|()| empty_view() /> }
}

fn empty_view() -> super::PageView {
    super::PageView {
        active: String::new(),
        content: ().into_any(),
    }
}
