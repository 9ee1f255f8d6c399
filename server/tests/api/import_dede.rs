//! Moving a DedeCMS site in: a dump laid out as `mysqldump` writes DedeCMS 5.7's tables
//! (their columns as its install SQL creates them), in UTF-8 and in GBK, with nested
//! columns, a notices column, a single page, an unreviewed and a deleted article, a missing
//! picture, a picture path that tries to leave `--media`, and links between articles.

use std::path::Path;

use entity::{article, column, notice, page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use service::import::{self, Options, System, sqldump::Charset};

use crate::editing::jpeg;
use crate::helpers::TestApp;
use crate::on_both_backends;

const ARCTYPE: &str = "CREATE TABLE `dede_arctype` (\n  `id` smallint(5) unsigned NOT NULL AUTO_INCREMENT,\n  `reid` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `topid` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `sortrank` smallint(5) unsigned NOT NULL DEFAULT '50',\n  `typename` char(30) NOT NULL DEFAULT '',\n  `typedir` char(60) NOT NULL DEFAULT '',\n  `isdefault` smallint(6) NOT NULL DEFAULT '0',\n  `defaultname` char(15) NOT NULL DEFAULT 'index.html',\n  `issend` smallint(6) NOT NULL DEFAULT '0',\n  `channeltype` smallint(6) DEFAULT '1',\n  `maxpage` smallint(6) NOT NULL DEFAULT '-1',\n  `ispart` smallint(6) NOT NULL DEFAULT '0',\n  `corank` smallint(6) NOT NULL DEFAULT '0',\n  `tempindex` char(50) NOT NULL DEFAULT '',\n  `templist` char(50) NOT NULL DEFAULT '',\n  `temparticle` char(50) NOT NULL DEFAULT '',\n  `namerule` char(50) NOT NULL DEFAULT '',\n  `namerule2` char(50) NOT NULL DEFAULT '',\n  `modname` char(20) NOT NULL DEFAULT '',\n  `description` char(150) NOT NULL DEFAULT '',\n  `keywords` varchar(60) NOT NULL DEFAULT '',\n  `seotitle` varchar(80) NOT NULL DEFAULT '',\n  `moresite` tinyint(1) unsigned NOT NULL DEFAULT '0',\n  `sitepath` char(60) NOT NULL DEFAULT '',\n  `siteurl` char(50) NOT NULL DEFAULT '',\n  `ishidden` smallint(6) NOT NULL DEFAULT '0',\n  `cross` tinyint(1) NOT NULL DEFAULT '0',\n  `crossid` text,\n  `content` text,\n  `smalltypes` text,\n  PRIMARY KEY (`id`),\n  KEY `reid` (`reid`,`isdefault`,`channeltype`,`ispart`,`corank`,`topid`,`ishidden`),\n  KEY `sortrank` (`sortrank`)\n) ENGINE=MyISAM AUTO_INCREMENT=9 DEFAULT CHARSET=CHARSET;\n";

const ARCHIVES: &str = "CREATE TABLE `dede_archives` (\n  `id` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `typeid` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `typeid2` varchar(90) NOT NULL DEFAULT '0',\n  `sortrank` int(10) unsigned NOT NULL DEFAULT '0',\n  `flag` set('c','h','p','f','s','j','a','b') DEFAULT NULL,\n  `ismake` smallint(6) NOT NULL DEFAULT '0',\n  `channel` smallint(6) NOT NULL DEFAULT '1',\n  `arcrank` smallint(6) NOT NULL DEFAULT '0',\n  `click` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `money` smallint(6) NOT NULL DEFAULT '0',\n  `title` char(60) NOT NULL DEFAULT '',\n  `shorttitle` char(36) NOT NULL DEFAULT '',\n  `color` char(7) NOT NULL DEFAULT '',\n  `writer` char(20) NOT NULL DEFAULT '',\n  `source` char(30) NOT NULL DEFAULT '',\n  `litpic` char(100) NOT NULL DEFAULT '',\n  `pubdate` int(10) unsigned NOT NULL DEFAULT '0',\n  `senddate` int(10) unsigned NOT NULL DEFAULT '0',\n  `mid` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `keywords` char(30) NOT NULL DEFAULT '',\n  `lastpost` int(10) unsigned NOT NULL DEFAULT '0',\n  `scores` mediumint(8) NOT NULL DEFAULT '0',\n  `goodpost` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `badpost` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `voteid` mediumint(8) NOT NULL,\n  `notpost` tinyint(1) unsigned NOT NULL DEFAULT '0',\n  `description` varchar(255) NOT NULL DEFAULT '',\n  `filename` varchar(40) NOT NULL DEFAULT '',\n  `dutyadmin` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `tackid` int(10) NOT NULL DEFAULT '0',\n  `mtype` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `weight` int(10) NOT NULL DEFAULT '0',\n  PRIMARY KEY (`id`),\n  KEY `sortrank` (`sortrank`),\n  KEY `mainindex` (`arcrank`,`typeid`,`channel`,`flag`,`mid`),\n  KEY `lastpost` (`lastpost`,`scores`,`goodpost`,`badpost`,`notpost`)\n) ENGINE=MyISAM DEFAULT CHARSET=CHARSET;\n";

const ADDON: &str = "CREATE TABLE `dede_addonarticle` (\n  `aid` mediumint(8) unsigned NOT NULL DEFAULT '0',\n  `typeid` smallint(5) unsigned NOT NULL DEFAULT '0',\n  `body` mediumtext,\n  `redirecturl` varchar(255) NOT NULL DEFAULT '',\n  `templet` varchar(30) NOT NULL DEFAULT '',\n  `userip` char(15) NOT NULL DEFAULT '',\n  PRIMARY KEY (`aid`),\n  KEY `typeid` (`typeid`)\n) ENGINE=MyISAM DEFAULT CHARSET=CHARSET;\n";

const SGPAGE: &str = "CREATE TABLE `dede_sgpage` (\n  `aid` smallint(5) unsigned NOT NULL AUTO_INCREMENT,\n  `title` varchar(60) NOT NULL DEFAULT '',\n  `ismake` smallint(6) NOT NULL DEFAULT '1',\n  `filename` varchar(60) NOT NULL DEFAULT '',\n  `keywords` varchar(30) NOT NULL DEFAULT '',\n  `template` varchar(30) NOT NULL DEFAULT '',\n  `likeid` varchar(20) NOT NULL DEFAULT '',\n  `description` varchar(250) NOT NULL DEFAULT '',\n  `uptime` int(10) unsigned NOT NULL DEFAULT '0',\n  `body` mediumtext,\n  PRIMARY KEY (`aid`),\n  KEY `ismake` (`ismake`,`uptime`),\n  KEY `likeid` (`likeid`)\n) ENGINE=MyISAM DEFAULT CHARSET=CHARSET;\n";

const SYSCONFIG: &str = "CREATE TABLE `dede_sysconfig` (\n  `aid` smallint(8) unsigned NOT NULL DEFAULT '0',\n  `varname` varchar(20) NOT NULL DEFAULT '',\n  `info` varchar(100) NOT NULL DEFAULT '',\n  `groupid` smallint(6) NOT NULL DEFAULT '1',\n  `type` varchar(10) NOT NULL DEFAULT 'string',\n  `value` text,\n  PRIMARY KEY (`varname`)\n) ENGINE=MyISAM DEFAULT CHARSET=CHARSET;\n";

/// 2020-12-29 11:06 in Beijing.
const PUBDATE: i64 = 1_609_211_160;

/// The dump, in mysqldump's order (tables by name) and form, text as `charset` says.
pub fn dede_dump(gbk: bool) -> Vec<u8> {
    let cs = if gbk { "gbk" } else { "utf8mb4" };
    let arctype = "(1,0,0,1,'新闻中心','{cmspath}/a/news',0,'index.html',1,1,-1,1,0,'','','','{typedir}/{Y}/{M}{D}/{aid}.html','{typedir}/list_{tid}_{page}.html','','资讯','','',0,'','',0,0,'','',''),\
(2,1,1,2,'协会动态','{cmspath}/a/news/xiehui',0,'index.html',1,1,-1,0,0,'','','','{typedir}/{Y}/{M}{D}/{aid}.html','{typedir}/list_{tid}_{page}.html','','','','',0,'','',0,0,'','',''),\
(3,0,0,3,'通知公告','{cmspath}/a/tongzhi',0,'index.html',1,1,-1,0,0,'','','','{typedir}/{Y}/{M}{D}/{aid}.html','{typedir}/list_{tid}_{page}.html','','','','',0,'','',0,0,'','',''),\
(4,0,0,4,'关于我们','{cmspath}/a/about',1,'index.html',1,1,-1,1,0,'','','','','','','','','',0,'','',0,0,'','<p>中国开发区协会是全国性行业组织。</p>',''),\
(5,0,0,5,'友情站点','http://links.example.org',1,'index.html',1,1,-1,2,0,'','','','','','','','','',0,'','',0,0,'','','')";
    let archives = format!(
        "(101,2,'0',{PUBDATE},'h,c,p',1,1,0,547,0,'园区建设迎来新进展','新进展','','王编辑','昌吉日报','/uploads/allimg/201229/1-201229110G0.jpg',{PUBDATE},{PUBDATE},1,'园区,建设',0,0,0,0,0,0,'园区建设的最新情况。','',1,0,0,0),\
(102,2,'0',{PUBDATE},'',0,1,-1,0,0,'待审的稿件','','','','','',{PUBDATE},{PUBDATE},1,'',0,0,0,0,0,0,'','',1,0,0,0),\
(103,2,'0',{PUBDATE},'',1,1,-2,9,0,'已删除的稿件','','','','','',{PUBDATE},{PUBDATE},1,'',0,0,0,0,0,0,'','',1,0,0,0),\
(104,3,'0',{},'',1,1,0,12,0,'关于召开年会的通知','','','','','',{},{},1,'',0,0,0,0,0,0,'','',1,0,0,0),\
(105,2,'0',{},'f',1,1,0,3,0,'开发区协会走访会员单位','','','李记者','本站','',{},{},1,'',0,0,0,0,0,0,'','',1,0,0,0),\
(106,2,'0',{PUBDATE},'p',1,2,0,0,0,'一组图片','','','','','',{PUBDATE},{PUBDATE},1,'',0,0,0,0,0,0,'','',1,0,0,0)",
        PUBDATE + 60,
        PUBDATE + 60,
        PUBDATE + 60,
        PUBDATE + 86_400,
        PUBDATE + 86_400,
        PUBDATE + 86_400
    );
    let addon = "(101,2,'<p>园区建设取得新进展。</p><p><img src=\"/uploads/allimg/201229/1-201229110G0.jpg\" alt=\"现场\"></p><p>下一篇：<a href=\"http://www.cadz-old.example/a/news/xiehui/2020/1230/105.html\">走访</a></p>','','','127.0.0.1'),\
(102,2,'<p>尚未审核。</p>','','',''),\
(103,2,'<p>已删除。</p>','','',''),\
(104,3,'<p>定于明年召开年会，附件：<a href=\"/uploads/soft/201229/huiyi.pdf\">会议通知</a></p>','','',''),\
(105,2,'<p>走访会员单位。见<a href=\"/plus/view.php?aid=101\">前文</a>。</p><p><img src=\"/uploads/allimg/201230/missing.jpg\"><img src=\"/uploads/../../etc/passwd\"></p><script>alert(1)</script>','','','')";
    let sgpage = "(1,'联系我们',1,'{cmspath}/a/lianxi.html','','','','联系方式',1609211160,'<p>地址：北京市。</p>')";
    let sysconfig = "(1,'cfg_basehost','站点根网址',1,'string','http://www.cadz-old.example'),(2,'cfg_cmspath','DedeCMS安装目录',2,'string','')";
    let mut text = format!(
        "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: localhost    Database: dedecms\n-- ------------------------------------------------------\n\n/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40101 SET NAMES {cs} */;\n/*!40103 SET TIME_ZONE='+00:00' */;\n"
    );
    for (create, name, rows) in [
        (ADDON, "dede_addonarticle", addon.to_owned()),
        (ARCHIVES, "dede_archives", archives),
        (ARCTYPE, "dede_arctype", arctype.to_owned()),
        (SGPAGE, "dede_sgpage", sgpage.to_owned()),
        (SYSCONFIG, "dede_sysconfig", sysconfig.to_owned()),
    ] {
        text.push_str(&format!(
            "\n--\n-- Table structure for table `{name}`\n--\n\nDROP TABLE IF EXISTS `{name}`;\n/*!40101 SET @saved_cs_client     = @@character_set_client */;\n/*!40101 SET character_set_client = utf8 */;\n{}/*!40101 SET character_set_client = @saved_cs_client */;\n\n--\n-- Dumping data for table `{name}`\n--\n\nLOCK TABLES `{name}` WRITE;\n/*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\nINSERT INTO `{name}` VALUES {rows};\n/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n",
            create.replace("CHARSET;", &format!("{cs};"))
        ));
    }
    text.push_str("\n-- Dump completed on 2026-12-06 10:00:00\n");
    if gbk {
        let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
        assert!(!bad);
        bytes.into_owned()
    } else {
        text.into_bytes()
    }
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

async fn run(app: &TestApp, o: Options) -> import::Report {
    import::run(&app.db, &app.state.files.media, o, &mut |_| {})
        .await
        .unwrap()
}

/// The column old column `id` became.
async fn imported_column(app: &TestApp, id: &str) -> column::Model {
    let r = entity::import_record::Entity::find_by_id((
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

async fn location(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let loc = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), loc)
}

async fn a_dedecms_site_moves_in(app: &TestApp, gbk: bool) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("dede.sql");
    std::fs::write(&source, dede_dump(gbk)).unwrap();
    let media = old_uploads(dir.path());

    // A dry run writes nothing and says what would happen.
    let before = article::Entity::find().all(&app.db).await.unwrap().len();
    let dry = run(app, options(&source, &media, true)).await;
    assert_eq!(dry.counts["文章"].added, 3, "{}", dry.render());
    assert_eq!(
        article::Entity::find().all(&app.db).await.unwrap().len(),
        before
    );

    let report = run(app, options(&source, &media, false)).await;
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
        let (status, location) = location(app, old).await;
        assert_eq!(status, 301, "{old}");
        if !to.is_empty() {
            assert_eq!(location, to, "{old}");
        }
        let (status, html) = app.get_text(&location).await;
        assert_eq!(status, 200, "{old} -> {location}");
        assert!(html.contains(title), "{old} -> {location} shows {title}");
    }
    // The draft's old dynamic address leads to no public page.
    let (status, location) = location(app, "/plus/view.php?aid=102").await;
    assert_eq!(status, 301);
    assert_eq!(app.get(&location).await.status(), 404);

    // A second run changes nothing.
    let again = run(app, options(&source, &media, false)).await;
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
