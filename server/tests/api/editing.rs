use std::io::Cursor;
use std::time::Duration;

use entity::user::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp};
use crate::on_both_backends;

async fn call(app: &TestApp, staff: &Staff, path: &str, body: Value) -> (u16, Value) {
    let res = staff
        .client
        .post(app.url(path))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn some_column(app: &TestApp) -> i32 {
    let cats = service::category::all(&app.db).await.unwrap();
    service::category::by_slug(&cats, "zone-news").unwrap().id
}

fn form(column: i32, title: &str, status: &str, published_at: &str) -> Value {
    json!({
        "id": null, "category_id": column, "title": title, "subtitle": "", "source": "本网",
        "author": "测试编辑", "summary": "摘要", "body": "<p>第一段。</p><p>第二段。</p>",
        "cover_image_id": null, "cover_src": null, "is_headline": false, "is_recommended": false,
        "is_slideshow": false, "status": status, "published_at": published_at
    })
}

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

fn jpeg(width: u32, height: u32) -> Vec<u8> {
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

async fn upload(app: &TestApp, staff: &Staff, name: &str, bytes: Vec<u8>) -> (u16, Value) {
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
    let stored = std::fs::read(app.state.site.uploads_dir.join(&model.path)).unwrap();
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
        let bytes = std::fs::read(app.state.site.uploads_dir.join(&v.path)).unwrap();
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
    assert_eq!(status, 422);
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
    assert_eq!(status, 422);
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
    let mut f = form(a.category_id, "还没保存的标题", "published", "");
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
        json!({"draft_key": "new:abc", "form": form(a.category_id, "新文章的草稿", "draft", "")}),
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
}
on_both_backends!(autosaves_come_back_in_the_editor);
