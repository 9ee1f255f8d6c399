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

/// 长者模式 and the 无障碍 switches: the cookie decides what the server renders (no flash),
/// the no-script switches set it and come back, and the page cache keeps each combination
/// apart.
async fn aids_are_rendered_from_the_cookie(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let page = |cookie: &'static str| {
        let url = app.url(&path);
        let client = app.client.clone();
        async move {
            let mut req = client.get(url);
            if !cookie.is_empty() {
                req = req.header("cookie", cookie);
            }
            req.send().await.unwrap().text().await.unwrap()
        }
    };
    // Twice each, so that the second answer of each comes from the page cache.
    for _ in 0..2 {
        let plain = page("").await;
        assert!(!plain.contains("data-elder"), "no aid by default");
        assert!(
            plain.contains(r#"data-aid="e""#),
            "the 长者模式 switch is on every page"
        );
        assert!(
            !plain.contains(r#"aria-pressed="true""#),
            "nothing is pressed by default"
        );
        assert!(
            plain.contains(&format!(r#"name="back" value="{path}""#)),
            "the switches come back to this page"
        );

        let elder = page("portico_a11y=e").await;
        assert!(
            elder.contains("data-elder"),
            "长者模式 rendered on the server"
        );
        assert!(!elder.contains("data-contrast"));
        assert!(elder.contains(r#"aria-pressed="true""#));

        let all = page("portico_fs=l; portico_a11y=ecpg").await;
        for attr in [
            "data-elder",
            "data-contrast",
            "data-cursor",
            "data-guide",
            r#"data-fs="l""#,
        ] {
            assert!(all.contains(attr), "{attr}");
        }
    }
    // The header switch on a page with no script: a GET form that comes back to the page.
    let res = app
        .client
        .get(app.url(&format!(
            "/prefs/aid?aid=e&on=1&back=%2Farticles%2F{}",
            a.id
        )))
        .header("cookie", "portico_a11y=c")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], path.as_str());
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("portico_a11y=ec;"),
        "keeps 高对比度: {cookie}"
    );
    assert!(cookie.contains("Max-Age=31536000"));
    // Switching the last aid off forgets the cookie.
    let res = app
        .client
        .get(app.url("/prefs/aid?aid=e&on=0&back=/"))
        .header("cookie", "portico_a11y=e")
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("portico_a11y=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    // Unknown aids change nothing; the way back never leaves the site.
    let res = app
        .get("/prefs/aid?aid=zz&on=1&back=https://evil.example/")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/");
    assert!(res.headers().get("set-cookie").is_none());
    // 重置 forgets both cookies.
    let res = app.get("/prefs/reset?back=%2Fcolumns%2Fnews").await;
    assert_eq!(res.headers()["location"], "/columns/news");
    let cookies: Vec<&str> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies.iter().any(|c| c.starts_with("portico_a11y=;")));
    assert!(cookies.iter().any(|c| c.starts_with("portico_fs=;")));
    assert!(cookies.iter().all(|c| c.contains("Max-Age=0")));
}
on_both_backends!(aids_are_rendered_from_the_cookie);
