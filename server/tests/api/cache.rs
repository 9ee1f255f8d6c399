use std::io::Read;
use std::time::Duration;

use service::editorial::ArticleInput;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn etag(app: &TestApp, url: &str) -> String {
    let res = app.client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    res.headers()["etag"].to_str().unwrap().to_owned()
}

async fn editing_an_article_refreshes_exactly_the_pages_that_show_it(app: &TestApp) {
    let a = app.some_article().await;
    let article_url = app.url(&format!("/articles/{}", a.id));
    let watched = [
        app.url("/"),
        article_url.clone(),
        app.url("/columns/news"),
        app.url("/rss.xml"),
    ];
    let unrelated = app.url("/columns/intro");
    for url in watched.iter().chain([&unrelated]) {
        let first = etag(app, url).await;
        // Served again from the cache: the same representation.
        assert_eq!(etag(app, url).await, first, "{url} is cached");
    }
    let unrelated_before = etag(app, &unrelated).await;

    let mut input = ArticleInput::from_model(&a);
    input.title = "协会新闻标题已修改（缓存测试）".into();
    service::editorial::save(
        &app.db,
        &service::audit::Actor::system("test"),
        Some(a.id),
        input,
    )
    .await
    .unwrap();

    for url in &watched {
        app.eventually(url, "协会新闻标题已修改（缓存测试）", true)
            .await;
    }
    assert_eq!(
        etag(app, &unrelated).await,
        unrelated_before,
        "pages that do not show the article stay cached"
    );
}
on_both_backends!(editing_an_article_refreshes_exactly_the_pages_that_show_it);

async fn a_change_reaches_every_server_sharing_the_database(app: &TestApp) {
    let other = app.second_server().await;
    let a = app.some_article().await;
    let home_here = app.url("/");
    let home_there = format!("{other}/");
    // Both servers cache the home page.
    etag(app, &home_here).await;
    etag(app, &home_there).await;
    let mut input = ArticleInput::from_model(&a);
    input.title = "两台服务器都能看到的新标题".into();
    service::editorial::save(
        &app.db,
        &service::audit::Actor::system("test"),
        Some(a.id),
        input,
    )
    .await
    .unwrap();
    app.eventually(&home_here, "两台服务器都能看到的新标题", true)
        .await;
    app.eventually(&home_there, "两台服务器都能看到的新标题", true)
        .await;
}
on_both_backends!(a_change_reaches_every_server_sharing_the_database);

async fn publishing_updates_neighbours_and_lists(app: &TestApp) {
    let newest = app.some_article().await;
    let neighbour_url = app.url(&format!("/articles/{}", newest.id));
    let column_url = app.url("/columns/zone-news");
    etag(app, &neighbour_url).await;
    etag(app, &column_url).await;
    let mut input = ArticleInput::from_model(&newest);
    input.title = "刚刚发布的园区新闻".into();
    input.published_at = Some(chrono::Utc::now());
    let created =
        service::editorial::save(&app.db, &service::audit::Actor::system("test"), None, input)
            .await
            .unwrap();
    // The previous newest article now links to it as 下一篇, and its column lists it.
    app.eventually(&neighbour_url, "刚刚发布的园区新闻", true)
        .await;
    app.eventually(&column_url, "刚刚发布的园区新闻", true)
        .await;
    let (status, _) = app.get_text(&format!("/articles/{}", created.id)).await;
    assert_eq!(status, 200);
}
on_both_backends!(publishing_updates_neighbours_and_lists);

async fn conditional_requests_get_304(app: &TestApp) {
    let url = app.url("/columns/news");
    let res = app.client.get(&url).send().await.unwrap();
    let tag = res.headers()["etag"].to_str().unwrap().to_owned();
    let modified = res.headers()["last-modified"].to_str().unwrap().to_owned();
    assert!(tag.starts_with("W/\""));
    assert_eq!(res.headers()["cache-control"], "public, no-cache");
    assert!(res.headers()["vary"].to_str().unwrap().contains("Cookie"));

    let res = app
        .client
        .get(&url)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), tag);
    assert!(res.bytes().await.unwrap().is_empty());

    let res = app
        .client
        .get(&url)
        .header("if-modified-since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);

    let res = app
        .client
        .get(&url)
        .header("if-none-match", "W/\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // The large-font variant is a different representation.
    let large = app
        .client
        .get(&url)
        .header("cookie", "portico_fs=l")
        .send()
        .await
        .unwrap();
    assert_ne!(large.headers()["etag"].to_str().unwrap(), tag);
}
on_both_backends!(conditional_requests_get_304);

async fn pages_are_served_compressed(app: &TestApp) {
    let url = app.url("/");
    let plain = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let gz = app
        .client
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let bytes = gz.bytes().await.unwrap();
    assert!(bytes.len() * 3 < plain.len());
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain);
    let br = app
        .client
        .get(&url)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
}
on_both_backends!(pages_are_served_compressed);

/// Query strings no page reads never make cache entries: 10,000 different ones against one
/// article leave the cache as it was (the home page still in it), and other spellings of a
/// page's address move to the one address.
async fn query_strings_cannot_flood_the_page_cache(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get(&path).await.status(), 200);
    // The cached copies are made just after the first answer, off the request path.
    for _ in 0..100 {
        if app.cache.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let entries = app.cache.len();
    assert!(entries >= 2);

    let queries: Vec<String> = (0..10_000)
        .map(|i| match i % 4 {
            0 => format!("{path}?page={i}"),
            1 => format!("{path}?utm_source=x{i}"),
            2 => format!("{path}?from=singlemessage&n={i}"),
            _ => format!("{path}?{i}"),
        })
        .collect();
    let mut tasks = Vec::new();
    for chunk in queries.chunks(625) {
        let (client, urls) = (
            app.client.clone(),
            chunk.iter().map(|q| app.url(q)).collect::<Vec<_>>(),
        );
        tasks.push(tokio::spawn(async move {
            for url in urls {
                let res = client.get(&url).send().await.unwrap();
                assert_eq!(res.status(), 200, "{url}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(app.cache.len(), entries, "no entry was added");
    let home = app.get("/").await;
    assert_eq!(home.status(), 200);
    assert!(app.cache.len() == entries, "the home page was still cached");

    for (from, to) in [
        (format!("/articles/000{}", a.id), path.clone()),
        (format!("{path}/"), path.clone()),
        ("/columns/news/".to_owned(), "/columns/news".to_owned()),
        (
            "/columns/news?page=1".to_owned(),
            "/columns/news".to_owned(),
        ),
        (
            "/columns/news?page=02".to_owned(),
            "/columns/news?page=2".to_owned(),
        ),
    ] {
        let res = app.get(&from).await;
        assert_eq!(res.status(), 301, "{from}");
        assert_eq!(res.headers()["location"], to.as_str(), "{from}");
    }
    assert_eq!(app.cache.len(), entries);
}
on_both_backends!(query_strings_cannot_flood_the_page_cache);

/// A burst of readers of a page that is not cached yet renders it once: the others wait for
/// that render and are served from the cache.
async fn a_burst_of_readers_renders_a_page_once(app: &TestApp) {
    let a = app.some_article().await;
    let url = app.url(&format!("/articles/{}", a.id));
    let before = app.cache.renders();
    let burst: Vec<_> = (0..50)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move {
                let res = client.get(&url).send().await.unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            })
        })
        .collect();
    for b in burst {
        let (status, html) = b.await.unwrap();
        assert_eq!(status, 200);
        assert!(html.contains(&a.title.replace('&', "&amp;")));
    }
    assert_eq!(
        app.cache.renders() - before,
        1,
        "rendered once for 50 readers"
    );
}
on_both_backends!(a_burst_of_readers_renders_a_page_once);

/// The settings, columns, links and notices every page shows are read once per server and
/// kept (`service::site::Common`): with the page cache off, every page below is rendered
/// afresh, so what it shows comes from that copy. A change made anywhere must reach it on
/// every server within a poll, and a scheduled notice must appear when it comes due.
async fn shared_site_data_follows_changes(app: &TestApp) {
    let other = app.second_server().await;
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    for base in [app.address.as_str(), other.as_str()] {
        let html = reqwest::get(format!("{base}{path}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("开发区协会（测试改名）"));
    }
    let input = service::site::SettingsInput {
        text: vec![("site_name", "开发区协会（测试改名）".into())],
        ..Default::default()
    };
    service::site::update_settings(&app.db, &service::audit::Actor::system("test"), input)
        .await
        .unwrap();
    app.eventually(&app.url(&path), "开发区协会（测试改名）", true)
        .await;
    app.eventually(&format!("{other}{path}"), "开发区协会（测试改名）", true)
        .await;

    // A notice scheduled a moment ahead: absent now, in the strip once due.
    let due = chrono::Utc::now() + chrono::Duration::milliseconds(2500);
    service::notice::save_notice(
        &app.db,
        &service::audit::Actor::system("test"),
        None,
        service::notice::NoticeInput {
            title: "定时发布的测试通知".into(),
            body: "<p>正文</p>".into(),
            published_at: due,
            is_published: true,
        },
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (_, html) = app.get_text(&path).await;
    assert!(
        !html.contains("定时发布的测试通知"),
        "shown before it is due"
    );
    app.eventually(&app.url(&path), "定时发布的测试通知", true)
        .await;
    assert!(chrono::Utc::now() >= due);
}

crate::on_both_backends!(
    shared_site_data_follows_changes,
    &[("PORTICO_CACHE_MB", "0")]
);

/// A `HEAD` before any `GET` (an uptime monitor's `HEAD /`, say) must not be what the cache
/// keeps: every cached kind of route — pages, feeds, sitemaps, robots.txt — is asked for
/// with `HEAD` first, and the `GET`s after it get the whole body, with the headers the
/// `HEAD` announced.
async fn a_head_request_never_blanks_a_cached_page(app: &TestApp) {
    let a = app.some_article().await;
    let paths = [
        "/".to_owned(),
        format!("/articles/{}", a.id),
        "/columns/news".to_owned(),
        "/columns/intro".to_owned(),
        "/rss.xml".to_owned(),
        "/columns/news/rss.xml".to_owned(),
        "/sitemap.xml".to_owned(),
        "/robots.txt".to_owned(),
    ];
    for path in &paths {
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), 200, "HEAD {path}");
        let announced = head.headers().clone();
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path} has no body"
        );
        // The copy for the cache is made just after the answer, off the request path: give
        // it the time it takes, then read the page twice (the second from the cache).
        tokio::time::sleep(Duration::from_millis(300)).await;
        for round in 0..2 {
            let res = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "GET {path} after HEAD");
            for h in ["content-type", "etag", "content-length"] {
                assert_eq!(
                    res.headers().get(h),
                    announced.get(h),
                    "{h} of GET {path} (round {round}) as its HEAD said"
                );
            }
            let body = res.text().await.unwrap();
            assert!(
                body.len() > 20,
                "GET {path} after a HEAD (round {round}) has its body: {} bytes",
                body.len()
            );
        }
    }
    // And HEAD of a page already cached: headers of the cached copy, no body.
    let res = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("content-length"));
    assert!(res.bytes().await.unwrap().is_empty());
}
on_both_backends!(a_head_request_never_blanks_a_cached_page);
