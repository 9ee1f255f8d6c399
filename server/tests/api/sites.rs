//! 站群: the sites of one installation. What exists is site 1 (`main`); `portico site add`
//! makes another, not yet open, reached only by its own host names.

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn the_command_line_lists_and_adds_sites(app: &TestApp) {
    let env = [("PORTICO_PUBLIC_URL", "http://portico.test")];
    let site = |args: &[&str]| app.portico(&[&["site"], args].concat(), &env);

    // What was there before is the main site, made by the migration.
    let listed = site(&["list"]);
    assert_eq!(listed.code, Some(0), "{}", listed.said());
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", listed.stdout);
    assert!(
        lines[0].contains("main") && lines[0].contains("active"),
        "{}",
        lines[0]
    );

    let added = site(&[
        "add",
        "--code",
        "zhundong",
        "--name",
        "准东经济技术开发区",
        "--host",
        "Zhundong.Test:8080",
        "--host",
        "www.zhundong.test.",
    ]);
    assert_eq!(added.code, Some(0), "{}", added.said());
    assert!(
        added
            .stdout
            .contains("准东经济技术开发区（zhundong）已建立"),
        "{}",
        added.stdout
    );
    let listed = site(&["list"]).stdout;
    let line = listed
        .lines()
        .find(|l| l.contains("zhundong"))
        .unwrap_or_default();
    // Not open to readers yet; hosts lower-case, without port or final dot, primary first.
    assert!(line.contains("preparing"), "{listed}");
    assert!(line.ends_with("zhundong.test www.zhundong.test"), "{line}");

    // Refused, with the reason, and nothing made.
    for (args, why) in [
        (vec!["--code", "zhundong", "--name", "又一个"], "已被使用"),
        (vec!["--code", "Bad_Code", "--name", "x"], "不可用"),
        (
            vec!["--code", "other", "--name", "x", "--host", "zhundong.test"],
            "另一个站点",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "portico.test"],
            "属于主站",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "localhost:3000"],
            "属于主站",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "bad host"],
            "不是有效的主机名",
        ),
        (vec!["--code", "other", "--name", "  "], "站点名称"),
    ] {
        let ran = site(&[&["add"], args.as_slice()].concat());
        assert_ne!(ran.code, Some(0), "{args:?} was accepted");
        assert!(ran.said().contains(why), "{args:?}: {}", ran.said());
    }
    assert_eq!(site(&["list"]).stdout.lines().count(), 2);
    let audit = service::audit::list(&app.db, &Default::default(), 0, 10)
        .await
        .unwrap()
        .0;
    assert!(
        audit
            .iter()
            .any(|r| r.action == "site.add" && r.summary.contains("zhundong.test")),
        "the new site is in the audit log"
    );
}
on_both_backends!(the_command_line_lists_and_adds_sites);

/// A GET of `path` as if sent to `host`: status, `Content-Type`, `Cache-Control` and body.
pub async fn get_as(app: &TestApp, host: &str, path: &str) -> (u16, String, String, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("host", host)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (ctype, cache) = (header("content-type"), header("cache-control"));
    (
        res.status().as_u16(),
        ctype,
        cache,
        res.text().await.unwrap(),
    )
}

async fn requests_are_routed_by_host(app: &TestApp) {
    let site_name = "中国开发区协会";
    // The main site answers its public address, localhost and loopback addresses.
    for host in [
        "portico.test",
        "PORTICO.test:443",
        "localhost:3000",
        "127.0.0.1",
        "[::1]:80",
    ] {
        let (status, _, _, body) = get_as(app, host, "/").await;
        assert_eq!(status, 200, "{host}");
        assert!(body.contains(site_name), "{host}");
    }

    // Every route kind on a host no site has: a plain 404, not kept, nothing else done.
    let pages_before = app.cache.len();
    let article = app.some_article().await;
    for path in [
        "/".to_owned(),
        format!("/articles/{}", article.id),
        "/columns/news".into(),
        "/rss.xml".into(),
        "/sitemap.xml".into(),
        "/search?q=开发区".into(),
        format!("/api/hits/{}", article.id),
        "/admin".into(),
        "/admin/login".into(),
        "/messages".into(),
        "/media/nothing.jpg".into(),
        "/pkg/portico.css".into(),
        "/no-such-page".into(),
        "/index.php?id=3".into(),
    ] {
        let (status, ctype, cache, body) = get_as(app, "evil.example", &path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(ctype, "text/plain; charset=utf-8", "{path}");
        assert_eq!(cache, "no-store", "{path}");
        assert_eq!(body, "404 Not Found\n", "{path}");
    }
    let res = app
        .client
        .post(app.url("/messages"))
        .header("host", "evil.example")
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(
        app.cache.len(),
        pages_before,
        "nothing was rendered into the cache"
    );
    app.state.misses.flush(&app.db).await.unwrap();
    let misses = service::redirect::top_misses(&app.db, 50).await.unwrap();
    assert!(
        misses.iter().all(|m| !m.path.contains("no-such-page")),
        "an unknown host's request is not the main site's missing page: {misses:?}"
    );
    // Load balancers ask for the health checks by address.
    for path in ["/healthz", "/readyz"] {
        assert_eq!(get_as(app, "10.0.0.7", path).await.0, 200, "{path}");
    }
    // No host at all (HTTP/1.0) is no site either.
    let (status, _, _, _) = get_as(app, "", "/").await;
    assert_eq!(status, 404);

    // A site added by the command line is known to the running server within a poll: not
    // open yet, so a plain 503 on every path.
    let env = [("PORTICO_PUBLIC_URL", "http://portico.test")];
    let site = |args: &[&str]| app.portico(&[&["site"], args].concat(), &env);
    let added = site(&[
        "add",
        "--code",
        "zhundong",
        "--name",
        "准东",
        "--host",
        "zhundong.test",
    ]);
    assert_eq!(added.code, Some(0), "{}", added.said());
    let mut status = 0;
    for _ in 0..50 {
        status = get_as(app, "zhundong.test", "/").await.0;
        if status == 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 503, "the new site is known without a restart");
    let (_, ctype, cache, body) = get_as(app, "zhundong.test", "/articles/1").await;
    assert_eq!(
        (ctype.as_str(), cache.as_str(), body.as_str()),
        (
            "text/plain; charset=utf-8",
            "no-store",
            "站点建设中，敬请期待。\n"
        )
    );

    // The main site's other names: a bare domain beside the public address.
    assert_eq!(get_as(app, "example.test", "/").await.0, 404);
    let alias = site(&["host", "add", "main", "Example.Test"]);
    assert_eq!(alias.code, Some(0), "{}", alias.said());
    let mut body = String::new();
    for _ in 0..50 {
        let got = get_as(app, "example.test", "/").await;
        if got.0 == 200 {
            body = got.3;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(body.contains(site_name), "the alias serves the main site");
    // Its addresses stay the public address's.
    let (status, _, _, feed) = get_as(app, "example.test", "/rss.xml").await;
    assert_eq!(status, 200);
    assert!(feed.contains("<link>http://portico.test/</link>"), "{feed}");
    let (_, _, _, robots) = get_as(app, "example.test", "/robots.txt").await;
    assert!(
        robots.contains("Sitemap: http://portico.test/sitemap.xml"),
        "{robots}"
    );
    assert!(site(&["list"]).stdout.contains("example.test"));
    for (args, why) in [
        (vec!["add", "main", "example.test"], "已属于此站点"),
        (vec!["add", "main", "zhundong.test"], "已属于另一个站点"),
        (vec!["add", "main", "portico.test"], "本来就通往主站"),
        (vec!["add", "nosuch", "x.test"], "没有代码为 nosuch 的站点"),
        (vec!["remove", "main", "zhundong.test"], "不属于站点 main"),
    ] {
        let ran = site(&[&["host"], args.as_slice()].concat());
        assert_ne!(ran.code, Some(0), "{args:?} was accepted");
        assert!(ran.said().contains(why), "{args:?}: {}", ran.said());
    }
    let removed = site(&["host", "remove", "main", "example.test"]);
    assert_eq!(removed.code, Some(0), "{}", removed.said());
    let mut status = 0;
    for _ in 0..50 {
        status = get_as(app, "example.test", "/").await.0;
        if status == 404 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status, 404,
        "a removed alias no longer reaches the main site"
    );
}
on_both_backends!(requests_are_routed_by_host);

/// The tables a site's content is in, each with `site_id` (1 for what existed).
const SCOPED: [&str; 14] = [
    "categories",
    "articles",
    "article_autosaves",
    "article_views_daily",
    "notices",
    "link_groups",
    "magazine_issues",
    "messages",
    "submissions",
    "search_docs",
    "redirects",
    "not_found",
    "import_records",
    "images",
];

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .writer()
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The installation's settings as stored, sorted.
async fn installation_settings(app: &TestApp) -> Vec<(String, String)> {
    use sea_orm::{EntityTrait, QueryOrder};
    entity::site_setting::Entity::find()
        .order_by_asc(entity::site_setting::Column::Key)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect()
}

async fn an_upgraded_database_is_the_main_site_with_nothing_else_changed(app: &TestApp) {
    // Something in every kind of table a site owns, beside the demo content.
    app.get("/no-such-page").await;
    app.state.misses.flush(&app.db).await.unwrap();
    let mut settings = service::site::settings(&app.db).await.unwrap();
    settings.icp = "京ICP备00000001号".into();
    service::site::save_settings(&app.db, &settings)
        .await
        .unwrap();

    let rows = service::backup::row_counts(&app.db).await.unwrap();
    let installation = installation_settings(app).await;
    assert!(
        installation
            .iter()
            .all(|(k, _)| k.starts_with("security.") || k == "forms_secret"),
        "only the installation's settings stay in site_settings: {installation:?}"
    );
    assert!(installation.iter().any(|(k, _)| k == "forms_secret"));
    for table in SCOPED {
        let all = count(app, &format!("SELECT COUNT(*) FROM {table}")).await;
        let main = count(
            app,
            &format!("SELECT COUNT(*) FROM {table} WHERE site_id = 1"),
        )
        .await;
        assert_eq!(main, all, "{table}: every row is the main site's");
    }
    assert!(count(app, "SELECT COUNT(*) FROM articles").await > 10);

    // Back to before the step (and those after it), then up again: the same rows and the
    // same settings.
    use migration::MigratorTrait;
    let names: Vec<String> = migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let step = names
        .iter()
        .position(|n| n == "m20261212_000014_site_scope")
        .unwrap();
    let undone = u32::try_from(names.len() - step).unwrap();
    migration::Migrator::down(app.db.writer(), Some(undone))
        .await
        .unwrap();
    let site_name = count(
        app,
        "SELECT COUNT(*) FROM site_settings WHERE key = 'icp' AND value = '京ICP备00000001号'",
    )
    .await;
    assert_eq!(
        site_name, 1,
        "undone, the site's settings are back in site_settings"
    );
    migration::Migrator::up(app.db.writer(), None)
        .await
        .unwrap();
    assert_eq!(service::backup::row_counts(&app.db).await.unwrap(), rows);
    assert_eq!(service::site::settings(&app.db).await.unwrap(), settings);
    assert_eq!(installation_settings(app).await, installation);

    // What was unique in the installation is unique within a site: another site may have
    // its own `news` column, old address and missing address; the same site may not.
    use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
    let now = chrono::Utc::now();
    let column = |site: i32| entity::column::ActiveModel {
        name: Set("新闻".into()),
        slug: Set("news".into()),
        kind: Set(entity::column::ColumnKind::List),
        description: Set(String::new()),
        sort_order: Set(0),
        show_in_nav: Set(true),
        listed_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        site_id: Set(site),
        ..Default::default()
    };
    let redirect = |site: i32| entity::redirect::ActiveModel {
        from_path: Set("/plus/view.php?aid=1".into()),
        to_path: Set("/".into()),
        origin: Set("staff".into()),
        created_at: Set(now),
        updated_at: Set(now),
        site_id: Set(site),
        ..Default::default()
    };
    let missing = |site: i32| entity::not_found::ActiveModel {
        site_id: Set(site),
        path: Set("/no-such-page".into()),
        hits: Set(1),
        first_seen: Set(now),
        last_seen: Set(now),
    };
    column(2).insert(&app.db).await.unwrap();
    assert!(
        column(1).insert(&app.db).await.is_err(),
        "a second news column on one site"
    );
    assert!(
        column(2).insert(&app.db).await.is_err(),
        "a second news column on one site"
    );
    redirect(1).insert(&app.db).await.unwrap();
    redirect(2).insert(&app.db).await.unwrap();
    assert!(redirect(2).insert(&app.db).await.is_err());
    missing(2).insert(&app.db).await.unwrap();
    assert!(
        missing(1).insert(&app.db).await.is_err(),
        "already logged on site 1"
    );
    if app.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        use sea_orm::Statement;
        let broken = app
            .db
            .writer()
            .query_all_raw(Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA foreign_key_check",
            ))
            .await
            .unwrap();
        assert!(broken.is_empty(), "every row points at rows that are there");
    }
}
on_both_backends!(an_upgraded_database_is_the_main_site_with_nothing_else_changed);

async fn a_change_on_one_site_drops_only_that_sites_pages(app: &TestApp) {
    use std::time::Duration;
    // The home page, rendered once and then served from the cache.
    app.get("/").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let renders = app.cache.renders();
    app.get("/").await;
    assert_eq!(app.cache.renders(), renders, "served from the cache");

    // Another site's home changed: the main site's stays.
    service::cache::invalidate_site(&app.db, 2, [service::cache::tag::HOME])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.get("/").await;
    assert_eq!(app.cache.renders(), renders, "still served from the cache");

    // Its own did: rendered again.
    service::cache::invalidate_site(&app.db, 1, [service::cache::tag::HOME])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.get("/").await;
    assert_eq!(app.cache.renders(), renders + 1, "rendered again");

    // Every site's (the installation's) change reaches it too.
    tokio::time::sleep(Duration::from_millis(300)).await;
    service::cache::invalidate(&app.db, [service::cache::tag::HOME])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.get("/").await;
    assert_eq!(app.cache.renders(), renders + 2, "rendered again");
}
on_both_backends!(a_change_on_one_site_drops_only_that_sites_pages);
