//! Every back-office endpoint refuses anonymous callers, and every admin-only one refuses
//! editors. The endpoints are enumerated from the running application (its server
//! functions and page routes), so a new endpoint without a guard fails here.

use entity::user::Role;

use crate::helpers::TestApp;
use crate::on_both_backends;

/// Server functions that readers call, with no session.
const PUBLIC_SERVER_FNS: &[&str] = &[
    "/api/site/chrome",
    "/api/articles/page",
    "/api/articles/favorites",
    "/api/portal/home",
    "/api/portal/column",
    "/api/portal/notice",
    "/api/portal/issue",
    // Search: reads published content only.
    "/api/portal/search",
    "/api/staff/login-state",
    // 留言箱: read-only (the posts are plain form routes with their own checks).
    "/api/messages/page",
    "/api/messages/track",
    // 投稿: the same.
    "/api/submit/page",
    "/api/submit/track",
];

/// Back-office pages anyone may open.
const PUBLIC_ADMIN_PAGES: &[&str] = &["/admin/login", "/admin/login/2fa", "/admin/setup"];

/// Plain handlers of the back office (not server functions, not pages).
const FORM_HANDLERS: &[&str] = &[
    "/admin/logout",
    "/admin/password",
    app::api::admin::articles::PASTE_URL,
    app::api::admin::media::UPLOAD_URL,
    app::api::admin::articles::DOCX_URL,
];

fn server_fns() -> Vec<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method.to_string()))
        .collect()
}

fn admin_pages() -> Vec<String> {
    // Never `generate_route_list` here: it suppresses resource loading process-wide while it
    // runs, which would freeze pages that other tests' servers are rendering at that moment.
    server::startup::page_routes()
        .iter()
        .map(|r| r.path().to_owned())
        .filter(|p| p == "/admin" || p.starts_with("/admin/"))
        .map(|p| {
            // Fill path parameters with a plausible value.
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

async fn status_of(client: &reqwest::Client, app: &TestApp, method: &str, path: &str) -> u16 {
    let req = match method {
        "GET" => client.get(app.url(path)),
        _ => client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("x=1"),
    };
    req.send().await.unwrap().status().as_u16()
}

async fn nothing_in_the_back_office_answers_strangers(app: &TestApp) {
    let fns = server_fns();
    assert!(
        fns.len() > PUBLIC_SERVER_FNS.len(),
        "server functions are enumerated"
    );
    for public in PUBLIC_SERVER_FNS {
        assert!(
            fns.iter().any(|(p, _)| p == public),
            "{public} is still a server function"
        );
    }
    for (path, method) in &fns {
        if PUBLIC_SERVER_FNS.contains(&path.as_str()) {
            continue;
        }
        assert!(
            path.starts_with("/api/admin/"),
            "{path}: every non-public server function lives under /api/admin/"
        );
        let status = status_of(&app.client, app, method, path).await;
        assert_eq!(
            status, 401,
            "{method} {path} answered {status} to an anonymous caller"
        );
    }
    let pages = admin_pages();
    assert!(
        pages.iter().any(|p| p == "/admin"),
        "page routes are enumerated"
    );
    for page in &pages {
        if PUBLIC_ADMIN_PAGES.contains(&page.as_str()) {
            continue;
        }
        let res = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(
            res.status(),
            303,
            "{page} must send strangers to the login page"
        );
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/admin/login?next=")
        );
    }
    for handler in FORM_HANDLERS {
        assert_eq!(
            status_of(&app.client, app, "POST", handler).await,
            401,
            "{handler}"
        );
    }
    // 投稿 attachments are for staff only.
    assert_eq!(
        status_of(&app.client, app, "GET", "/api/admin/submissions/1/files/1").await,
        401
    );
}
on_both_backends!(nothing_in_the_back_office_answers_strangers);

async fn admin_only_endpoints_refuse_editors(app: &TestApp) {
    app.create_staff("plain-editor", Role::Editor).await;
    app.create_staff("the-admin", Role::Admin).await;
    let editor = app.sign_in("plain-editor").await;
    let admin = app.sign_in("the-admin").await;
    let sys_fns: Vec<(String, String)> = server_fns()
        .into_iter()
        .filter(|(p, _)| p.starts_with("/api/admin/sys/"))
        .collect();
    assert!(!sys_fns.is_empty());
    for (path, method) in &sys_fns {
        let req = match method.as_str() {
            "GET" => editor.client.get(app.url(path)),
            _ => editor
                .client
                .post(app.url(path))
                .header("x-csrf-token", &editor.csrf)
                .body(""),
        };
        let status = req.send().await.unwrap().status().as_u16();
        assert_eq!(
            status, 403,
            "{method} {path} answered {status} to an editor"
        );
    }
    let sys_pages: Vec<String> = admin_pages()
        .into_iter()
        .filter(|p| p.starts_with("/admin/sys"))
        .collect();
    assert!(!sys_pages.is_empty());
    for page in &sys_pages {
        assert_eq!(
            editor
                .client
                .get(app.url(page))
                .send()
                .await
                .unwrap()
                .status(),
            403,
            "{page}"
        );
        assert_ne!(
            admin
                .client
                .get(app.url(page))
                .send()
                .await
                .unwrap()
                .status(),
            403,
            "{page} opens for admins"
        );
    }
    // Everything else in the back office opens for editors, but the security and audit
    // administrators' pages (see `duties`).
    for page in admin_pages().iter().filter(|p| {
        !p.starts_with("/admin/sys")
            && !p.starts_with("/admin/security")
            && !p.starts_with("/admin/audit")
            && !PUBLIC_ADMIN_PAGES.contains(&p.as_str())
    }) {
        let status = editor
            .client
            .get(app.url(page))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{page}: {e:?}"))
            .status()
            .as_u16();
        assert!(
            status == 200 || status == 404,
            "{page} answered {status} to an editor"
        );
    }
}
on_both_backends!(admin_only_endpoints_refuse_editors);

/// What a writer (撰稿人) may call: their own articles (the functions check whose), pictures,
/// the dashboard and the frame.
const WRITER_SERVER_FNS: &[&str] = &[
    "/api/admin/chrome",
    "/api/admin/dashboard",
    "/api/admin/media/list",
    "/api/admin/articles/list",
    "/api/admin/articles/editor",
    "/api/admin/articles/save",
    "/api/admin/articles/send-for-review",
    "/api/admin/articles/autosave",
    "/api/admin/articles/discard",
    "/api/admin/articles/preview",
    "/api/admin/articles/revisions",
    "/api/admin/articles/diff",
    "/api/admin/articles/restore",
];

/// Back-office pages a writer may open.
const WRITER_PAGES: &[&str] = &[
    "/admin",
    "/admin/password",
    "/admin/articles",
    "/admin/articles/new",
    "/admin/articles/1",
    "/admin/articles/1/revisions",
    "/admin/revisions/1",
    "/admin/media",
];

async fn writers_are_refused_everything_else(app: &TestApp) {
    app.create_staff("only-writes", Role::Writer).await;
    let writer = app.sign_in("only-writes").await;
    let fns = server_fns();
    for allowed in WRITER_SERVER_FNS {
        assert!(
            fns.iter().any(|(p, _)| p == allowed),
            "{allowed} is still a server function"
        );
    }
    let mut refused = 0;
    for (path, method) in &fns {
        // Their own account (sessions, second factor) is everyone's.
        if PUBLIC_SERVER_FNS.contains(&path.as_str())
            || WRITER_SERVER_FNS.contains(&path.as_str())
            || path.starts_with("/api/admin/account/")
        {
            continue;
        }
        let req = match method.as_str() {
            "GET" => writer.client.get(app.url(path)),
            _ => writer
                .client
                .post(app.url(path))
                .header("x-csrf-token", &writer.csrf)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("id=1"),
        };
        let status = req.send().await.unwrap().status().as_u16();
        assert_eq!(status, 403, "{method} {path} answered {status} to a writer");
        refused += 1;
    }
    assert!(refused > 30, "only {refused} server functions were tried");
    for handler in [
        app::api::admin::articles::PASTE_URL,
        app::api::admin::articles::DOCX_URL,
    ] {
        let status = writer
            .client
            .post(app.url(handler))
            .header("x-csrf-token", &writer.csrf)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_ne!(status, 403, "{handler}: writers paste and import too");
    }
    assert_eq!(
        writer
            .client
            .get(app.url("/api/admin/submissions/1/files/1"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    for page in admin_pages() {
        if PUBLIC_ADMIN_PAGES.contains(&page.as_str()) {
            continue;
        }
        let status = writer
            .client
            .get(app.url(&page))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if WRITER_PAGES.contains(&page.as_str()) || page.starts_with("/admin/account/") {
            assert!(
                status == 200 || status == 404 || status == 403,
                "{page} answered {status} to a writer"
            );
        } else {
            assert_eq!(status, 403, "{page} answered {status} to a writer");
        }
    }
    // Pages of their own open.
    for page in [
        "/admin",
        "/admin/articles",
        "/admin/articles/new",
        "/admin/media",
    ] {
        let status = writer
            .client
            .get(app.url(page))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200, "{page}");
    }
}
on_both_backends!(writers_are_refused_everything_else);
