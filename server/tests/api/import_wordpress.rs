//! Moving a WordPress site in: `tests/fixtures/import/wordpress.xml` was written by
//! WordPress 6.1's own exporter (Debian's package) from content entered through its own
//! functions (`make-fixtures.sh`): nested categories, a notices category, a sticky post
//! with a featured image, tags, a post in the block editor whose text holds `]]>` (split
//! across CDATA sections), a pending and a trashed post, a draft page, a page under
//! another, a missing picture, and links between posts by permalink and by `/?p=`.

use std::path::{Path, PathBuf};

use entity::{article, column, notice, page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use service::import::{self, Options, System, sqldump::Charset};

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::uploads::jpeg;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/wordpress.xml")
}

/// The old site's `wp-content/uploads`, with the one picture it still has.
fn old_uploads(dir: &Path) -> PathBuf {
    let root = dir.join("uploads");
    std::fs::create_dir_all(root.join("2020/12")).unwrap();
    std::fs::write(root.join("2020/12/yuanqu-niaokan.jpg"), jpeg(640, 400)).unwrap();
    root
}

fn options(source: &Path, media: &Path, dry_run: bool) -> Options {
    Options {
        system: System::WordPress,
        source: source.to_owned(),
        media: Some(media.to_owned()),
        dry_run,
        charset: Charset::Auto,
        time_zone: chrono_tz::Asia::Shanghai,
        old_hosts: Vec::new(),
    }
}

async fn imported(app: &TestApp, kind: &str, id: &str) -> i32 {
    entity::import_record::Entity::find_by_id((
        1,
        "wordpress".to_owned(),
        kind.to_owned(),
        id.to_owned(),
    ))
    .one(&app.db)
    .await
    .unwrap()
    .unwrap_or_else(|| panic!("{kind} {id} was imported"))
    .target_id
}

async fn imported_column(app: &TestApp, id: &str) -> column::Model {
    column::Entity::find_by_id(imported(app, "column", id).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn imported_article(app: &TestApp, id: &str) -> article::Model {
    article::Entity::find_by_id(imported(app, "article", id).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn a_wordpress_site_moves_in(app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let media = old_uploads(dir.path());
    let source = fixture();

    let before = article::Entity::find().all(&app.db).await.unwrap().len();
    let dry = app.import(options(&source, &media, true)).await;
    assert_eq!(dry.counts["文章"].added, 4, "{}", dry.render());
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before,
        "a dry run writes nothing"
    );

    let report = app.import(options(&source, &media, false)).await;
    let text = report.render();
    assert_eq!(report.counts["文章"].added, 4, "{text}");
    assert_eq!(report.counts["通知公告"].added, 1, "{text}");
    assert_eq!(report.counts["栏目"].added, 4, "{text}");
    assert_eq!(report.counts["单页"].added, 2, "{text}");
    assert_eq!(report.counts["图片"].added, 1, "{text}");
    for why in [
        "回收站",
        "找不到这个文件",
        "未发布（draft）",
        "“Uncategorized”没有文章",
    ] {
        assert!(text.contains(why), "the report says {why}: {text}");
    }

    // Categories: the tree and the notices.
    let news = imported_column(app, "2").await;
    let xiehui = imported_column(app, "3").await;
    let notices = imported_column(app, "5").await;
    assert_eq!(
        (news.name.as_str(), xiehui.name.as_str()),
        ("新闻中心", "协会动态")
    );
    assert_eq!(xiehui.parent_id, Some(news.id));
    assert_eq!(xiehui.slug, "xiehui");
    assert_eq!(notices.kind, column::ColumnKind::Notices);

    // The sticky post: in its deepest category, with its fields, cover and links.
    let lead = imported_article(app, "6").await;
    let earlier = imported_article(app, "5").await;
    assert_eq!(lead.title, "开发区高质量发展座谈会在京举行");
    assert_eq!(lead.column_id, xiehui.id);
    assert!(lead.is_headline);
    assert_eq!(lead.author, "协会秘书处");
    assert_eq!(lead.summary, "代表们分享了开发区高质量发展的经验。");
    assert!(
        lead.keywords.contains("营商环境") && lead.keywords.contains("招商引资"),
        "tags become keywords: {}",
        lead.keywords
    );
    // 2020-12-29 11:06 in Beijing.
    assert_eq!(lead.published_at.unwrap().timestamp(), 1_609_211_160);
    assert!(lead.cover_image_id.is_some(), "the featured image");
    assert!(lead.body.contains("/media/"), "{}", lead.body);
    assert!(
        lead.body.contains("<p>座谈会"),
        "paragraphs made: {}",
        lead.body
    );
    let to_earlier = format!("/articles/{}", earlier.id);
    assert_eq!(
        lead.body.matches(&to_earlier).count(),
        2,
        "the permalink and the /?p= link both point at the new page: {}",
        lead.body
    );
    assert!(earlier.body.contains("<p>会议指出"), "{}", earlier.body);

    let blocks = imported_article(app, "7").await;
    assert!(blocks.body.contains("<h2>项目概况</h2>"), "{}", blocks.body);
    assert!(!blocks.body.contains("wp:paragraph"), "{}", blocks.body);
    assert!(
        blocks.body.contains("与 ]]&gt; 都应保留"),
        "text split across CDATA sections is whole: {}",
        blocks.body
    );
    let pending = imported_article(app, "9").await;
    assert_eq!(pending.status, article::ArticleStatus::Draft);
    assert!(
        article::Entity::find()
            .filter(article::Column::Title.eq("已删除的旧稿"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let n = notice::Entity::find_by_id(imported(app, "notice", "8").await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.title, "关于报送2021年度统计资料的通知");

    // Pages: 联系我们 under 协会简介.
    let about = imported_column(app, "page-12").await;
    let contact = imported_column(app, "page-13").await;
    assert_eq!(about.kind, column::ColumnKind::Page);
    assert_eq!(contact.parent_id, Some(about.id));
    let about_page = page::Entity::find()
        .filter(page::Column::ColumnId.eq(about.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        about_page
            .body
            .contains("<p>中国开发区协会是全国性行业组织。</p>"),
        "{}",
        about_page.body
    );

    // Every old address answers 301 to a page that shows the right title.
    let lead_path = format!("/articles/{}", lead.id);
    for (old, to, title) in [
        (
            "/2020/12/zuotanhui/",
            lead_path.as_str(),
            lead.title.as_str(),
        ),
        (
            "/2020/12/zuotanhui",
            lead_path.as_str(),
            lead.title.as_str(),
        ),
        ("/?p=6", lead_path.as_str(), lead.title.as_str()),
        ("/?p=5", to_earlier.as_str(), "协会召开2020年度理事会"),
        (
            "/2021/03/tongji-tongzhi/",
            &format!("/notices/{}", n.id),
            "关于报送2021年度统计资料的通知",
        ),
        ("/?cat=3", &format!("/columns/{}", xiehui.slug), "协会动态"),
        (
            "/category/news/xiehui/",
            &format!("/columns/{}", xiehui.slug),
            "协会动态",
        ),
        (
            "/?page_id=12",
            &format!("/columns/{}", about.slug),
            "协会简介",
        ),
        (
            "/about/contact/",
            &format!("/columns/{}", contact.slug),
            "联系我们",
        ),
    ] {
        let (status, location) = app.location(old).await;
        assert_eq!((status, location.as_str()), (301, to), "{old}");
        let (status, html) = app.get_text(&location).await;
        assert_eq!(status, 200, "{old} -> {location}");
        assert!(html.contains(title), "{old} -> {location} shows {title}");
    }

    // A second run changes nothing.
    let again = app.import(options(&source, &media, false)).await;
    for (kind, c) in &again.counts {
        assert_eq!((c.added, c.updated), (0, 0), "{kind}: {}", again.render());
    }
    assert_eq!(again.redirects, 0);
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before + 4
    );
}
on_both_backends!(a_wordpress_site_moves_in);

async fn broken_exports_are_refused_with_their_line(app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let media = old_uploads(dir.path());
    let good = std::fs::read_to_string(fixture()).unwrap();
    let cut = &good[..good.find("<wp:post_id>8</wp:post_id>").unwrap()];
    let mismatched = good.replacen("</wp:post_name>", "</wp:post_nam>", 3);
    let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>某网站</title>\n<item><title>一篇</title></item></channel></rss>\n";
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>&b;</title></channel></rss>\n";
    for (name, text, needle) in [
        ("truncated", cut.to_owned(), "中途结束"),
        ("mismatched", mismatched, "XML 格式错误"),
        ("plain-feed", feed.to_owned(), "不是 WordPress 导出文件"),
        ("entities", laughs.to_owned(), "DOCTYPE"),
        (
            "a-dump",
            "-- MySQL dump\nINSERT INTO x VALUES (1);\n".to_owned(),
            "不是 WordPress 导出文件",
        ),
    ] {
        let path = dir.path().join(format!("{name}.xml"));
        std::fs::write(&path, &text).unwrap();
        let before = article::Entity::find().all(&app.db).await.unwrap().len();
        let err = import::run(
            &app.db,
            &app.state.files.media,
            options(&path, &media, false),
            &mut |_| {},
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(err.contains(needle), "{name}: {err}");
        if matches!(name, "truncated" | "mismatched" | "entities") {
            assert!(err.contains("行"), "{name} names its line: {err}");
        }
        assert_eq!(
            article::Entity::find().all(&app.db).await.unwrap().len(),
            before,
            "{name}: nothing written"
        );
    }
}
on_both_backends!(broken_exports_are_refused_with_their_line);
