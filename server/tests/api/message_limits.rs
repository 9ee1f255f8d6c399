//! 留言箱 limits: the hourly limit and its question, refused posts counted, form tokens used
//! once by their own client, IPv6 readers counted per /64, forms sent back too fast.

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::messages::{answer_of, code_of, good, input_value, post, send, stored};
use crate::on_both_backends;

/// Limits: after 2 messages the question is asked, after 4 the client waits (429).
async fn limits(app: &TestApp) {
    let reader = app.browser();
    for i in 0..2 {
        let content = format!("第{i}条关于园区服务的留言");
        let sent = send(app, &reader, &good("服务", &content, "13812345678")).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    // The third: the form now asks, and a wrong answer is refused with the text kept.
    let html = reader
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        answer_of(&html).is_some(),
        "the question is asked from the third on"
    );
    let mut wrong = good("服务", "第三条留言", "13812345678");
    wrong.push(("answer", "999"));
    let sent = send(app, &reader, &wrong).await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("答案不正确") && sent.body.contains("第三条留言"));
    // Answered (the helper answers what the page asks): stored.
    let sent = send(app, &reader, &good("服务", "第三条留言", "13812345678")).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    // The wrong answer counted: the limit of 4 is reached.
    let sent = send(app, &reader, &good("服务", "第五条留言", "13812345678")).await;
    assert_eq!(sent.status, 429, "{}", sent.body);
    assert!(sent.body.contains("提交得太频繁") && sent.body.contains("第五条留言"));
    let wait: i64 = sent.retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=3600).contains(&wait));
    assert_eq!(stored(app).await, 3);

    // Robots post at once: with the usual 3 seconds, a form sent back at once is refused.
}

on_both_backends!(
    limits,
    &[
        ("PORTICO_FORMS_PER_HOUR", "4"),
        ("PORTICO_FORMS_CHALLENGE_AFTER", "2"),
    ]
);

/// A reader's client on another loopback address (the server sees it as that client).
fn reader_at(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from(ip))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Each showing of the form may be sent back once, by the client it was shown to: the same
/// post again is answered with its receipt (a double click), the token of a refused post
/// cannot be used again, and a token shown to one client is worthless to another.
async fn a_form_is_sent_back_once_by_its_own_client(app: &TestApp) {
    let reader = reader_at([127, 0, 0, 4]);
    let html = reader
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = input_value(&html, "token").unwrap();
    // The token says nothing of the question's numbers: time, nonce, signature.
    assert_eq!(token.split('.').count(), 3, "{token}");
    let form = |content: &str| -> Vec<(String, String)> {
        let mut f: Vec<(String, String)> = good("一次", content, "13812345678")
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        f.push(("token".into(), token.clone()));
        f
    };
    let first = post(app, &reader, "/messages", &form("只提交一次的留言内容")).await;
    assert_eq!(first.status, 303, "{}", first.body);
    // Sent again (a double click, a resend after a lost answer): the same receipt, nothing new.
    let again = post(app, &reader, "/messages", &form("只提交一次的留言内容")).await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(code_of(&again.location), code_of(&first.location));
    // With other text (the page reused after going back), the used token is refused and the
    // text comes back on a fresh form.
    let other = post(app, &reader, "/messages", &form("换了内容再用同一个表单")).await;
    assert_eq!(other.status, 400, "{}", other.body);
    assert!(other.body.contains("已经提交过一次") && other.body.contains("换了内容再用同一个表单"));
    assert_ne!(input_value(&other.body, "token").unwrap(), token);
    assert_eq!(stored(app).await, 1);

    // A refused post's token cannot be used again.
    let html = reader
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = input_value(&html, "token").unwrap();
    let mut refused: Vec<(String, String)> = good("未同意", "没有勾选同意的留言", "13812345678")
        .into_iter()
        .filter(|(k, _)| *k != "consent")
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    refused.push(("token".into(), token.clone()));
    let sent = post(app, &reader, "/messages", &refused).await;
    assert_eq!(sent.status, 422);
    refused.push(("consent".into(), "yes".into()));
    let sent = post(app, &reader, "/messages", &refused).await;
    assert_eq!(sent.status, 400, "{}", sent.body);
    assert!(sent.body.contains("已经提交过一次") && sent.body.contains("没有勾选同意的留言"));
    assert_eq!(stored(app).await, 1);

    // A token served to one address is refused from another.
    let html = reader
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut stolen: Vec<(String, String)> = good("别人的", "拿别人的表单令牌来提交", "13812345678")
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    stolen.push(("token".into(), input_value(&html, "token").unwrap()));
    let elsewhere = reader_at([127, 0, 0, 5]);
    let sent = post(app, &elsewhere, "/messages", &stolen).await;
    assert_eq!(sent.status, 400, "{}", sent.body);
    assert!(sent.body.contains("表单已失效"));
    assert_eq!(stored(app).await, 1);
}
on_both_backends!(a_form_is_sent_back_once_by_its_own_client);

/// Refused posts count against the hourly limit like stored ones: a robot that never gets
/// a post through still runs into it.
async fn refused_posts_count_against_the_limit(app: &TestApp) {
    let reader = app.browser();
    let no_consent: Vec<(&str, &str)> = good("无同意", "每次都缺少同意的留言", "13812345678")
        .into_iter()
        .filter(|(k, _)| *k != "consent")
        .collect();
    for _ in 0..3 {
        let sent = send(app, &reader, &no_consent).await;
        assert_eq!(sent.status, 422, "{}", sent.body);
    }
    let sent = send(
        app,
        &reader,
        &good("好", "这一条本来是好的留言", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 429, "{}", sent.body);
    assert!(sent.body.contains("这一条本来是好的留言"));
    assert_eq!(stored(app).await, 0);
}

on_both_backends!(
    refused_posts_count_against_the_limit,
    &[("PORTICO_FORMS_PER_HOUR", "3")]
);

/// A reader's browser behind the site's reverse proxy, which reports it as `address`.
fn reader_behind_proxy(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().unwrap());
    reqwest::Client::builder()
        .user_agent(crate::helpers::BROWSER_UA)
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// An IPv6 client holds a whole /64 (2^64 addresses): the limit counts the network, so
/// changing the last 64 bits for every post does not get around it; another /64 is another
/// client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_readers_are_limited_per_64() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("PORTICO_FORMS_PER_HOUR", "2"),
            ("PORTICO_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    )
    .await;
    for (i, address) in ["2001:db8:7:1::1", "2001:db8:7:1:a::2"].iter().enumerate() {
        let reader = reader_behind_proxy(address);
        let content = format!("第{i}条来自同一网段的留言");
        let sent = send(&app, &reader, &good("网段", &content, "13812345678")).await;
        assert_eq!(sent.status, 303, "{address}: {}", sent.body);
    }
    let third = reader_behind_proxy("2001:db8:7:1:ffff:ffff:ffff:fffe");
    let sent = send(
        &app,
        &third,
        &good("网段", "第三条换了地址的留言", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 429, "the same /64: {}", sent.body);
    assert!(sent.body.contains("第三条换了地址的留言"));
    let elsewhere = reader_behind_proxy("2001:db8:7:2::1");
    let sent = send(
        &app,
        &elsewhere,
        &good("网段", "另一个网段的留言", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 303, "another /64: {}", sent.body);
    assert_eq!(stored(&app).await, 3);
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_sent_back_at_once_are_refused() {
    let app = spawn_app_with(Backend::Sqlite, &[("PORTICO_FORMS_MIN_SECS", "3")]).await;
    let reader = app.browser();
    let sent = send(
        &app,
        &reader,
        &good("太快", "机器人一秒钟就提交了", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 400);
    assert!(sent.body.contains("提交得太快") && sent.body.contains("机器人一秒钟就提交了"));
    assert_eq!(stored(&app).await, 0);
    app.cleanup().await;
}
