use std::io::Cursor;
use std::time::Duration;

use entity::user::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, call, form, some_column};
use crate::on_both_backends;

async fn writing_revising_and_restoring(app: &TestApp) {
    app.create_staff("writer", Role::Editor).await;
    let staff = app.sign_in("writer").await;
    let column = some_column(app).await;
    let (status, saved) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:t1", "form": form(column, "初稿标题", "published", "")}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(saved["status"], "published");
    assert_eq!(saved["message"], "已保存并发布");
    let (s, html) = app.get_text(&format!("/articles/{id}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("初稿标题"));

    let mut second = form(
        column,
        "修改后的标题",
        "published",
        saved["published_at"].as_str().unwrap(),
    );
    second["id"] = json!(id);
    second["body"] = json!("<p>第一段。</p><p>第二段已改写。</p><script>alert(1)</script>");
    let (status, _) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": format!("article:{id}"), "form": second}),
    )
    .await;
    assert_eq!(status, 200);
    let stored = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert!(
        !stored.body.contains("script"),
        "bodies are sanitized when saved"
    );

    let revisions = service::editorial::revisions(&app.db, id as i32)
        .await
        .unwrap();
    assert_eq!(revisions.len(), 2, "every save keeps a revision");
    let page = staff
        .client
        .get(app.url(&format!("/admin/articles/{id}/revisions")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("初稿标题") && page.contains("修改后的标题"));
    let first = revisions.last().unwrap().id;
    let diff = staff
        .client
        .get(app.url(&format!("/admin/revisions/{first}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(diff.contains("初稿标题") && diff.contains("修改后的标题"));
    assert!(diff.contains("第二段已改写。"));
    assert!(diff.contains("class=\"changed\""));

    let res = staff
        .client
        .post(app.url("/api/admin/articles/restore"))
        .header("referer", app.url(&format!("/admin/revisions/{first}")))
        .header("accept", "text/html")
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("rev", &first.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(
        res.headers()["location"],
        format!("/admin/articles/{id}").as_str()
    );
    let restored = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(restored.title, "初稿标题");
    assert_eq!(
        service::editorial::revisions(&app.db, id as i32)
            .await
            .unwrap()
            .len(),
        3,
        "restoring is a new revision"
    );
    // And it is all in the audit log.
    let (rows, _) = service::audit::list(
        &app.db,
        &service::audit::Filter {
            object_type: Some("article".into()),
            object_id: Some(id.to_string()),
            ..Default::default()
        },
        0,
        50,
    )
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert!(
        actions.contains(&"article.create")
            && actions.contains(&"article.update")
            && actions.contains(&"article.restore"),
        "{actions:?}"
    );
    assert!(rows.iter().all(|r| r.username == "writer"));
}
on_both_backends!(writing_revising_and_restoring);

async fn bad_input_gets_clear_messages(app: &TestApp) {
    app.create_staff("careful", Role::Editor).await;
    let staff = app.sign_in("careful").await;
    let column = some_column(app).await;
    let (status, err) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:x", "form": form(column, "  ", "draft", "")}),
    )
    .await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err, json!({"BadRequest": "标题不能为空"}));
    let (_, err) = call(app, &staff, "/api/admin/articles/save", json!({"draft_key": "new:x", "form": form(column, "定时", "scheduled", "2020-01-01T08:00")})).await;
    assert_eq!(err, json!({"BadRequest": "定时发布的时间必须晚于当前时间"}));
    let (_, err) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:x", "form": form(column, "时间", "published", "明天")}),
    )
    .await;
    assert_eq!(err, json!({"BadRequest": "发布时间格式不正确"}));
    // Without the CSRF header nothing is saved.
    let res = staff
        .client
        .post(app.url("/api/admin/articles/save"))
        .json(&json!({"draft_key": "new:x", "form": form(column, "伪造", "draft", "")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
on_both_backends!(bad_input_gets_clear_messages);

async fn scheduled_articles_go_live_on_time_exactly_once(app: &TestApp) {
    // Two servers share the database; both run the scheduler.
    let _other = app.second_server().await;
    app.create_staff("planner", Role::Editor).await;
    let staff = app.sign_in("planner").await;
    let column = some_column(app).await;
    let due = (chrono::Utc::now() + chrono::Duration::seconds(3))
        .with_timezone(&app.state.site.time_zone);
    let at = due.format("%Y-%m-%dT%H:%M:%S").to_string();
    let (status, saved) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:s", "form": form(column, "定时发布的新闻", "scheduled", &at)}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["status"], "scheduled");
    let id = saved["id"].as_i64().unwrap();
    let path = format!("/articles/{id}");
    assert_eq!(app.get(&path).await.status(), 404, "not before its time");
    let column_page = app.url("/columns/zone-news");
    assert!(
        !app.client
            .get(&column_page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("定时发布的新闻")
    );

    let mut live_at = None;
    for _ in 0..80 {
        if app.get(&path).await.status() == 200 {
            live_at = Some(chrono::Utc::now());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let live_at = live_at.expect("the article went live");
    let late = (live_at - due.with_timezone(&chrono::Utc)).num_milliseconds();
    assert!(late < 2500, "went live {late} ms after its time");
    // The cached column page shows it too.
    for _ in 0..30 {
        if app
            .client
            .get(&column_page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("定时发布的新闻")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        app.client
            .get(&column_page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("定时发布的新闻")
    );
    // Exactly once: one publication in the log, one set of listings.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let publications = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("article.publish"))
        .filter(entity::audit_log::Column::ObjectId.eq(id.to_string()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(publications, 1);
    let listings = entity::article_listing::Entity::find()
        .filter(entity::article_listing::Column::ArticleId.eq(id as i32))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(listings, 2, "zone-news and its section");
}
on_both_backends!(scheduled_articles_go_live_on_time_exactly_once);

async fn bulk_actions_change_status(app: &TestApp) {
    app.create_staff("bulker", Role::Editor).await;
    let staff = app.sign_in("bulker").await;
    let latest = service::article::latest(&app.db, 2, chrono::Utc::now())
        .await
        .unwrap();
    let ids: Vec<String> = latest.iter().map(|l| l.id.to_string()).collect();
    let res = staff
        .client
        .post(app.url("/api/admin/articles/bulk"))
        .header("referer", app.url("/admin/articles"))
        .header("accept", "text/html")
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("action", "unpublish"),
            ("ids[]", &ids[0]),
            ("ids[]", &ids[1]),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(
        crate::helpers::flash_of(&res).as_deref(),
        Some("ok|已处理 2 篇文章")
    );
    for id in &latest {
        assert_eq!(app.get(&format!("/articles/{}", id.id)).await.status(), 404);
    }
    let list = staff
        .client
        .get(app.url("/admin/articles?status=draft"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(&latest[0].title));
}
on_both_backends!(bulk_actions_change_status);

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 128])
    });
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .unwrap();
    let payload = b"Exif\0\0GPSLatitude=39.9042;GPSLongitude=116.4074";
    let len = (payload.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG that claims to be 60000×60000 pixels: a decompression bomb.
fn bomb_png() -> Vec<u8> {
    let mut small = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(1, 1))
        .write_to(&mut Cursor::new(&mut small), image::ImageFormat::Png)
        .unwrap();
    // IHDR data starts at byte 16: width and height, then the chunk CRC at 29.
    small[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    small[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&small[12..29]);
    small[29..33].copy_from_slice(&crc.to_be_bytes());
    small
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub async fn upload(app: &TestApp, staff: &Staff, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
        .text("alt", "园区厂房")
        .text("credit", "测试");
    let res = staff
        .client
        .post(app.url("/api/admin/media/upload"))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn uploads_are_checked_cleaned_and_resized(app: &TestApp) {
    app.create_staff("photographer", Role::Editor).await;
    let staff = app.sign_in("photographer").await;
    let (status, img) = upload(app, &staff, "厂房.jpg", jpeg(2000, 1200)).await;
    assert_eq!(status, 200, "{img}");
    let id = img["id"].as_i64().unwrap() as i32;
    let model = entity::image::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((model.width, model.height), (2000, 1200));
    let stored = app.state.files.media.get(&model.path).await.unwrap();
    assert!(
        !stored.windows(11).any(|w| w == b"GPSLatitude"),
        "EXIF location is stripped"
    );
    let variants = service::media::variants_of(&model);
    assert_eq!(
        variants.iter().map(|v| v.width).collect::<Vec<_>>(),
        vec![480, 960, 1600]
    );
    for v in &variants {
        let bytes = app.state.files.media.get(&v.path).await.unwrap();
        assert_eq!(&bytes[8..12], b"WEBP");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(decoded.width(), v.width);
    }
    assert_eq!(app.get(img["src"].as_str().unwrap()).await.status(), 200);
    // Used in an article body, it gets a srcset on the public page.
    let a = app.some_article().await;
    let mut input = service::editorial::ArticleInput::from_model(&a);
    input.body = format!(
        "<p>配图：</p><figure><img src=\"{}\" alt=\"厂房\"></figure>",
        img["src"].as_str().unwrap()
    );
    service::editorial::save(
        &app.db,
        &service::audit::Actor::system("test"),
        Some(a.id),
        input,
    )
    .await
    .unwrap();
    let html = app
        .client
        .get(app.url(&format!("/articles/{}", a.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("srcset=\"/media/") && html.contains("480w"),
        "public pages use the variants"
    );
    // In use: cannot be deleted.
    let res = staff
        .client
        .post(app.url("/api/admin/media/delete"))
        .header("referer", app.url("/admin/media"))
        .header("accept", "text/html")
        .form(&[("csrf_token", staff.csrf.as_str()), ("id", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(
        crate::helpers::flash_of(&res)
            .unwrap()
            .starts_with("error|该图片正在使用中，不能删除")
    );

    let (status, err) = upload(app, &staff, "bomb.png", bomb_png()).await;
    assert_eq!(status, 400);
    assert!(
        err["BadRequest"]
            .as_str()
            .unwrap()
            .starts_with("图片尺寸过大（60000×60000 像素）"),
        "{err}"
    );
    let (status, err) = upload(
        app,
        &staff,
        "报告.jpg",
        "这是一份文本文件，不是图片".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        err["BadRequest"],
        "文件内容不是受支持的图片，只能上传 JPEG、PNG、WebP 或 GIF 图片"
    );
}
on_both_backends!(uploads_are_checked_cleaned_and_resized);

async fn pasted_images_are_uploaded_not_inlined(app: &TestApp) {
    app.create_staff("paster", Role::Editor).await;
    let staff = app.sign_in("paster").await;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        40,
        30,
        image::Rgb([10, 90, 200]),
    ))
    .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(&png);
    let html = format!(
        "<p class=MsoNormal style='mso-x:1'>第一段<o:p></o:p></p><p><img src=\"data:image/png;base64,{data}\"></p><p><img src=\"file:///C:/Users/a/clip_image001.png\"></p><p>第二段</p>"
    );
    let (status, out) = call(
        app,
        &staff,
        "/api/admin/articles/paste",
        json!({"html": html, "rtf": ""}),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let cleaned = out["html"].as_str().unwrap();
    assert!(
        cleaned.contains("<p>第一段</p>") && cleaned.contains("<p>第二段</p>"),
        "{cleaned}"
    );
    assert!(cleaned.contains("src=\"/media/"), "{cleaned}");
    assert!(
        !cleaned.contains("data:") && !cleaned.contains("file:") && !cleaned.contains("Mso"),
        "{cleaned}"
    );
    assert_eq!(out["images"], 1);
    assert_eq!(
        out["warnings"][0],
        "有 1 张图片无法从剪贴板读取，请用“插入图片”按钮单独上传"
    );
}
on_both_backends!(pasted_images_are_uploaded_not_inlined);

async fn autosaves_come_back_in_the_editor(app: &TestApp) {
    app.create_staff("forgetful", Role::Editor).await;
    let staff = app.sign_in("forgetful").await;
    let a = app.some_article().await;
    let mut f = form(a.column_id, "还没保存的标题", "published", "");
    f["id"] = json!(a.id);
    let (status, at) = call(
        app,
        &staff,
        "/api/admin/articles/autosave",
        json!({"draft_key": format!("article:{}", a.id), "form": f}),
    )
    .await;
    assert_eq!(status, 200, "{at}");
    let page = staff
        .client
        .get(app.url(&format!("/admin/articles/{}", a.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("还没保存的标题"),
        "the editor offers the autosaved copy"
    );
    // A new article's draft is offered on the new-article page too.
    let (status, _) = call(
        app,
        &staff,
        "/api/admin/articles/autosave",
        json!({"draft_key": "new:abc", "form": form(a.column_id, "新文章的草稿", "draft", "")}),
    )
    .await;
    assert_eq!(status, 200);
    let page = staff
        .client
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("新文章的草稿"));
    // Another editor does not see it.
    app.create_staff("colleague", Role::Editor).await;
    let other = app.sign_in("colleague").await;
    let page = other
        .client
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("新文章的草稿"));
    // Saving takes the unsaved copies with it: the new article's
    // (found by its page's key, it has no id yet) and the live one's (by its id).
    let user = entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq("forgetful"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let copies = || async {
        entity::article_autosave::Entity::find()
            .filter(entity::article_autosave::Column::UserId.eq(user.id))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(copies().await, 2);
    let (status, saved) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:abc", "form": form(a.column_id, "新文章的草稿", "draft", "")}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        copies().await,
        1,
        "the new article's copy went with its save"
    );
    let (status, saved) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": format!("article:{}", a.id), "form": f}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        copies().await,
        0,
        "the live article's copy went with its save"
    );
}
on_both_backends!(autosaves_come_back_in_the_editor);

/// Draft keys longer than their column, or of odd characters, are refused (before, a long
/// key was stored cut short and never found again, so every autosave added a row); each
/// person keeps at most `MAX_AUTOSAVES_PER_USER` unsaved copies.
async fn draft_keys_are_checked_and_autosaves_bounded(app: &TestApp) {
    app.create_staff("prolific", Role::Editor).await;
    let staff = app.sign_in("prolific").await;
    let column = some_column(app).await;
    let draft = |key: String| json!({"draft_key": key, "form": form(column, "草稿", "draft", "")});
    for bad in ["x".repeat(81), "new:<script>".to_owned(), String::new()] {
        let (status, body) = call(app, &staff, "/api/admin/articles/autosave", draft(bad)).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains("草稿标识无效"), "{body}");
    }
    let long_ok = format!("new:{}", "k".repeat(76));
    for _ in 0..3 {
        let (status, _) = call(
            app,
            &staff,
            "/api/admin/articles/autosave",
            draft(long_ok.clone()),
        )
        .await;
        assert_eq!(status, 200);
    }
    let user = entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq("prolific"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let rows = || async {
        entity::article_autosave::Entity::find()
            .filter(entity::article_autosave::Column::UserId.eq(user.id))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(rows().await, 1, "the same key is one row however long");
    for i in 0..60 {
        let (status, _) = call(
            app,
            &staff,
            "/api/admin/articles/autosave",
            draft(format!("new:many{i}")),
        )
        .await;
        assert_eq!(status, 200);
    }
    assert_eq!(rows().await, service::editorial::MAX_AUTOSAVES_PER_USER);
    // A save with a bad key is refused before anything is stored.
    let (status, _) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "y".repeat(200), "form": form(column, "不应保存", "published", "")}),
    )
    .await;
    assert_eq!(status, 400);
    let stored = entity::article::Entity::find()
        .filter(entity::article::Column::Title.eq("不应保存"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}
on_both_backends!(draft_keys_are_checked_and_autosaves_bounded);

/// Pasting is linear in its size: a paste of 20,000 picture tags (each a rescan of the whole
/// text before) comes back at once, and the server keeps serving pages meanwhile.
async fn a_paste_of_many_pictures_is_cleaned_in_one_pass(app: &TestApp) {
    app.create_staff("word-user", Role::Editor).await;
    let staff = app.sign_in("word-user").await;
    let html = "<p class=MsoNormal>段落文字。</p><img src=\"file:///C:/Temp/image001.png\">"
        .repeat(20_000);
    let started = std::time::Instant::now();
    let (status, out) = call(
        app,
        &staff,
        "/api/admin/articles/paste",
        json!({ "html": html, "rtf": "" }),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let warnings = out["warnings"].to_string();
    assert!(
        warnings.contains("有 20000 张图片无法从剪贴板读取"),
        "{warnings}"
    );
    eprintln!("20,000-picture paste cleaned in {:?}", started.elapsed());
}
on_both_backends!(a_paste_of_many_pictures_is_cleaned_in_one_pass);

/// The largest paste accepted (20 MB of HTML beside 60 MB of RTF) is cleaned; anything
/// larger is refused with a message, not an error page or a frozen server.
async fn the_largest_pastes_are_cleaned_or_refused_with_a_message(app: &TestApp) {
    app.create_staff("big-paster", Role::Editor).await;
    let staff = app.sign_in("big-paster").await;
    let paragraph = format!(
        "<p class=MsoNormal>{}</p>\n",
        "开发区高质量发展。".repeat(40)
    );
    let max_html = service::paste::MAX_HTML_BYTES;
    let html = paragraph.repeat(max_html / paragraph.len());
    let rtf = format!(
        "{{\\rtf1 {}}}",
        "\\par 开发区 text ".repeat((service::paste::MAX_RTF_BYTES - 64) / 20)
    );
    assert!(html.len() + rtf.len() > 60 * 1024 * 1024);
    let started = std::time::Instant::now();
    let pending = {
        let (client, csrf, url) = (
            staff.client.clone(),
            staff.csrf.clone(),
            app.url("/api/admin/articles/paste"),
        );
        let body = json!({ "html": html, "rtf": rtf }).to_string();
        tokio::spawn(async move {
            let res = client
                .post(url)
                .header("x-csrf-token", csrf)
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        })
    };
    // Pages are served while it runs.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = app.get_text("/").await;
    assert_eq!(status, 200);
    let (status, body) = pending.await.unwrap();
    assert_eq!(status, 200, "{}", &body[..body.len().min(300)]);
    eprintln!(
        "largest paste ({} MB) cleaned in {:?}",
        (max_html + service::paste::MAX_RTF_BYTES) >> 20,
        started.elapsed()
    );

    let (status, out) = call(
        app,
        &staff,
        "/api/admin/articles/paste",
        json!({ "html": "x".repeat(max_html + 1), "rtf": "" }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(out.to_string().contains("粘贴的内容过大"), "{out}");
}
on_both_backends!(the_largest_pastes_are_cleaned_or_refused_with_a_message);
