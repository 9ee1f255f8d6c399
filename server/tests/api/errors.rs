use chrono::Utc;
use entity::article::{self, ArticleStatus};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn unknown_and_malformed_articles_are_real_404s(app: &TestApp) {
    for path in [
        "/articles/999999",
        "/articles/0",
        "/articles/-1",
        "/articles/abc",
        "/articles/1.5",
        "/articles/99999999999999999999999999",
        "/articles/2147483648",
        "/articles/%E4%B8%AD%E6%96%87",
        "/articles/%FF%FE",
        "/articles/1%00",
        "/articles/1/extra",
        "/no-such-page",
        "/columns-that-do-not-exist/%C0%AF",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        // Never kept by browsers: the article may be published a moment later.
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("页面不存在"), "{path}: a friendly page");
        assert!(html.contains("友情链接"), "{path}: inside the site layout");
    }
}
on_both_backends!(unknown_and_malformed_articles_are_real_404s);

async fn unpublished_articles_are_404(app: &TestApp) {
    let a = app.some_article().await;
    let mut draft = a.clone().into_active_model();
    draft.status = Set(ArticleStatus::Draft);
    draft.update(&app.db).await.unwrap();
    assert_eq!(app.get(&format!("/articles/{}", a.id)).await.status(), 404);

    let mut future: article::ActiveModel = a.clone().into_active_model();
    future.status = Set(ArticleStatus::Published);
    future.published_at = Set(Some(Utc::now() + chrono::Duration::days(1)));
    future.update(&app.db).await.unwrap();
    assert_eq!(app.get(&format!("/articles/{}", a.id)).await.status(), 404);
}
on_both_backends!(unpublished_articles_are_404);

async fn unreachable_database_is_503(app: &TestApp) {
    let a = app.some_article().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.state.db.close_by_ref().await.unwrap();
    let (status, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    assert_eq!(status, 503);
    assert!(html.contains("网站暂时无法访问"));
    assert!(
        !html.to_lowercase().contains("pool"),
        "no internal error text"
    );
    // Alive, but not ready: the balancer sends readers elsewhere.
    assert_eq!(app.get("/healthz").await.status(), 200);
    let (status, text) = app.get_text("/readyz").await;
    assert_eq!((status, text.as_str()), (503, "unavailable: database"));
    assert_eq!(app.get("/").await.status(), 503);
}
on_both_backends!(unreachable_database_is_503);
