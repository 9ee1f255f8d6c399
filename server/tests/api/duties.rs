//! 三权分立: the system, security and audit administrators are each refused everything
//! outside their duties. Every server function and back-office page is enumerated from the
//! running application, as the guard test does, so a new endpoint is covered at once.

use entity::user::Role;

use crate::helpers::{Staff, TestApp, flash_of};
use crate::on_both_backends;

/// What anyone signed in may call: the frame, the dashboard, their own sessions.
fn own(path: &str) -> bool {
    path == "/api/admin/chrome"
        || path == "/api/admin/dashboard"
        || path.starts_with("/api/admin/account/")
        || path == "/admin"
        || path == "/admin/password"
        || path.starts_with("/admin/account/")
}

fn security(path: &str) -> bool {
    path.starts_with("/api/admin/security/") || path.starts_with("/admin/security")
}

fn audit(path: &str) -> bool {
    path.starts_with("/api/admin/audit/") || path.starts_with("/admin/audit")
}

fn back_office_fns() -> Vec<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method.to_string()))
        .filter(|(p, _)| p.starts_with("/api/admin/"))
        .collect()
}

fn back_office_pages() -> Vec<String> {
    server::startup::page_routes()
        .iter()
        .map(|r| r.path().to_owned())
        .filter(|p| p == "/admin" || p.starts_with("/admin/"))
        .filter(|p| p != "/admin/login" && p != "/admin/login/2fa" && p != "/admin/setup")
        .map(|p| {
            p.split('/')
                .map(|seg| {
                    if seg.starts_with('{') || seg.starts_with(':') {
                        "1"
                    } else {
                        seg
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

async fn status(app: &TestApp, who: &Staff, method: &str, path: &str) -> u16 {
    let req = match method {
        "GET" => who.client.get(app.url(path)),
        _ => who
            .client
            .post(app.url(path))
            .header("x-csrf-token", &who.csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("x=1"),
    };
    req.send().await.unwrap().status().as_u16()
}

/// Checks that `who` is refused (403) exactly what `allowed` says no to, calling only GETs of
/// what is allowed (a POST there would change something).
async fn refused_outside(
    app: &TestApp,
    who: &Staff,
    name: &str,
    least: usize,
    allowed: impl Fn(&str) -> bool,
) {
    let mut refused = 0;
    for (path, method) in back_office_fns() {
        if allowed(&path) {
            if method == "GET" {
                let s = status(app, who, &method, &path).await;
                assert_ne!(s, 403, "{name}: {method} {path} is theirs, answered {s}");
            }
        } else {
            let s = status(app, who, &method, &path).await;
            assert_eq!(s, 403, "{name}: {method} {path} answered {s}");
            refused += 1;
        }
    }
    for page in back_office_pages() {
        let s = status(app, who, "GET", &page).await;
        if allowed(&page) {
            assert!(
                s == 200 || s == 404,
                "{name}: {page} is theirs, answered {s}"
            );
        } else {
            assert_eq!(s, 403, "{name}: {page} answered {s}");
            refused += 1;
        }
    }
    for handler in [
        app::api::admin::articles::PASTE_URL,
        app::api::admin::media::UPLOAD_URL,
        app::api::admin::articles::DOCX_URL,
        app::api::admin::audit::EXPORT_URL,
    ] {
        let method = if handler == app::api::admin::audit::EXPORT_URL {
            "GET"
        } else {
            "POST"
        };
        let s = status(app, who, method, handler).await;
        if allowed(handler) {
            assert_ne!(s, 403, "{name}: {handler}");
        } else {
            assert_eq!(s, 403, "{name}: {handler} answered {s}");
        }
    }
    assert!(refused >= least, "{name}: only {refused} endpoints refused");
}

async fn each_administrator_is_refused_outside_their_duties(app: &TestApp) {
    app.create_staff("sys", Role::SysAdmin).await;
    app.create_staff("sec", Role::SecAdmin).await;
    app.create_staff("aud", Role::Auditor).await;
    app.create_staff("old", Role::Admin).await;
    let sys = app.sign_in("sys").await;
    let sec = app.sign_in("sec").await;
    let aud = app.sign_in("aud").await;
    let old = app.sign_in("old").await;
    // 审计管理员: the audit log and nothing else; 安全管理员: the policy and nothing else.
    refused_outside(app, &aud, "auditor", 50, |p| own(p) || audit(p)).await;
    refused_outside(app, &sec, "security admin", 50, |p| own(p) || security(p)).await;
    // 系统管理员, and a 管理员 once the duties are separated: everything but those two.
    refused_outside(app, &sys, "system admin", 7, |p| !security(p) && !audit(p)).await;
    refused_outside(app, &old, "old-style admin", 7, |p| {
        !security(p) && !audit(p)
    })
    .await;
    // Their menus show only their duties.
    let menu = |html: &str| {
        let start = html.find("class=\"admin-menu\"").unwrap();
        let end = start + html[start..].find("</nav>").unwrap();
        html[start..end].to_owned()
    };
    let page = |who: &Staff| {
        let c = who.client.clone();
        let url = app.url("/admin");
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let aud_menu = menu(&page(&aud).await);
    assert!(
        aud_menu.contains("审计日志") && !aud_menu.contains("文章") && !aud_menu.contains("用户")
    );
    let sec_menu = menu(&page(&sec).await);
    assert!(
        sec_menu.contains("安全策略")
            && !sec_menu.contains("审计日志")
            && !sec_menu.contains("栏目")
    );
    let sys_menu = menu(&page(&sys).await);
    assert!(
        sys_menu.contains("用户")
            && !sys_menu.contains("审计日志")
            && !sys_menu.contains("安全策略")
    );
}
on_both_backends!(each_administrator_is_refused_outside_their_duties);

/// The 安全策略 form as the page sends it, at the defaults.
pub fn policy_form(csrf: &str, separation: bool, admin_allow: &str) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![("csrf_token", csrf.to_owned())];
    if separation {
        f.push(("separation", "1".into()));
    }
    for (k, v) in [
        ("password_min_len", "10"),
        ("password_classes", "3"),
        ("password_history", "5"),
        ("password_max_age_days", "90"),
        ("idle_minutes", "30"),
        ("session_hours", "12"),
        ("lock_account_failures", "5"),
        ("lock_address_failures", "20"),
        ("lock_minutes", "15"),
        ("slow_after", "5"),
        ("audit_keep_days", "180"),
        ("admin_allow", admin_allow),
    ] {
        f.push((k, v.into()));
    }
    f
}

async fn a_small_site_keeps_one_administrator_until_it_separates_the_duties(app: &TestApp) {
    app.create_staff("old", Role::Admin).await;
    let old = app.sign_in("old").await;
    assert_eq!(status(app, &old, "GET", "/admin/audit").await, 403);
    // Level 2: the operator switches the separation off (here directly, as an upgraded site
    // starts).
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.separation = false;
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
    assert_eq!(status(app, &old, "GET", "/admin/audit").await, 200);
    assert_eq!(status(app, &old, "GET", "/admin/security").await, 200);
    // Switching it back on needs a security and an audit administrator to take over.
    let form = |on: bool| policy_form(&old.csrf, on, "");
    let post = |f: Vec<(&'static str, String)>| {
        old.client
            .post(app.url("/api/admin/security/save"))
            .header("referer", app.url("/admin/security"))
            .form(&f)
            .send()
    };
    let res = post(form(true)).await.unwrap();
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|开启三权分立前，请先在“用户”中创建一位安全管理员")
    );
    assert!(!service::security::policy(&app.db).await.unwrap().separation);
    app.create_staff("sec", Role::SecAdmin).await;
    app.create_staff("aud", Role::Auditor).await;
    let res = post(form(true)).await.unwrap();
    assert_eq!(flash_of(&res).as_deref(), Some("ok|安全策略已保存"));
    assert!(service::security::policy(&app.db).await.unwrap().separation);
    // From now on the old administrator neither reads the log nor changes the policy.
    assert_eq!(status(app, &old, "GET", "/admin/audit").await, 403);
    let res = post(form(false)).await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(service::security::policy(&app.db).await.unwrap().separation);
    // The change of policy is in the log, with who made it.
    let (rows, _) = service::audit::list(
        &app.db,
        &service::audit::Filter {
            action: Some("security.update".into()),
            ..Default::default()
        },
        0,
        10,
    )
    .await
    .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.username == "old" && r.summary.contains("三权分立 0 → 1"))
    );
}
on_both_backends!(a_small_site_keeps_one_administrator_until_it_separates_the_duties);

async fn the_back_office_answers_only_the_allowed_addresses(app: &TestApp) {
    app.create_staff("sec", Role::SecAdmin).await;
    let sec = app.sign_in("sec").await;
    let save = |list: &str| {
        sec.client
            .post(app.url("/api/admin/security/save"))
            .header("referer", app.url("/admin/security"))
            .form(&policy_form(&sec.csrf, true, list))
            .send()
    };
    // A list without the address the change is made from is refused, with the reason.
    let res = save("10.0.0.0/8").await.unwrap();
    assert_eq!(
        flash_of(&res).as_deref(),
        Some(
            "error|新的后台地址白名单不包含您当前的地址 127.0.0.1：保存后您自己也将无法进入管理后台。请把该地址或其所在网段加入白名单"
        )
    );
    let res = save("10.0.0.0/8, not-an-address").await.unwrap();
    assert!(flash_of(&res).unwrap().starts_with("error|后台地址白名单"));
    assert_eq!(
        service::security::policy(&app.db)
            .await
            .unwrap()
            .admin_allow,
        ""
    );
    // With it, saved; the back office still answers here.
    let res = save("10.0.0.0/8\n127.0.0.1").await.unwrap();
    assert_eq!(flash_of(&res).as_deref(), Some("ok|安全策略已保存"));
    assert_eq!(
        service::security::policy(&app.db)
            .await
            .unwrap()
            .admin_allow,
        "10.0.0.0/8, 127.0.0.1"
    );
    assert_eq!(status(app, &sec, "GET", "/admin/security").await, 200);
    // Made from elsewhere: this address is out, and finds nothing there at all.
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.admin_allow = "10.0.0.0/8".into();
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
    for path in [
        "/admin",
        "/admin/login",
        "/admin/setup",
        "/api/admin/chrome",
    ] {
        assert_eq!(status(app, &sec, "GET", path).await, 404, "{path}");
    }
    let login = app
        .post_login(&app.browser(), "sec", crate::helpers::STAFF_PASSWORD)
        .await;
    assert_eq!(login.status(), 404);
    // The public site is unaffected.
    assert_eq!(
        app.client.get(app.url("/")).send().await.unwrap().status(),
        200
    );
    let (rows, _) = service::audit::list(
        &app.db,
        &service::audit::Filter {
            action: Some("security.update".into()),
            ..Default::default()
        },
        0,
        10,
    )
    .await
    .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.username == "sec" && r.summary.contains("后台地址白名单"))
    );
}
on_both_backends!(the_back_office_answers_only_the_allowed_addresses);

async fn the_security_admin_hands_the_self_check_to_the_assessor(app: &TestApp) {
    app.create_staff("sec", Role::SecAdmin).await;
    app.create_staff("aud", Role::Auditor).await;
    let sec = app.sign_in("sec").await;
    let page = sec
        .client
        .get(app.url("/admin/security/check"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for clause in [
        "8.1.4.1 a)",
        "8.1.4.1 b)",
        "8.1.4.1 c)",
        "8.1.4.1 d)",
        "8.1.4.2 b)",
        "8.1.4.2 d)",
        "8.1.4.3 c)",
        "8.1.4.4 c)",
    ] {
        assert!(page.contains(clause), "{clause}: {page}");
    }
    // This test site: the tests switched the second factor off, it is served over http and
    // has no allow-list, so level 3 is not met and the page says where.
    assert!(page.contains("第三级尚有未满足项"), "{page}");
    assert!(page.contains("未设置后台地址白名单"));
    assert!(page.contains("网站地址不是 https"));
    assert!(page.contains("完整性：校验通过"));
    assert!(page.contains("三权分立 已开启；在岗安全管理员 1 人、审计管理员 1 人"));
}
on_both_backends!(the_security_admin_hands_the_self_check_to_the_assessor);
