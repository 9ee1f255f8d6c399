//! 留言箱: readers leave messages without an account, track them by receipt code, and staff
//! answer and publish them. Every refusal brings the reader's text back with the reason.

use entity::message;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// The value of the form field `name` in a page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let v = tag.find("value=\"")? + 7;
    Some(tag[v..v + tag[v..].find('"')?].to_owned())
}

/// The answer to the arithmetic question shown on the page, if it asks one.
pub fn answer_of(html: &str) -> Option<String> {
    let at = html.find("验证问题：")? + "验证问题：".len();
    let rest = &html[at..];
    let plus = rest.find(" 加 ")?;
    let a: u32 = rest[..plus].trim().parse().ok()?;
    let rest = &rest[plus + " 加 ".len()..];
    let b: u32 = rest[..rest.find(' ')?].trim().parse().ok()?;
    Some((a + b).to_string())
}

pub struct Sent {
    pub status: u16,
    pub location: String,
    pub body: String,
    pub retry_after: Option<String>,
}

/// Gets the form (as `client`), fills it in with `fields` (plus the token) and posts it.
pub async fn send(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> Sent {
    let html = client
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = input_value(&html, "token").expect("the form carries a token");
    let mut form: Vec<(String, String)> = vec![("token".into(), token)];
    let answered = fields.iter().any(|(k, _)| *k == "answer");
    if !answered && let Some(answer) = answer_of(&html) {
        form.push(("answer".into(), answer));
    }
    form.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    post(app, client, "/messages", &form).await
}

pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(String, String)],
) -> Sent {
    let res = client.post(app.url(path)).form(form).send().await.unwrap();
    Sent {
        status: res.status().as_u16(),
        location: res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        retry_after: res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: res.text().await.unwrap(),
    }
}

pub fn good<'a>(subject: &'a str, content: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "王先生"),
        ("phone", phone),
        ("email", ""),
        ("subject", subject),
        ("content", content),
        ("public", "yes"),
        ("consent", "yes"),
    ]
}

pub fn code_of(location: &str) -> String {
    let start = location.find("code=").expect("a receipt code") + 5;
    location[start..].split('&').next().unwrap().to_owned()
}

pub async fn stored(app: &TestApp) -> u64 {
    message::Entity::find().count(&app.db).await.unwrap()
}

async fn a_message_is_stored_tracked_answered_and_published(app: &TestApp) {
    let reader = app.browser();
    let page = reader.get(app.url("/messages")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    // Each showing of the form carries its own token: never stored.
    assert_eq!(page.headers()["cache-control"], "no-store");
    let sent = send(
        app,
        &reader,
        &good(
            "咨询园区申报",
            "请问今年的国家级园区申报材料什么时候可以下载？",
            "138 1234 5678",
        ),
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        sent.location.starts_with("/messages/track?code=LY"),
        "{}",
        sent.location
    );
    let code = code_of(&sent.location);
    assert_eq!(code.len(), "LY20261201-7F3K".len(), "{code}");
    // Durable before the answer: the row is there the moment the receipt is.
    let row = message::Entity::find()
        .filter(message::Column::Code.eq(code.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    // Stored encrypted (see personal_data.rs); the service reads it back.
    assert!(row.phone.starts_with("pd1.") && !row.phone.contains("5678"));
    assert_eq!(
        service::security::personal::open_message(row.clone()).phone,
        "13812345678"
    );
    assert_eq!(row.status, message::MessageStatus::New);

    // The receipt page shows the code.
    let (status, receipt) = app.get_text(&sent.location).await;
    assert_eq!(status, 200);
    assert!(receipt.contains(&code) && receipt.contains("留言已提交"));
    // A link cannot make the page announce anything but a receipt code.
    let (_, fake) = app
        .get_text("/messages/track?code=%E5%B7%B2%E5%8F%97%E7%90%86&new=1")
        .await;
    assert!(!fake.contains("留言已提交") && !fake.contains("已受理"));

    // Tracking: the wrong contact shows nothing of the message.
    let wrong = post(
        app,
        &reader,
        "/messages/track",
        &[
            ("code".into(), code.clone()),
            ("contact".into(), "13900000000".into()),
        ],
    )
    .await;
    assert_eq!(wrong.status, 404);
    assert!(!wrong.body.contains("国家级园区申报材料"));
    assert!(wrong.body.contains("没有找到这条留言"));
    let right = post(
        app,
        &reader,
        "/messages/track",
        &[
            ("code".into(), code.to_lowercase()),
            ("contact".into(), "138-1234-5678".into()),
        ],
    )
    .await;
    assert_eq!(right.status, 200, "{}", right.body);
    assert!(right.body.contains("国家级园区申报材料") && right.body.contains("待答复"));

    // A private message from someone else.
    let private = send(
        app,
        &app.browser(),
        &[
            ("name", "李女士"),
            ("phone", ""),
            ("email", "li.private@example.com"),
            ("subject", "会员费发票"),
            ("content", "我单位的会员费发票还没有收到，麻烦帮忙查一下。"),
            ("consent", "yes"),
        ],
    )
    .await;
    assert_eq!(private.status, 303, "{}", private.body);
    let private_row = message::Entity::find()
        .filter(message::Column::Code.eq(code_of(&private.location)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!private_row.wants_public);

    // Staff answer both; only the public one can be published.
    let actor = service::audit::Actor::system("test");
    service::message::reply(
        &app.db,
        &actor,
        row.id,
        "申报材料将于下月初在本网站“通知公告”栏目发布。",
        true,
    )
    .await
    .unwrap();
    let refused =
        service::message::reply(&app.db, &actor, private_row.id, "已为您补寄。", true).await;
    assert!(refused.is_err(), "a private message cannot be published");
    service::message::reply(&app.db, &actor, private_row.id, "已为您补寄发票。", false)
        .await
        .unwrap();

    let (status, list) = app.get_text("/messages").await;
    assert_eq!(status, 200);
    assert!(list.contains("咨询园区申报") && list.contains("申报材料将于下月初"));
    assert!(list.contains("王先生"));
    // Contact details and private messages are never public, anywhere.
    for path in ["/messages", "/rss.xml", "/sitemap.xml", "/"] {
        let (_, body) = app.get_text(path).await;
        for secret in [
            "13812345678",
            "138 1234 5678",
            "li.private@example.com",
            "会员费发票",
            "已为您补寄",
        ] {
            assert!(!body.contains(secret), "{secret} shown on {path}");
        }
    }
    // The reader of the private message sees the reply by tracking.
    let tracked = post(
        app,
        &app.browser(),
        "/messages/track",
        &[
            ("code".into(), private_row.code.clone()),
            ("contact".into(), "LI.private@example.com".into()),
        ],
    )
    .await;
    assert_eq!(tracked.status, 200);
    assert!(tracked.body.contains("已为您补寄发票") && tracked.body.contains("已答复"));

    // Unpublished, it leaves the list.
    service::message::set_published(&app.db, &actor, row.id, false)
        .await
        .unwrap();
    let (_, list) = app.get_text("/messages").await;
    assert!(!list.contains("咨询园区申报"));
    assert!(list.contains("暂时还没有公开的留言答复"));
}
on_both_backends!(a_message_is_stored_tracked_answered_and_published);

async fn bad_input_comes_back_with_the_text_and_the_reason(app: &TestApp) {
    let reader = app.browser();
    // Missing fields: 422, everything typed is still there, each reason by its field.
    let sent = send(
        app,
        &reader,
        &[
            ("name", "<b>张三</b>"),
            ("phone", "12345"),
            ("subject", ""),
            (
                "content",
                "</textarea><script>alert('x')</script>园区的问题",
            ),
            ("public", "yes"),
        ],
    )
    .await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("电话号码格式不正确"));
    assert!(sent.body.contains("请填写留言主题"));
    assert!(sent.body.contains("请阅读并同意"));
    assert!(
        sent.body.contains(
            "&lt;/textarea&gt;&lt;script&gt;alert('x')&lt;/script&gt;园区的问题</textarea>"
        ),
        "the text comes back, inert"
    );
    assert!(!sent.body.contains("<script>alert"));
    assert!(input_value(&sent.body, "name").unwrap().contains("张三"));
    assert!(sent.body.contains("value=\"12345\""));
    assert!(sent.body.contains("aria-invalid=\"true\""));

    // Too long.
    let long = "长".repeat(service::message::MAX_CONTENT + 1);
    let sent = send(app, &reader, &good("太长了", &long, "13812345678")).await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("留言内容不能超过2000个字"));
    assert!(sent.body.contains(&long), "the long text is not lost");

    // A bad or missing token, the hidden field filled in: 400, nothing stored.
    let mut form: Vec<(String, String)> = good("令牌", "没有令牌的留言内容", "13812345678")
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let no_token = post(app, &reader, "/messages", &form).await;
    assert_eq!(no_token.status, 400);
    assert!(no_token.body.contains("表单已失效") && no_token.body.contains("没有令牌的留言内容"));
    form.push(("token".into(), "1.2.3.abcdef".into()));
    assert_eq!(post(app, &reader, "/messages", &form).await.status, 400);
    let mut trap = good("陷阱", "机器人会填写隐藏的字段", "13812345678");
    trap.push(("website", "http://spam.example"));
    let trapped = send(app, &reader, &trap).await;
    assert_eq!(trapped.status, 400);

    // Invalid UTF-8: 400 with a message, not a 500.
    let html = reader
        .get(app.url("/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = input_value(&html, "token").unwrap();
    let body = format!(
        "token={token}&name=%E7%8E%8B&phone=13812345678&subject=x&content=%FF%FE&consent=yes"
    );
    let res = reader
        .post(app.url("/messages"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("无法识别的字符"));

    // Far too large a body: 413.
    let huge = format!("token={token}&content={}", "a".repeat(300 * 1024));
    let res = reader
        .post(app.url("/messages"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);

    // Blocked words and too many links, as set in the back office.
    let mut settings = service::site::settings(&app.db).await.unwrap();
    settings.blocked_words = "代开发票\n博彩".into();
    settings.max_links = 1;
    service::site::save_settings(&app.db, &settings)
        .await
        .unwrap();
    let sent = send(
        app,
        &reader,
        &good("合作", "可以代开发票，欢迎联系", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("不允许发布的词语：代开发票"));
    let sent = send(
        app,
        &reader,
        &good(
            "网址",
            "请看 http://a.example 和 https://b.example 的介绍",
            "13812345678",
        ),
    )
    .await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("网址过多"));

    assert_eq!(stored(app).await, 0, "nothing refused was stored");

    // The same text twice: one message, the same receipt; from someone else: 409.
    let first = send(
        app,
        &reader,
        &good("重复", "同一条留言提交了两次", "13812345678"),
    )
    .await;
    assert_eq!(first.status, 303);
    let again = send(
        app,
        &reader,
        &good("重复", "同一条留言提交了两次", "13812345678"),
    )
    .await;
    assert_eq!(again.status, 303);
    assert_eq!(code_of(&first.location), code_of(&again.location));
    let other = send(
        app,
        &app.browser(),
        &good("重复", "同一条留言提交了两次", "13900001111"),
    )
    .await;
    assert_eq!(other.status, 409);
    assert_eq!(stored(app).await, 1);
}
on_both_backends!(bad_input_comes_back_with_the_text_and_the_reason);

async fn tracking_is_limited(app: &TestApp) {
    let reader = app.browser();
    let mut last = 0;
    for _ in 0..31 {
        last = post(
            app,
            &reader,
            "/messages/track",
            &[
                ("code".into(), "LY20260101-AAAA".into()),
                ("contact".into(), "13800000000".into()),
            ],
        )
        .await
        .status;
    }
    assert_eq!(last, 429);
}
on_both_backends!(tracking_is_limited);

/// A back-office form post: its status and the one-time message it left.
async fn staff_post(
    app: &TestApp,
    staff: &crate::helpers::Staff,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let res = crate::helpers::post_form(app, staff, path, fields).await;
    let status = res.status().as_u16();
    (status, crate::helpers::flash_of(&res).unwrap_or_default())
}

async fn staff_handle_messages_in_the_back_office(app: &TestApp) {
    use app::api::admin::messages::{DeleteMessage, PublishMessage, ReplyMessage, SpamMessage};
    use leptos::server_fn::ServerFn;

    let sent = send(
        app,
        &app.browser(),
        &good("后台处理", "请问协会年会在哪里举办？", "13812345678"),
    )
    .await;
    assert_eq!(sent.status, 303);
    let code = code_of(&sent.location);
    let id = message::Entity::find()
        .filter(message::Column::Code.eq(code.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    app.create_staff("msg-editor", entity::user::Role::Editor)
        .await;
    let staff = app.sign_in("msg-editor").await;

    // The queue and the dashboard show it waiting, with the contact only in the back office.
    let queue = staff
        .client
        .get(app.url("/admin/messages"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queue.contains(&code) && queue.contains("待答复"));
    let dashboard = staff
        .client
        .get(app.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("待答复留言"));
    let detail = staff
        .client
        .get(app.url(&format!("/admin/messages/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Masked until asked for (see personal_data.rs).
    assert!(detail.contains("电话 138****5678") && !detail.contains("13812345678"));

    // Reply and publish in one step; then unpublish, spam, and delete.
    let id_text = id.to_string();
    let (status, flash) = staff_post(
        app,
        &staff,
        ReplyMessage::PATH,
        &[
            ("id", &id_text),
            ("reply", "年会将在北京举办，具体安排另行通知。"),
            ("publish", "on"),
        ],
    )
    .await;
    assert!((300..400).contains(&status), "{status}");
    assert!(flash.starts_with("ok|"), "{flash}");
    let (_, public) = app.get_text("/messages").await;
    assert!(public.contains("年会将在北京举办"));

    let (_, flash) = staff_post(
        app,
        &staff,
        PublishMessage::PATH,
        &[("id", &id_text), ("publish", "0")],
    )
    .await;
    assert!(flash.starts_with("ok|"), "{flash}");
    let (_, public) = app.get_text("/messages").await;
    assert!(!public.contains("年会将在北京举办"));

    let (_, flash) = staff_post(
        app,
        &staff,
        SpamMessage::PATH,
        &[("id", &id_text), ("spam", "1")],
    )
    .await;
    assert!(flash.starts_with("ok|"), "{flash}");
    let m = service::message::get(&app.db, id).await.unwrap();
    assert_eq!(m.status, message::MessageStatus::Spam);
    // Spam cannot be published.
    let (_, flash) = staff_post(
        app,
        &staff,
        PublishMessage::PATH,
        &[("id", &id_text), ("publish", "1")],
    )
    .await;
    assert!(flash.starts_with("error|"), "{flash}");

    let (_, flash) = staff_post(app, &staff, DeleteMessage::PATH, &[("id", &id_text)]).await;
    assert!(flash.starts_with("ok|"), "{flash}");
    assert_eq!(stored(app).await, 0);

    // Every action is in the audit log, by the editor.
    let (rows, _) = service::audit::list(&app.db, &service::audit::Filter::default(), 0, 50)
        .await
        .unwrap();
    let actions: Vec<&str> = rows
        .iter()
        .filter(|r| r.object_type == "message" && r.username == "msg-editor")
        .map(|r| r.action.as_str())
        .collect();
    for a in [
        "message.reply",
        "message.unpublish",
        "message.spam",
        "message.delete",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}
on_both_backends!(staff_handle_messages_in_the_back_office);
