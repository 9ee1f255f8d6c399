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
async fn get_as(app: &TestApp, host: &str, path: &str) -> (u16, String, String, String) {
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

async fn count(app: &TestApp, sql: &str) -> i64 {
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

/// Site 2 (`yi`, on `b.test`), made and opened through the services with its starter columns,
/// one published article in its `zone-news` column (a headline, so the home page shows it)
/// and one notice; returns the article. Waits until the running server serves it.
async fn two_sites(app: &TestApp) -> entity::article::Model {
    use sea_orm::{ActiveModelTrait, Set};
    use service::site::directory::{self, NewSite, SiteStatus};
    let actor = service::audit::Actor::system("test");
    let site = directory::add(
        &app.db,
        &actor,
        NewSite {
            code: "yi".into(),
            name: "乙园区".into(),
            hosts: vec!["b.test".into()],
        },
        "portico.test",
    )
    .await
    .unwrap();
    assert_eq!(site.id, 2);
    directory::set_status(&app.db, &actor, "yi", SiteStatus::Active)
        .await
        .unwrap();
    let columns = service::column::all(&app.db, 2).await.unwrap();
    let zone = service::column::by_slug(&columns, "zone-news").unwrap();
    let now = chrono::Utc::now() - chrono::Duration::minutes(1);
    let article = service::editorial::save(
        &app.db,
        &actor,
        None,
        service::editorial::ArticleInput {
            column_id: zone.id,
            title: "乙园区湿地公园完成生态修复".into(),
            summary: "乙园区的湿地公园完成了第一期生态修复。".into(),
            body: "<p>乙园区湿地公园第一期生态修复工程近日完工，芦苇荡重新连成一片。</p>".into(),
            subtitle: String::new(),
            source: "乙园区管委会".into(),
            author: String::new(),
            cover_image_id: None,
            is_headline: true,
            is_recommended: false,
            is_slideshow: false,
            status: entity::article::ArticleStatus::Published,
            published_at: Some(now),
            keywords: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(article.site_id, 2, "an article is its column's site's");
    entity::notice::ActiveModel {
        site_id: Set(2),
        title: Set("乙园区关于湿地公园开放时间的通知".into()),
        body: Set("<p>湿地公园每日开放。</p>".into()),
        published_at: Set(now),
        is_published: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    for _ in 0..50 {
        if get_as(app, "b.test", "/").await.0 == 200 {
            return article;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("site yi was not served after it opened");
}

/// Posts a form to `path` on `host` as `client`.
async fn post_as(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    path: &str,
    form: &[(String, String)],
) -> (u16, String, String) {
    let res = client
        .post(app.url(path))
        .header("host", host)
        .form(form)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), location, res.text().await.unwrap())
}

/// The 留言 form of `host` as `client`: its token, and the answer if it asks the question.
async fn message_form(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
) -> Vec<(String, String)> {
    let html = client
        .get(app.url("/messages"))
        .header("host", host)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = vec![(
        "token".to_owned(),
        crate::messages::input_value(&html, "token").expect("a token"),
    )];
    if let Some(answer) = crate::messages::answer_of(&html) {
        form.push(("answer".into(), answer));
    }
    form
}

async fn two_sites_never_show_each_others_content(app: &TestApp) {
    let main = app.some_article().await;
    let b = two_sites(app).await;
    let (main_at, b_at) = ("portico.test", "b.test");

    // Each home: its own name, its own articles and notices only.
    let (_, _, _, home_b) = get_as(app, b_at, "/").await;
    assert!(
        home_b.contains("乙园区") && home_b.contains(&b.title),
        "{home_b}"
    );
    assert!(home_b.contains("乙园区关于湿地公园开放时间的通知"));
    assert!(
        !home_b.contains("中国开发区协会"),
        "nothing of the main site"
    );
    assert!(!home_b.contains(&main.title));
    let (_, _, _, home_main) = get_as(app, main_at, "/").await;
    assert!(!home_main.contains(&b.title) && !home_main.contains("乙园区"));

    // An article, a notice or a magazine issue by id only on its own site.
    assert_eq!(
        get_as(app, b_at, &format!("/articles/{}", b.id)).await.0,
        200
    );
    assert_eq!(
        get_as(app, b_at, &format!("/articles/{}", main.id)).await.0,
        404
    );
    assert_eq!(
        get_as(app, main_at, &format!("/articles/{}", b.id)).await.0,
        404
    );
    let main_notice = service::notice::page(&app.db, 1, 0, 1, chrono::Utc::now())
        .await
        .unwrap()
        .0
        .remove(0);
    assert_eq!(
        get_as(app, b_at, &format!("/notices/{}", main_notice.id))
            .await
            .0,
        404
    );
    let issue = service::magazine::issues(&app.db, 1, chrono::Utc::now())
        .await
        .unwrap()
        .remove(0)
        .issue;
    let issue_path = format!("/magazine/{}/{}", issue.year, issue.number);
    assert_eq!(get_as(app, main_at, &issue_path).await.0, 200);
    assert_eq!(get_as(app, b_at, &issue_path).await.0, 404);

    // The same address is each site's own column.
    let (_, _, _, news_b) = get_as(app, b_at, "/columns/news").await;
    assert!(news_b.contains("新闻中心") && news_b.contains(&b.title));
    let (_, _, _, news_main) = get_as(app, main_at, "/columns/news").await;
    assert!(news_main.contains("资讯中心") && !news_main.contains(&b.title));
    assert_eq!(get_as(app, b_at, "/columns/association-news").await.0, 404);

    // Search: a site's readers find its own documents only.
    let (b_link, main_link) = (
        format!("href=\"/articles/{}\"", b.id),
        format!("href=\"/articles/{}\"", main.id),
    );
    let (_, _, _, found) = get_as(app, b_at, "/search?q=湿地公园").await;
    assert!(found.contains(&b_link), "{found}");
    let (_, _, _, found) = get_as(app, main_at, "/search?q=湿地公园").await;
    assert!(!found.contains(&b_link));
    let word: String = main.title.chars().take(4).collect();
    let (_, _, _, found) = get_as(app, main_at, &format!("/search?q={word}")).await;
    assert!(
        found.contains(&main_link),
        "{word} is found on the main site"
    );
    let (_, _, _, found) = get_as(app, b_at, &format!("/search?q={word}")).await;
    assert!(!found.contains(&main_link), "{word} is not found on b");

    // Feeds, sitemap and robots: the site's own addresses under its own host.
    let (_, _, _, feed) = get_as(app, b_at, "/rss.xml").await;
    assert!(
        feed.contains(&format!("http://b.test/articles/{}", b.id)),
        "{feed}"
    );
    assert!(!feed.contains("portico.test") && !feed.contains(&main.title));
    let (_, _, _, map) = get_as(app, b_at, "/sitemap.xml").await;
    assert!(map.contains("http://b.test/columns/zone-news"), "{map}");
    assert!(!map.contains("portico.test") && !map.contains(&format!("/articles/{}<", main.id)));
    let (_, _, _, map) = get_as(app, main_at, "/sitemap.xml").await;
    assert!(!map.contains(&format!("/articles/{}<", b.id)) && !map.contains("b.test"));
    let (_, _, _, robots) = get_as(app, b_at, "/robots.txt").await;
    assert!(robots.contains("Sitemap: http://b.test/sitemap.xml"));

    // A redirect made on the main site is not followed on site b; what b misses is b's.
    service::redirect::save(
        &app.db,
        &service::audit::Actor::system("test"),
        None,
        service::redirect::RedirectInput {
            from: "/old/news.html".into(),
            to: format!("/articles/{}", main.id),
        },
    )
    .await
    .unwrap();
    assert_eq!(get_as(app, main_at, "/old/news.html").await.0, 301);
    assert_eq!(get_as(app, b_at, "/old/news.html").await.0, 404);
    assert_eq!(get_as(app, b_at, "/b-only-missing").await.0, 404);
    app.state.misses.flush(&app.db).await.unwrap();
    let main_misses = service::redirect::top_misses(&app.db, 100).await.unwrap();
    assert!(main_misses.iter().all(|m| m.path != "/b-only-missing"));
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM not_found WHERE site_id = 2 AND path = '/b-only-missing'"
        )
        .await,
        1
    );

    // View counts: another site's id is a 404; a view is counted for its own site.
    assert_eq!(
        get_as(app, b_at, &format!("/api/hits/{}", main.id)).await.0,
        404
    );
    assert_eq!(
        get_as(app, b_at, &format!("/api/hits/{}", b.id)).await.0,
        200
    );
    let reader = app.browser();
    let res = reader
        .get(app.url(&format!("/articles/{}", b.id)))
        .header("host", b_at)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.state
        .hits
        .flush(&app.db, chrono_tz::Asia::Shanghai)
        .await
        .unwrap();
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM article_views_daily WHERE site_id = 2 AND article_id = {}",
                b.id
            )
        )
        .await,
        1
    );

    // 留言: a token served on the main site is refused on b; b's own is taken, and its
    // receipt is tracked on b only.
    let mut fields: Vec<(String, String)> = crate::messages::good(
        "湿地公园开放时间",
        "请问湿地公园节假日是否延长开放时间？",
        "139 0000 1234",
    )
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut from_main = message_form(app, &reader, main_at).await;
    from_main.extend(fields.clone());
    let (status, _, body) = post_as(app, &reader, b_at, "/messages", &from_main).await;
    assert_ne!(status, 303, "a main-site token is refused on b: {body}");
    let mut own = message_form(app, &reader, b_at).await;
    own.append(&mut fields);
    let (status, location, body) = post_as(app, &reader, b_at, "/messages", &own).await;
    assert_eq!(status, 303, "{body}");
    let code = crate::messages::code_of(&location);
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM messages WHERE site_id = 2 AND code = '{code}'")
        )
        .await,
        1
    );
    let track = [
        ("code".to_owned(), code.clone()),
        ("contact".to_owned(), "13900001234".to_owned()),
    ];
    let (status, _, body) = post_as(app, &reader, b_at, "/messages/track", &track).await;
    assert_eq!(status, 200);
    assert!(body.contains("湿地公园开放时间"), "tracked on b");
    let (_, _, body) = post_as(app, &reader, main_at, "/messages/track", &track).await;
    assert!(!body.contains("湿地公园开放时间"), "not on the main site");

    // Closed: its host answers like an unknown one, and nothing of it is kept.
    let closed = app.portico(
        &["site", "close", "yi"],
        &[("PORTICO_PUBLIC_URL", "http://portico.test")],
    );
    assert_eq!(closed.code, Some(0), "{}", closed.said());
    let mut status = 0;
    for _ in 0..50 {
        status = get_as(app, b_at, "/").await.0;
        if status == 404 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 404, "a closed site is not served");
    let main_open = app.portico(
        &["site", "close", "main"],
        &[("PORTICO_PUBLIC_URL", "http://portico.test")],
    );
    assert_ne!(main_open.code, Some(0));
    assert!(main_open.said().contains("主站始终开放"));
}
on_both_backends!(two_sites_never_show_each_others_content);
