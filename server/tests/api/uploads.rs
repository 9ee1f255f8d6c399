//! Pictures: uploads are checked, stripped of their metadata and resized; pasted pictures are
//! uploaded, not inlined; pastes of many pictures and the largest pastes are cleaned in time
//! or refused with a message.

use std::io::Cursor;
use std::time::Duration;

use entity::user::Role;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, call};
use crate::on_both_backends;

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
