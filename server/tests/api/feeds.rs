use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn feeds_are_valid_rss(app: &TestApp) {
    let res = app.get("/rss.xml").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(channel.title(), "中国开发区协会");
    assert!(channel.items().len() >= 30);
    for item in channel.items() {
        assert!(
            item.link()
                .unwrap()
                .starts_with("http://portico.test/articles/")
        );
        DateTime::parse_from_rfc2822(item.pub_date().unwrap()).unwrap();
        assert!(!item.title().unwrap().is_empty());
    }
    let newest = app.some_article().await;
    assert_eq!(channel.items()[0].title().unwrap(), newest.title);

    let res = app.get("/columns/zone-news/rss.xml").await;
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 8);
    assert!(
        channel
            .items()
            .iter()
            .all(|i| i.categories()[0].name() == "园区动态")
    );
    assert_eq!(app.get("/columns/no-such/rss.xml").await.status(), 404);
    assert_eq!(app.get("/columns/intro/rss.xml").await.status(), 404);
}
on_both_backends!(feeds_are_valid_rss);

async fn feeds_escape_what_they_carry(app: &TestApp) {
    let a = app.some_article().await;
    let mut m = a.into_active_model();
    m.title = Set("A&B <协会> \"引号\" 标题".into());
    m.summary = Set("摘要 <script>alert(1)</script> & 更多".into());
    m.update(&app.db).await.unwrap();
    let res = app.get("/rss.xml").await;
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(
        channel.items()[0].title().unwrap(),
        "A&B <协会> \"引号\" 标题"
    );
    assert_eq!(
        channel.items()[0].description().unwrap(),
        "摘要 <script>alert(1)</script> & 更多"
    );
}
on_both_backends!(feeds_escape_what_they_carry);

fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

async fn sitemap_lists_every_public_url(app: &TestApp) {
    let (status, xml) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let urls = locs(&xml);
    let published = service::article::latest(&app.db, 1, 10_000, Utc::now())
        .await
        .unwrap();
    for a in &published {
        assert!(urls.contains(&format!("http://portico.test/articles/{}", a.id)));
    }
    assert!(urls.contains(&"http://portico.test/".to_owned()));
    assert!(urls.contains(&"http://portico.test/columns/intro".to_owned()));
    assert!(urls.contains(&"http://portico.test/magazine/2026/11".to_owned()));
    assert!(
        urls.iter()
            .any(|u| u.starts_with("http://portico.test/notices/"))
    );
    let (_, robots) = app.get_text("/robots.txt").await;
    assert!(robots.contains("Sitemap: http://portico.test/sitemap.xml"));
    assert!(robots.contains("Disallow: /api/"));
}
on_both_backends!(sitemap_lists_every_public_url);

async fn large_sites_get_a_sitemap_index(app: &TestApp) {
    // An article with id 60001 puts the site past one file of 50,000 URLs.
    let a = app.some_article().await;
    let now = Utc::now();
    article::ActiveModel {
        id: Set(60_001),
        column_id: Set(a.column_id),
        title: Set("编号很大的文章".into()),
        subtitle: Set(String::new()),
        slug: Set(None),
        source: Set(String::new()),
        author: Set(String::new()),
        summary: Set(String::new()),
        keywords: Set(String::new()),
        body: Set("<p>正文</p>".into()),
        cover_image_id: Set(None),
        is_headline: Set(false),
        is_recommended: Set(false),
        is_slideshow: Set(false),
        status: Set(ArticleStatus::Published),
        published_at: Set(Some(now)),
        hits: Set(0),
        owner_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        site_id: Set(1),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let (_, xml) = app.get_text("/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let files = locs(&xml);
    assert_eq!(
        files,
        vec![
            "http://portico.test/sitemaps/pages.xml",
            "http://portico.test/sitemaps/articles-1.xml",
            "http://portico.test/sitemaps/articles-2.xml",
        ]
    );
    let (_, second) = app.get_text("/sitemaps/articles-2.xml").await;
    assert_eq!(locs(&second), vec!["http://portico.test/articles/60001"]);
    let (_, first) = app.get_text("/sitemaps/articles-1.xml").await;
    assert!(locs(&first).len() >= 30);
    assert!(locs(&first).len() <= 50_000);
    let (_, pages) = app.get_text("/sitemaps/pages.xml").await;
    assert!(locs(&pages).contains(&"http://portico.test/columns/news".to_owned()));
    for bad in [
        "/sitemaps/articles-3.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/x.xml",
        "/sitemaps/articles-99999999999.xml",
    ] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}
on_both_backends!(large_sites_get_a_sitemap_index);
