use std::time::Duration;

use entity::user::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestApp, call, form, some_column};
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
    let latest = service::article::latest(&app.db, 1, 2, chrono::Utc::now())
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
