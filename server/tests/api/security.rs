//! Security headers and the one error path, seen from outside.

use entity::user::Role;

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::on_both_backends;

fn header<'r>(res: &'r reqwest::Response, name: &str) -> &'r str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{} has no {name}", res.url()))
}

/// The opening tags of the page's inline scripts that a browser would run (not data blocks
/// such as `application/ld+json`, not scripts from files).
fn inline_scripts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("<script").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.contains(" src=") || tag.contains("application/ld+json") {
            continue;
        }
        out.push(format!("<script{tag}>"));
    }
    out
}

/// The script-src part of a policy.
fn script_src(csp: &str) -> &str {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_default()
}

async fn every_html_response_has_a_policy_and_the_safe_headers(app: &TestApp) {
    let a = app.some_article().await;
    for path in [
        "/",
        &format!("/articles/{}", a.id),
        "/columns/news",
        "/articles/999999",
    ] {
        for round in 0..2 {
            let res = app.get(path).await;
            let csp = header(&res, "content-security-policy").to_owned();
            let scripts = script_src(&csp);
            assert!(
                scripts.contains("'self'") && scripts.contains("'wasm-unsafe-eval'"),
                "{csp}"
            );
            assert!(!scripts.contains("unsafe-inline"), "{path}: {csp}");
            assert!(csp.contains("object-src 'none'"), "{csp}");
            assert!(csp.contains("base-uri 'self'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
            assert_eq!(header(&res, "x-frame-options"), "SAMEORIGIN");
            assert_eq!(header(&res, "x-content-type-options"), "nosniff");
            assert_eq!(
                header(&res, "referrer-policy"),
                "strict-origin-when-cross-origin"
            );
            assert!(res.headers().get("strict-transport-security").is_none());
            assert!(
                res.headers().get(app::ssr::shell::NONCE_HEADER).is_none(),
                "the nonce's hand-over header never leaves the server"
            );
            let html = res.text().await.unwrap();
            // Inline scripts run by the render's nonce, never by hash; every script the
            // framework wrote carries it (the first time from the render, the second from
            // the page cache, which keeps the page and its policy together).
            assert!(!scripts.contains("sha256-"), "{csp}");
            let nonce = scripts
                .split_whitespace()
                .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
                .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"));
            let inline = inline_scripts(&html);
            assert!(
                !inline.is_empty(),
                "{path}: the page has its hydration script"
            );
            for tag in inline {
                assert!(
                    tag.contains(&format!("nonce=\"{nonce}\"")),
                    "{path} round {round}: {tag} lacks the nonce"
                );
            }
        }
    }
    for path in ["/rss.xml", "/sitemap.xml", "/favicon.svg", "/healthz"] {
        let res = app.get(path).await;
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
    }
    let image = service::media::list(&app.db, None, 0, 1).await.unwrap().0;
    if let Some(img) = image.first() {
        let res = app.get(&format!("/media/{}", img.path)).await;
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    }
}
on_both_backends!(every_html_response_has_a_policy_and_the_safe_headers);

async fn sign_in_pages_are_never_stored_or_framed(app: &TestApp) {
    for path in ["/admin/login", "/admin/setup"] {
        let res = app.get(path).await;
        assert_eq!(header(&res, "cache-control"), "private, no-store", "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert!(
            header(&res, "content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}
on_both_backends!(sign_in_pages_are_never_stored_or_framed);

/// Errors answer with their own status and a Chinese message: JSON on API routes, a page
/// elsewhere, from the guard, uploads and handlers alike.
async fn errors_answer_one_way(app: &TestApp) {
    let res = app
        .client
        .post(app.url("/api/admin/articles/save"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(header(&res, "content-type").starts_with("application/json"));
    assert_eq!(res.text().await.unwrap(), "\"Unauthorized\"");

    app.create_staff("plain-editor", Role::Editor).await;
    let staff = app.sign_in("plain-editor").await;
    let res = staff
        .client
        .get(app.url("/admin/sys/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(header(&res, "content-type").starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("没有权限"));
    let res = staff
        .client
        .post(app.url("/api/admin/articles/save"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "no CSRF token");
    assert!(res.text().await.unwrap().contains("Expired"));
    let res = staff
        .client
        .post(app.url(app::api::admin::media::UPLOAD_URL))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("a.jpg"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(header(&res, "content-type").starts_with("application/json"));
    // A server function's own error keeps its status too.
    let res = staff
        .client
        .post(app.url("/api/admin/articles/autosave"))
        .header("x-csrf-token", &staff.csrf)
        .json(&serde_json::json!({"draft_key": "", "form": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}
on_both_backends!(errors_answer_one_way);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_sites_send_hsts() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("PORTICO_PUBLIC_URL", "https://portico.test")],
    )
    .await;
    let res = app.get("/").await;
    assert_eq!(
        header(&res, "strict-transport-security"),
        "max-age=31536000"
    );
    app.cleanup().await;
}
