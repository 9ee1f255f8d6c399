//! 身份鉴别, two factors: enrolment with a QR code and a first code, sign-in with a code from
//! the app or a recovery code (each once), the policy sending staff to enrolment, the
//! security administrator's reset and unlock.

use entity::user::Role;
use sea_orm::EntityTrait;
use service::security::totp;

use crate::helpers::{STAFF_PASSWORD, Staff, TestApp, csrf_of, flash_of};
use crate::on_both_backends;

async fn require_for_everyone(app: &TestApp) {
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.totp_admins = true;
    p.totp_editors = true;
    p.totp_writers = true;
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
}

async fn text(who: &reqwest::Client, app: &TestApp, path: &str) -> String {
    who.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The secret the enrolment page shows as text (grouped in fours).
fn secret_on(page: &str) -> Vec<u8> {
    let start = page
        .find("<code class=\"secret\">")
        .expect("the secret is shown")
        + 21;
    let end = start + page[start..].find("</code>").unwrap();
    let b32: String = page[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    data_encoding::BASE32_NOPAD.decode(b32.as_bytes()).unwrap()
}

fn code(secret: &[u8], offset_steps: i64) -> String {
    let step = totp::step_of(chrono::Utc::now().timestamp()) + offset_steps;
    format!("{:06}", totp::code_at(secret, step))
}

async fn post(app: &TestApp, who: &Staff, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut f: Vec<(&str, &str)> = vec![("csrf_token", who.csrf.as_str())];
    f.extend_from_slice(form);
    who.client
        .post(app.url(path))
        .header("referer", app.url("/admin/account/2fa"))
        .form(&f)
        .send()
        .await
        .unwrap()
}

/// Signs in with the password and a code (or recovery code); the response of the code step.
async fn sign_in_with_code(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    code: &str,
) -> reqwest::Response {
    let first = app.post_login(client, username, STAFF_PASSWORD).await;
    assert_eq!(first.status(), 303);
    assert_eq!(
        first.headers()["location"],
        "/admin/login/2fa?next=%2Fadmin"
    );
    let cookies: Vec<&str> = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(cookies.iter().any(|c| c.starts_with("portico_2fa=")));
    assert!(
        !cookies.iter().any(|c| c.starts_with("portico_session=")),
        "no session before the code"
    );
    client
        .post(app.url("/admin/login/2fa"))
        .form(&[("code", code), ("next", "/admin")])
        .send()
        .await
        .unwrap()
}

/// Enrols `username` (already signed in as `me`) and returns the secret and recovery codes.
async fn enrol(app: &TestApp, me: &Staff) -> (Vec<u8>, Vec<String>) {
    let res = post(app, me, "/api/admin/account/2fa/begin", &[]).await;
    assert!(
        flash_of(&res).unwrap().starts_with("ok|"),
        "{:?}",
        flash_of(&res)
    );
    let page = text(&me.client, app, "/admin/account/2fa").await;
    assert!(
        page.contains("<svg") && page.contains("双因素认证二维码"),
        "{page}"
    );
    let secret = secret_on(&page);
    assert_eq!(secret.len(), 20);
    // A wrong code is refused in Chinese and changes nothing.
    let wrong = format!(
        "{:06}",
        (code(&secret, 0).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let res = post(
        app,
        me,
        "/api/admin/account/2fa/confirm",
        &[("code", &wrong)],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|动态口令不正确：请核对手机时间，并输入验证器当前显示的 6 位数字")
    );
    let res = post(
        app,
        me,
        "/api/admin/account/2fa/confirm",
        &[("code", &code(&secret, 0))],
    )
    .await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("ok|双因素认证已启用。请立即保存下面的恢复码")
    );
    let page = text(&me.client, app, "/admin/account/2fa").await;
    assert!(page.contains("恢复码（只显示这一次）"), "{page}");
    let codes: Vec<String> = page
        .match_indices("<li><code>")
        .map(|(i, _)| page[i + 10..i + 19].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{page}");
    let again = text(&me.client, app, "/admin/account/2fa").await;
    assert!(!again.contains("恢复码（只显示这一次）"), "shown once");
    assert!(again.contains("剩余未使用的恢复码：10 个"));
    (secret, codes)
}

async fn required_staff_enrol_then_sign_in_with_a_code(app: &TestApp) {
    require_for_everyone(app).await;
    app.create_staff("careful", Role::Editor).await;
    // The password alone opens only the enrolment.
    let me = app.browser();
    let res = app.post_login(&me, "careful", STAFF_PASSWORD).await;
    assert_eq!(res.headers()["location"], "/admin");
    let dash = me.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(dash.headers()["location"], "/admin/account/2fa");
    let list = me
        .get(app.url("/api/admin/articles/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 403);
    let page = text(&me, app, "/admin/account/2fa").await;
    assert!(page.contains("您须先设置双因素认证"), "{page}");
    let staff = Staff {
        csrf: csrf_of(&page).unwrap(),
        client: me,
    };
    let (secret, codes) = enrol(app, &staff).await;
    assert_eq!(
        staff
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "enrolled: the back office opens"
    );

    // Next time: password, then the code. The code just used is not taken again; the next
    // step's is (one step of drift either side).
    let browser = app.browser();
    let res = sign_in_with_code(app, &browser, "careful", &code(&secret, 0)).await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|动态口令或恢复码不正确，请重新输入")
    );
    let res = sign_in_with_code(app, &browser, "careful", &code(&secret, 1)).await;
    assert_eq!(res.headers()["location"], "/admin", "{:?}", flash_of(&res));
    assert_eq!(
        browser
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A recovery code, once.
    let other = app.browser();
    let res = sign_in_with_code(app, &other, "careful", &codes[3].to_lowercase()).await;
    assert_eq!(res.headers()["location"], "/admin");
    let third = app.browser();
    let res = sign_in_with_code(app, &third, "careful", &codes[3]).await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|动态口令或恢复码不正确，请重新输入")
    );
    // The code step without a password step (or after it expired) starts over.
    let res = app
        .browser()
        .post(app.url("/admin/login/2fa"))
        .form(&[("code", code(&secret, 0).as_str()), ("next", "/admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|验证已超时，请重新输入用户名和密码")
    );
    // Every step is in the log.
    let (rows, _) = service::audit::list(
        &app.db,
        &service::audit::Filter {
            username: Some("careful".into()),
            ..Default::default()
        },
        0,
        100,
    )
    .await
    .unwrap();
    let has = |action: &str, summary: &str| {
        rows.iter()
            .any(|r| r.action == action && r.summary.contains(summary))
    };
    assert!(has("totp.enable", "启用双因素认证"));
    assert!(has("login.password", "待验证动态口令"));
    assert!(has("login", "登录成功（动态口令）"));
    assert!(has("login", "登录成功（恢复码，剩余 9 个）"));
    assert!(has("login.2fa.failed", "不正确"));
    // The secret is stored encrypted.
    let stored = entity::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "careful")
        .unwrap();
    let sealed = stored.totp_secret.unwrap();
    assert!(sealed.starts_with("v1:") && !sealed.contains(&totp::base32(&secret)));
}
on_both_backends!(required_staff_enrol_then_sign_in_with_a_code);

async fn wrong_codes_are_throttled_per_account(app: &TestApp) {
    app.create_staff("target", Role::Editor).await;
    let me = app.sign_in("target").await;
    let (secret, _) = enrol(app, &me).await;
    let browser = app.browser();
    let limit = service::security::Policy::default().lock_account_failures;
    for _ in 0..limit {
        let res = sign_in_with_code(app, &browser, "target", "000000").await;
        assert_eq!(
            flash_of(&res).as_deref(),
            Some("error|动态口令或恢复码不正确，请重新输入")
        );
    }
    let res = sign_in_with_code(app, &browser, "target", &code(&secret, 1)).await;
    assert!(
        flash_of(&res).unwrap().starts_with("error|尝试次数过多"),
        "{:?}",
        flash_of(&res)
    );
}
on_both_backends!(wrong_codes_are_throttled_per_account);

async fn the_security_admin_resets_a_lost_phone_and_unlocks(app: &TestApp) {
    app.create_staff("sec", Role::SecAdmin).await;
    app.create_staff("loser", Role::Editor).await;
    let sec = app.sign_in("sec").await;
    let loser = app.sign_in("loser").await;
    enrol(app, &loser).await;
    let id = entity::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "loser")
        .unwrap()
        .id
        .to_string();
    let page = text(&sec.client, app, "/admin/security/accounts").await;
    assert!(page.contains("已启用（"), "{page}");
    let res = sec
        .client
        .post(app.url("/api/admin/security/reset-2fa"))
        .header("referer", app.url("/admin/security/accounts"))
        .form(&[("csrf_token", sec.csrf.as_str()), ("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("ok|已重置该账号的双因素认证，其登录已全部退出")
    );
    assert_eq!(
        loser
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "signed out"
    );
    // The password alone works again (the policy here does not ask for a second factor).
    let res = app
        .post_login(&app.browser(), "loser", STAFF_PASSWORD)
        .await;
    assert_eq!(res.headers()["location"], "/admin");
    // Nobody resets their own.
    let sec_id = entity::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "sec")
        .unwrap()
        .id
        .to_string();
    let res = sec
        .client
        .post(app.url("/api/admin/security/reset-2fa"))
        .header("referer", app.url("/admin/security/accounts"))
        .form(&[("csrf_token", sec.csrf.as_str()), ("id", sec_id.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        flash_of(&res)
            .unwrap()
            .starts_with("error|不能重置自己的双因素认证")
    );
    // A locked account is shown and unlocked.
    for _ in 0..service::security::Policy::default().lock_account_failures {
        app.post_login(&app.browser(), "loser", "Wrong-guess-99")
            .await;
    }
    let locked = app
        .post_login(&app.browser(), "loser", STAFF_PASSWORD)
        .await;
    assert!(flash_of(&locked).unwrap().contains("登录尝试次数过多"));
    let page = text(&sec.client, app, "/admin/security/accounts").await;
    assert!(page.contains("已锁定"), "{page}");
    let res = sec
        .client
        .post(app.url("/api/admin/security/unlock"))
        .header("referer", app.url("/admin/security/accounts"))
        .form(&[("csrf_token", sec.csrf.as_str()), ("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&res).as_deref(), Some("ok|已解除该账号的登录限制"));
    let res = app
        .post_login(&app.browser(), "loser", STAFF_PASSWORD)
        .await;
    assert_eq!(res.headers()["location"], "/admin");
    let (rows, _) = service::audit::list(&app.db, &Default::default(), 0, 200)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.action == "totp.reset" && r.username == "sec")
    );
    assert!(
        rows.iter()
            .any(|r| r.action == "user.unlock" && r.username == "sec")
    );
}
on_both_backends!(the_security_admin_resets_a_lost_phone_and_unlocks);
