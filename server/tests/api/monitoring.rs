//! `/healthz`, `/readyz` and `/metrics` as a load balancer and Prometheus see them.

use crate::helpers::{Backend, TestApp, spawn_app_with};

async fn metrics_count_requests_and_describe_the_server(app: &TestApp) {
    let a = app.some_article().await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/articles/{}", a.id)).await.status(), 200);
    }
    assert_eq!(app.get("/articles/999999").await.status(), 404);
    assert_eq!(app.get("/readyz").await.status(), 200);
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let text = res.text().await.unwrap();
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
    };
    assert!(value("portico_http_requests_total{kind=\"page\",status=\"2xx\"}") >= 3.0);
    assert!(value("portico_http_requests_total{kind=\"page\",status=\"4xx\"}") >= 1.0);
    assert!(value("portico_http_requests_total{kind=\"health\",status=\"2xx\"}") >= 1.0);
    assert!(
        value("portico_http_request_duration_seconds_bucket{kind=\"page\",le=\"+Inf\"}") >= 4.0
    );
    assert!(value("portico_http_request_duration_seconds_sum{kind=\"page\"}") > 0.0);
    // The same article three times: rendered once, then from the cache.
    assert!(value("portico_page_cache_hits_total") >= 1.0);
    assert!(value("portico_page_cache_misses_total") >= 1.0);
    assert!(value("portico_page_cache_entries") >= 1.0);
    assert!(value("portico_db_pool_max_connections{pool=\"read\"}") >= 1.0);
    assert!(text.contains("portico_db_pool_connections{pool=\"write\",state=\"idle\"}"));
    assert!(text.contains("# TYPE portico_http_request_duration_seconds histogram"));
    views_waiting_to_be_written_are_reported(app, a.id).await;
}

/// `portico_view_buffer_pending` is the number of views counted and not yet written: seven
/// more views show as seven more. The writer empties the buffer every few seconds, so a
/// reading is kept only when nothing was written between the views and the scrape (the
/// buffer then holds exactly the views before plus the seven).
async fn views_waiting_to_be_written_are_reported(app: &TestApp, article: i32) {
    let hits = &app.state.hits;
    for _ in 0..20 {
        let before = hits.total_unflushed();
        for _ in 0..7 {
            hits.record(article);
        }
        let text = app.get("/metrics").await.text().await.unwrap();
        let after = hits.total_unflushed();
        if after != before + 7 {
            continue; // written in between: try again
        }
        let shown: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("portico_view_buffer_pending ")?.parse().ok())
            .unwrap_or_else(|| panic!("no portico_view_buffer_pending in\n{text}"));
        assert_eq!(shown, after, "{text}");
        return;
    }
    panic!("the view buffer was written during every one of 20 scrapes");
}
crate::on_both_backends!(metrics_count_requests_and_describe_the_server);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_only_the_configured_addresses() {
    let app = spawn_app_with(Backend::Sqlite, &[("PORTICO_METRICS_ALLOW", "10.0.0.0/8")]).await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    // A forged X-Forwarded-For from a client that is not a trusted proxy changes nothing.
    let res = app
        .client
        .get(app.url("/metrics"))
        .header("x-forwarded-for", "10.1.2.3")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.cleanup().await;
}
