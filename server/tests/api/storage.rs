//! Files through the app, on both kinds of storage (a local directory and the S3 test server):
//! uploads with their variants, `/media/` with its caching and range headers, usage checks and
//! deletes, readiness, and a clear 503 when the object store is gone.

use std::time::{Duration, Instant};

use entity::user::Role;
use reqwest::header;
use sea_orm::EntityTrait;
use server::config::Settings;
use server::startup::Application;

use crate::helpers::{Backend, TestApp, s3_settings, spawn_app, spawn_app_env};
use crate::uploads::{jpeg, upload};

async fn media_files_are_served_and_deleted(app: &TestApp) {
    app.create_staff("photographer", Role::Editor).await;
    let staff = app.sign_in("photographer").await;
    let (status, img) = upload(app, &staff, "园区.jpg", jpeg(1200, 800)).await;
    assert_eq!(status, 200, "{img}");
    let src = img["src"].as_str().unwrap().to_owned();
    let id = img["id"].as_i64().unwrap();
    let model = entity::image::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let stored = app.state.files.media.get(&model.path).await.unwrap();

    // The whole file, with what caches and browsers need.
    let res = app.get(&src).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::ACCEPT_RANGES], "bytes");
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(h[header::CONTENT_LENGTH], stored.len().to_string().as_str());
    let etag = h[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");
    let modified = h[header::LAST_MODIFIED].to_str().unwrap().to_owned();
    assert_eq!(res.bytes().await.unwrap().as_ref(), stored.as_slice());

    // Revalidation: by tag, and by date.
    let res = app
        .client
        .get(app.url(&src))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()[header::ETAG], etag.as_str());
    let res = app
        .client
        .get(app.url(&src))
        .header(header::IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    let res = app
        .client
        .get(app.url(&src))
        .header(header::IF_NONE_MATCH, "\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Ranges: the first bytes, the last bytes, past the end.
    let ranged = |range: &'static str| {
        app.client
            .get(app.url(&src))
            .header(header::RANGE, range)
            .send()
    };
    let res = ranged("bytes=0-99").await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()[header::CONTENT_RANGE],
        format!("bytes 0-99/{}", stored.len()).as_str()
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), &stored[..100]);
    let res = ranged("bytes=-10").await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.bytes().await.unwrap().as_ref(),
        &stored[stored.len() - 10..]
    );
    let res = ranged("bytes=99999999-").await.unwrap();
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()[header::CONTENT_RANGE],
        format!("bytes */{}", stored.len()).as_str()
    );

    // Every variant is served; the demo pictures (seeded into this store) too.
    for v in service::media::variants_of(&model) {
        let res = app.get(&format!("/media/{}", v.path)).await;
        assert_eq!(res.status(), 200, "{}", v.path);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/webp");
    }
    let (_, home) = app.get_text("/").await;
    let demo = home
        .split("src=\"/media/demo/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the home page shows a demo picture");
    let res = app.get(&format!("/media/demo/{demo}")).await;
    assert_eq!(res.status(), 200, "{demo}");
    assert_eq!(
        res.headers()[header::CACHE_CONTROL],
        "public, max-age=86400"
    );

    // Nothing outside the store, nothing that is not there.
    for path in [
        "/media/2026/01/nothing-here-at-all.jpg",
        "/media/../Cargo.toml",
        "/media/%2e%2e/Cargo.toml",
        "/media/",
    ] {
        let status = app.get(path).await.status();
        assert!(matches!(status.as_u16(), 404 | 400), "{path}: {status}");
    }

    // Deleted: the row and every file go.
    let res = staff
        .client
        .post(app.url("/api/admin/media/delete"))
        .header("referer", app.url("/admin/media"))
        .header("accept", "text/html")
        .form(&[("csrf_token", staff.csrf.as_str()), ("id", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection() || res.status().is_success());
    assert_eq!(app.get(&src).await.status(), 404);
    for v in service::media::variants_of(&model) {
        assert!(matches!(
            app.state.files.media.get(&v.path).await,
            Err(service::Error::NotFound)
        ));
    }
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_on_a_local_directory() {
    let app = spawn_app(Backend::Sqlite).await;
    media_files_are_served_and_deleted(&app).await;
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(feature = "test-s3"),
    ignore = "needs an S3 server: cargo test --features server/test-s3 (scripts/test.sh starts SeaweedFS)"
)]
async fn media_on_s3() {
    let s3 = s3_settings();
    let app = spawn_app_env(Backend::Sqlite, s3).await;
    assert!(app.state.files.media.local_root().is_none(), "on S3");
    media_files_are_served_and_deleted(&app).await;
    app.cleanup().await;
}

/// A second server on the same database whose object store does not answer: its media
/// requests get a 503 within seconds, pages that need no file still work, and `/readyz`
/// says what is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(feature = "test-s3"),
    ignore = "needs an S3 server: cargo test --features server/test-s3 (scripts/test.sh starts SeaweedFS)"
)]
async fn an_unreachable_object_store_is_a_quick_503() {
    let s3 = s3_settings();
    let app = spawn_app_env(Backend::Sqlite, s3).await;
    // Nothing listens on this port: connections are refused at once. A black hole is what
    // the time limit is for; a refused connection tests the error path end to end.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let mut settings: Settings = app.settings.clone();
    let service::storage::Location::S3(mut s3) = settings.storage.clone() else {
        panic!("on S3")
    };
    s3.endpoint = Some(format!("http://127.0.0.1:{port}"));
    settings.storage = service::storage::Location::S3(s3);
    let broken = Application::with_database(settings, app.db.clone())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", broken.port());
    tokio::spawn(broken.run_until_stopped());

    let started = Instant::now();
    let res = app
        .client
        .get(format!("{base}/media/demo/cover-2025-01.jpg"))
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    assert!(res.text().await.unwrap().contains("文件暂时无法读取"));
    assert!(took < Duration::from_secs(10), "answered in {took:?}");

    let res = app
        .client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.text().await.unwrap(),
        "unavailable: media storage, private storage"
    );
    let res = app
        .client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let a = app.some_article().await;
    let res = app
        .client
        .get(format!("{base}/articles/{}", a.id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "pages do not need the object store");
    app.cleanup().await;
}
