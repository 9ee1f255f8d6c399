//! Writes under concurrency: on SQLite as on PostgreSQL, many writers at once all succeed
//! (they may wait their turn, never fail with "database is locked").

use entity::user::Role;
use entity::{article, article_autosave};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestApp, form, some_column};
use crate::on_both_backends;

/// Two editors save 32 articles at once (16 each), autosave 16 drafts meanwhile, while the
/// view counter flushes: every request answers 200 and everything is stored.
async fn concurrent_saves_autosaves_and_a_hit_flush_all_succeed(app: &TestApp) {
    app.create_staff("desk1", Role::Editor).await;
    app.create_staff("desk2", Role::Editor).await;
    let editors = [app.sign_in("desk1").await, app.sign_in("desk2").await];
    let column = some_column(app).await;
    let viewed = app.some_article().await;
    for i in 0..40 {
        app.state.hits.record_view(
            viewed.id,
            &format!("198.51.100.{i}"),
            "Mozilla/5.0 Chrome/120.0",
        );
    }

    // Each request in its own task, so that they are all in flight at once.
    let post = |i: usize, path: &'static str, body: serde_json::Value| {
        let staff = &editors[i % 2];
        let (client, csrf, url) = (staff.client.clone(), staff.csrf.clone(), app.url(path));
        tokio::spawn(async move {
            let res = client
                .post(url)
                .header("x-csrf-token", csrf)
                .header("accept", "application/json")
                .json(&body)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        })
    };
    let saves: Vec<_> = (0..32)
        .map(|i| {
            let title = format!("并发保存测试 {i:02}");
            let body = json!({"draft_key": format!("new:burst{i}"), "form": form(column, &title, "published", "")});
            post(i, "/api/admin/articles/save", body)
        })
        .collect();
    let autosaves: Vec<_> = (0..16)
        .map(|i| {
            let title = format!("自动保存测试 {i:02}");
            let body = json!({"draft_key": format!("new:typing{i}"), "form": form(column, &title, "draft", "")});
            post(i, "/api/admin/articles/autosave", body)
        })
        .collect();
    let flushed = {
        let (hits, db, tz) = (
            app.state.hits.clone(),
            app.db.clone(),
            app.state.site.time_zone,
        );
        tokio::spawn(async move { hits.flush(&db, tz).await })
    };

    for (i, s) in saves.into_iter().enumerate() {
        let (status, body) = s.await.unwrap();
        assert_eq!(status, 200, "save {i}: {body}");
    }
    for (i, a) in autosaves.into_iter().enumerate() {
        let (status, body) = a.await.unwrap();
        assert_eq!(status, 200, "autosave {i}: {body}");
    }
    assert_eq!(
        flushed.await.unwrap().unwrap(),
        1,
        "the flush wrote its article"
    );

    let stored = article::Entity::find()
        .filter(article::Column::Title.starts_with("并发保存测试"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 32, "every acknowledged save is stored");
    let drafts = article_autosave::Entity::find()
        .filter(article_autosave::Column::DraftKey.starts_with("new:typing"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(drafts, 16);
    let hits = article::Entity::find_by_id(viewed.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .hits;
    assert_eq!(hits, viewed.hits + 40, "the flush stored every view");
    // And the site kept reading meanwhile, as it does now.
    let (status, _) = app.get_text(&format!("/articles/{}", viewed.id)).await;
    assert_eq!(status, 200);
}
on_both_backends!(concurrent_saves_autosaves_and_a_hit_flush_all_succeed);
