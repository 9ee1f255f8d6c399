//! Security headers. Every HTML response gets a Content-Security-Policy that allows exactly
//! what the pages use: scripts from this site and the inline scripts of that very page, by
//! hash (no `unsafe-inline`), WebAssembly compilation for the islands, no plugins, no
//! `<base>` elsewhere, forms only to this site, and framing by this site alone (public pages)
//! or by nobody (the back office). Every response gets `nosniff` and a referrer policy, and
//! HSTS when the site is served over https.
//!
//! The policy is computed where a page is rendered ([`csp`], inside the page cache, which
//! keeps it with the page); [`headers`] adds the rest to everything, and a policy without
//! script hashes to any HTML that did not get one (error pages answered outside the router).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// Largest page scanned for inline scripts (larger bodies are not HTML pages of ours).
const MAX_PAGE: usize = 16 * 1024 * 1024;

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

fn is_back_office(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/")
}

/// The contents of the page's inline scripts that a browser would run (not data blocks
/// such as `application/ld+json`).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let start = pos + found;
        let Some(tag_len) = lower[start..].find('>') else {
            break;
        };
        let tag = &lower[start..start + tag_len];
        let body_start = start + tag_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else {
            break;
        };
        pos = body_start + body_len;
        let name_ends = tag
            .as_bytes()
            .get(7)
            .is_none_or(|c| c.is_ascii_whitespace());
        if !name_ends || has_attribute(tag, "src") {
            continue;
        }
        let runs = match attribute_value(tag, "type") {
            None => true,
            Some(t) => matches!(
                t.trim(),
                "" | "module" | "text/javascript" | "application/javascript"
            ),
        };
        if runs {
            out.push(&html[body_start..pos]);
        }
    }
    out
}

fn attribute_value<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = attribute_start(tag, name)?;
    let rest = tag[at + name.len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    Some(match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
        _ => rest.split(char::is_whitespace).next().unwrap_or_default(),
    })
}

fn has_attribute(tag: &str, name: &str) -> bool {
    attribute_start(tag, name).is_some()
}

/// Where attribute `name` starts in a lower-cased tag (preceded by whitespace, followed by
/// `=`, whitespace or the end).
fn attribute_start(tag: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        let before = tag[..at].chars().next_back();
        let after = tag[at + name.len()..].chars().next();
        if before.is_some_and(char::is_whitespace)
            && after.is_none_or(|c| c == '=' || c.is_whitespace() || c == '/')
        {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// The policy for a page with these inline scripts.
pub fn policy(html: &str, back_office: bool) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    let mut seen = Vec::new();
    for script in inline_scripts(html) {
        let hash = STANDARD.encode(Sha256::digest(script.as_bytes()));
        if !seen.contains(&hash) {
            scripts.push_str(&format!(" 'sha256-{hash}'"));
            seen.push(hash);
        }
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
/// the hashes of its own inline scripts. Runs inside the page cache, which keeps both.
pub async fn csp(req: Request, next: Next) -> Response {
    let back_office = is_back_office(req.uri().path());
    let res = next.run(req).await;
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
    let policy = policy(&String::from_utf8_lossy(&bytes), back_office);
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
    let back_office = is_back_office(req.uri().path());
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
            && let Ok(value) = HeaderValue::from_str(&policy("", back_office))
        {
            h.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_that_run_are_hashed() {
        let html = r#"<head><script type="module">import('/pkg/a.js')</script>
            <script src="/pkg/b.js"></script>
            <script type="application/ld+json">{"a":1}</script>
            <SCRIPT>window.x=1</SCRIPT><scripted>no</scripted></head>"#;
        assert_eq!(
            inline_scripts(html),
            vec!["import('/pkg/a.js')", "window.x=1"]
        );
        let p = policy(html, false);
        let expected = STANDARD.encode(Sha256::digest(b"import('/pkg/a.js')"));
        assert!(p.contains(&format!("'sha256-{expected}'")), "{p}");
        assert!(!p.contains("unsafe-inline"), "{p}");
        assert!(p.contains("frame-ancestors 'self'"));
        assert!(p.contains("object-src 'none'"));
        assert!(!p.contains("style-src-attr"), "{p}");
        let admin = policy("", true);
        assert!(admin.contains("frame-ancestors 'none'"));
        assert!(admin.contains("style-src-attr 'unsafe-inline'"));
        assert!(!script_part(&admin).contains("unsafe-inline"));
    }

    fn script_part(policy: &str) -> &str {
        policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default()
    }

    #[test]
    fn attributes_are_matched_whole() {
        assert!(has_attribute("<script src=\"x\"", "src"));
        assert!(!has_attribute("<script data-src=\"x\"", "src"));
        assert_eq!(
            attribute_value("<script type='module'", "type"),
            Some("module")
        );
    }
}
