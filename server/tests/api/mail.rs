//! E-mail notices against an SMTP listener started here: staff hear of new messages and
//! submissions, readers who gave an address receive the reply and the decision. (Without
//! `[mail]`, every other test runs: nothing is sent and nothing fails.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{Backend, TestApp, post_form, spawn_app_with};

/// One mail as the listener received it: its recipients and its decoded text.
#[derive(Clone, Debug)]
struct Mail {
    to: Vec<String>,
    text: String,
}

/// A minimal SMTP server on a loopback port that keeps what it is sent.
async fn smtp_listener() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 test.local ESMTP\r\n").await;
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let cmd = line.to_ascii_uppercase();
                    let answer: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 test.local\r\n"
                    } else if cmd.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        b"250 OK\r\n"
                    } else if cmd.starts_with("DATA") {
                        let _ = w.write_all(b"354 go on\r\n").await;
                        let mut data = Vec::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push(l);
                        }
                        inbox.lock().unwrap().push(Mail {
                            to: std::mem::take(&mut to),
                            text: decoded(&data),
                        });
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = w.write_all(answer).await;
                }
            });
        }
    });
    (port, inbox)
}

/// The headers and the body of a mail, with a base64 or quoted-printable body decoded.
fn decoded(lines: &[String]) -> String {
    let split = lines
        .iter()
        .position(|l| l.is_empty())
        .unwrap_or(lines.len());
    let headers = lines[..split].join("\n");
    let body = &lines[(split + 1).min(lines.len())..];
    let text = if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        let joined: String = body.concat();
        String::from_utf8_lossy(
            &base64::engine::general_purpose::STANDARD
                .decode(joined.trim())
                .unwrap_or_default(),
        )
        .into_owned()
    } else {
        let joined = body.join("\n").replace("=\n", "");
        quoted_printable(&joined)
    };
    format!("{headers}\n\n{text}")
}

fn quoted_printable(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let escaped = (b[i] == b'=')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(v) = escaped {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn wait_for(inbox: &Arc<Mutex<Vec<Mail>>>, to: &str, what: &str) -> Mail {
    for _ in 0..100 {
        if let Some(m) = inbox
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.to.iter().any(|t| t == to) && m.text.contains(what))
        {
            return m.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no mail to {to} with {what:?}; got {:?}",
        inbox.lock().unwrap()
    );
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

async fn app_with_mail(port: u16) -> TestApp {
    let overrides: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        ("PORTICO_MAIL_HOST", "127.0.0.1"),
        ("PORTICO_MAIL_PORT", leak(port.to_string())),
        ("PORTICO_MAIL_SECURITY", "none"),
        ("PORTICO_MAIL_FROM", "协会网站 <noreply@portico.test>"),
        (
            "PORTICO_MAIL_NOTIFY",
            "office@portico.test, editor@portico.test",
        ),
    ]));
    spawn_app_with(Backend::Sqlite, overrides).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_hear_of_new_items_and_readers_receive_replies() {
    let (port, inbox) = smtp_listener().await;
    let app = app_with_mail(port).await;
    let reader = app.browser();

    // A message: both staff addresses are told.
    let mut fields = crate::messages::good("申报材料在哪里下载", "请问申报材料在哪里下载？", "");
    fields.retain(|(k, _)| *k != "email");
    fields.push(("email", "reader@example.com"));
    let sent = crate::messages::send(&app, &reader, &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let code = sent.location.split("code=").nth(1).unwrap()[..15].to_owned();
    for staff in ["office@portico.test", "editor@portico.test"] {
        let m = wait_for(&inbox, staff, &code).await;
        assert!(m.text.contains("申报材料在哪里下载"), "{}", m.text);
    }

    // A submission.
    let mut fields = crate::submissions::good("园区招商新做法");
    fields.push(("email", "author@example.com"));
    let sent =
        crate::submissions::send(&app, &reader, &fields, &[("a.pdf", b"%PDF-1.4".to_vec())]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let m = wait_for(&inbox, "office@portico.test", "园区招商新做法").await;
    assert!(m.text.contains("附件：1 个"), "{}", m.text);

    // Staff reply: the reader receives it; the author hears the decision.
    app.create_staff("mailer", entity::user::Role::Editor).await;
    let staff = app.sign_in("mailer").await;
    let msg = service::message::list(&app.db, service::message::Filter::All, 0, 10)
        .await
        .unwrap()
        .0
        .remove(0);
    let res = post_form(
        &app,
        &staff,
        "/api/admin/messages/reply",
        &[
            ("id", &msg.id.to_string()),
            ("reply", "材料已发布在协会服务栏目。"),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let flash = crate::helpers::flash_of(&res).unwrap_or_default();
    assert!(flash.starts_with("ok|"), "{flash}");
    let m = wait_for(&inbox, "reader@example.com", "材料已发布在协会服务栏目").await;
    assert!(m.text.contains(&code));
    let sub =
        service::submission::queue::list(&app.db, service::submission::queue::Filter::All, 0, 10)
            .await
            .unwrap()
            .0
            .remove(0)
            .0;
    let res = post_form(
        &app,
        &staff,
        "/api/admin/submissions/reject",
        &[
            ("id", &sub.id.to_string()),
            ("reason", "篇幅过长，请精简到三千字以内。"),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let flash = crate::helpers::flash_of(&res).unwrap_or_default();
    assert!(flash.starts_with("ok|"), "{flash}");
    wait_for(&inbox, "author@example.com", "篇幅过长").await;
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_mail_server_loses_nothing() {
    // A port nobody listens on: the reader still gets a receipt, the item is stored.
    let probe = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let app = app_with_mail(port).await;
    let reader = app.browser();
    let sent = crate::messages::send(
        &app,
        &reader,
        &crate::messages::good("邮件服务器不可用时", "留言照常保存吗？", "13800001111"),
    )
    .await;
    assert_eq!(sent.status, 303);
    assert_eq!(
        service::form::queue::count(&app.db, service::message::Filter::New)
            .await
            .unwrap(),
        1
    );
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_notices_reach_the_editors_and_the_writer() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (port, inbox) = smtp_listener().await;
    let app = app_with_mail(port).await;
    let mut s = service::site::settings(&app.db).await.unwrap();
    s.review.mail = true;
    service::site::save_settings(&app.db, &s).await.unwrap();
    app.create_staff("mail-writer", entity::user::Role::Writer)
        .await;
    app.create_staff("mail-reviewer", entity::user::Role::Editor)
        .await;
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::Email,
            sea_orm::sea_query::Expr::value("writer@portico.test"),
        )
        .filter(entity::user::Column::Username.eq("mail-writer"))
        .exec(&app.db)
        .await
        .unwrap();
    let writer = app.sign_in("mail-writer").await;
    let reviewer = app.sign_in("mail-reviewer").await;
    let column = crate::helpers::some_column(&app).await;
    let (_, saved) = crate::review::save(
        &app,
        &writer,
        crate::helpers::form(column, "开发区营商环境评价报告", "draft", ""),
    )
    .await;
    let id = saved["id"].as_i64().unwrap();

    assert_eq!(
        crate::review::send_for_review(&app, &writer, id).await.0,
        200
    );
    for staff in ["office@portico.test", "editor@portico.test"] {
        let m = wait_for(&inbox, staff, "提交了稿件《开发区营商环境评价报告》").await;
        assert!(
            m.text.contains(&format!("/admin/review/{id}")),
            "{}",
            m.text
        );
    }
    assert_eq!(
        crate::review::send_back(&app, &reviewer, id, "请补充评价指标说明").await,
        200
    );
    let m = wait_for(&inbox, "writer@portico.test", "被退回修改").await;
    assert!(m.text.contains("请补充评价指标说明"), "{}", m.text);
    assert_eq!(
        crate::review::send_for_review(&app, &writer, id).await.0,
        200
    );
    assert_eq!(crate::review::approve(&app, &reviewer, id, 1).await, 200);
    wait_for(
        &inbox,
        "writer@portico.test",
        "《开发区营商环境评价报告》已审核通过",
    )
    .await;

    // Off: nothing more is sent.
    s.review.mail = false;
    service::site::save_settings(&app.db, &s).await.unwrap();
    let before = inbox.lock().unwrap().len();
    let (_, saved) = crate::review::save(
        &app,
        &writer,
        crate::helpers::form(column, "不发通知的稿件", "draft", ""),
    )
    .await;
    let second = saved["id"].as_i64().unwrap();
    assert_eq!(
        crate::review::send_for_review(&app, &writer, second)
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(inbox.lock().unwrap().len(), before);
    app.cleanup().await;
}
