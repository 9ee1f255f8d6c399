use entity::user::Role;
use sea_orm::EntityTrait;

use crate::helpers::{STAFF_PASSWORD, TestApp, csrf_of, flash_of};
use crate::on_both_backends;

async fn first_setup_runs_once_from_this_machine(app: &TestApp) {
    let client = app.browser();
    let (status, html) = {
        let res = client.get(app.url("/admin/setup")).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(html.contains("创建第一个管理员"));
    // Through a proxy it is not offered.
    let proxied = client
        .get(app.url("/admin/setup"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);

    // A visitor who is "local" only through a reverse proxy does not know the code printed
    // in the server's log.
    let wrong = client
        .post(app.url("/admin/setup"))
        .form(&[
            ("code", "AAAA-AAAA-AAAA"),
            ("username", "intruder"),
            ("password", STAFF_PASSWORD),
            ("confirm", STAFF_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 303);
    assert!(flash_of(&wrong).unwrap().contains("设置码不正确"));
    assert_eq!(service::auth::user_count(&app.db).await.unwrap(), 0);

    let code = app.state.setup.code().to_owned();
    assert_eq!(code.len(), 14, "twelve characters in three groups: {code}");
    let res = client
        .post(app.url("/admin/setup"))
        .form(&[
            ("code", code.as_str()),
            ("username", "chief"),
            ("display_name", "秘书长"),
            ("password", STAFF_PASSWORD),
            ("confirm", STAFF_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin");
    let dashboard = client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard.text().await.unwrap().contains("秘书长"));

    // Once an account exists, setup is gone for everyone.
    assert_eq!(
        app.browser()
            .get(app.url("/admin/setup"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let again = app
        .browser()
        .post(app.url("/admin/setup"))
        .form(&[
            ("code", code.as_str()),
            ("username", "intruder"),
            ("password", STAFF_PASSWORD),
            ("confirm", STAFF_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    assert_eq!(service::auth::user_count(&app.db).await.unwrap(), 1);
}
on_both_backends!(first_setup_runs_once_from_this_machine);

async fn signing_in_and_out(app: &TestApp) {
    app.create_staff("editor1", Role::Editor).await;
    let client = app.browser();
    let res = client
        .get(app.url("/admin/articles?page=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/login?next=%2Fadmin%2Farticles%3Fpage%3D2"
    );

    let wrong = app.post_login(&client, "editor1", "not the password").await;
    assert_eq!(wrong.status(), 303);
    assert_eq!(flash_of(&wrong).as_deref(), Some("error|用户名或密码错误"));
    // An unknown account gets the very same answer.
    let unknown = app
        .post_login(&client, "nobody-here", "not the password")
        .await;
    assert_eq!(
        flash_of(&unknown).as_deref(),
        Some("error|用户名或密码错误")
    );

    let ok = app.post_login(&client, "EDITOR1", STAFF_PASSWORD).await;
    assert_eq!(ok.status(), 303);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("portico_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let first_token = cookie.split(';').next().unwrap().to_owned();
    let page = client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();
    assert!(html.contains("editor1"));
    assert!(
        !html.contains("网站设置"),
        "editors do not see admin-only menus"
    );

    // Signing in again gives a new session id; the old one is gone.
    let again = app.post_login(&client, "editor1", STAFF_PASSWORD).await;
    let second = again.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(first_token, second);
    let stale = app
        .client
        .get(app.url("/admin"))
        .header("cookie", &first_token)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 303, "the old session no longer works");

    let html = client
        .get(app.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html).unwrap();
    let out = client
        .post(app.url("/admin/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/admin/login");
    assert_eq!(
        client.get(app.url("/admin")).send().await.unwrap().status(),
        303
    );
}
on_both_backends!(signing_in_and_out);

async fn repeated_failures_are_throttled(app: &TestApp) {
    app.create_staff("target", Role::Editor).await;
    let client = app.browser();
    for _ in 0..service::security::Policy::default().lock_account_failures {
        let res = app.post_login(&client, "target", "guessing-wrong").await;
        assert_eq!(flash_of(&res).as_deref(), Some("error|用户名或密码错误"));
    }
    // The next attempt is refused even with the right password, and says how long to wait.
    let res = app.post_login(&client, "target", STAFF_PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 800
    );
    let message = flash_of(&res).unwrap();
    assert_eq!(message, "error|登录尝试次数过多，请15分钟后再试");
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("portico_session="))
    );
    // Unknown accounts are throttled the same way (no enumeration).
    for _ in 0..service::security::Policy::default().lock_account_failures {
        app.post_login(&client, "ghost", "guessing-wrong").await;
    }
    let res = app.post_login(&client, "ghost", "guessing-wrong").await;
    assert_eq!(
        flash_of(&res).unwrap(),
        "error|登录尝试次数过多，请15分钟后再试"
    );
}
on_both_backends!(repeated_failures_are_throttled);

/// A client bound to another loopback address (the server sees it as that client).
fn browser_at(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from(ip))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Whoever knows an editor's user name must not be able to keep them out: eight wrong
/// passwords from 127.0.0.2 lock that address out of that account, and the real person at
/// 127.0.0.3 still signs in.
async fn guesses_from_one_address_do_not_lock_the_account_elsewhere(app: &TestApp) {
    app.create_staff("target", Role::Editor).await;
    let attacker = browser_at([127, 0, 0, 2]);
    for _ in 0..8 {
        let res = app.post_login(&attacker, "target", "guessing-wrong").await;
        assert_eq!(res.status(), 303);
    }
    // The attacker's own address is locked out of this account, even with the password…
    let res = app.post_login(&attacker, "target", STAFF_PASSWORD).await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|登录尝试次数过多，请15分钟后再试")
    );
    // … but the real person, elsewhere, signs in (after the short wait the account's
    // failures impose).
    let real = browser_at([127, 0, 0, 3]);
    let res = app.post_login(&real, "target", STAFF_PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin");
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("portico_session="))
    );
    // An address that guesses at many accounts is stopped as a whole.
    for n in 0..service::security::Policy::default().lock_address_failures {
        let res = app
            .post_login(&attacker, &format!("someone{n}"), "guessing-wrong")
            .await;
        assert_eq!(res.status(), 303);
    }
    app.create_staff("other", Role::Editor).await;
    let res = app.post_login(&attacker, "other", STAFF_PASSWORD).await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|登录尝试次数过多，请15分钟后再试"),
        "the address is locked"
    );
    let res = app.post_login(&real, "other", STAFF_PASSWORD).await;
    assert_eq!(res.headers()["location"], "/admin");
}
on_both_backends!(guesses_from_one_address_do_not_lock_the_account_elsewhere);

async fn changes_need_the_csrf_token(app: &TestApp) {
    app.create_staff("writer", Role::Editor).await;
    let staff = app.sign_in("writer").await;
    // A form post without the token is refused, and nothing happens.
    let res = staff
        .client
        .post(app.url("/admin/logout"))
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        staff
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );
    // A wrong token is refused too; so is a right token from another site.
    let res = staff
        .client
        .post(app.url("/admin/logout"))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = staff
        .client
        .post(app.url("/admin/logout"))
        .header("origin", "https://evil.example")
        .form(&[("csrf_token", staff.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Script requests send it as a header.
    let res = staff
        .client
        .post(app.url("/admin/logout"))
        .header("x-csrf-token", &staff.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}
on_both_backends!(changes_need_the_csrf_token);

async fn changing_the_password_ends_other_sessions(app: &TestApp) {
    app.create_staff("mover", Role::Editor).await;
    let here = app.sign_in("mover").await;
    let elsewhere = app.sign_in("mover").await;
    let new_password = "新的密码-Longer-2027";
    let wrong = here
        .client
        .post(app.url("/admin/password"))
        .form(&[
            ("csrf_token", here.csrf.as_str()),
            ("current", "wrong"),
            ("password", new_password),
            ("confirm", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&wrong).as_deref(), Some("error|当前密码不正确"));
    let ok = here
        .client
        .post(app.url("/admin/password"))
        .form(&[
            ("csrf_token", here.csrf.as_str()),
            ("current", STAFF_PASSWORD),
            ("password", new_password),
            ("confirm", new_password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert!(flash_of(&ok).unwrap().starts_with("ok|"));
    assert_eq!(
        here.client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "this browser stays in"
    );
    assert_eq!(
        elsewhere
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "others are out"
    );
    let old = app
        .post_login(&app.browser(), "mover", STAFF_PASSWORD)
        .await;
    assert_eq!(flash_of(&old).as_deref(), Some("error|用户名或密码错误"));
}
on_both_backends!(changing_the_password_ends_other_sessions);

/// The editor arrives filled in: before its script runs (or without script) the fields show the
/// article, and saving waits for the script (a plain submit would reload and lose typing).
async fn the_editor_page_is_filled_in_before_script(app: &TestApp) {
    app.create_staff("early-editor", Role::Editor).await;
    let staff = app.sign_in("early-editor").await;
    let a = app.some_article().await;
    let html = staff
        .client
        .get(app.url(&format!("/admin/articles/{}", a.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let attr = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;");
    assert!(
        html.contains(&format!(r#"value="{}""#, attr(&a.title))),
        "title"
    );
    let first_paragraph = a.body.split("</p>").next().unwrap_or_default();
    assert!(html.contains(first_paragraph), "body");
    assert!(
        html.contains(r#"<button type="submit" disabled class="button primary">保存</button>"#),
        "save waits for the script"
    );
    assert!(html.contains("<noscript>") && html.contains("需要浏览器启用 JavaScript"));

    // Text in a textarea cannot end it (Leptos writes textarea children as they are).
    use sea_orm::{ActiveModelTrait, Set};
    entity::article::ActiveModel {
        id: Set(a.id),
        summary: Set("摘要</textarea><script>alert(1)</script>".into()),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    let html = staff
        .client
        .get(app.url(&format!("/admin/articles/{}", a.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("</textarea><script>alert(1)"));
    assert!(html.contains("摘要&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"));
}
on_both_backends!(the_editor_page_is_filled_in_before_script);

/// A long document pasted with its pictures is bigger than axum's default 2 MB; editors may
/// send it, while readers' endpoints keep the small limit.
async fn editors_can_paste_long_documents(app: &TestApp) {
    app.create_staff("long-paster", Role::Editor).await;
    let staff = app.sign_in("long-paster").await;
    let paragraph = format!("<p class=MsoNormal>{}</p>", "开发区高质量发展。".repeat(40));
    let html = paragraph.repeat(3 * 1024 * 1024 / paragraph.len() + 1);
    assert!(html.len() > 3 * 1024 * 1024);
    let res = staff
        .client
        .post(app.url("/api/admin/articles/paste"))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .json(&serde_json::json!({ "html": html, "rtf": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert!(
        out["html"]
            .as_str()
            .unwrap()
            .starts_with("<p>开发区高质量发展。")
    );

    let huge_login = app
        .browser()
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username=a&password={}",
            "x".repeat(3 * 1024 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(huge_login.status(), 413);
}
on_both_backends!(editors_can_paste_long_documents);

/// Signing out after the session has ended (expired, or ended elsewhere) still clears the
/// cookie and lands on the login page instead of an error.
async fn signing_out_of_an_ended_session(app: &TestApp) {
    let client = app.browser();
    let res = client
        .post(app.url("/admin/logout"))
        .header("cookie", "portico_session=long-gone")
        .header("origin", app.address.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin/login");
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("portico_session=;")),
        "the cookie is cleared"
    );
    // From another site it is still refused.
    let forged = client
        .post(app.url("/admin/logout"))
        .header("cookie", "portico_session=long-gone")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
}
on_both_backends!(signing_out_of_an_ended_session);

/// The media library's plain upload form sends its CSRF token as the first form field (not in
/// the address, where logs would keep it); without it, or with a wrong one, nothing is read.
async fn plain_uploads_carry_the_token_in_the_form(app: &TestApp) {
    app.create_staff("form-uploader", Role::Editor).await;
    let staff = app.sign_in("form-uploader").await;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(16, 16, image::Rgb([1, 2, 3])))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let form = |token: Option<&str>| {
        let mut f = reqwest::multipart::Form::new();
        if let Some(t) = token {
            f = f.text("csrf_token", t.to_owned());
        }
        f.part(
            "file",
            reqwest::multipart::Part::bytes(png.clone()).file_name("a.png"),
        )
        .text("alt", "测试")
    };
    let post = |f: reqwest::multipart::Form, path: String| {
        staff
            .client
            .post(app.url(&path))
            .header("referer", app.url("/admin/media"))
            .multipart(f)
            .send()
    };
    let before = service::media::list(&app.db, None, 0, 100).await.unwrap().1;
    let ok = post(form(Some(&staff.csrf)), "/api/admin/media/upload".into())
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert!(
        flash_of(&ok).unwrap().starts_with("ok|"),
        "{:?}",
        flash_of(&ok)
    );
    let wrong = post(
        form(Some("not-the-token")),
        "/api/admin/media/upload".into(),
    )
    .await
    .unwrap();
    assert_eq!(
        flash_of(&wrong).as_deref(),
        Some("error|页面已过期，请刷新页面后重新提交")
    );
    let in_url = post(
        form(None),
        format!("/api/admin/media/upload?csrf_token={}", staff.csrf),
    )
    .await
    .unwrap();
    assert_eq!(
        flash_of(&in_url).as_deref(),
        Some("error|页面已过期，请刷新页面后重新提交")
    );
    let after = service::media::list(&app.db, None, 0, 100).await.unwrap().1;
    assert_eq!(
        after,
        before + 1,
        "only the upload with the token was stored"
    );
}
on_both_backends!(plain_uploads_carry_the_token_in_the_form);

/// A burst of simultaneous wrong passwords for one account: each attempt is counted before
/// its password is checked, so at most the limit of them is checked, and the right password
/// that follows is refused until the lock ends.
async fn a_burst_of_guesses_checks_at_most_five_passwords(app: &TestApp) {
    app.create_staff("target", Role::Editor).await;
    let before = app.state.passwords.checks();
    let mut burst = Vec::new();
    for i in 0..50 {
        let client = app.browser();
        let url = app.url("/admin/login");
        burst.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .form(&[
                    ("username", "target"),
                    ("password", format!("wrong password {i}").as_str()),
                    ("next", "/admin"),
                ])
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }));
    }
    for b in burst {
        assert_eq!(b.await.unwrap(), 303);
    }
    let checked = app.state.passwords.checks() - before;
    assert!(
        checked <= u64::from(service::security::Policy::default().lock_account_failures),
        "{checked} passwords were checked in a burst of 50"
    );
    let right = app
        .post_login(&app.browser(), "target", STAFF_PASSWORD)
        .await;
    assert_eq!(right.status(), 303);
    assert_eq!(
        flash_of(&right).as_deref(),
        Some("error|登录尝试次数过多，请15分钟后再试")
    );
    assert_eq!(
        app.state.passwords.checks() - before,
        checked,
        "the refused attempt checked nothing"
    );
    // When the lock has ended, the right password works.
    entity::login_throttle::Entity::update_many()
        .col_expr(
            entity::login_throttle::Column::LockedUntil,
            sea_orm::sea_query::Expr::value(Some(
                chrono::Utc::now() - chrono::Duration::seconds(1),
            )),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let right = app
        .post_login(&app.browser(), "target", STAFF_PASSWORD)
        .await;
    assert_eq!(right.headers()["location"], "/admin");
}
on_both_backends!(a_burst_of_guesses_checks_at_most_five_passwords);

/// Ten wrong setup codes close first-time setup until the server restarts, even for the
/// right code.
async fn setup_closes_after_ten_wrong_codes(app: &TestApp) {
    let client = app.browser();
    let post = |code: &'static str| {
        client
            .post(app.url("/admin/setup"))
            .form(&[
                ("code", code),
                ("username", "chief"),
                ("password", STAFF_PASSWORD),
                ("confirm", STAFF_PASSWORD),
            ])
            .send()
    };
    for _ in 0..9 {
        let res = post("AAAA-BBBB-CCCC").await.unwrap();
        assert!(flash_of(&res).unwrap().contains("设置码不正确"));
    }
    let tenth = post("AAAA-BBBB-CCCC").await.unwrap();
    assert!(flash_of(&tenth).unwrap().contains("初始化已关闭"));
    assert!(app.state.setup.is_closed());
    let code = app.state.setup.code().to_owned();
    let res = client
        .post(app.url("/admin/setup"))
        .form(&[
            ("code", code.as_str()),
            ("username", "chief"),
            ("password", STAFF_PASSWORD),
            ("confirm", STAFF_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(service::auth::user_count(&app.db).await.unwrap(), 0);
    let page = client.get(app.url("/admin/setup")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("初始化已关闭"));
}
on_both_backends!(setup_closes_after_ten_wrong_codes);
