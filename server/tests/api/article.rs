use crate::helpers::TestApp;
use crate::on_both_backends;

async fn article_page_is_complete_in_the_html(app: &TestApp) {
    let a = app.some_article().await;
    let (status, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    assert_eq!(status, 200);
    let time = service::time::format_datetime(a.published_at.unwrap(), chrono_tz::Asia::Shanghai);
    for needle in [
        a.title.as_str(),
        "来源：",
        a.source.as_str(),
        "发布时间：",
        time.as_str(),
        "点击量：",
        "当前位置：",
        "字体：",
        "分享",
        "政府部门",
        "行业协会",
        "新闻媒体",
        "友情链接",
        "lang=\"zh-CN\"",
    ] {
        assert!(html.contains(needle), "article page lacks {needle:?}");
    }
    // The body arrives in the HTML itself, not in a streamed template.
    let first_paragraph = a
        .body
        .split("</p>")
        .next()
        .unwrap()
        .trim_start_matches("<p>");
    assert!(html.contains(first_paragraph));
    assert!(
        !html.contains("<template"),
        "content must not wait for script"
    );
    // Share panel: the QR code is an inline SVG and Weibo gets the encoded canonical URL.
    assert!(html.contains("<svg role=\"img\" aria-label=\"本页二维码\""));
    let encoded = format!(
        "url=http%3A%2F%2Fportico.test%2Farticles%2F{}&amp;title=",
        a.id
    );
    assert!(html.contains(&encoded), "weibo link with the encoded URL");
    // The date format of the portal.
    assert!(time.contains('年') && time.contains('月') && time.contains('日'));
}
on_both_backends!(article_page_is_complete_in_the_html);

async fn breadcrumb_and_neighbours_follow_the_column(app: &TestApp) {
    let a = app.some_article().await;
    let (_, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    let columns = service::column::all(&app.db, 1).await.unwrap();
    let path = service::column::path(&columns, a.column_id);
    assert!(path.len() >= 2, "demo articles sit in sub-columns");
    let crumbs_at = html.find("当前位置：").unwrap();
    let mut at = crumbs_at;
    for c in &path {
        let pos = html[at..].find(&c.name).expect("crumb in order") + at;
        at = pos;
    }
    assert!(html.contains("上一篇："));
    assert!(html.contains("下一篇："));
}
on_both_backends!(breadcrumb_and_neighbours_follow_the_column);

async fn stored_html_is_sanitized_on_the_way_out(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let a = app.some_article().await;
    let mut m = a.clone().into_active_model();
    m.body = Set(
        r#"<p>安全段落</p><script>alert('x')</script><img src="/media/x.jpg" onerror="alert(1)"><a href="javascript:alert(2)">链接</a>"#
            .into(),
    );
    m.update(&app.db).await.unwrap();
    let (_, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    assert!(html.contains("安全段落"));
    assert!(!html.contains("alert('x')"));
    assert!(!html.contains("onerror"));
    assert!(!html.contains("javascript:alert"));
}
on_both_backends!(stored_html_is_sanitized_on_the_way_out);

async fn home_and_favorites_pages_render(app: &TestApp) {
    let a = app.some_article().await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(&a.title));
    let (status, html) = app.get_text("/favorites").await;
    assert_eq!(status, 200);
    assert!(html.contains("我的收藏"));
    assert!(
        html.contains("需要启用 JavaScript"),
        "explains itself without script"
    );
}
on_both_backends!(home_and_favorites_pages_render);
