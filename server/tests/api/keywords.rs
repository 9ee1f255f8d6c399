//! 关键词 in the editor: written, shown, kept and compared.

use entity::user::Role;
use serde_json::json;

use crate::helpers::{Staff, TestApp, call, form, some_column};
use crate::on_both_backends;

async fn staff_get(app: &TestApp, staff: &Staff, path: &str) -> (u16, String) {
    let res = staff.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn editors_write_keywords_and_readers_get_them(app: &TestApp) {
    app.create_staff("kw-editor", Role::Editor).await;
    let staff = app.sign_in("kw-editor").await;
    let column = some_column(app).await;
    let mut first = form(column, "关键词测试", "published", "");
    first["keywords"] = json!(" 开发区，营商环境、 开发区 ；招商引资,, ");
    let (status, saved) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": "new:kw1", "form": first}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    let stored = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(
        stored.keywords, "开发区,营商环境,招商引资",
        "separators read as commas, blanks and repeats left out"
    );
    let (s, page) = app.get_text(&format!("/articles/{id}")).await;
    assert_eq!(s, 200);
    assert!(
        page.contains(r#"<meta name="keywords" content="开发区,营商环境,招商引资""#),
        "the page carries them"
    );
    let (s, editor) = staff_get(app, &staff, &format!("/admin/articles/{id}")).await;
    assert_eq!(s, 200);
    assert!(editor.contains("关键词（用逗号分隔）"));
    assert!(
        editor.contains(r#"value="开发区,营商环境,招商引资""#),
        "the editor shows them"
    );

    // Changed: the revisions' comparison names the field.
    let mut second = form(
        column,
        "关键词测试",
        "published",
        saved["published_at"].as_str().unwrap(),
    );
    second["id"] = json!(id);
    second["keywords"] = json!("开发区");
    let (status, _) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": format!("article:{id}"), "form": second.clone()}),
    )
    .await;
    assert_eq!(status, 200);
    let revisions = service::editorial::revisions(&app.db, id as i32)
        .await
        .unwrap();
    let first_rev = revisions.last().unwrap().id;
    let (s, diff) = staff_get(app, &staff, &format!("/admin/revisions/{first_rev}")).await;
    assert_eq!(s, 200);
    assert!(
        diff.contains("关键词") && diff.contains("营商环境"),
        "{diff}"
    );

    // Too many: refused with a message, nothing changed.
    second["keywords"] = json!("长".repeat(256));
    let (status, body) = call(
        app,
        &staff,
        "/api/admin/articles/save",
        json!({"draft_key": format!("article:{id}"), "form": second}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("关键词不能超过255个字"), "{body}");
    let stored = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(stored.keywords, "开发区");

    // An input that does not carry them (a revision saved before they were edited) leaves
    // them as they are.
    let mut input = service::editorial::ArticleInput::from_model(&stored);
    input.keywords = None;
    input.title = "关键词测试（改）".into();
    let kept = service::editorial::save(
        &app.db,
        &service::audit::Actor::system("test"),
        Some(id as i32),
        input,
    )
    .await
    .unwrap();
    assert_eq!(kept.keywords, "开发区");
}
on_both_backends!(editors_write_keywords_and_readers_get_them);
