//! 站群, what readers see: two open sites of one installation, each showing its own content
//! only, on every route kind, and each reader form storing on its own site.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::sites::{count, get_as};

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

    // The back office is the main site's until it works per site: on b's host its pages,
    // its sign-in and its endpoints are a plain 404, like any address b does not have.
    for path in [
        "/admin",
        "/admin/login",
        "/admin/articles",
        "/api/admin/audit/export",
    ] {
        let (status, ctype, _, body) = get_as(app, b_at, path).await;
        assert_eq!(
            (status, body.as_str()),
            (404, "404 Not Found\n"),
            "{path} on b"
        );
        assert!(ctype.starts_with("text/plain"), "{path} on b: {ctype}");
    }
    let anyone = reqwest::Client::new();
    let (status, _, body) = post_as(
        app,
        &anyone,
        b_at,
        "/admin/login",
        &[
            ("username".into(), "admin".into()),
            ("password".into(), "whatever-it-is".into()),
        ],
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (404, "404 Not Found\n"),
        "sign-in on b"
    );
    let (status, _, _, body) = get_as(app, main_at, "/admin/login").await;
    assert_eq!(status, 200, "the main site's sign-in is there");
    assert!(body.contains("password"), "a sign-in form");

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
