//! The page cache: public pages rendered once and kept in memory with their gzip and brotli
//! bodies, served until something they show changes.
//!
//! A page's render notes what it shows as tags (`article:12`, `list:3`, `chrome`, …). A
//! change records the tags it makes stale in the database (see `service::cache`); every
//! server polls that log and drops the pages carrying those tags. Responses carry a weak
//! `ETag` and `Last-Modified`, and conditional requests get `304 Not Modified`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use app::error::AppError;
use app::prefs::ReaderPrefs;
use app::ssr::{PageTags, RequestSite};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::compress::{brotli_best, brotli_fast, gunzip, gzip_best, gzip_fast};

/// The largest page body kept (sitemaps of 50,000 URLs fit).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// What a cached page is looked up by: its site (站群: the same address on two sites is two
/// pages), its canonical path and query (see `app::canonical`) and the reader's font size
/// and 无障碍 choices.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    site: i32,
    path_and_query: String,
    prefs: ReaderPrefs,
}

/// What the cache layer does with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Not a public page (a POST, the back office, the API, files…): pass it on.
    Pass,
    /// Another spelling of a page: 301 to its one address.
    Redirect(String),
    /// A public page, known by this key.
    Page(Key),
}

impl Key {
    /// How the cache treats a request: only GETs and HEADs of public pages are looked up,
    /// by their site and canonical address, which never includes parameters the page does
    /// not read. A request whose site is not known (the host routing puts it in every
    /// request it lets through) is never served from the cache nor stored.
    pub fn of(req: &Request) -> Lookup {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Lookup::Pass;
        }
        let Some(site) = req.extensions().get::<RequestSite>().map(RequestSite::id) else {
            return Lookup::Pass;
        };
        let uri = req.uri();
        let path = uri.path();
        const PRIVATE: &[&str] = &["/api/", "/prefs/", "/pkg/", "/media/", "/admin"];
        if PRIVATE.iter().any(|p| path.starts_with(p)) || path == "/healthz" {
            return Lookup::Pass;
        }
        if req.headers().contains_key(header::AUTHORIZATION) {
            return Lookup::Pass;
        }
        let path_and_query = match app::canonical::canonical(path, uri.query()) {
            app::canonical::Canonical::Redirect(to) => return Lookup::Redirect(to),
            // Forms and search results are rendered for each request, never stored.
            app::canonical::Canonical::Page(_) if app::canonical::is_uncached_page(path) => {
                return Lookup::Pass;
            }
            app::canonical::Canonical::Page(p) => p,
        };
        let prefs = app::ssr::reader_prefs(req.headers());
        Lookup::Page(Key {
            site,
            path_and_query,
            prefs,
        })
    }
}

/// How the client wants the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    pub fn preferred(headers: &HeaderMap) -> Encoding {
        let values = headers.get_all(header::ACCEPT_ENCODING);
        let parts = || {
            values
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
        };
        let accepts = |name: &str| {
            parts().any(|part| {
                let mut it = part.split(';');
                let coding = it.next().unwrap_or_default().trim();
                let refused = it.any(|p| {
                    let p = p.trim();
                    p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
        };
        if accepts("br") {
            Encoding::Brotli
        } else if accepts("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// A cached page.
pub struct Entry {
    content_type: HeaderValue,
    etag: HeaderValue,
    last_modified: HeaderValue,
    modified: SystemTime,
    gzip: Bytes,
    brotli: Bytes,
    tags: Vec<String>,
    /// The page's Content-Security-Policy (it carries the nonce of the render's scripts).
    csp: Option<HeaderValue>,
    seq: u64,
}

impl Entry {
    /// Compresses a rendered body once, for every later request.
    pub fn new(
        content_type: HeaderValue,
        body: &[u8],
        tags: Vec<String>,
        variant: ReaderPrefs,
    ) -> Entry {
        let modified = SystemTime::now();
        let (etag, last_modified) = validators(body, variant, modified);
        Entry {
            content_type,
            etag,
            last_modified,
            modified,
            gzip: gzip_best(body),
            brotli: brotli_best(body),
            tags,
            csp: None,
            seq: 0,
        }
    }

    /// Keeps the page's Content-Security-Policy with it.
    pub fn with_csp(mut self, csp: Option<HeaderValue>) -> Entry {
        self.csp = csp;
        self
    }

    fn size(&self) -> usize {
        self.gzip.len() + self.brotli.len() + self.tags.iter().map(String::len).sum::<usize>() + 256
    }

    /// Whether the client's copy is this one.
    fn not_modified(&self, headers: &HeaderMap) -> bool {
        not_modified(headers, &self.etag, self.modified)
    }

    /// The response to a request for this page.
    pub fn respond(&self, req_headers: &HeaderMap, head: bool) -> Response {
        let mut res = if self.not_modified(req_headers) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (body, encoding) = match Encoding::preferred(req_headers) {
                Encoding::Brotli => (self.brotli.clone(), Some("br")),
                Encoding::Gzip => (self.gzip.clone(), Some("gzip")),
                Encoding::Identity => (gunzip(&self.gzip), None),
            };
            let len = body.len();
            let mut res = if head {
                Response::new(Body::empty())
            } else {
                Response::new(Body::from(body))
            };
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, self.content_type.clone());
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            if let Some(e) = encoding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
            }
            res
        };
        let h = res.headers_mut();
        h.insert(header::ETAG, self.etag.clone());
        h.insert(header::LAST_MODIFIED, self.last_modified.clone());
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
        if let Some(csp) = &self.csp {
            h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        }
        res
    }
}

/// A page's weak `ETag` (its bytes and the reader preferences it was rendered for) and
/// `Last-Modified`.
fn validators(
    body: &[u8],
    variant: ReaderPrefs,
    modified: SystemTime,
) -> (HeaderValue, HeaderValue) {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("W/\"{:016x}-{}\"", hasher.finish(), variant.code());
    (
        HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("W/\"0\"")),
        HeaderValue::from_str(&httpdate::fmt_http_date(modified))
            .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
    )
}

/// Whether the client's copy is this one (`If-None-Match`, else `If-Modified-Since`).
fn not_modified(headers: &HeaderMap, etag: &HeaderValue, modified: SystemTime) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
        return inm == "*"
            || inm
                .split(',')
                .any(|t| t.trim().trim_start_matches("W/") == ours);
    }
    if let Some(since) = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
    {
        let secs = |t: SystemTime| {
            t.duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        };
        return secs(modified) <= secs(since);
    }
    false
}

/// The answer to the request that rendered a page: compressed only in the encoding the
/// client prefers, at the fast level (the thorough copies for the cache are made afterwards,
/// off the request path), with the same validators the cached copy will have.
fn fresh_response(
    mut parts: axum::http::response::Parts,
    body: &Bytes,
    req_headers: &HeaderMap,
    head: bool,
    variant: ReaderPrefs,
) -> Response {
    let (etag, last_modified) = validators(body, variant, SystemTime::now());
    let h = &mut parts.headers;
    h.remove(header::CONTENT_LENGTH);
    h.insert(header::ETAG, etag.clone());
    h.insert(header::LAST_MODIFIED, last_modified);
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie"),
    );
    if not_modified(req_headers, &etag, SystemTime::now()) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    let (data, encoding) = match Encoding::preferred(req_headers) {
        Encoding::Brotli => (brotli_fast(body), Some("br")),
        Encoding::Gzip => (gzip_fast(body), Some("gzip")),
        Encoding::Identity => (body.clone(), None),
    };
    let h = &mut parts.headers;
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(data.len()));
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    Response::from_parts(
        parts,
        if head {
            Body::empty()
        } else {
            Body::from(data)
        },
    )
}

/// What a request that missed the cache does.
enum Turn {
    /// Render the page (the guard tells waiting requests when it is done).
    Render(Option<InFlight>),
    /// Another request just rendered it: look again.
    Rendered,
}

/// A page being rendered (and then compressed for the cache); waiting requests are woken
/// when it is dropped.
struct InFlight {
    cache: Arc<PageCache>,
    key: Key,
    done: Arc<tokio::sync::Notify>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut map) = self.cache.in_flight.lock() {
            map.remove(&self.key);
        }
        self.done.notify_waiters();
    }
}

/// How long a request waits for another request's render of the same page before it
/// renders the page itself.
const WAIT_FOR_RENDER: std::time::Duration = std::time::Duration::from_secs(10);

/// What [`PageCache::stats`] reports.
#[derive(Clone, Copy, Debug)]
pub struct CacheStats {
    pub hits: u64,
    /// Pages rendered because no cached copy was there.
    pub misses: u64,
    pub entries: usize,
    pub bytes: usize,
}

/// The cache itself. Shared by all requests of one server.
pub struct PageCache {
    /// Pages being rendered now, so that other requests for them wait instead of rendering
    /// them again.
    in_flight: std::sync::Mutex<HashMap<Key, Arc<tokio::sync::Notify>>>,
    /// Cache misses rendered at once.
    rendering: tokio::sync::Semaphore,
    /// Pages rendered for lack of a cached copy (for tests and monitoring).
    renders: AtomicU64,
    /// Pages answered from the cache.
    hits: AtomicU64,
    entries: RwLock<HashMap<Key, Arc<Entry>>>,
    /// Compressions running at once: one per core, so a flood of misses queues instead of
    /// piling up compressor memory on the blocking threads.
    compressing: tokio::sync::Semaphore,
    bytes: AtomicUsize,
    max_bytes: usize,
    seq: AtomicU64,
    /// Bumped by every invalidation; a page rendered across one is not stored.
    epoch: AtomicU64,
}

impl PageCache {
    /// A cache holding at most `max_bytes` of compressed pages; 0 disables it.
    pub fn new(max_bytes: usize) -> PageCache {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PageCache {
            in_flight: std::sync::Mutex::new(HashMap::new()),
            rendering: tokio::sync::Semaphore::new(8 * cores),
            renders: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            entries: RwLock::new(HashMap::new()),
            compressing: tokio::sync::Semaphore::new(cores),
            bytes: AtomicUsize::new(0),
            max_bytes,
            seq: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// Whether this request renders `key` or waits for the request already rendering it.
    async fn render_or_wait(self: &Arc<Self>, key: &Key) -> Turn {
        let waiting = {
            let Ok(mut map) = self.in_flight.lock() else {
                return Turn::Render(None);
            };
            match map.get(key) {
                Some(done) => {
                    let done = done.clone();
                    // Registered before the lock is released, so the wake-up cannot be missed.
                    let mut notified = Box::pin(done.notified_owned());
                    notified.as_mut().enable();
                    notified
                }
                None => {
                    let done = Arc::new(tokio::sync::Notify::new());
                    map.insert(key.clone(), done.clone());
                    return Turn::Render(Some(InFlight {
                        cache: self.clone(),
                        key: key.clone(),
                        done,
                    }));
                }
            }
        };
        let _ = tokio::time::timeout(WAIT_FOR_RENDER, waiting).await;
        Turn::Rendered
    }

    /// How many public pages were rendered because no cached copy was there.
    pub fn renders(&self) -> u64 {
        self.renders.load(Ordering::Relaxed)
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let found = self.entries.read().ok()?.get(key).cloned();
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Counters and sizes for monitoring.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.renders(),
            entries: self.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores a page unless an invalidation happened since `epoch` (its data may be stale).
    pub fn insert(&self, key: Key, mut entry: Entry, epoch: u64) -> Arc<Entry> {
        entry.seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let size = entry.size();
        let entry = Arc::new(entry);
        if !self.enabled() || size > self.max_bytes / 4 {
            return entry;
        }
        let Ok(mut entries) = self.entries.write() else {
            return entry;
        };
        if self.epoch() != epoch {
            return entry;
        }
        if let Some(old) = entries.insert(key, entry.clone()) {
            self.bytes.fetch_sub(old.size(), Ordering::Relaxed);
        }
        let total = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if total > self.max_bytes {
            // Drop the oldest quarter.
            let mut seqs: Vec<u64> = entries.values().map(|e| e.seq).collect();
            seqs.sort_unstable();
            let cut = seqs.get(seqs.len() / 4).copied().unwrap_or(0);
            let mut freed = 0;
            entries.retain(|_, e| {
                let keep = e.seq > cut;
                if !keep {
                    freed += e.size();
                }
                keep
            });
            self.bytes.fetch_sub(freed, Ordering::Relaxed);
        }
        entry
    }

    /// Drops every page of site `site` (of every site for `None`) carrying one of `tags`;
    /// returns how many.
    pub fn invalidate(&self, site: Option<i32>, tags: &[String]) -> usize {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let Ok(mut entries) = self.entries.write() else {
            return 0;
        };
        let before = entries.len();
        let mut freed = 0;
        entries.retain(|key, e| {
            let stale =
                site.is_none_or(|s| s == key.site) && e.tags.iter().any(|t| tags.contains(t));
            if stale {
                freed += e.size();
            }
            !stale
        });
        self.bytes.fetch_sub(freed, Ordering::Relaxed);
        before - entries.len()
    }

    /// Drops everything.
    pub fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
    }
}

fn moved_permanently(to: &str) -> Response {
    let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, location);
    }
    res
}

fn cacheable_type(res: &Response) -> Option<HeaderValue> {
    let ct = res.headers().get(header::CONTENT_TYPE)?;
    let s = ct.to_str().ok()?;
    (s.starts_with("text/html")
        || s.starts_with("application/xml")
        || s.starts_with("application/rss+xml")
        || s.starts_with("text/plain"))
    .then(|| ct.clone())
}

/// The middleware: serves cached pages, and renders, compresses and stores the rest.
pub async fn layer(State(cache): State<Arc<PageCache>>, mut req: Request, next: Next) -> Response {
    let key = match Key::of(&req) {
        Lookup::Pass => return next.run(req).await,
        Lookup::Redirect(to) => return moved_permanently(&to),
        Lookup::Page(key) => key,
    };
    // The page is rendered from its canonical address: parameters it does not read are gone.
    if req.uri().path_and_query().map(|p| p.as_str()) != Some(key.path_and_query.as_str())
        && let Ok(uri) = axum::http::Uri::try_from(key.path_and_query.as_str())
    {
        *req.uri_mut() = uri;
    }
    let head = req.method() == Method::HEAD;
    if let Some(entry) = cache.get(&key) {
        return entry.respond(req.headers(), head);
    }
    // One render per page at a time: requests for a page being rendered wait for it and are
    // served from the cache (a burst of readers of a fresh page renders it once). Without a
    // cache there is nothing to wait for.
    let rendering = if !cache.enabled() {
        None
    } else {
        match cache.render_or_wait(&key).await {
            Turn::Render(guard) => guard,
            Turn::Rendered => {
                if let Some(entry) = cache.get(&key) {
                    return entry.respond(req.headers(), head);
                }
                // Not stored (an error page, or invalidated meanwhile): render it here.
                None
            }
        }
    };
    // And a bounded number of renders at once, so a flood of different misses queues
    // (holding little memory) instead of rendering all at once.
    let Ok(_slot) = cache.rendering.acquire().await else {
        return AppError::Internal.into_response();
    };
    cache.renders.fetch_add(1, Ordering::Relaxed);
    let epoch = cache.epoch();
    let tags = PageTags::default();
    req.extensions_mut().insert(tags.clone());
    // A HEAD is rendered as the GET it stands for: axum answers a HEAD with the GET
    // handler's headers and no body, and that empty body must never become the page
    // everyone is served. The body is dropped below, on the way out.
    if head {
        *req.method_mut() = Method::GET;
    }
    let req_headers = req.headers().clone();
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let Some(content_type) = cacheable_type(&res) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "could not read a page body");
            return AppError::Internal.into_response();
        }
    };
    let tags = tags.take();
    let variant = key.prefs;
    let fresh = fresh_response(parts, &bytes, &req_headers, head, variant);
    if tags.is_empty() || !cache.enabled() {
        // Nothing says when this page would go stale (or there is no cache): not kept.
        return fresh;
    }
    // The thorough copies take milliseconds of CPU: made after this answer has gone, on a
    // blocking thread, one per core at a time; requests for the same page wait for them
    // (the guard) and are then served from the cache.
    let csp = fresh
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .cloned();
    let keeper = cache.clone();
    tokio::spawn(async move {
        let _rendering = rendering;
        let Ok(_turn) = keeper.compressing.acquire().await else {
            return;
        };
        let built = tokio::task::spawn_blocking(move || {
            Entry::new(content_type, &bytes, tags, variant).with_csp(csp)
        })
        .await;
        match built {
            Ok(entry) => {
                keeper.insert(key, entry, epoch);
            }
            Err(e) => tracing::warn!(error = %e, "compressing a page failed"),
        }
    });
    fresh
}

#[cfg(test)]
#[path = "page_cache_test.rs"]
mod tests;
