//! 投稿: readers send manuscripts with files, track them by receipt code, and editors
//! download, decline or accept them into draft articles. Every refusal keeps the reader's
//! text and stores nothing.

use entity::{article, submission, submission_file};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, post_form};
use crate::messages::{answer_of, input_value};
use crate::on_both_backends;

/// A small PNG.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([20, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A .docx with a heading, a paragraph, a table and a picture.
pub fn manuscript_docx() -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Pic, Run, Style, StyleType, Table, TableCell, TableRow};
    let p = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let d = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
        .add_paragraph(p("一、园区概况").style("Heading1"))
        .add_paragraph(p("园区今年新增企业四十家。"))
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_image(Pic::new_with_dimensions(png(), 40, 30))),
        )
        .add_table(Table::new(vec![TableRow::new(vec![
            TableCell::new().add_paragraph(p("指标")),
            TableCell::new().add_paragraph(p("数值")),
        ])]));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).unwrap();
    out.into_inner()
}

pub struct Sent {
    pub status: u16,
    pub location: String,
    pub body: String,
}

/// The form's token (and answer, when it asks) for `client`.
async fn form_fields(app: &TestApp, client: &reqwest::Client) -> Vec<(String, String)> {
    let html = client
        .get(app.url("/submit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut fields = vec![(
        "token".to_owned(),
        input_value(&html, "token").expect("the form carries a token"),
    )];
    if let Some(a) = answer_of(&html) {
        fields.push(("answer".into(), a));
    }
    fields
}

pub fn good(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "李华"),
        ("organization", "示范经济技术开发区管委会"),
        ("phone", "13912345678"),
        ("title", title),
        ("content", "园区服务企业的几点做法，详见附件。"),
        ("consent", "yes"),
    ]
}

/// Gets the form as `client` and posts it with `fields` and `files` (name, bytes).
pub async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
) -> Sent {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in form_fields(app, client).await {
        form = form.text(k, v);
    }
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    for (name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name((*name).to_owned()),
        );
    }
    let res = client
        .post(app.url("/submit"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    Sent {
        status: res.status().as_u16(),
        location: res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        body: res.text().await.unwrap(),
    }
}

/// Files in the app's private store.
pub async fn stored_files(app: &TestApp) -> usize {
    use futures_util::TryStreamExt;
    let files: Vec<(String, u64)> = app.state.files.private.list().try_collect().await.unwrap();
    files.len()
}

async fn rows(app: &TestApp) -> u64 {
    submission::Entity::find().count(&app.db).await.unwrap()
}

pub fn code_of(location: &str) -> String {
    let at = location.find("code=").unwrap() + 5;
    location[at..at + 15].to_owned()
}

async fn a_manuscript_with_files_is_stored_and_tracked(app: &TestApp) {
    let reader = app.browser();
    // Each showing of the form carries its own token: never stored by anyone.
    let page = reader.get(app.url("/submit")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("园区动态"));
    let sent = send(
        app,
        &reader,
        &good("园区服务企业的三点做法"),
        &[
            ("调研.docx", manuscript_docx()),
            ("附表.PDF", b"%PDF-1.4\n%...".to_vec()),
        ],
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        sent.location.starts_with("/submit/track?code=TG"),
        "{}",
        sent.location
    );
    let code = code_of(&sent.location);
    let s = submission::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.code, code);
    assert_eq!(s.organization, "示范经济技术开发区管委会");
    let files = submission_file::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].kind, "docx");
    assert_eq!(files[1].name, "附表.pdf");
    assert_eq!(stored_files(app).await, 2);
    // Stored outside the web root, under generated names.
    for f in &files {
        assert!(!f.path.contains("附表") && !f.path.contains("调研"));
        assert!(app.state.files.private.get(&f.path).await.is_ok());
        assert_eq!(app.get(&format!("/media/{}", f.path)).await.status(), 404);
    }
    // The receipt, then tracking: right contact shows it, a wrong one shows nothing.
    let (status, html) = app.get_text(&sent.location).await;
    assert_eq!(status, 200);
    assert!(html.contains(&code) && html.contains("稿件已提交"));
    let track = |contact: &'static str| {
        let reader = reader.clone();
        let url = app.url("/submit/track");
        let code = code.clone();
        async move {
            let res = reader
                .post(url)
                .form(&[("code", code.as_str()), ("contact", contact)])
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, html) = track("139-1234-5678").await;
    assert_eq!(status, 200);
    assert!(html.contains("园区服务企业的三点做法") && html.contains("已收到，待审阅"));
    assert!(html.contains("附表.pdf"));
    let (status, html) = track("13800000000").await;
    assert_eq!(status, 404);
    assert!(!html.contains("园区服务企业的三点做法"));
    assert!(html.contains("没有找到这篇投稿"));
}
on_both_backends!(a_manuscript_with_files_is_stored_and_tracked);

async fn bad_files_are_refused_with_the_text_kept_and_nothing_stored(app: &TestApp) {
    let reader = app.browser();
    // Content decides, not the name.
    let sent = send(
        app,
        &reader,
        &good("带可执行文件的稿件"),
        &[("稿件.pdf", b"MZ\x90\x00\x03 not a pdf".to_vec())],
    )
    .await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("附件“稿件.pdf”不是可接受的格式"));
    assert!(
        sent.body.contains("带可执行文件的稿件"),
        "the title comes back"
    );
    assert!(sent.body.contains("请重新选择附件：稿件.pdf"));
    // Six files.
    let six: Vec<(&str, Vec<u8>)> = (0..6).map(|_| ("a.pdf", b"%PDF-1.4".to_vec())).collect();
    let sent = send(app, &reader, &good("六个附件"), &six).await;
    assert_eq!(sent.status, 422);
    assert!(sent.body.contains("最多上传5个附件"));
    // One file over 20 MB.
    let big = [b"%PDF-1.4\n".as_slice(), &vec![b'0'; 21 * 1024 * 1024]].concat();
    let sent = send(app, &reader, &good("太大的附件"), &[("大.pdf", big)]).await;
    assert_eq!(sent.status, 422);
    assert!(
        sent.body.contains("附件“大.pdf”超过20.0 MB"),
        "{}",
        &sent.body[..200.min(sent.body.len())]
    );
    // More than 50 MB together: the body itself is too large.
    let part = [b"%PDF-1.4\n".as_slice(), &vec![b'0'; 18 * 1024 * 1024]].concat();
    let three = vec![
        ("1.pdf", part.clone()),
        ("2.pdf", part.clone()),
        ("3.pdf", part),
    ];
    let sent = send(app, &reader, &good("合计太大"), &three).await;
    assert_eq!(sent.status, 413);
    assert!(sent.body.contains("合计不超过50 MB"));
    assert!(sent.body.contains("合计太大"));
    // A body cut off in the middle.
    let boundary = "----porticotest";
    let token = form_fields(app, &reader).await[0].1.clone();
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n断掉的稿件\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 and then noth"
    );
    let res = reader
        .post(app.url("/submit"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("提交的内容不完整") && html.contains("断掉的稿件"));
    // Not multipart at all.
    let res = reader
        .post(app.url("/submit"))
        .form(&[("title", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    // Script in the fields stays text.
    let mut fields = good("<script>alert(1)</script>");
    fields.retain(|(k, _)| *k != "consent");
    let sent = send(app, &reader, &fields, &[]).await;
    assert_eq!(sent.status, 422);
    assert!(!sent.body.contains("<script>alert(1)"));
    assert!(sent.body.contains("&lt;script&gt;alert(1)"));
    // A text field that is not UTF-8.
    let token = form_fields(app, &reader).await[0].1.clone();
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n编码"
    )
    .into_bytes();
    body.extend_from_slice(b"\xff\xfe");
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = reader
        .post(app.url("/submit"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("无法识别的字符"));
    // The hidden field.
    let mut fields = good("机器人投稿");
    fields.push(("website", "http://spam.example"));
    let sent = send(app, &reader, &fields, &[("a.pdf", b"%PDF-1.4".to_vec())]).await;
    assert_eq!(sent.status, 400);
    assert_eq!(rows(app).await, 0);
    assert_eq!(stored_files(app).await, 0, "nothing half-stored");
}
on_both_backends!(bad_files_are_refused_with_the_text_kept_and_nothing_stored);

async fn editors_download_decline_and_accept_into_a_draft(app: &TestApp) {
    let reader = app.browser();
    let doc = manuscript_docx();
    for (title, files) in [
        ("接受的稿件", vec![("调研.docx", doc.clone())]),
        ("退回的稿件", vec![("照片.jpg", png())]),
    ] {
        let sent = send(app, &reader, &good(title), &files).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    let all = submission::Entity::find().all(&app.db).await.unwrap();
    let accepted = all.iter().find(|s| s.title == "接受的稿件").unwrap();
    let declined = all.iter().find(|s| s.title == "退回的稿件").unwrap();
    app.create_staff("reviewer", entity::user::Role::Editor)
        .await;
    let staff = app.sign_in("reviewer").await;
    let queue = staff
        .client
        .get(app.url("/admin/submissions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queue.contains("接受的稿件") && queue.contains("退回的稿件"));
    // Download: an attachment, never shown inline, never sniffed.
    let file = submission_file::Entity::find().all(&app.db).await.unwrap();
    let docx = file
        .iter()
        .find(|f| f.submission_id == accepted.id)
        .unwrap();
    let res = staff
        .client
        .get(app.url(&format!(
            "/api/admin/submissions/{}/files/{}",
            accepted.id, docx.id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), doc);
    // A file of another submission is not found through this one.
    let wrong = staff
        .client
        .get(app.url(&format!(
            "/api/admin/submissions/{}/files/{}",
            declined.id, docx.id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
    // Decline with a reason the author sees.
    let id = declined.id.to_string();
    let res = post_form(
        app,
        &staff,
        "/api/admin/submissions/reject",
        &[("id", &id), ("reason", "")],
    )
    .await;
    let flash = crate::helpers::flash_of(&res).unwrap_or_default();
    assert!(
        flash.starts_with("error|") && flash.contains("请填写退回原因"),
        "{flash}"
    );
    let res = post_form(
        app,
        &staff,
        "/api/admin/submissions/reject",
        &[
            ("id", &id),
            ("reason", "题材与本刊栏目不符，欢迎改投其他稿件。"),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let flash = crate::helpers::flash_of(&res).unwrap_or_default();
    assert!(flash.starts_with("ok|"), "{flash}");
    let html = reader
        .post(app.url("/submit/track"))
        .form(&[("code", declined.code.as_str()), ("contact", "13912345678")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("未采用") && html.contains("题材与本刊栏目不符"));
    // Accept into a column: the .docx becomes the draft's body.
    let column = crate::helpers::some_column(app).await;
    let res = post_form(
        app,
        &staff,
        "/api/admin/submissions/accept",
        &[
            ("id", &accepted.id.to_string()),
            ("column", &column.to_string()),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let flash = crate::helpers::flash_of(&res).unwrap_or_default();
    assert!(flash.starts_with("ok|"), "{flash}");
    let after = submission::Entity::find_by_id(accepted.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.status, submission::SubmissionStatus::Accepted);
    let draft = article::Entity::find_by_id(after.article_id.unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, article::ArticleStatus::Draft);
    // It waits for review like a writer's submission, in the reader's name.
    let review = service::review::of_article(&app.db, draft.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(review.state, entity::article_review::ReviewState::Pending);
    assert_eq!(review.submitter, "读者投稿：李华");
    assert_eq!(review.submitted_by, None);
    assert_eq!(draft.column_id, column);
    assert_eq!(draft.author, "李华");
    assert_eq!(draft.source, "示范经济技术开发区管委会");
    assert!(
        draft.body.contains("<h2>一、园区概况</h2>"),
        "{}",
        draft.body
    );
    assert!(draft.body.contains("<img src=\"/media/"), "{}", draft.body);
    assert!(
        draft.body.contains("<td><p>指标</p></td>"),
        "{}",
        draft.body
    );
    // The draft's editor names the submission it came from.
    let editor = staff
        .client
        .get(app.url(&format!("/admin/articles/{}", draft.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(editor.contains("本文来自读者投稿") && editor.contains(&accepted.code));
    // Accepting twice is refused and makes no second draft.
    let drafts = article::Entity::find().count(&app.db).await.unwrap();
    let again = post_form(
        app,
        &staff,
        "/api/admin/submissions/accept",
        &[
            ("id", &accepted.id.to_string()),
            ("column", &column.to_string()),
        ],
    )
    .await;
    let flash = crate::helpers::flash_of(&again).unwrap_or_default();
    assert!(
        flash.starts_with("error|") && flash.contains("不能再次采用"),
        "{flash}"
    );
    assert_eq!(
        article::Entity::find().count(&app.db).await.unwrap(),
        drafts
    );
    let audit = service::audit::list(&app.db, &Default::default(), 0, 50)
        .await
        .unwrap()
        .0;
    for action in [
        "submission.accept",
        "submission.reject",
        "submission.download",
    ] {
        assert!(
            audit.iter().any(|a| a.action == action),
            "{action} in the audit log"
        );
    }
}
on_both_backends!(editors_download_decline_and_accept_into_a_draft);

async fn the_limit_counts_submissions_per_client(app: &TestApp) {
    let reader = app.browser();
    for i in 0..2 {
        let title = format!("限额内的稿件 {i}");
        let sent = send(app, &reader, &good(&title), &[]).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    let sent = send(app, &reader, &good("超出限额的稿件"), &[]).await;
    assert_eq!(sent.status, 429);
    assert!(sent.body.contains("您投稿得太频繁了") && sent.body.contains("超出限额的稿件"));
    assert_eq!(rows(app).await, 2);
}

crate::on_both_backends!(
    the_limit_counts_submissions_per_client,
    &[("PORTICO_FORMS_PER_HOUR", "2")]
);

async fn the_editor_imports_a_word_document(app: &TestApp) {
    app.create_staff("importer", entity::user::Role::Editor)
        .await;
    let staff = app.sign_in("importer").await;
    let post = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("稿件.docx"),
        );
        staff
            .client
            .post(app.url(app::api::admin::articles::DOCX_URL))
            .header("x-csrf-token", &staff.csrf)
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    let res = post(manuscript_docx()).await.unwrap();
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = res.json().await.unwrap();
    let html = json["html"].as_str().unwrap();
    assert!(html.contains("<h2>一、园区概况</h2>"), "{html}");
    assert!(html.contains("<img src=\"/media/"), "{html}");
    assert_eq!(json["images"], 1);
    // The picture is in the media library and served.
    let src = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(app.get(src).await.status(), 200);
    // A file that is not a Word document: a message, not a 500.
    let res = post(b"%PDF-1.4".to_vec()).await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains(".docx"));
    // Without the CSRF token: refused.
    let res = staff
        .client
        .post(app.url(app::api::admin::articles::DOCX_URL))
        .multipart(reqwest::multipart::Form::new().text("file", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
on_both_backends!(the_editor_imports_a_word_document);
