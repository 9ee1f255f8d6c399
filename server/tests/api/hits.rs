use entity::article;
use sea_orm::EntityTrait;

use crate::helpers::{TestApp, shown_hits};
use crate::on_both_backends;

async fn each_view_counts_exactly_once(app: &TestApp) {
    let a = app.some_article().await;
    let path = format!("/articles/{}", a.id);
    let start = a.hits as u64;

    let (_, first) = app.get_text(&path).await;
    assert_eq!(shown_hits(&first), start + 1, "this view is included");
    let (_, second) = app.get_text(&path).await;
    assert_eq!(shown_hits(&second), start + 2);

    // Robots and prefetches are not counted.
    let bot = app
        .client
        .get(app.url(&path))
        .header("user-agent", "Mozilla/5.0 (compatible; Baiduspider/2.0)")
        .send()
        .await
        .unwrap();
    assert_eq!(shown_hits(&bot.text().await.unwrap()), start + 2);
    let no_ua = app
        .client
        .get(app.url(&path))
        .header("user-agent", "")
        .send()
        .await
        .unwrap();
    assert_eq!(no_ua.status(), 200);
    let prefetch = app
        .client
        .get(app.url(&path))
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .unwrap();
    assert_eq!(prefetch.status(), 200);
    // HEAD requests and missing pages are not views either.
    app.client.head(app.url(&path)).send().await.unwrap();
    app.get("/articles/999999").await;

    let (_, third) = app.get_text(&path).await;
    assert_eq!(shown_hits(&third), start + 3);

    // The batch reaches the database in one flush.
    app.state.hits.flush(&app.db).await.unwrap();
    let stored = article::Entity::find_by_id(a.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.hits as u64, start + 3);
    assert_eq!(app.state.hits.total_unflushed(), 0);
    let (_, fourth) = app.get_text(&path).await;
    assert_eq!(shown_hits(&fourth), start + 4);
}
on_both_backends!(each_view_counts_exactly_once);
