//! Old addresses: a redirect answers 301 to a path of this site, for the address as old
//! links write it (with tracking parameters, a final slash, ...), is never kept by the page
//! cache, never leaves the site, and addresses not found are counted for staff.

use entity::not_found;
use entity::redirect as row;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use service::audit::Actor;
use service::redirect::{self, RedirectInput};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn status_and_location(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

async fn add(app: &TestApp, from: &str, to: &str) -> i32 {
    redirect::save(
        &app.db,
        &Actor::system("test"),
        None,
        RedirectInput {
            from: from.into(),
            to: to.into(),
        },
    )
    .await
    .unwrap()
    .id
}

async fn old_addresses_answer_301(app: &TestApp) {
    let a = app.some_article().await;
    let target = format!("/articles/{}", a.id);
    add(
        app,
        "http://www.old-site.example/a/news/2020/1229/12.html",
        &target,
    )
    .await;
    add(app, "/?p=12", &target).await;
    add(app, "/plus/view.php?aid=12", &target).await;
    add(app, "/2020/12/29/hello/", &target).await;
    add(app, "/a/新闻/", "/columns/news").await;

    for path in [
        "/a/news/2020/1229/12.html",
        "/?p=12",
        "/?p=12&utm_source=wechat",
        "/index.php?p=12",
        "/plus/view.php?aid=12",
        "/plus/view.php?aid=12&from=timeline",
        "/2020/12/29/hello/",
        "/2020/12/29/hello",
        "/a/%E6%96%B0%E9%97%BB/",
        "/a/%E6%96%B0%E9%97%BB/index.html",
    ] {
        let (status, location) = status_and_location(app, path).await;
        assert_eq!(status, 301, "{path}");
        assert!(
            location == target || location == "/columns/news",
            "{path} -> {location}"
        );
    }
    // HEAD answers as GET does.
    let head = app
        .client
        .head(app.url("/plus/view.php?aid=12"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 301);
    assert_eq!(head.headers()["location"], target.as_str());
    // The redirect's target page is the article.
    let (status, body) = app.get_text(&target).await;
    assert_eq!(status, 200);
    assert!(body.contains(&a.title));
    // Other queries of the home page are still the home page; other old addresses 404.
    assert_eq!(app.get("/?p=13").await.status(), 200);
    assert_eq!(app.get("/plus/view.php?aid=13").await.status(), 404);
}
on_both_backends!(old_addresses_answer_301);

async fn redirects_are_not_cached_as_pages(app: &TestApp) {
    let a = app.some_article().await;
    let id = add(app, "/a/kept.html", &format!("/articles/{}", a.id)).await;
    assert_eq!(status_and_location(app, "/a/kept.html").await.0, 301);
    assert_eq!(status_and_location(app, "/a/kept.html").await.0, 301);
    redirect::delete(&app.db, &Actor::system("test"), id)
        .await
        .unwrap();
    assert_eq!(status_and_location(app, "/a/kept.html").await.0, 404);
    // A 404 already answered (and perhaps cached) still finds a redirect made after it.
    assert_eq!(status_and_location(app, "/old/list").await.0, 404);
    add(app, "/old/list", "/columns/news").await;
    assert_eq!(
        status_and_location(app, "/old/list").await,
        (301, "/columns/news".to_owned())
    );
    // With a final slash it is the same old address, not the site's own respelling of it.
    assert_eq!(
        status_and_location(app, "/old/list/").await,
        (301, "/columns/news".to_owned())
    );
}
on_both_backends!(redirects_are_not_cached_as_pages);

async fn redirects_never_leave_the_site(app: &TestApp) {
    for bad in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let err = redirect::save(
            &app.db,
            &Actor::system("test"),
            None,
            RedirectInput {
                from: "/a/1.html".into(),
                to: bad.into(),
            },
        )
        .await;
        assert!(err.is_err(), "{bad} refused");
    }
    // A row that points off the site (written around the service) is not followed.
    let now = chrono::Utc::now();
    row::ActiveModel {
        from_path: Set("/a/2.html".into()),
        to_path: Set("//evil.example/".into()),
        origin: Set("staff".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert_eq!(status_and_location(app, "/a/2.html").await.0, 404);
    // A loop is refused.
    assert!(
        redirect::save(
            &app.db,
            &Actor::system("test"),
            None,
            RedirectInput {
                from: "/a/3.html".into(),
                to: "/a/3.html".into(),
            },
        )
        .await
        .is_err()
    );
}
on_both_backends!(redirects_never_leave_the_site);

async fn addresses_not_found_are_counted(app: &TestApp) {
    for _ in 0..3 {
        assert_eq!(app.get("/a/gone/7.html").await.status(), 404);
    }
    assert_eq!(app.get("/nothing-here").await.status(), 404);
    app.state.misses.flush(&app.db).await.unwrap();
    let top = redirect::top_misses(&app.db, 10).await.unwrap();
    assert_eq!(top[0].path, "/a/gone/7.html");
    assert_eq!(top[0].hits, 3);
    assert!(top.iter().any(|m| m.path == "/nothing-here" && m.hits == 1));
    // Counting more adds to the same row.
    app.get("/a/gone/7.html").await;
    app.state.misses.flush(&app.db).await.unwrap();
    let row = not_found::Entity::find_by_id((1, "/a/gone/7.html".to_owned()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.hits, 4);
    // Making a redirect for it takes it off the list.
    add(app, "/a/gone/7.html", "/columns/news").await;
    assert!(
        not_found::Entity::find_by_id((1, "/a/gone/7.html".to_owned()))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(row::Entity::find().all(&app.db).await.unwrap().len(), 1);
}
on_both_backends!(addresses_not_found_are_counted);

/// The back office's 旧地址跳转 page, through its plain forms as a browser posts them: a 404
/// becomes a redirect from the not-found list, a redirect is tested, changed and deleted,
/// a target off the site is refused in Chinese, and a writer may do none of it.
async fn staff_edit_redirects_in_the_back_office(app: &TestApp) {
    use crate::helpers::{flash_of, post_form};
    use entity::user::Role;
    app.create_staff("editor", Role::Editor).await;
    app.create_staff("writer", Role::Writer).await;
    let staff = app.sign_in("editor").await;
    let flash = |res: &reqwest::Response| flash_of(res).unwrap_or_default();

    // A reader asks for an old address twice; it is on the list with "生成跳转".
    for _ in 0..2 {
        assert_eq!(app.get("/a/old/19.html").await.status(), 404);
    }
    app.state.misses.flush(&app.db).await.unwrap();
    let page = |query: &str| {
        let url = app.url(&format!("/admin/redirects{query}"));
        let client = staff.client.clone();
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let html = page("").await;
    assert!(
        html.contains("旧地址跳转") && html.contains("/a/old/19.html"),
        "{html}"
    );
    assert!(html.contains("生成跳转"));

    let article = app.some_article().await;
    let target = format!("/articles/{}", article.id);
    let res = post_form(
        app,
        &staff,
        "/api/admin/redirects/save",
        &[("from", "/a/old/19.html"), ("to", &target)],
    )
    .await;
    assert!(flash(&res).starts_with("ok|"), "{}", flash(&res));
    let (status, location) = status_and_location(app, "/a/old/19.html").await;
    assert_eq!((status, location.as_str()), (301, target.as_str()));
    let html = page("").await;
    assert!(!html.contains("最近一次"), "the 404 left the list: {html}");

    // Testing a full old address (host, another form of the path) names the match.
    let html = page("?test=http%3A%2F%2Fold.example%2Fa%2Fold%2F19.html%23top").await;
    assert!(html.contains("/a/old/19.html 会 301 跳转到 "), "{html}");
    assert!(html.contains(&format!("href=\"{target}\"")), "{html}");
    let html = page("?test=%2Fnever%2Fthere.html").await;
    assert!(html.contains("/never/there.html 没有跳转"), "{html}");

    // Off the site, or the same address twice: refused with a reason.
    for (to, needle) in [
        ("//evil.example/x", "新地址必须是本站的路径"),
        ("https://evil.example/", "新地址必须是本站的路径"),
    ] {
        let res = post_form(
            app,
            &staff,
            "/api/admin/redirects/save",
            &[("from", "/a/old/20.html"), ("to", to)],
        )
        .await;
        assert!(flash(&res).contains(needle), "{to}: {}", flash(&res));
    }
    let res = post_form(
        app,
        &staff,
        "/api/admin/redirects/save",
        &[("from", "/a/old/19.html"), ("to", "/columns/news")],
    )
    .await;
    assert!(flash(&res).contains("已有跳转"), "{}", flash(&res));

    // Changed, then deleted.
    let id = row::Entity::find().all(&app.db).await.unwrap()[0].id;
    let res = post_form(
        app,
        &staff,
        "/api/admin/redirects/save",
        &[
            ("id", &id.to_string()),
            ("from", "/a/old/19.html"),
            ("to", "/columns/news"),
        ],
    )
    .await;
    assert!(flash(&res).starts_with("ok|"), "{}", flash(&res));
    assert_eq!(
        status_and_location(app, "/a/old/19.html").await,
        (301, "/columns/news".to_owned())
    );
    let html = page("?text=old%2F19").await;
    assert!(html.contains("手工添加"), "{html}");
    let res = post_form(
        app,
        &staff,
        "/api/admin/redirects/delete",
        &[("id", &id.to_string())],
    )
    .await;
    assert!(flash(&res).starts_with("ok|"), "{}", flash(&res));
    assert_eq!(app.get("/a/old/19.html").await.status(), 404);
    let html = page("").await;
    assert!(html.contains("还没有跳转"), "{html}");

    // A writer is refused both the page's data and its forms.
    let writer = app.sign_in("writer").await;
    let res = post_form(
        app,
        &writer,
        "/api/admin/redirects/save",
        &[("from", "/a/x.html"), ("to", "/")],
    )
    .await;
    assert!(!res.status().is_success() || !flash(&res).starts_with("ok|"));
    assert!(row::Entity::find().all(&app.db).await.unwrap().is_empty());
    let audit = service::audit::list(&app.db, &Default::default(), 0, 50)
        .await
        .unwrap()
        .0;
    for action in ["redirect.create", "redirect.update", "redirect.delete"] {
        assert!(audit.iter().any(|a| a.action == action), "{action} audited");
    }
}
on_both_backends!(staff_edit_redirects_in_the_back_office);

async fn imports_add_and_change_redirects_but_leave_staffs_alone(app: &TestApp) {
    let staff_id = add(app, "/a/kept.html", "/articles/1").await;
    let pairs = |to: &str| {
        vec![
            ("/a/kept.html".to_owned(), to.to_owned()),
            ("/a/new.html".to_owned(), to.to_owned()),
            // Named twice in one call: the first wins.
            ("/a/new.html".to_owned(), "/articles/99".to_owned()),
        ]
    };
    let n = redirect::put_many(&app.db, "import:dedecms", &pairs("/articles/2"))
        .await
        .unwrap();
    assert_eq!(n, 1, "only the new address counts; staff's is left alone");
    let again = redirect::put_many(&app.db, "import:dedecms", &pairs("/articles/2"))
        .await
        .unwrap();
    assert_eq!(again, 0, "the same redirects again change nothing");
    let moved = redirect::put_many(&app.db, "import:dedecms", &pairs("/articles/3"))
        .await
        .unwrap();
    assert_eq!(moved, 1, "a new target is a change");
    let rows = row::Entity::find().all(&app.db).await.unwrap();
    let of = |from: &str| rows.iter().find(|r| r.from_path == from).unwrap();
    assert_eq!(of("/a/kept.html").id, staff_id);
    assert_eq!(of("/a/kept.html").to_path, "/articles/1");
    assert_eq!(of("/a/kept.html").origin, "staff");
    assert_eq!(of("/a/new.html").to_path, "/articles/3");
    assert_eq!(of("/a/new.html").origin, "import:dedecms");
    assert_eq!(
        status_and_location(app, "/a/new.html").await,
        (301, "/articles/3".to_owned())
    );
}
on_both_backends!(imports_add_and_change_redirects_but_leave_staffs_alone);

/// The back office's lists page with one pager, and its links keep the list's filters: the
/// redirects searched for a text, the articles of one status.
async fn admin_lists_keep_their_filters_across_pages(app: &TestApp) {
    for i in 0..53 {
        add(app, &format!("/old/page-{i:02}.html"), "/").await;
    }
    add(app, "/elsewhere.html", "/").await;
    app.create_staff("lists", entity::user::Role::Editor).await;
    let staff = app.sign_in("lists").await;
    let page = |path: &str| {
        let (client, url) = (staff.client.clone(), app.url(path));
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let first = page("/admin/redirects?text=/old/").await;
    assert!(first.contains("共 53 条，第 1 / 2 页"), "{first}");
    assert!(
        first.contains(r#"href="/admin/redirects?text=%2Fold%2F&amp;page=2" rel="next""#),
        "{first}"
    );
    assert!(!first.contains("/elsewhere.html"));
    let second = page("/admin/redirects?text=%2Fold%2F&page=2").await;
    assert!(second.contains("共 53 条，第 2 / 2 页"), "{second}");
    // Newest first: the second page holds the three made first.
    for i in 0..3 {
        assert!(second.contains(&format!("/old/page-{i:02}.html")), "{i}");
    }
    assert!(!second.contains("/old/page-03.html"));
    assert!(second.contains(r#"href="/admin/redirects?text=%2Fold%2F" rel="prev""#));

    // The article list's pager carries its filters the same way (an empty one is left out).
    let published = entity::article::Entity::find()
        .filter(entity::article::Column::Status.eq(entity::article::ArticleStatus::Published))
        .count(&app.db)
        .await
        .unwrap();
    assert!(published > 30, "the demo has more than a page of articles");
    let list = page("/admin/articles?status=published&q=").await;
    assert!(
        list.contains(&format!("共 {published} 条，第 1 / 2 页")),
        "{list}"
    );
    assert!(list.contains(r#"href="/admin/articles?status=published&amp;page=2" rel="next""#));
}
on_both_backends!(admin_lists_keep_their_filters_across_pages);
