use crate::helpers::TestApp;
use crate::on_both_backends;

/// The first tag of `html` containing `marker`, e.g. `rel="canonical"`.
pub fn tag_with<'a>(html: &'a str, marker: &str) -> Option<&'a str> {
    let at = html.find(marker)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..=end])
}

/// The value of attribute `name` in a tag.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

/// Every public page carries the metadata search engines and social cards need.
fn assert_seo(path: &str, html: &str) {
    assert!(html.contains("<html lang=\"zh-CN\""), "{path}: lang");
    assert!(html.contains("<title>"), "{path}: title");
    let canonical = tag_with(html, "rel=\"canonical\"").and_then(|t| attr(t, "href"));
    assert!(
        canonical.is_some_and(|c| c.starts_with("http://portico.test")),
        "{path}: canonical"
    );
    for (marker, content) in [
        ("name=\"description\"", None),
        ("property=\"og:title\"", None),
        ("property=\"og:url\"", Some("http://portico.test")),
        ("name=\"twitter:card\"", Some("summary")),
    ] {
        let tag = tag_with(html, marker).unwrap_or_else(|| panic!("{path} lacks {marker}"));
        let value = attr(tag, "content").unwrap_or_default();
        assert!(!value.is_empty(), "{path}: {marker} is empty");
        if let Some(prefix) = content {
            assert!(value.starts_with(prefix), "{path}: {marker} = {value}");
        }
    }
}

async fn every_portal_page_renders(app: &TestApp) {
    let cases: &[(&str, &[&str])] = &[
        (
            "/",
            &[
                "图片新闻",
                "头条",
                "通知公告",
                "协会动态",
                "园区动态",
                "政策法规",
                "《中国开发区》",
                "2026年第11期",
                "协会服务",
                "咨询服务",
            ],
        ),
        (
            "/columns/news",
            &["资讯中心", "全部", "图片新闻", "下一页", "共 "],
        ),
        (
            "/columns/zone-news",
            &[
                "园区动态",
                "铁岗经开区红炉老工业片区完成生态修复变身城市绿廊",
            ],
        ),
        ("/columns/photo-news", &["picture-list", "<img"]),
        (
            "/columns/about",
            &["协会简介", "组织机构", "协会章程", "联系我们"],
        ),
        ("/columns/intro", &["协会简介", "主要工作"]),
        ("/columns/charter", &["第一章"]),
        ("/columns/contact", &["010-0000 0000"]),
        ("/columns/consulting", &["咨询服务"]),
        ("/columns/submit", &["投稿须知", "tougao@portico.example"]),
        (
            "/columns/magazine",
            &["2026年", "2025年", "2026年第11期", "把青年人才留在园区"],
        ),
        (
            "/magazine/2026/11",
            &[
                "2026年第11期",
                "总第371期",
                "本期目录",
                "专题研究",
                "开发区吸引和留住青年人才的调查与思考",
            ],
        ),
        (
            "/columns/notices",
            &[
                "通知公告",
                "关于举办2026年度开发区管理干部能力提升培训班的通知",
            ],
        ),
    ];
    for (path, needles) in cases {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        for n in *needles {
            assert!(html.contains(n), "{path} lacks {n}");
        }
        assert_seo(path, &html);
        assert!(
            !html.contains("<template"),
            "{path}: content must not wait for script"
        );
    }
}
on_both_backends!(every_portal_page_renders);

/// The demo pictures come with WebP variants, and every page that shows them offers the
/// variants in `srcset` (phones download a smaller file than the original).
async fn pictures_offer_their_webp_variants(app: &TestApp) {
    for (path, marker, sizes) in [
        ("/", "class=\"slide", "100vw"),
        ("/", "class=\"issue-cover\"", "120px"),
        ("/columns/photo-news", "class=\"picture-list", "50vw"),
        ("/columns/magazine", "class=\"issue-grid", "200px"),
        ("/magazine/2026/11", "class=\"issue-cover\"", "220px"),
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        let at = html
            .find(marker)
            .unwrap_or_else(|| panic!("{path} lacks {marker}"));
        // The picture the marker is on, or the first one after it.
        let start = match html[..at].rfind('<') {
            Some(open) if html[open..].starts_with("<img") => open,
            _ => {
                at + html[at..]
                    .find("<img")
                    .unwrap_or_else(|| panic!("{path}: no img"))
            }
        };
        let img = &html[start..=start + html[start..].find('>').unwrap()];
        let srcset = attr(img, "srcset").unwrap_or_else(|| panic!("{path}: {img} lacks srcset"));
        assert!(
            attr(img, "sizes").is_some_and(|s| s.contains(sizes)),
            "{path}: {img}"
        );
        let candidates: Vec<&str> = srcset.split(", ").collect();
        assert!(candidates.len() >= 2, "{path}: {srcset}");
        assert!(candidates[0].ends_with(".webp 480w"), "{path}: {srcset}");
        let src = attr(img, "src").unwrap_or_default();
        assert!(
            candidates.last().is_some_and(|c| c.starts_with(&src)),
            "{path}: the original closes the set: {srcset}"
        );
        let first = candidates[0].split(' ').next().unwrap_or_default();
        let response = app.get(first).await;
        assert_eq!(response.status(), 200, "{first}");
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "image/webp",
            "{first}"
        );
        let bytes = response.bytes().await.unwrap();
        let picture = image::load_from_memory(&bytes).unwrap();
        assert_eq!(picture.width(), 480, "{first}");
    }
}
on_both_backends!(pictures_offer_their_webp_variants);

async fn notices_have_details_and_attachments(app: &TestApp) {
    let (_, list) = app.get_text("/columns/notices").await;
    let marker = "href=\"/notices/";
    let start = list.find(marker).expect("a notice link") + marker.len();
    let id: String = list[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (status, html) = app.get_text(&format!("/notices/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("发布时间："));
    assert!(html.contains("附件"));
    let href_at = html
        .find("href=\"/media/demo/notice-")
        .expect("an attachment link")
        + 6;
    let href: String = html[href_at..].chars().take_while(|c| *c != '"').collect();
    let file = app.get(&href).await;
    assert_eq!(file.status(), 200, "{href}");
    assert_eq!(file.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(file.text().await.unwrap().contains("回执"));
    assert_eq!(app.get("/notices/999999").await.status(), 404);
    assert_eq!(app.get("/notices/abc").await.status(), 404);
}
on_both_backends!(notices_have_details_and_attachments);

async fn articles_carry_json_ld_and_open_graph(app: &TestApp) {
    let a = app.some_article().await;
    let (_, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    assert_seo("article", &html);
    assert_eq!(
        attr(tag_with(&html, "property=\"og:type\"").unwrap(), "content").unwrap(),
        "article"
    );
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], a.title.as_str());
    assert_eq!(
        ld["mainEntityOfPage"],
        format!("http://portico.test/articles/{}", a.id)
    );
    assert!(ld["datePublished"].as_str().unwrap().starts_with("20"));
    // An article with a cover shows it to social cards.
    let with_cover = service::article::flagged(
        &app.db,
        1,
        service::article::Flag::Slideshow,
        1,
        true,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (_, html) = app
        .get_text(&format!("/articles/{}", with_cover[0].id))
        .await;
    let image = attr(tag_with(&html, "property=\"og:image\"").unwrap(), "content").unwrap();
    assert!(
        image.starts_with("http://portico.test/media/demo/"),
        "{image}"
    );
    assert_eq!(
        app.get(image.trim_start_matches("http://portico.test"))
            .await
            .status(),
        200
    );
    assert!(html.contains("summary_large_image"));
}
on_both_backends!(articles_carry_json_ld_and_open_graph);

async fn pagination_edges_are_sensible(app: &TestApp) {
    for bad in ["0", "-1", "abc", "1", "1.5", "99999999999999999999999", ""] {
        let res = app.get(&format!("/columns/news?page={bad}")).await;
        assert_eq!(res.status(), 301, "page={bad}");
        assert_eq!(res.headers()["location"], "/columns/news", "page={bad}");
    }
    let (status, html) = app.get_text("/columns/news?page=2").await;
    assert_eq!(status, 200);
    let current = tag_with(&html, "aria-current=\"page\">2<")
        .or_else(|| tag_with(&html, "class=\"pager-current\""));
    assert!(current.is_some_and(|t| t.contains("aria-current=\"page\"")));
    assert!(html.contains("rel=\"prev\""));
    let canonical = attr(tag_with(&html, "rel=\"canonical\"").unwrap(), "href").unwrap();
    assert_eq!(canonical, "http://portico.test/columns/news?page=2");
    // Beyond the end: not found, inside the site.
    let (status, html) = app.get_text("/columns/news?page=999").await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"));
    // Pages without lists have only page 1.
    assert_eq!(app.get("/columns/intro?page=2").await.status(), 404);
    // An empty column shows its empty state on page 1.
    let (status, html) = app.get_text("/columns/cover-stories").await;
    assert_eq!(status, 200);
    assert!(html.contains("共 3 条"));
    // Unknown and malformed columns.
    for path in [
        "/columns/no-such-column",
        "/columns/News",
        "/columns/%E4%B8%AD",
        "/columns/a%2Fb",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}
on_both_backends!(pagination_edges_are_sensible);
