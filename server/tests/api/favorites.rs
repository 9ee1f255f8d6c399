use crate::helpers::TestApp;
use crate::on_both_backends;

async fn favorites_endpoint_returns_published_articles_in_order(app: &TestApp) {
    let latest = service::article::latest(&app.db, 1, 2, chrono::Utc::now())
        .await
        .unwrap();
    let ids = format!("{},999999,abc,-3,{}", latest[1].id, latest[0].id);
    let res = app
        .get(&format!(
            "{}?ids={ids}",
            app::api::articles::FAVORITES_ENDPOINT
        ))
        .await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    let first = body.find(&latest[1].title).expect("first favorite");
    let second = body.find(&latest[0].title).expect("second favorite");
    assert!(first < second, "in the reader's order");
    assert!(body.contains("年"), "dates are formatted");
    assert_eq!(
        body.matches("\"id\"").count(),
        2,
        "missing ids are left out: {body}"
    );
}
on_both_backends!(favorites_endpoint_returns_published_articles_in_order);
