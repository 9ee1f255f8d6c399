use entity::user::Role;

use crate::helpers::{TestApp, flash_of, post_form};
use crate::on_both_backends;

async fn ok(res: reqwest::Response) -> reqwest::Response {
    assert!(res.status().is_redirection(), "status {}", res.status());
    let flash = flash_of(&res).unwrap_or_default();
    assert!(flash.starts_with("ok|"), "{flash}");
    res
}

async fn columns_pages_and_notices_are_edited_and_published(app: &TestApp) {
    app.create_staff("editor", Role::Editor).await;
    let staff = app.sign_in("editor").await;
    // A new column under 资讯中心.
    let news = service::column::by_slug(&service::column::all(&app.db, 1).await.unwrap(), "news")
        .unwrap()
        .id;
    ok(post_form(
        app,
        &staff,
        "/api/admin/columns/save",
        &[
            ("parent_id", &news.to_string()),
            ("name", "国际合作"),
            ("slug", "international"),
            ("kind", "list"),
            ("sort_order", "20"),
            ("show_in_nav", "on"),
        ],
    )
    .await)
    .await;
    app.eventually("/columns/news", "国际合作", true).await;
    assert_eq!(app.get("/columns/international").await.status(), 200);
    // Bad slugs and duplicate slugs are refused with a message.
    let res = post_form(
        app,
        &staff,
        "/api/admin/columns/save",
        &[("name", "重复"), ("slug", "news"), ("kind", "list")],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|该网址别名已被其他栏目使用")
    );
    // A column with articles cannot be deleted.
    let zone = service::column::by_slug(
        &service::column::all(&app.db, 1).await.unwrap(),
        "zone-news",
    )
    .unwrap()
    .id;
    let res = post_form(
        app,
        &staff,
        "/api/admin/columns/delete",
        &[("id", &zone.to_string())],
    )
    .await;
    assert!(flash_of(&res).unwrap().starts_with("error|该栏目下还有"));

    // A single page.
    let intro = service::column::by_slug(&service::column::all(&app.db, 1).await.unwrap(), "intro")
        .unwrap()
        .id;
    let before = app
        .client
        .get(app.url("/columns/intro"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!before.contains("新的协会简介正文"));
    ok(post_form(
        app,
        &staff,
        "/api/admin/pages/save",
        &[
            ("column_id", &intro.to_string()),
            ("title", "协会简介"),
            ("body", "<p>新的协会简介正文。</p><script>x()</script>"),
        ],
    )
    .await)
    .await;
    app.eventually("/columns/intro", "新的协会简介正文", true)
        .await;
    let page = app
        .client
        .get(app.url("/columns/intro"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("x()"));

    // A notice appears on the strip of every page, and goes when deleted.
    let now = chrono::Utc::now()
        .with_timezone(&app.state.site.time_zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    ok(post_form(
        app,
        &staff,
        "/api/admin/notices/save",
        &[
            ("title", "关于调整办公时间的紧急通知"),
            ("body", "<p>即日起调整。</p>"),
            ("published_at", &now),
            ("is_published", "on"),
        ],
    )
    .await)
    .await;
    app.eventually("/columns/zone-news", "关于调整办公时间的紧急通知", true)
        .await;
    let id = service::notice::all_notices(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.title == "关于调整办公时间的紧急通知")
        .unwrap()
        .id;
    ok(post_form(
        app,
        &staff,
        "/api/admin/notices/delete",
        &[("id", &id.to_string())],
    )
    .await)
    .await;
    app.eventually("/columns/zone-news", "关于调整办公时间的紧急通知", false)
        .await;
}
on_both_backends!(columns_pages_and_notices_are_edited_and_published);

async fn magazine_issues_and_links_are_edited(app: &TestApp) {
    app.create_staff("editor", Role::Editor).await;
    let staff = app.sign_in("editor").await;
    let now = chrono::Utc::now()
        .with_timezone(&app.state.site.time_zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let res = ok(post_form(
        app,
        &staff,
        "/api/admin/magazine/save",
        &[
            ("year", "2026"),
            ("number", "12"),
            ("total_number", "372"),
            ("title", "年终特刊"),
            ("summary", "回顾一年"),
            ("cover_image_id", ""),
            ("published_at", &now),
        ],
    )
    .await)
    .await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let issue_id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    let a = app.some_article().await;
    ok(post_form(
        app,
        &staff,
        "/api/admin/magazine/toc/add",
        &[
            ("issue_id", &issue_id.to_string()),
            ("article_id", &a.id.to_string()),
            ("section", "年度回顾"),
            ("sort_order", "1"),
        ],
    )
    .await)
    .await;
    app.eventually("/magazine/2026/12", &a.title, true).await;
    let html = app
        .client
        .get(app.url("/magazine/2026/12"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("年终特刊") && html.contains("年度回顾"));
    // The same year and number twice is refused.
    let res = post_form(
        app,
        &staff,
        "/api/admin/magazine/save",
        &[
            ("year", "2026"),
            ("number", "12"),
            ("title", "重复"),
            ("summary", ""),
            ("published_at", &now),
        ],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|2026年第12期已经存在")
    );

    // Footer links.
    let groups = service::link::link_groups(&app.db).await.unwrap();
    let gid = groups[0].0.id;
    ok(post_form(
        app,
        &staff,
        "/api/admin/links/save",
        &[
            ("group_id", &gid.to_string()),
            ("name", "新增的合作单位"),
            ("url", "https://partner.example/"),
            ("sort_order", "1"),
        ],
    )
    .await)
    .await;
    app.eventually("/columns/news", "新增的合作单位", true)
        .await;
    let res = post_form(
        app,
        &staff,
        "/api/admin/links/save",
        &[
            ("group_id", &gid.to_string()),
            ("name", "坏链接"),
            ("url", "javascript:alert(1)"),
        ],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|链接地址需以 http://、https:// 或 / 开头")
    );
    // A protocol-relative address leaves the site like an http one would: refused too.
    let res = post_form(
        app,
        &staff,
        "/api/admin/links/save",
        &[
            ("group_id", &gid.to_string()),
            ("name", "别的网站"),
            ("url", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|链接地址需以 http://、https:// 或 / 开头")
    );
}
on_both_backends!(magazine_issues_and_links_are_edited);

async fn settings_and_users_are_for_admins(app: &TestApp) {
    app.create_staff("root", Role::Admin).await;
    app.create_staff("editor", Role::Editor).await;
    let admin = app.sign_in("root").await;
    let editor = app.sign_in("editor").await;
    let fields = [
        ("site_name", "中国开发区协会（测试）"),
        ("magazine_name", "中国开发区"),
        ("slogan", ""),
        ("wechat_account", "协会公众号"),
        ("wechat_qr_url", "https://weixin.example/x"),
        ("qq_group", "123456"),
        ("contact_email", "office@portico.example"),
        ("footer_text", "主办单位：测试"),
        ("icp", "京ICP备00000000号-1"),
        ("copyright", "版权所有"),
        ("logo_url", "/media/logo-test.png"),
    ];
    let res = post_form(app, &editor, "/api/admin/sys/settings/save", &fields).await;
    assert_eq!(res.status(), 403, "editors cannot change settings");
    ok(post_form(app, &admin, "/api/admin/sys/settings/save", &fields).await).await;
    app.eventually("/", "欢迎访问中国开发区协会（测试）网站", true)
        .await;
    app.eventually(
        "/",
        r#"<img src="/media/logo-test.png" alt="" width="56" height="56" class="brand-logo">"#,
        true,
    )
    .await;

    // A logo address that is neither a site path nor http(s) is refused, with the reason.
    let mut bad = fields;
    bad[10] = ("logo_url", "javascript:alert(1)");
    let res = post_form(app, &admin, "/api/admin/sys/settings/save", &bad).await;
    let flash = flash_of(&res).unwrap_or_default();
    assert!(
        flash.starts_with("error|") && flash.contains("标志图片地址"),
        "{flash}"
    );
    app.eventually(
        "/",
        r#"<img src="/media/logo-test.png" alt="" width="56" height="56" class="brand-logo">"#,
        true,
    )
    .await;

    // A new editor account; deactivating it ends its sessions and blocks sign-in.
    ok(post_form(
        app,
        &admin,
        "/api/admin/sys/users/create",
        &[
            ("username", "newbie"),
            ("display_name", "新同事"),
            ("role", "editor"),
            ("password", crate::helpers::STAFF_PASSWORD),
        ],
    )
    .await)
    .await;
    // Someone else chose the password: the first sign-in leads to changing it.
    let newbie = app.browser();
    let first = app
        .post_login(&newbie, "newbie", crate::helpers::STAFF_PASSWORD)
        .await;
    assert_eq!(first.headers()["location"], "/admin/password");
    let id = service::user::users(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "newbie")
        .unwrap()
        .id;
    ok(post_form(
        app,
        &admin,
        "/api/admin/sys/users/update",
        &[
            ("id", &id.to_string()),
            ("display_name", "新同事"),
            ("role", "editor"),
        ],
    )
    .await)
    .await;
    let out = newbie.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/admin/login"),
        "signed out"
    );
    let res = app
        .post_login(&app.browser(), "newbie", crate::helpers::STAFF_PASSWORD)
        .await;
    assert_eq!(flash_of(&res).as_deref(), Some("error|用户名或密码错误"));
    // Admins cannot lock themselves out.
    let me = service::user::users(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "root")
        .unwrap()
        .id;
    let res = post_form(
        app,
        &admin,
        "/api/admin/sys/users/update",
        &[
            ("id", &me.to_string()),
            ("display_name", "root"),
            ("role", "editor"),
            ("is_active", "on"),
        ],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|不能修改自己的角色：请另一位管理员修改")
    );
    // Nor set their own password here, without the current one.
    let res = post_form(
        app,
        &admin,
        "/api/admin/sys/users/update",
        &[
            ("id", &me.to_string()),
            ("display_name", "root"),
            ("role", "admin"),
            ("is_active", "on"),
            ("password", "另一个足够长的密码-Aa2027"),
        ],
    )
    .await;
    assert!(
        flash_of(&res)
            .unwrap()
            .starts_with("error|修改自己的密码请使用“修改密码”页面"),
        "{:?}",
        flash_of(&res)
    );
    // Every change is in the audit log.
    let (rows, _) = service::audit::list(&app.db, &service::audit::Filter::default(), 0, 100)
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    for a in ["settings.update", "user.create", "user.update"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}
on_both_backends!(settings_and_users_are_for_admins);
