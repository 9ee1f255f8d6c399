//! `Cache-Control` of every response, by what was asked for (build assets, media, pages).

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// `Cache-Control` by path: hashed build assets forever, media for a day; pages may be stored
/// but are revalidated on every use (a cheap `304` from the page cache), so a correction, an
/// unpublished article or a scheduled one going live reaches readers at once.
pub async fn cache_control(req: Request, next: Next) -> Response {
    let kind = Kind::of(req.uri().path());
    let mut res = next.run(req).await;
    let value = match kind {
        Kind::Asset { hashed } => {
            if res.status().is_success() && hashed {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=300"
            }
        }
        Kind::Media => "public, max-age=86400",
        Kind::Private => "no-store",
        // Public pages: stored by browsers and proxies, revalidated with the ETag each time;
        // errors are not kept (a 404 for an article that is about to go live must not stick).
        Kind::Page => match res.status().as_u16() {
            200 | 301 | 304 => "public, no-cache",
            _ => "no-store",
        },
    };
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    if matches!(kind, Kind::Page | Kind::Private) && !res.headers().contains_key(header::VARY) {
        res.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
    }
    res
}

/// What a path is, for caching: decided before the request is passed on, so that the path
/// need not be kept.
#[derive(Clone, Copy)]
enum Kind {
    Asset { hashed: bool },
    Media,
    Private,
    Page,
}

impl Kind {
    fn of(path: &str) -> Kind {
        if path.starts_with("/pkg/") {
            Kind::Asset {
                hashed: is_hashed(path),
            }
        } else if path.starts_with("/media/") {
            Kind::Media
        } else if path.starts_with("/api/")
            || path.starts_with("/prefs/")
            || matches!(path, "/healthz" | "/readyz")
            || app::canonical::is_form_page(path)
        {
            Kind::Private
        } else {
            Kind::Page
        }
    }
}

/// cargo-leptos names hashed files `portico.<hash>.js`.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3 && parts[parts.len() - 2].len() >= 8
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn recognises_hashed_asset_names() {
        assert!(is_hashed("/pkg/portico.4f2a9c1d0e3b5a67.js"));
        assert!(!is_hashed("/pkg/portico.js"));
        assert!(!is_hashed("/pkg/portico_bg.wasm"));
    }
}
