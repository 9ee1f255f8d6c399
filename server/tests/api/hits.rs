use entity::article;
use sea_orm::EntityTrait;

use crate::helpers::{BROWSER_UA, TestApp, shown_hits};
use crate::on_both_backends;

async fn current(app: &TestApp, id: i32) -> u64 {
    app.get(&format!("/api/hits/{id}"))
        .await
        .json::<u64>()
        .await
        .unwrap()
}

/// A GET of `path` by reader number `n` (another browser on the same address).
async fn view_as(app: &TestApp, path: &str, n: u32) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("user-agent", format!("{BROWSER_UA} reader/{n}"))
        .send()
        .await
        .unwrap()
}

async fn each_view_counts_exactly_once(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let start = a.hits as u64;

    let first = view_as(app, &path, 1).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        shown_hits(&first.text().await.unwrap()),
        start + 1,
        "this view is included"
    );
    assert_eq!(current(app, a.id).await, start + 1);
    // The second reader's view comes from the page cache and still counts.
    view_as(app, &path, 2).await;
    assert_eq!(current(app, a.id).await, start + 2);

    // Robots and prefetches are not counted.
    let bot = app
        .client
        .get(app.url(&path))
        .header("user-agent", "Mozilla/5.0 (compatible; Baiduspider/2.0)")
        .send()
        .await
        .unwrap();
    assert_eq!(bot.status(), 200);
    let no_ua = app
        .client
        .get(app.url(&path))
        .header("user-agent", "")
        .send()
        .await
        .unwrap();
    assert_eq!(no_ua.status(), 200);
    let prefetch = app
        .client
        .get(app.url(&path))
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .unwrap();
    assert_eq!(prefetch.status(), 200);
    // HEAD requests and missing pages are not views either.
    app.client.head(app.url(&path)).send().await.unwrap();
    app.get("/articles/999999").await;
    assert_eq!(current(app, a.id).await, start + 2);

    // A reload answered "not modified" is a view (by a reader not counted yet).
    let reload = app
        .client
        .get(app.url(&path))
        .header("user-agent", format!("{BROWSER_UA} reader/3"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(reload.status(), 304);
    assert_eq!(current(app, a.id).await, start + 3);

    // The batch reaches the database in one flush.
    app.state
        .hits
        .flush(&app.db, app.state.site.time_zone)
        .await
        .unwrap();
    let stored = article::Entity::find_by_id(a.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.hits as u64, start + 3);
    assert_eq!(app.state.hits.total_unflushed(), 0);
    assert_eq!(current(app, a.id).await, start + 3);
    assert_eq!(app.get("/api/hits/999999").await.status(), 404);
    assert_eq!(app.get("/api/hits/abc").await.status(), 404);
}
on_both_backends!(each_view_counts_exactly_once);

/// Honest counts: 1,000 requests from one reader (fresh, or answered 304 to
/// `If-None-Match: *`) add one view; ten readers add ten. A client cannot pose as other
/// readers with a forged `X-Forwarded-For` (no proxy is trusted here).
async fn a_reader_counts_once_per_article(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let start = current(app, a.id).await;
    for i in 0..1000 {
        let mut req = app
            .client
            .get(app.url(&path))
            .header("x-forwarded-for", format!("203.0.113.{}", i % 250));
        if i % 2 == 1 {
            req = req.header("if-none-match", "*");
        }
        let res = req.send().await.unwrap();
        assert!(res.status() == 200 || res.status() == 304);
    }
    assert_eq!(current(app, a.id).await, start + 1);
    for n in 0..10 {
        assert_eq!(view_as(app, &path, 100 + n).await.status(), 200);
        view_as(app, &path, 100 + n).await;
    }
    assert_eq!(current(app, a.id).await, start + 11);
}
on_both_backends!(a_reader_counts_once_per_article);

/// The dashboard adds up the per-day views (the demo content has 30 days of them) and lists
/// the most read articles, on either database.
async fn the_dashboard_counts_views(app: &TestApp) {
    use entity::user::Role;
    let tz = service::time::DEFAULT_TIME_ZONE;
    let days = service::statistics::last_days(30, tz);
    let week = service::statistics::daily_totals(&app.db, &days[23])
        .await
        .unwrap();
    let week_total: i64 = week.iter().map(|d| d.1).sum();
    assert!(week_total > 0, "the demo content has recent views");
    let top = service::statistics::top_articles(&app.db, &days[23], 10)
        .await
        .unwrap();
    assert!(!top.is_empty() && top.windows(2).all(|w| w[0].2 >= w[1].2));

    app.create_staff("reader-of-numbers", Role::Editor).await;
    let staff = app.sign_in("reader-of-numbers").await;
    let res = staff.client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!(
            r#"<span class="stat-value">{week_total}</span><span class="stat-label">近 7 天浏览"#
        )),
        "7-day total {week_total} shown"
    );
    let chart = html
        .find("<svg")
        .map(|i| html[i..].chars().take(300).collect::<String>());
    assert!(
        chart
            .as_deref()
            .is_some_and(|c| c.contains(r#"class="chart""#))
            && html.contains("<rect"),
        "{chart:?}"
    );
    let (id, title, views) = &top[0];
    assert!(
        html.contains(&format!(r#"href="/articles/{id}""#)) && html.contains(title.as_str()),
        "the most read article is listed"
    );
    assert!(html.contains(&format!(r#"<span class="num">{views}</span>"#)));
}
on_both_backends!(the_dashboard_counts_views);

/// Behind a trusted proxy (here: loopback), readers are told apart by the address the proxy
/// appended to `X-Forwarded-For`, and the audit log records it; what the client wrote to the
/// left of it is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Sqlite,
        &[("PORTICO_TRUSTED_PROXIES", "127.0.0.1, ::1")],
    )
    .await;
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let start = current(&app, a.id).await;
    for round in 0..2 {
        for n in 0..10 {
            let res = app
                .client
                .get(app.url(&path))
                .header("x-forwarded-for", format!("10.0.0.{round}, 203.0.113.{n}"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
    }
    assert_eq!(
        current(&app, a.id).await,
        start + 10,
        "ten readers, each once"
    );

    let res = app
        .browser()
        .post(app.url("/admin/login"))
        .header("x-forwarded-for", "1.1.1.1, 203.0.113.77")
        .header("x-real-ip", "9.9.9.9")
        .form(&[("username", "nobody"), ("password", "wrong password")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let row = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("login.failed"))
        .order_by_desc(entity::audit_log::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.ip, "203.0.113.77");
    app.cleanup().await;
}
