//! Security headers. Every HTML response gets a Content-Security-Policy that allows exactly
//! what the pages use: scripts from this site and the inline scripts the framework wrote in
//! that render, by the render's nonce (no `unsafe-inline`, and no hash of whatever inline
//! script a page happens to hold: a script that got into a page some other way does not
//! carry the nonce and does not run), WebAssembly compilation for the islands, no plugins,
//! no `<base>` elsewhere, forms only to this site, and framing by this site alone (public
//! pages) or by nobody (the back office). Every response gets `nosniff` and a referrer
//! policy, and HSTS when the site is served over https.
//!
//! The nonce is made for each render (by `leptos_axum`, 128 random bits) and handed over by
//! the shell in a response header that [`csp`] takes out again. Pages rendered for one
//! request (forms, search, the back office) have a nonce of their own each time; a public
//! page kept by the page cache keeps the nonce of the render that made it, which is as good:
//! its bytes were fixed before that nonce existed and never change, so nothing can be
//! placed in it that knows the nonce.
//!
//! The policy is computed where a page is rendered ([`csp`], inside the page cache, which
//! keeps it with the page); [`headers`] adds the rest to everything, and a policy without
//! a nonce to any HTML that did not get one (error pages answered outside the router).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest page tidied (larger bodies are not HTML pages of ours).
const MAX_PAGE: usize = 16 * 1024 * 1024;

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// Whether `nonce` is what the framework makes (base64 of random bytes): anything else is
/// not written into a policy.
fn is_nonce(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
}

/// The policy for a page whose framework scripts carry `nonce` (none: no inline script runs).
pub fn policy(nonce: Option<&str>, back_office: bool) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    if let Some(nonce) = nonce.filter(|n| is_nonce(n)) {
        scripts.push_str(&format!(" 'nonce-{nonce}'"));
    }
    // The back office's rich-text editor uses the browser's editing commands, which write
    // style attributes into what they insert (they are stripped when the article is saved);
    // reader pages have none.
    let (frames, style_attributes) = if back_office {
        ("'none'", " style-src-attr 'unsafe-inline';")
    } else {
        ("'self'", "")
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self';{style_attributes} \
         img-src 'self' data: blob: https: http:; font-src 'self'; connect-src 'self'; \
         media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frames}"
    )
}

/// Gives each rendered HTML page its final markup (see [`crate::markup`]) and its policy, with
/// the nonce of its render. Runs inside the page cache, which keeps both.
pub async fn csp(req: Request, next: Next) -> Response {
    let back_office = crate::admin_auth::is_admin_path(req.uri().path());
    let mut res = next.run(req).await;
    // Never sent on: the header only carries the nonce from the render to here.
    let nonce = res
        .headers_mut()
        .remove(app::ssr::shell::NONCE_HEADER)
        .and_then(|v| v.to_str().ok().map(str::to_owned));
    if !is_html(res.headers()) || res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        return app::error::AppError::Internal.into_response();
    };
    let bytes = match std::str::from_utf8(&bytes)
        .ok()
        .and_then(crate::markup::tidy)
    {
        Some(tidied) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            bytes::Bytes::from(tidied)
        }
        None => bytes,
    };
    let policy = policy(nonce.as_deref(), back_office);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether the site is served over https (for HSTS).
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

/// `nosniff` and the referrer policy on every response, HSTS over https, framing rules and
/// a script-less policy on HTML that has none yet.
pub async fn headers(State(https): State<Https>, req: Request, next: Next) -> Response {
    let back_office = crate::admin_auth::is_admin_path(req.uri().path());
    let mut res = next.run(req).await;
    let html = is_html(res.headers());
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if https.0 {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if html {
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static(if back_office { "DENY" } else { "SAMEORIGIN" }),
        );
        if !h.contains_key(header::CONTENT_SECURITY_POLICY)
            && let Ok(value) = HeaderValue::from_str(&policy(None, back_office))
        {
            h.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script_part(policy: &str) -> &str {
        policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default()
    }

    #[test]
    fn only_the_renders_nonce_lets_inline_scripts_run() {
        let p = policy(Some("a2V5LXN0cmluZy0xMjM0NQ=="), false);
        assert!(
            script_part(&p).contains("'nonce-a2V5LXN0cmluZy0xMjM0NQ=='"),
            "{p}"
        );
        assert!(!p.contains("sha256-"), "{p}");
        assert!(!p.contains("unsafe-inline"), "{p}");
        assert!(p.contains("frame-ancestors 'self'"));
        assert!(p.contains("object-src 'none'"));
        assert!(!p.contains("style-src-attr"), "{p}");
        // Something that is not a nonce never reaches the policy.
        let odd = policy(Some("x'; script-src *"), false);
        assert!(!odd.contains("nonce-"), "{odd}");
        assert_eq!(
            script_part(&policy(None, false)).trim(),
            "script-src 'self' 'wasm-unsafe-eval'"
        );
        let admin = policy(None, true);
        assert!(admin.contains("frame-ancestors 'none'"));
        assert!(admin.contains("style-src-attr 'unsafe-inline'"));
        assert!(!script_part(&admin).contains("unsafe-inline"));
    }
}
