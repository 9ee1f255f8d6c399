//! Moving a PbootCMS or EmpireCMS site in: `tests/fixtures/import/{pbootcms,empirecms}.sql`
//! were written by MariaDB's own mysqldump from the systems' tables (their install SQL's
//! columns and types) holding a small site (`make-fixtures.sh`); EmpireCMS's in GBK. Each
//! has nested columns, a notices column, an external-link column, a headline article with
//! a cover, links between articles, a missing picture, a path that tries to leave
//! `--media`, an unpublished article and an external link.

use std::path::{Path, PathBuf};

use entity::{article, column, notice};
use sea_orm::EntityTrait;
use service::import::{self, Options, System, sqldump::Charset};

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::uploads::jpeg;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// A copy of the old upload folder: `files` (path, is a picture) under `dir/uploads`.
fn old_uploads(dir: &Path, files: &[(&str, bool)]) -> PathBuf {
    let root = dir.join("uploads");
    for (path, picture) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        if *picture {
            std::fs::write(file, jpeg(640, 360)).unwrap();
        } else {
            std::fs::write(file, b"%PDF-1.4\n%test\n").unwrap();
        }
    }
    root
}

fn options(system: System, source: &Path, media: &Path, dry_run: bool) -> Options {
    Options {
        system,
        source: source.to_owned(),
        media: Some(media.to_owned()),
        dry_run,
        charset: Charset::Auto,
        time_zone: chrono_tz::Asia::Shanghai,
        old_hosts: Vec::new(),
    }
}

async fn imported(app: &TestApp, system: System, kind: &str, id: &str) -> i32 {
    entity::import_record::Entity::find_by_id((
        1,
        system.code().to_owned(),
        kind.to_owned(),
        id.to_owned(),
    ))
    .one(&app.db)
    .await
    .unwrap()
    .unwrap_or_else(|| panic!("{kind} {id} was imported"))
    .target_id
}

/// What one fixture holds and where its old site put things.
struct Site {
    system: System,
    file: &'static str,
    uploads: &'static [(&'static str, bool)],
    /// Old ids: the parent column, its child, the notices column.
    news: &'static str,
    xiehui: &'static str,
    /// Old ids: the headline article, the second article, the notice, the unpublished one.
    lead: &'static str,
    second: &'static str,
    notice: &'static str,
    draft: &'static str,
    /// Old addresses: of the lead, the second article, the notice, the child column.
    lead_urls: &'static [&'static str],
    second_urls: &'static [&'static str],
    notice_urls: &'static [&'static str],
    xiehui_urls: &'static [&'static str],
    single_page: Option<(&'static str, &'static str)>,
    /// The report names these.
    reasons: &'static [&'static str],
}

async fn a_site_moves_in(app: &TestApp, site: Site) {
    let dir = tempfile::tempdir().unwrap();
    let media = old_uploads(dir.path(), site.uploads);
    let source = fixture(site.file);
    let o = |dry| options(site.system, &source, &media, dry);

    let before = article::Entity::find().all(&app.db).await.unwrap().len();
    let dry = app.import(o(true)).await;
    assert_eq!(dry.counts["文章"].added, 3, "{}", dry.render());
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before
    );

    let report = app.import(o(false)).await;
    let text = report.render();
    assert_eq!(report.counts["文章"].added, 3, "{text}");
    assert_eq!(report.counts["通知公告"].added, 1, "{text}");
    assert_eq!(report.counts["图片"].added, 1, "{text}");
    assert_eq!(report.counts["附件"].added, 1, "{text}");
    for why in ["外部链接栏目", "外部链接", "找不到这个文件", "越出 --media"]
        .iter()
        .chain(site.reasons)
    {
        assert!(text.contains(why), "the report says {why}: {text}");
    }

    let col = |id| imported(app, site.system, "column", id);
    let news = column::Entity::find_by_id(col(site.news).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let xiehui = column::Entity::find_by_id(col(site.xiehui).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (news.name.as_str(), xiehui.name.as_str()),
        ("新闻中心", "协会动态")
    );
    assert_eq!(xiehui.parent_id, Some(news.id));

    let art = |id| imported(app, site.system, "article", id);
    let lead = article::Entity::find_by_id(art(site.lead).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let second = article::Entity::find_by_id(art(site.second).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lead.title, "园区建设迎来新进展");
    assert_eq!(lead.column_id, xiehui.id);
    assert!(lead.is_headline && lead.is_recommended, "flags");
    assert_eq!(
        (lead.hits, lead.source.as_str(), lead.author.as_str()),
        (547, "昌吉日报", "王编辑")
    );
    assert_eq!(lead.published_at.unwrap().timestamp(), 1_609_211_160);
    assert!(lead.cover_image_id.is_some());
    assert!(lead.body.contains("/media/"), "{}", lead.body);
    assert!(!lead.body.contains("empirenews"), "{}", lead.body);
    // Links between old articles point at the new pages, whichever was written first.
    assert!(
        lead.body.contains(&format!("/articles/{}", second.id)),
        "{}",
        lead.body
    );
    assert!(
        second.body.contains(&format!("/articles/{}", lead.id)),
        "{}",
        second.body
    );
    assert!(second.body.contains("<p>走访会员单位"), "{}", second.body);
    let draft = article::Entity::find_by_id(art(site.draft).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, article::ArticleStatus::Draft);
    let n = notice::Entity::find_by_id(imported(app, site.system, "notice", site.notice).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.title, "关于召开年会的通知");
    assert!(n.body.contains("/media/files/"), "{}", n.body);

    // Every old address answers 301 to a page that shows the right title.
    let lead_path = format!("/articles/{}", lead.id);
    let second_path = format!("/articles/{}", second.id);
    let notice_path = format!("/notices/{}", n.id);
    let xiehui_path = format!("/columns/{}", xiehui.slug);
    let mut cases: Vec<(&str, &str, &str)> = Vec::new();
    cases.extend(
        site.lead_urls
            .iter()
            .map(|u| (*u, lead_path.as_str(), "园区建设迎来新进展")),
    );
    cases.extend(
        site.second_urls
            .iter()
            .map(|u| (*u, second_path.as_str(), "开发区协会走访会员单位")),
    );
    cases.extend(
        site.notice_urls
            .iter()
            .map(|u| (*u, notice_path.as_str(), "关于召开年会的通知")),
    );
    cases.extend(
        site.xiehui_urls
            .iter()
            .map(|u| (*u, xiehui_path.as_str(), "协会动态")),
    );
    for (old, to, title) in cases {
        let (status, location) = app.location(old).await;
        assert_eq!((status, location.as_str()), (301, to), "{old}");
        let (status, html) = app.get_text(&location).await;
        assert_eq!(status, 200, "{old} -> {location}");
        assert!(html.contains(title), "{old} -> {location} shows {title}");
    }
    if let Some((old, title)) = site.single_page {
        let (status, location) = app.location(old).await;
        assert_eq!(status, 301, "{old}");
        let (status, html) = app.get_text(&location).await;
        assert_eq!(status, 200, "{old} -> {location}");
        assert!(html.contains(title), "{old} -> {location} shows {title}");
        assert!(html.contains("全国性行业组织"), "the single page's text");
    }

    // A second run changes nothing.
    let again = app.import(o(false)).await;
    for (kind, c) in &again.counts {
        assert_eq!((c.added, c.updated), (0, 0), "{kind}: {}", again.render());
    }
    assert_eq!(again.redirects, 0);

    // A dump cut short (in its last INSERT) is refused, naming its line, and writes nothing.
    let whole = std::fs::read(&source).unwrap();
    let last = whole
        .windows(11)
        .rposition(|w| w == b"INSERT INTO")
        .unwrap();
    let cut = dir.path().join("cut.sql");
    std::fs::write(&cut, &whole[..last + 60]).unwrap();
    let count = article::Entity::find().all(&app.db).await.unwrap().len();
    let err = import::run(
        &app.db,
        &app.state.files.media,
        options(site.system, &cut, &media, false),
        &mut |_| {},
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("第 "), "{err}");
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        count
    );
}

async fn a_pbootcms_site_moves_in(app: &TestApp) {
    a_site_moves_in(
        app,
        Site {
            system: System::PbootCms,
            file: "pbootcms.sql",
            uploads: &[
                ("image/20201229/1609211160.jpg", true),
                ("file/20201229/huiyi.pdf", false),
            ],
            news: "2",
            xiehui: "3",
            lead: "2",
            second: "3",
            notice: "4",
            draft: "5",
            lead_urls: &[
                "/?xiehui/2.html",
                "/xiehui/2.html",
                "/index.php/xiehui/2.html",
            ],
            second_urls: &["/?xiehui/zoufang.html"],
            notice_urls: &["/?list_4/4.html"],
            xiehui_urls: &["/?xiehui/", "/xiehui/"],
            single_page: Some(("/?aboutus/", "协会简介")),
            reasons: &["所属栏目 9 不存在"],
        },
    )
    .await;
}
on_both_backends!(a_pbootcms_site_moves_in);

async fn an_empirecms_site_moves_in(app: &TestApp) {
    a_site_moves_in(
        app,
        Site {
            system: System::EmpireCms,
            file: "empirecms.sql",
            uploads: &[
                ("news/xiehui/2020-12-29/a1b2c3.jpg", true),
                ("tongzhi/2020-12-29/huiyi.pdf", false),
            ],
            news: "1",
            xiehui: "2",
            lead: "1",
            second: "2",
            notice: "3",
            draft: "5",
            lead_urls: &[
                "/news/xiehui/2020-12-29/1.html",
                "/e/action/ShowInfo.php?classid=2&id=1",
            ],
            second_urls: &["/news/xiehui/2020-12-30/zoufang.html"],
            notice_urls: &["/tongzhi/2020-12-29/3.html"],
            xiehui_urls: &[
                "/news/xiehui/",
                "/news/xiehui/index.html",
                "/e/action/ListInfo/?classid=2",
            ],
            single_page: None,
            reasons: &[],
        },
    )
    .await;
}
on_both_backends!(an_empirecms_site_moves_in);
