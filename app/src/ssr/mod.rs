//! Server-only parts of the app: the shared state server functions read, request helpers,
//! share links and QR codes.

pub mod client;
mod error_response;
pub mod forms;
pub mod gate;
pub mod share;
pub mod shell;
mod staff;
mod state;

pub use staff::{
    Staff, as_admin, as_editor, as_staff, as_writer, current_staff, require_admin, require_auditor,
    require_editor, require_security, require_staff, require_writer,
};
pub use state::{
    AppState, AppStateInner, FormsConfig, RequestSite, SetupCheck, SetupGate, SiteConfig,
};

use http::HeaderMap;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::error::AppError;

impl From<service::Error> for AppError {
    fn from(err: service::Error) -> Self {
        match err {
            service::Error::NotFound => AppError::NotFound,
            service::Error::Invalid(msg) => AppError::BadRequest(msg),
            service::Error::Forbidden(msg) => AppError::Refused(msg),
            service::Error::Conflict(msg) => AppError::Conflict(msg),
            service::Error::Busy => AppError::Busy,
            service::Error::Unavailable(e) => {
                tracing::error!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            service::Error::StorageUnavailable(e) => {
                tracing::error!(error = %e, "file storage unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal
            }
        }
    }
}

/// The application state, provided to every page render and server function.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The site of the request being served.
pub fn site() -> Result<RequestSite, AppError> {
    match use_context::<Parts>() {
        Some(parts) => state::of_request(&parts),
        None => {
            tracing::error!("the request is missing from the context");
            Err(AppError::Internal)
        }
    }
}

/// The headers of the request being served (empty outside a request).
pub fn request_headers() -> HeaderMap {
    use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default()
}

/// The reader's font size and 无障碍 choices, from every `Cookie:` header of a request.
pub fn reader_prefs(headers: &HeaderMap) -> crate::prefs::ReaderPrefs {
    crate::prefs::ReaderPrefs::from_cookie_headers(
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    )
}

/// The page-cache tags of the response being rendered: what the page shows, so the cache can
/// drop it when any of that changes. The cache layer puts one into each request it may store.
#[derive(Clone, Debug, Default)]
pub struct PageTags(std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>);

impl PageTags {
    pub fn add(&self, tag: impl Into<String>) {
        if let Ok(mut tags) = self.0.lock() {
            tags.insert(tag.into());
        }
    }

    pub fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut t| std::mem::take(&mut *t).into_iter().collect())
            .unwrap_or_default()
    }
}

/// Notes that the page being rendered shows what `tags` name.
pub fn tag_page<I, T>(tags: I)
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    if let Some(page_tags) =
        use_context::<Parts>().and_then(|p| p.extensions.get::<PageTags>().cloned())
    {
        for t in tags {
            page_tags.add(t);
        }
    }
}

/// Whether the request came straight from this machine (loopback, and no proxy headers): the
/// only place first-time setup may run from.
pub fn is_local_unproxied(parts: &Parts) -> bool {
    let local = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|c| c.0.ip().is_loopback());
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| parts.headers.contains_key(*h));
    local && !proxied
}

/// Whether this request is a page view to count: not a robot, not a prefetch or prerender.
pub fn is_countable_view(headers: &HeaderMap) -> bool {
    // Read on every request for an article (cached or not): nothing is allocated unless a
    // purpose header is there, which is rare.
    let prefetch = ["sec-purpose", "purpose", "x-purpose", "x-moz"]
        .iter()
        .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .any(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("prefetch") || v.contains("preview") || v.contains("prerender")
        });
    let agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    !prefetch && !service::view_count::is_bot(agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const BROWSER: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    #[test]
    fn counts_browsers_only() {
        assert!(is_countable_view(&headers(&[("user-agent", BROWSER)])));
        assert!(!is_countable_view(&headers(&[])));
        assert!(!is_countable_view(&headers(&[(
            "user-agent",
            "Baiduspider"
        )])));
    }

    #[test]
    fn skips_prefetches() {
        assert!(!is_countable_view(&headers(&[
            ("user-agent", BROWSER),
            ("sec-purpose", "prefetch")
        ])));
        assert!(!is_countable_view(&headers(&[
            ("user-agent", BROWSER),
            ("sec-purpose", "prefetch;prerender")
        ])));
        assert!(!is_countable_view(&headers(&[
            ("user-agent", BROWSER),
            ("purpose", "prefetch")
        ])));
        assert!(!is_countable_view(&headers(&[
            ("user-agent", BROWSER),
            ("x-moz", "prefetch")
        ])));
    }
}
