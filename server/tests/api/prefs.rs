use crate::helpers::TestApp;
use crate::on_both_backends;

async fn font_size_cookie_sets_the_rendered_size(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let (_, html) = app.get_text(&path).await;
    assert!(html.contains("data-fs=\"m\""), "medium by default");
    for (code, _) in [("l", "大"), ("s", "小"), ("m", "中")] {
        let html = app
            .client
            .get(app.url(&path))
            .header("cookie", format!("other=1; portico_fs={code}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("data-fs=\"{code}\"")), "size {code}");
    }
    // The no-script links: set the cookie and come back.
    let res = app
        .get(&format!(
            "/prefs/font-size?size=l&back=%2Farticles%2F{}",
            a.id
        ))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], path.as_str());
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("portico_fs=l;"), "{cookie}");
    assert!(cookie.contains("Path=/"));
    // Never an open redirect.
    let res = app
        .get("/prefs/font-size?size=s&back=//evil.example/")
        .await;
    assert_eq!(res.headers()["location"], "/");
    let res = app.get("/prefs/font-size?size=huge").await;
    assert_eq!(res.status(), 303);
    assert!(res.headers().get("set-cookie").is_none());
}
on_both_backends!(font_size_cookie_sets_the_rendered_size);
