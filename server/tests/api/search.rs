//! Search, on both databases: what is found, in which order, how it is marked, filtered and
//! paged, what never appears, and that odd queries are harmless.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use entity::article::ArticleStatus;
use entity::user::Role;
use service::audit::Actor;
use service::editorial::{self, ArticleInput};

use crate::helpers::{TestApp, some_column};
use crate::on_both_backends;

fn at(year: i32, month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 2, 0, 0).unwrap()
}

fn input(
    column: i32,
    title: &str,
    body: &str,
    status: ArticleStatus,
    day: (i32, u32, u32),
) -> ArticleInput {
    ArticleInput {
        column_id: column,
        title: title.into(),
        subtitle: String::new(),
        source: "本网".into(),
        author: "测试".into(),
        summary: String::new(),
        body: body.into(),
        cover_image_id: None,
        is_headline: false,
        is_recommended: false,
        is_slideshow: false,
        status,
        published_at: Some(at(day.0, day.1, day.2)),
        keywords: None,
    }
}

async fn save(app: &TestApp, id: Option<i32>, i: ArticleInput) -> i32 {
    editorial::save(&app.db, &Actor::system("test"), id, i)
        .await
        .unwrap()
        .id
}

/// The hrefs of the results on a search page, in order.
fn results(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ol class=\"search-results\"") else {
        return Vec::new();
    };
    let list = &html[start
        ..html[start..]
            .find("</ol>")
            .map_or(html.len(), |e| start + e)];
    list.split("<h2><a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

async fn search(app: &TestApp, query: &str) -> (u16, String) {
    app.get_text(&format!("/search?{query}")).await
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
    )
}

async fn finds_ranks_marks_and_hides(app: &TestApp) {
    let column = some_column(app).await;
    let body_hit = save(
        app,
        None,
        input(
            column,
            "园区年度工作综述",
            "<p>今年琥珀湾营商环境持续改善，企业开办时间缩短。</p>",
            ArticleStatus::Published,
            (2025, 3, 1),
        ),
    )
    .await;
    let title_hit = save(
        app,
        None,
        input(
            column,
            "琥珀湾营商环境再提升",
            "<p>一段与标题呼应的正文。</p>",
            ArticleStatus::Published,
            (2024, 1, 1),
        ),
    )
    .await;
    let draft = save(
        app,
        None,
        input(
            column,
            "琥珀湾营商环境草稿",
            "<p>草稿。</p>",
            ArticleStatus::Draft,
            (2025, 1, 1),
        ),
    )
    .await;
    let mut later = input(
        column,
        "琥珀湾营商环境预告",
        "<p>定时。</p>",
        ArticleStatus::Scheduled,
        (2025, 1, 1),
    );
    later.published_at = Some(Utc::now() + chrono::Duration::days(3));
    let scheduled = save(app, None, later).await;

    let (status, html) = search(app, &q("琥珀湾营商环境")).await;
    assert_eq!(status, 200);
    // The title hit is first although it is older; nothing unpublished appears.
    assert_eq!(
        results(&html),
        vec![
            format!("/articles/{title_hit}"),
            format!("/articles/{body_hit}")
        ],
        "{html}"
    );
    assert!(!html.contains(&format!("/articles/{draft}\"")));
    assert!(!html.contains(&format!("/articles/{scheduled}\"")));
    assert!(html.contains("找到 2 条结果"));
    assert!(html.contains("<mark>琥珀湾营商环境</mark>再提升"), "{html}");
    assert!(
        html.contains("今年<mark>琥珀湾营商环境</mark>持续改善"),
        "{html}"
    );
    assert!(html.contains("2025年3月1日"), "dates are shown");

    // By date, the newer one is first.
    let (_, html) = search(app, &format!("{}&sort=date", q("琥珀湾营商环境"))).await;
    assert_eq!(
        results(&html),
        vec![
            format!("/articles/{body_hit}"),
            format!("/articles/{title_hit}")
        ]
    );
    // Several words: all of them, anywhere.
    let (_, html) = search(app, &q("琥珀湾 企业开办")).await;
    assert_eq!(results(&html), vec![format!("/articles/{body_hit}")]);
    // The characters in another order are another word.
    let (_, html) = search(app, &q("环境营商琥珀湾")).await;
    assert!(results(&html).is_empty());
    // One character searches titles only.
    let (_, html) = search(app, &q("琥")).await;
    assert_eq!(
        results(&html),
        vec![format!("/articles/{title_hit}")],
        "{html}"
    );
    // Full-width letters and digits are the same as half-width.
    let (_, html) = search(app, &q("ＨＵＰＯ２０３１")).await;
    assert!(results(&html).is_empty());

    // An edit changes the results at once; archiving removes the article.
    let mut edited = input(
        column,
        "园区年度工作综述（修订）",
        "<p>今年企业开办时间缩短，琥珀湾新增一批项目。</p>",
        ArticleStatus::Published,
        (2025, 3, 1),
    );
    let _ = save(app, Some(body_hit), edited.clone()).await;
    let (_, html) = search(app, &q("琥珀湾营商环境")).await;
    assert_eq!(results(&html), vec![format!("/articles/{title_hit}")]);
    edited.status = ArticleStatus::Archived;
    let _ = save(app, Some(body_hit), edited).await;
    let (_, html) = search(app, &q("企业开办")).await;
    assert!(!results(&html).contains(&format!("/articles/{body_hit}")));

    // The back office's text filter is the same search, over every status.
    app.create_staff("finder", Role::Editor).await;
    let staff = app.sign_in("finder").await;
    let res = staff
        .client
        .get(app.url(&format!("/admin/articles?{}", q("琥珀湾营商环境"))))
        .send()
        .await
        .unwrap();
    let admin = res.text().await.unwrap();
    assert!(admin.contains("琥珀湾营商环境草稿"), "{admin}");
    assert!(admin.contains("琥珀湾营商环境预告"));
    assert!(admin.contains("琥珀湾营商环境再提升"));
    assert!(!admin.contains("园区年度工作综述"));

    // A rebuilt index answers the same.
    service::search::rebuild(&app.db, |_, _| {}).await.unwrap();
    let (_, again) = search(app, &q("琥珀湾营商环境")).await;
    assert_eq!(results(&again), vec![format!("/articles/{title_hit}")]);
}
on_both_backends!(finds_ranks_marks_and_hides);

async fn mixed_words_notices_pages_and_filters(app: &TestApp) {
    let column = some_column(app).await;
    let cats = service::column::all(&app.db, 1).await.unwrap();
    let other = cats
        .iter()
        .find(|c| {
            c.kind == entity::column::ColumnKind::List && c.id != column && c.parent_id.is_some()
        })
        .unwrap()
        .id;
    let here = save(
        app,
        None,
        input(
            column,
            "玳瑁岭5G园区投用",
            "<p>玳瑁岭园区计划2031年全面建成。</p>",
            ArticleStatus::Published,
            (2025, 5, 20),
        ),
    )
    .await;
    let there = save(
        app,
        None,
        input(
            other,
            "玳瑁岭招商推介",
            "<p>玳瑁岭推介会在2032年举行。</p>",
            ArticleStatus::Published,
            (2023, 6, 1),
        ),
    )
    .await;
    let notice = service::notice::save_notice(
        &app.db,
        &Actor::system("test"),
        None,
        service::notice::NoticeInput {
            title: "关于玳瑁岭座谈会的通知".into(),
            body: "<p>请各单位报名。</p>".into(),
            published_at: at(2025, 4, 1),
            is_published: true,
        },
    )
    .await
    .unwrap();

    let (_, html) = search(app, &q("2031年")).await;
    assert_eq!(results(&html), vec![format!("/articles/{here}")], "{html}");
    let (_, html) = search(app, &q("5G 玳瑁岭")).await;
    assert_eq!(results(&html), vec![format!("/articles/{here}")]);
    assert!(html.contains("<mark>玳瑁岭5G</mark>园区投用"), "{html}");
    // Notices are found and labelled.
    let (_, html) = search(app, &q("玳瑁岭")).await;
    let found = results(&html);
    assert_eq!(found.len(), 3, "{html}");
    assert!(found.contains(&format!("/notices/{}", notice.id)));
    assert!(html.contains("通知公告"));
    // A single page is found and labelled.
    let (_, html) = search(app, &q("协会简介")).await;
    assert!(html.contains("单页"), "{html}");

    // Narrowed to a column, and to dates.
    let slug = &cats.iter().find(|c| c.id == other).unwrap().slug;
    let (_, html) = search(app, &format!("{}&column={slug}", q("玳瑁岭"))).await;
    assert_eq!(results(&html), vec![format!("/articles/{there}")]);
    let (_, html) = search(
        app,
        &format!("{}&from=2025-01-01&to=2025-04-30", q("玳瑁岭")),
    )
    .await;
    assert_eq!(results(&html), vec![format!("/notices/{}", notice.id)]);
    let (_, html) = search(app, &format!("{}&column=notices", q("玳瑁岭"))).await;
    assert_eq!(results(&html), vec![format!("/notices/{}", notice.id)]);
    // Filters that cannot be read are said to be left out.
    let (status, html) = search(app, &format!("{}&from=yesterday&column=nope", q("玳瑁岭"))).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("无法识别") && html.contains("所选栏目不存在"),
        "{html}"
    );
    assert_eq!(results(&html).len(), 3);

    // Nothing for all words: the results for fewer words are offered.
    let (_, html) = search(app, &q("玳瑁岭 不存在的词语")).await;
    assert!(results(&html).is_empty());
    assert!(html.contains("没有找到同时包含"), "{html}");
    assert!(
        html.contains("search-fewer") && html.contains(">玳瑁岭</a>"),
        "{html}"
    );
}
on_both_backends!(mixed_words_notices_pages_and_filters);

async fn pages_and_odd_queries(app: &TestApp) {
    let column = some_column(app).await;
    for n in 0..23 {
        let _ = save(
            app,
            None,
            input(
                column,
                &format!("砗磲滩动态第{n}期"),
                "<p>内容。</p>",
                ArticleStatus::Published,
                (2024, 2, 1 + n % 27),
            ),
        )
        .await;
    }
    let (_, first) = search(app, &q("砗磲滩")).await;
    assert_eq!(results(&first).len(), 20);
    assert!(first.contains("找到 23 条结果"));
    assert!(first.contains("page=2"), "a link to page 2");
    let (status, second) = search(app, &format!("{}&page=2", q("砗磲滩"))).await;
    assert_eq!(status, 200);
    assert_eq!(results(&second).len(), 3);
    let mut all = results(&first);
    all.extend(results(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 23, "no result twice, none left out");
    for bad in ["page=3", "page=0", "page=x"] {
        let (status, _) = search(app, &format!("{}&{bad}", q("砗磲滩"))).await;
        assert_eq!(status, 404, "{bad}");
    }

    // An empty query shows the form.
    let (status, html) = search(app, "q=").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"q\"") && html.contains("请输入要查找的词语"));
    let (status, _) = app.get_text("/search").await;
    assert_eq!(status, 200);
    // HTML in the query is text.
    let (status, html) = search(app, &q("<script>alert(1)</script>")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // A very long query is cut and answered at once.
    let long = "5g 园区 ".repeat(1700);
    assert!(long.chars().count() >= 10_000);
    let started = Instant::now();
    let (status, html) = search(app, &q(&long)).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(html.contains("只使用了前 64 个字"));
    // Punctuation only: no words, the form again.
    let (status, html) = search(app, &q("，。！？%_\"'")).await;
    assert_eq!(status, 200);
    assert!(html.contains("请输入要查找的词语"));
    // Results are never kept in the page cache.
    let res = app.get(&format!("/search?{}", q("砗磲滩"))).await;
    assert!(res.headers().get("etag").is_none(), "not a cached page");
    // Every page has the search box.
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("action=\"/search\""));
}
on_both_backends!(pages_and_odd_queries);
