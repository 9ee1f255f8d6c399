//! Moving a DedeCMS site in: dumps MariaDB's own mysqldump wrote of DedeCMS 5.7's tables
//! (their columns as its install SQL creates them), in UTF-8 and in GBK, with nested
//! columns, a notices column, a single page, an unreviewed and a deleted article, a missing
//! picture, a picture path that tries to leave `--media`, and links between articles.

use std::path::Path;

use entity::{article, column, notice, page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use service::import::{self, Options, System, sqldump::Charset};

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::uploads::jpeg;

/// 2020-12-29 11:06 in Beijing.
const PUBDATE: i64 = 1_609_211_160;

/// The dump MariaDB's mysqldump wrote of the site (`tests/fixtures/import/make-fixtures.sh`
/// from `dedecms-tables.sql` and `dedecms-rows.sql`), its tables in UTF-8 or in GBK.
pub fn dede_dump(gbk: bool) -> Vec<u8> {
    let name = if gbk {
        "dedecms-gbk.sql"
    } else {
        "dedecms-utf8mb4.sql"
    };
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(name),
    )
    .unwrap()
}

/// The old upload folder: one picture and one attachment (the other picture is missing).
pub fn old_uploads(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("uploads");
    std::fs::create_dir_all(root.join("allimg/201229")).unwrap();
    std::fs::create_dir_all(root.join("soft/201229")).unwrap();
    std::fs::write(root.join("allimg/201229/1-201229110G0.jpg"), jpeg(640, 360)).unwrap();
    std::fs::write(root.join("soft/201229/huiyi.pdf"), b"%PDF-1.4\n%test\n").unwrap();
    root
}

fn options(source: &Path, media: &Path, dry_run: bool) -> Options {
    Options {
        system: System::DedeCms,
        source: source.to_owned(),
        media: Some(media.to_owned()),
        dry_run,
        charset: Charset::Auto,
        time_zone: chrono_tz::Asia::Shanghai,
        old_hosts: Vec::new(),
    }
}

/// The column old column `id` became.
async fn imported_column(app: &TestApp, id: &str) -> column::Model {
    let r = entity::import_record::Entity::find_by_id((
        1,
        "dedecms".to_owned(),
        "column".to_owned(),
        id.to_owned(),
    ))
    .one(&app.db)
    .await
    .unwrap()
    .unwrap();
    column::Entity::find_by_id(r.target_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn a_dedecms_site_moves_in(app: &TestApp, gbk: bool) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("dede.sql");
    std::fs::write(&source, dede_dump(gbk)).unwrap();
    let media = old_uploads(dir.path());

    // A dry run writes nothing and says what would happen.
    let before = article::Entity::find().all(&app.db).await.unwrap().len();
    let dry = app.import(options(&source, &media, true)).await;
    assert_eq!(dry.counts["文章"].added, 3, "{}", dry.render());
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before
    );

    let report = app.import(options(&source, &media, false)).await;
    let text = report.render();
    assert_eq!(report.counts["文章"].added, 3, "{text}");
    assert_eq!(report.counts["通知公告"].added, 1, "{text}");
    assert_eq!(report.counts["单页"].added, 2, "{text}");
    assert_eq!(report.counts["图片"].added, 1, "{text}");
    assert_eq!(report.counts["附件"].added, 1, "{text}");
    for why in [
        "回收站",
        "不是文章模型",
        "外部链接栏目",
        "找不到这个文件",
        "越出 --media",
    ] {
        assert!(text.contains(why), "the report says {why}: {text}");
    }

    // The tree, kinds and flags.
    let news = imported_column(app, "1").await;
    let xiehui = imported_column(app, "2").await;
    assert_eq!(
        (news.name.as_str(), xiehui.name.as_str()),
        ("新闻中心", "协会动态")
    );
    assert_eq!(xiehui.parent_id, Some(news.id));
    assert!(xiehui.slug.starts_with("xiehui"), "{}", xiehui.slug);
    let about = imported_column(app, "4").await;
    assert_eq!(about.kind, column::ColumnKind::Page);
    let about_page = page::Entity::find()
        .filter(page::Column::ColumnId.eq(about.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(about_page.body.contains("全国性行业组织"));
    let a = article::Entity::find()
        .filter(article::Column::Title.eq("园区建设迎来新进展"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(a.is_headline && a.is_recommended && !a.is_slideshow);
    assert_eq!(
        (a.hits, a.source.as_str(), a.author.as_str()),
        (547, "昌吉日报", "王编辑")
    );
    assert_eq!(a.keywords, "园区,建设");
    let (_, html) = app.get_text(&format!("/articles/{}", a.id)).await;
    assert!(
        html.contains(r#"<meta name="keywords" content="园区,建设">"#),
        "the old 关键词 are the page's keywords"
    );
    assert_eq!(a.published_at.unwrap().timestamp(), PUBDATE);
    assert!(a.cover_image_id.is_some());
    assert!(a.body.contains("/media/"), "{}", a.body);
    let b = article::Entity::find()
        .filter(article::Column::Title.eq("开发区协会走访会员单位"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(b.is_slideshow);
    assert!(!b.body.contains("<script"), "cleaned like a paste");
    // Links between old articles point at the new pages, whichever was written first.
    assert!(
        b.body.contains(&format!("/articles/{}", a.id)),
        "{}",
        b.body
    );
    assert!(
        a.body.contains(&format!("/articles/{}", b.id)),
        "{}",
        a.body
    );
    let draft = article::Entity::find()
        .filter(article::Column::Title.eq("待审的稿件"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, article::ArticleStatus::Draft);
    assert!(
        article::Entity::find()
            .filter(article::Column::Title.eq("已删除的稿件"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let n = notice::Entity::find()
        .filter(notice::Column::Title.eq("关于召开年会的通知"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(n.body.contains("/media/files/"), "{}", n.body);

    // Every old address answers 301 to a page that shows the right title.
    let a_path = format!("/articles/{}", a.id);
    for (old, to, title) in [
        (
            "/a/news/xiehui/2020/1229/101.html",
            a_path.as_str(),
            "园区建设迎来新进展",
        ),
        (
            "/plus/view.php?aid=101",
            a_path.as_str(),
            "园区建设迎来新进展",
        ),
        (
            "/plus/view.php?aid=105",
            &format!("/articles/{}", b.id),
            "开发区协会走访会员单位",
        ),
        (
            "/a/tongzhi/2020/1229/104.html",
            &format!("/notices/{}", n.id),
            "关于召开年会的通知",
        ),
        (
            "/a/news/xiehui/",
            &format!("/columns/{}", xiehui.slug),
            "协会动态",
        ),
        (
            "/a/news/xiehui/list_2_1.html",
            &format!("/columns/{}", xiehui.slug),
            "协会动态",
        ),
        (
            "/plus/list.php?tid=1",
            &format!("/columns/{}", news.slug),
            "新闻中心",
        ),
        (
            "/a/about/index.html",
            &format!("/columns/{}", about.slug),
            "关于我们",
        ),
        ("/a/lianxi.html", "", "联系我们"),
    ] {
        let (status, location) = app.location(old).await;
        assert_eq!(status, 301, "{old}");
        if !to.is_empty() {
            assert_eq!(location, to, "{old}");
        }
        let (status, html) = app.get_text(&location).await;
        assert_eq!(status, 200, "{old} -> {location}");
        assert!(html.contains(title), "{old} -> {location} shows {title}");
    }
    // The draft's old dynamic address leads to no public page.
    let (status, location) = app.location("/plus/view.php?aid=102").await;
    assert_eq!(status, 301);
    assert_eq!(app.get(&location).await.status(), 404);

    // A second run changes nothing.
    let again = app.import(options(&source, &media, false)).await;
    for (kind, c) in &again.counts {
        assert_eq!((c.added, c.updated), (0, 0), "{kind}: {}", again.render());
    }
    assert_eq!(again.redirects, 0);
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before + 3
    );
}

async fn a_utf8_dedecms_site_moves_in(app: &TestApp) {
    a_dedecms_site_moves_in(app, false).await;
}
on_both_backends!(a_utf8_dedecms_site_moves_in);

async fn a_gbk_dedecms_site_moves_in(app: &TestApp) {
    a_dedecms_site_moves_in(app, true).await;
}
on_both_backends!(a_gbk_dedecms_site_moves_in);

async fn bad_dumps_are_refused_with_their_line(app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let media = old_uploads(dir.path());
    let good = String::from_utf8(dede_dump(false)).unwrap();
    let cut = &good[..good.find("(104,").unwrap() + 10];
    let wrong_count = good.replacen("(102,2,'0',", "(102,'0',", 1);
    for (name, text, needle) in [
        ("truncated", cut.to_owned(), "没有结束"),
        ("wrong-count", wrong_count, "个值"),
        (
            "not-a-dump",
            "<?xml version=\"1.0\"?><rss/>".to_owned(),
            "mysqldump",
        ),
        (
            "other-system",
            good.replace("_arctype", "_content_sort")
                .replace("_archives", "_content")
                .replace("_addonarticle", "_model"),
            "没有找到 DedeCMS",
        ),
    ] {
        let path = dir.path().join(format!("{name}.sql"));
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
        if name != "other-system" {
            assert!(err.contains("第 "), "{name} names its line: {err}");
        }
        assert_eq!(
            article::Entity::find().all(&app.db).await.unwrap().len(),
            before,
            "{name}: nothing written"
        );
    }
}
on_both_backends!(bad_dumps_are_refused_with_their_line);
