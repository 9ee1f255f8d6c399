//! `GET /media/...`: the public files (images, their variants, notice attachments) from the
//! media store, a directory or an S3 bucket. Streamed in chunks (never held whole in memory),
//! with `ETag`/`Last-Modified` revalidation and single byte ranges. A store that does not
//! answer gives a 503 for that file within seconds.

use app::ssr::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use service::storage::{GetRange, Meta};

/// The handler.
pub async fn media(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let store = &state.files.media;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let conditional = headers.contains_key(header::IF_NONE_MATCH)
        || headers.contains_key(header::IF_MODIFIED_SINCE);
    // Look first when the answer may be no body (304) or depends on the size (ranges);
    // otherwise open at once (one round trip to a bucket).
    let mut wanted = None;
    if conditional || range.is_some() {
        let meta = match store.head(&path).await {
            Ok(m) => m,
            Err(e) => return failure(e, &path),
        };
        if not_modified(&headers, &meta) {
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            describe(res.headers_mut(), &path, &meta);
            return res;
        }
        let range_applies = headers
            .get(header::IF_RANGE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| Some(v) == etag(&meta).as_deref());
        if let Some(r) = range.filter(|_| range_applies) {
            match parse_range(r, meta.size) {
                Ranged::Whole => {}
                Ranged::Part(start, end) => wanted = Some(GetRange::Bounded(start..end)),
                Ranged::Unsatisfiable => {
                    let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                    if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", meta.size)) {
                        res.headers_mut().insert(header::CONTENT_RANGE, v);
                    }
                    return res;
                }
            }
        }
    }
    let partial = wanted.is_some();
    let opened = match store.open(&path, wanted).await {
        Ok(o) => o,
        Err(e) => return failure(e, &path),
    };
    let len = opened.range.end.saturating_sub(opened.range.start);
    let body = Body::from_stream(opened.body.map_err(std::io::Error::other));
    let mut res = Response::new(body);
    let h = res.headers_mut();
    describe(h, &path, &opened.meta);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if partial {
        *res.status_mut() = StatusCode::PARTIAL_CONTENT;
        let value = format!(
            "bytes {}-{}/{}",
            opened.range.start,
            opened.range.end.saturating_sub(1),
            opened.meta.size
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().insert(header::CONTENT_RANGE, v);
        }
    }
    res
}

/// 404 for a file that is not there; 503 (briefly cacheable by nobody) when the store fails.
fn failure(e: service::Error, path: &str) -> Response {
    match e {
        service::Error::NotFound => StatusCode::NOT_FOUND.into_response(),
        other => {
            tracing::warn!(path, error = %other, "media file unavailable");
            let mut res = (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "文件暂时无法读取，请稍后再试。",
            )
                .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
    }
}

/// The headers every answer about a file carries.
fn describe(h: &mut HeaderMap, path: &str, meta: &Meta) {
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(v) = etag(meta).and_then(|e| HeaderValue::from_str(&e).ok()) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(meta.modified.into())) {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Uploaded files get fresh random names and are never rewritten: cached for good.
    let value = if is_immutable(path) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
}

/// The file's entity tag, quoted as HTTP wants it.
fn etag(meta: &Meta) -> Option<String> {
    let e = meta.etag.as_deref()?;
    Some(if e.starts_with('"') || e.starts_with("W/") {
        e.to_owned()
    } else {
        format!("\"{e}\"")
    })
}

/// `If-None-Match` (preferred) or `If-Modified-Since` says the reader's copy is current.
fn not_modified(headers: &HeaderMap, meta: &Meta) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let Some(tag) = etag(meta) else { return false };
        let bare = tag.trim_start_matches("W/");
        return inm
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == bare);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| {
            let modified: std::time::SystemTime = meta.modified.into();
            // HTTP dates have whole seconds.
            modified
                .duration_since(since)
                .map_or(true, |d| d.as_secs() == 0)
        })
}

/// Files named by upload (`2026/12/<random>...`), which never change.
fn is_immutable(path: &str) -> bool {
    let mut parts = path.split('/');
    let (Some(y), Some(m), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && m.len() == 2
        && m.bytes().all(|b| b.is_ascii_digit())
        && file.len() > 16
        && parts.next().is_none()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        // Text attachments are UTF-8 (Chinese); say so, or browsers may guess another
        // encoding.
        Some("txt") => "text/plain; charset=utf-8",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xls") => "application/vnd.ms-excel",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Ranged {
    /// Not a single byte range we serve (several ranges, another unit): the whole file.
    Whole,
    /// Bytes `start..end`.
    Part(u64, u64),
    Unsatisfiable,
}

fn parse_range(header: &str, size: u64) -> Ranged {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Ranged::Whole;
    };
    if spec.contains(',') {
        return Ranged::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ranged::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| s.parse::<u64>().ok();
    match (a.is_empty(), b.is_empty()) {
        // The last n bytes.
        (true, false) => match num(b) {
            Some(0) => Ranged::Unsatisfiable,
            Some(n) if size > 0 => Ranged::Part(size.saturating_sub(n), size),
            Some(_) => Ranged::Unsatisfiable,
            None => Ranged::Whole,
        },
        (false, true) => match num(a) {
            Some(start) if start < size => Ranged::Part(start, size),
            Some(_) => Ranged::Unsatisfiable,
            None => Ranged::Whole,
        },
        (false, false) => match (num(a), num(b)) {
            (Some(start), Some(last)) if start <= last && start < size => {
                Ranged::Part(start, last.saturating_add(1).min(size))
            }
            (Some(start), Some(last)) if start <= last => Ranged::Unsatisfiable,
            _ => Ranged::Whole,
        },
        (true, true) => Ranged::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), Ranged::Part(0, 100));
        assert_eq!(parse_range("bytes=900-", 1000), Ranged::Part(900, 1000));
        assert_eq!(parse_range("bytes=-100", 1000), Ranged::Part(900, 1000));
        assert_eq!(parse_range("bytes=-5000", 1000), Ranged::Part(0, 1000));
        assert_eq!(parse_range("bytes=990-2000", 1000), Ranged::Part(990, 1000));
        assert_eq!(parse_range("bytes=1000-", 1000), Ranged::Unsatisfiable);
        assert_eq!(parse_range("bytes=2000-3000", 1000), Ranged::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 1000), Ranged::Whole);
        assert_eq!(parse_range("bytes=0-1,5-9", 1000), Ranged::Whole);
        assert_eq!(parse_range("items=0-1", 1000), Ranged::Whole);
        assert_eq!(parse_range("bytes=x-1", 1000), Ranged::Whole);
    }

    #[test]
    fn only_uploaded_names_are_immutable() {
        assert!(is_immutable("2026/12/abcdefgh12345678.jpg"));
        assert!(is_immutable("2026/12/abcdefgh12345678-480.webp"));
        assert!(!is_immutable("demo/cover-2025-01.jpg"));
        assert!(!is_immutable("2026/12/x.jpg"));
        assert_eq!(content_type("a/B.JPG"), "image/jpeg");
        assert_eq!(content_type("a/b.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("a/b"), "application/octet-stream");
    }
}
