//! `/metrics` in the Prometheus text format: requests and their latency by route kind, the
//! page cache, the view-count buffer and the database pools. Answered only to the addresses
//! of `[metrics] allow` (the client's address as the trusted-proxy setting determines it);
//! everyone else gets a 404.

use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use app::ssr::AppState;
use app::ssr::client::{TrustedProxies, client_address};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::page_cache::PageCache;

/// What a request was for, as far as monitoring cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    Page,
    Media,
    Asset,
    Feed,
    Form,
    Api,
    Admin,
    Health,
}

impl RouteKind {
    const ALL: [RouteKind; 8] = [
        RouteKind::Page,
        RouteKind::Media,
        RouteKind::Asset,
        RouteKind::Feed,
        RouteKind::Form,
        RouteKind::Api,
        RouteKind::Admin,
        RouteKind::Health,
    ];

    fn name(self) -> &'static str {
        match self {
            RouteKind::Page => "page",
            RouteKind::Media => "media",
            RouteKind::Asset => "asset",
            RouteKind::Feed => "feed",
            RouteKind::Form => "form",
            RouteKind::Api => "api",
            RouteKind::Admin => "admin",
            RouteKind::Health => "health",
        }
    }

    pub fn of(method: &Method, path: &str) -> RouteKind {
        if path.starts_with("/pkg/") {
            RouteKind::Asset
        } else if path.starts_with("/media/") {
            RouteKind::Media
        } else if matches!(path, "/healthz" | "/readyz" | "/metrics") {
            RouteKind::Health
        } else if path.starts_with("/admin") || path.starts_with("/api/admin") {
            RouteKind::Admin
        } else if path.starts_with("/api/") {
            RouteKind::Api
        } else if path.ends_with(".xml") || path == "/robots.txt" || path.starts_with("/sitemaps/")
        {
            RouteKind::Feed
        } else if *method == Method::POST {
            RouteKind::Form
        } else {
            RouteKind::Page
        }
    }
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// Status classes counted: 2xx, 3xx, 4xx, 5xx (1xx is counted as 2xx).
const CLASSES: [&str; 4] = ["2xx", "3xx", "4xx", "5xx"];

#[derive(Default)]
struct PerKind {
    by_class: [AtomicU64; 4],
    /// Cumulative counts are made when written out; these are per bucket (+Inf last).
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

/// The counters one server keeps since it started.
#[derive(Default)]
pub struct Metrics {
    kinds: [PerKind; 8],
}

impl Metrics {
    fn observe(&self, kind: RouteKind, status: StatusCode, seconds: f64) {
        let Some(i) = RouteKind::ALL.iter().position(|k| *k == kind) else {
            return;
        };
        let k = &self.kinds[i];
        let class = match status.as_u16() {
            300..=399 => 1,
            400..=499 => 2,
            500.. => 3,
            _ => 0,
        };
        k.by_class[class].fetch_add(1, Ordering::Relaxed);
        let bucket = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        k.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        k.sum_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    fn write_requests(&self, out: &mut String) {
        out.push_str(
            "# HELP portico_http_requests_total Requests answered, by route kind and status class.\n\
             # TYPE portico_http_requests_total counter\n",
        );
        for (kind, k) in RouteKind::ALL.iter().zip(&self.kinds) {
            for (class, n) in CLASSES.iter().zip(&k.by_class) {
                let _ = writeln!(
                    out,
                    "portico_http_requests_total{{kind=\"{}\",status=\"{class}\"}} {}",
                    kind.name(),
                    n.load(Ordering::Relaxed)
                );
            }
        }
        out.push_str(
            "# HELP portico_http_request_duration_seconds Time to the response head, by route kind.\n\
             # TYPE portico_http_request_duration_seconds histogram\n",
        );
        for (kind, k) in RouteKind::ALL.iter().zip(&self.kinds) {
            let name = kind.name();
            let mut cumulative = 0;
            for (i, n) in k.buckets.iter().enumerate() {
                cumulative += n.load(Ordering::Relaxed);
                let le = BUCKETS
                    .get(i)
                    .map_or_else(|| "+Inf".to_owned(), |b| b.to_string());
                let _ = writeln!(
                    out,
                    "portico_http_request_duration_seconds_bucket{{kind=\"{name}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let sum = k.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "portico_http_request_duration_seconds_sum{{kind=\"{name}\"}} {sum}\n\
                 portico_http_request_duration_seconds_count{{kind=\"{name}\"}} {cumulative}"
            );
        }
    }
}

/// The middleware counting every request (outermost, so cached pages count too).
pub async fn record(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let kind = RouteKind::of(req.method(), req.uri().path());
    let started = Instant::now();
    let res = next.run(req).await;
    metrics.observe(kind, res.status(), started.elapsed().as_secs_f64());
    res
}

/// What `/metrics` reads.
#[derive(Clone)]
pub struct Sources {
    pub metrics: Arc<Metrics>,
    pub cache: Arc<PageCache>,
    pub app: AppState,
    pub allow: Arc<TrustedProxies>,
}

/// `GET /metrics`.
pub async fn handler(
    State(src): State<Sources>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let client = client_address(&src.app.site.trusted_proxies, Some(peer), req.headers());
    if !client.is_some_and(|ip| src.allow.contains(ip)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut out = String::with_capacity(8192);
    src.metrics.write_requests(&mut out);
    let cache = src.cache.stats();
    let _ = write!(
        out,
        "# HELP portico_page_cache_hits_total Pages answered from this server's page cache.\n\
         # TYPE portico_page_cache_hits_total counter\n\
         portico_page_cache_hits_total {}\n\
         # HELP portico_page_cache_misses_total Pages rendered for lack of a cached copy.\n\
         # TYPE portico_page_cache_misses_total counter\n\
         portico_page_cache_misses_total {}\n\
         # HELP portico_page_cache_entries Pages in the cache now.\n\
         # TYPE portico_page_cache_entries gauge\n\
         portico_page_cache_entries {}\n\
         # HELP portico_page_cache_bytes Compressed bytes the cache holds now.\n\
         # TYPE portico_page_cache_bytes gauge\n\
         portico_page_cache_bytes {}\n\
         # HELP portico_view_buffer_pending Page views counted but not yet written to the database.\n\
         # TYPE portico_view_buffer_pending gauge\n\
         portico_view_buffer_pending {}\n",
        cache.hits,
        cache.misses,
        cache.entries,
        cache.bytes,
        src.app.hits.total_unflushed(),
    );
    out.push_str(
        "# HELP portico_db_pool_connections Database connections by pool and state.\n\
         # TYPE portico_db_pool_connections gauge\n",
    );
    let mut max = String::from(
        "# HELP portico_db_pool_max_connections The most connections a pool may open.\n\
         # TYPE portico_db_pool_max_connections gauge\n",
    );
    for p in src.app.db.pool_use() {
        let busy = (p.open as usize).saturating_sub(p.idle);
        let _ = writeln!(
            out,
            "portico_db_pool_connections{{pool=\"{}\",state=\"busy\"}} {busy}\n\
             portico_db_pool_connections{{pool=\"{}\",state=\"idle\"}} {}",
            p.name, p.name, p.idle
        );
        let _ = writeln!(
            max,
            "portico_db_pool_max_connections{{pool=\"{}\"}} {}",
            p.name, p.max
        );
    }
    out.push_str(&max);
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_kind_and_bucket() {
        let m = Metrics::default();
        m.observe(RouteKind::Page, StatusCode::OK, 0.003);
        m.observe(RouteKind::Page, StatusCode::NOT_FOUND, 0.2);
        m.observe(RouteKind::Media, StatusCode::SERVICE_UNAVAILABLE, 9.0);
        let mut out = String::new();
        m.write_requests(&mut out);
        assert!(out.contains("portico_http_requests_total{kind=\"page\",status=\"2xx\"} 1"));
        assert!(out.contains("portico_http_requests_total{kind=\"page\",status=\"4xx\"} 1"));
        assert!(out.contains("portico_http_requests_total{kind=\"media\",status=\"5xx\"} 1"));
        assert!(out.contains(
            "portico_http_request_duration_seconds_bucket{kind=\"page\",le=\"0.0025\"} 0"
        ));
        assert!(out.contains(
            "portico_http_request_duration_seconds_bucket{kind=\"page\",le=\"0.005\"} 1"
        ));
        assert!(
            out.contains(
                "portico_http_request_duration_seconds_bucket{kind=\"page\",le=\"+Inf\"} 2"
            )
        );
        assert!(out.contains("portico_http_request_duration_seconds_count{kind=\"media\"} 1"));
        assert!(
            out.contains("portico_http_request_duration_seconds_bucket{kind=\"media\",le=\"5\"} 0")
        );
        assert_eq!(RouteKind::of(&Method::GET, "/rss.xml"), RouteKind::Feed);
        assert_eq!(RouteKind::of(&Method::POST, "/messages"), RouteKind::Form);
        assert_eq!(RouteKind::of(&Method::GET, "/articles/3"), RouteKind::Page);
        assert_eq!(
            RouteKind::of(&Method::POST, "/api/admin/x"),
            RouteKind::Admin
        );
    }
}
