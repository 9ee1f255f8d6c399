//! Backup, restore and `move-to`: a SQLite site with local files moved to PostgreSQL and the
//! S3 test server and back, every table's rows and every store's files and bytes equal; a
//! snapshot taken while articles are being saved loads without a torn row; damaged archives
//! and non-empty targets are refused before anything is written.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use entity::user::Role;
use sea_orm::EntityTrait;
use server::config::Settings;
use server::startup::{Application, connect_and_migrate};
use service::audit::Actor;
use service::backup::{file_count, row_counts};
use service::db::Db;
use service::storage::{Location, Stores};

use crate::helpers::{Backend, TestApp, fresh_pg_database, spawn_app, test_s3};
use crate::uploads::{jpeg, upload};

async fn census(db: &Db, stores: &Stores) -> (Vec<(String, u64)>, [u64; 4]) {
    let media = file_count(&stores.media).await.unwrap();
    let private = file_count(&stores.private).await.unwrap();
    (
        row_counts(db).await.unwrap(),
        [media.files, media.bytes, private.files, private.bytes],
    )
}

/// Something in every kind of place: an upload with variants, a private file, a revision.
async fn add_content(app: &TestApp) {
    app.create_staff("mover", Role::Editor).await;
    let staff = app.sign_in("mover").await;
    let (status, img) = upload(app, &staff, "迁移.jpg", jpeg(1100, 700)).await;
    assert_eq!(status, 200, "{img}");
    app.state
        .files
        .private
        .put(
            "submissions/2026/12/abcdefgh12345678.pdf",
            b"%PDF-1.4 test".to_vec(),
        )
        .await
        .unwrap();
    let a = app.some_article().await;
    let mut input = service::editorial::ArticleInput::from_model(&a);
    input.body = format!("{}<p>迁移前的修订。</p>", a.body);
    service::editorial::save(&app.db, &Actor::system("test"), Some(a.id), input)
        .await
        .unwrap();
}

fn s3_location(prefix: &str) -> Location {
    let (endpoint, bucket) = test_s3();
    let url = format!(
        "s3://{bucket}/{prefix}-{}",
        chrono::Utc::now().timestamp_micros()
    );
    Location::parse(&url, Some(&endpoint), "", true).unwrap()
}

fn with_place(settings: &Settings, database: &str, storage: &Location) -> Settings {
    let mut s = settings.clone();
    s.database_url = database.to_owned();
    s.storage = storage.clone();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(feature = "test-postgres", feature = "test-s3")),
    ignore = "needs PostgreSQL and an S3 server: cargo test --features server/test-postgres,server/test-s3"
)]
async fn a_sqlite_site_moves_to_postgres_and_s3_and_back() {
    let s3 = s3_location("move");
    let (pg_url, _pg_name) = fresh_pg_database().await;
    let app = spawn_app(Backend::Sqlite).await;
    add_content(&app).await;
    let work = tempfile::tempdir().unwrap();
    let before = census(&app.db, &app.state.files).await;
    assert!(before.1[0] > 10 && before.1[2] == 1, "{before:?}");

    server::backup::move_to(&app.settings, &pg_url, &s3, Some(work.path()))
        .await
        .unwrap();
    let pg = connect_and_migrate(&pg_url).await.unwrap();
    let s3_stores = Stores::open(&s3).unwrap();
    let moved = census(&pg, &s3_stores).await;
    assert_eq!(
        moved, before,
        "every table and every file, SQLite -> PostgreSQL + S3"
    );
    assert_eq!(
        std::fs::read_dir(work.path()).unwrap().count(),
        0,
        "the intermediate archive is removed"
    );

    // A server on the new place shows the site, pictures included.
    let there = with_place(&app.settings, &pg_url, &s3);
    let server = Application::with_database(there.clone(), pg.clone())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until_stopped());
    let a = app.some_article().await;
    let page = app
        .client
        .get(format!("{base}/articles/{}", a.id))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("迁移前的修订"));
    let img = entity::image::Entity::find().all(&pg).await.unwrap();
    let newest = img.iter().max_by_key(|i| i.id).unwrap();
    let res = app
        .client
        .get(format!("{base}/media/{}", newest.path))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        app.state.files.media.get(&newest.path).await.unwrap()
    );
    // Searching works there (the index was rebuilt).
    let q = service::search::Query {
        text: "迁移前的修订".into(),
        per_page: 10,
        ..Default::default()
    };
    let found = service::search::search(&pg, &q, chrono::Utc::now())
        .await
        .unwrap();
    assert!(found.total >= 1);

    // And back: PostgreSQL + S3 -> a new SQLite file and directories.
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}?mode=rwc", dir.path().join("back.db").display());
    let local =
        Location::parse(&format!("file://{}", dir.path().display()), None, "", false).unwrap();
    server::backup::move_to(&there, &sqlite_url, &local, Some(work.path()))
        .await
        .unwrap();
    let back_db = connect_and_migrate(&sqlite_url).await.unwrap();
    let back = census(&back_db, &Stores::open(&local).unwrap()).await;
    assert_eq!(back, before, "and back to SQLite + a directory");

    // The target of a move must be empty.
    let again = server::backup::move_to(&app.settings, &sqlite_url, &local, Some(work.path()))
        .await
        .unwrap_err();
    let again = format!("{again:#}");
    assert!(again.contains("the target is not empty"), "{again}");
    app.cleanup().await;
}

/// A backup taken while articles are saved is one moment: it restores (a torn copy would
/// hold revisions of articles it does not have, which the restore refuses), and every
/// article saved meanwhile that is in it has its first revision (saved in the same
/// transaction).
async fn backups_are_snapshots_while_the_site_writes(app: &TestApp) {
    let stop = Arc::new(AtomicBool::new(false));
    let saved = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (db, stop, saved) = (app.db.clone(), stop.clone(), saved.clone());
        let like = app.some_article().await;
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut input = service::editorial::ArticleInput::from_model(&like);
                input.title = format!("备份期间写入的文章 {n}");
                service::editorial::save(&db, &Actor::system("writer"), None, input)
                    .await
                    .unwrap();
                n += 1;
                saved.store(n, Ordering::Relaxed);
            }
            n
        })
    };
    // The backup starts once a few are saved (however busy the machine is), while the
    // writer goes on.
    for _ in 0..1500 {
        if saved.load(Ordering::Relaxed) >= 3 || writer.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("site.tar.gz");
    let manifest = service::backup::backup(&app.db, &app.state.files, &file, |_| {})
        .await
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0, "articles were saved during the backup");

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
    let db = connect_and_migrate(&url).await.unwrap();
    let stores = Stores::open(
        &Location::parse(&format!("file://{}", dir.path().display()), None, "", false).unwrap(),
    )
    .unwrap();
    service::backup::restore(&db, &stores, &file, false, |_| {})
        .await
        .unwrap();
    // The audit log arrives with its chain whole (the same installation key).
    let chain = service::audit::chain::verify(&db).await.unwrap();
    assert!(chain.intact(), "{chain:?}");
    assert!(chain.checked > 0);
    let articles = entity::article::Entity::find().all(&db).await.unwrap();
    let revisions = entity::article_revision::Entity::find()
        .all(&db)
        .await
        .unwrap();
    let written_then: Vec<_> = articles
        .iter()
        .filter(|a| a.title.starts_with("备份期间写入的文章"))
        .collect();
    assert!(
        !written_then.is_empty(),
        "some were saved before the snapshot"
    );
    for a in written_then {
        assert!(
            revisions.iter().any(|r| r.article_id == a.id),
            "article {} has its revision",
            a.id
        );
    }
    assert_eq!(manifest.tables, row_counts(&db).await.unwrap());
}
crate::on_both_backends!(backups_are_snapshots_while_the_site_writes);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_archives_and_full_targets_are_refused_before_writing() {
    let app = spawn_app(Backend::Sqlite).await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("site.tar.gz");
    service::backup::backup(&app.db, &app.state.files, &file, |_| {})
        .await
        .unwrap();

    let empty_target = || async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = connect_and_migrate(&url).await.unwrap();
        let stores = Stores::open(
            &Location::parse(&format!("file://{}", dir.path().display()), None, "", false).unwrap(),
        )
        .unwrap();
        (dir, db, stores)
    };

    // One byte changed in the middle, or the end cut off: refused, nothing written.
    let bytes = std::fs::read(&file).unwrap();
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let cut = bytes[..bytes.len() * 3 / 4].to_vec();
    for (what, damaged) in [("flipped", flipped), ("cut", cut)] {
        let bad = work.path().join(format!("{what}.tar.gz"));
        std::fs::write(&bad, damaged).unwrap();
        let (_dir, db, stores) = empty_target().await;
        let err = service::backup::restore(&db, &stores, &bad, false, |_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, service::Error::Invalid(_)), "{what}: {err:?}");
        let rows: u64 = row_counts(&db)
            .await
            .unwrap()
            .iter()
            // Made by the migrations: the settings' row, the audit chain's head and the main
            // site.
            .filter(|t| t.0 != "site_settings" && t.0 != "audit_head" && t.0 != "sites")
            .map(|t| t.1)
            .sum();
        assert_eq!(rows, 0, "{what}: nothing written");
        assert_eq!(file_count(&stores.media).await.unwrap().files, 0, "{what}");
    }

    // A site with content is not overwritten unless told so.
    let err = service::backup::restore(&app.db, &app.state.files, &file, false, |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, service::Error::Invalid(m) if m.contains("not empty") && m.contains("--force")),
        "{err:?}"
    );
    // With --force the rows are replaced by the archive's (the same site: same counts).
    let before = row_counts(&app.db).await.unwrap();
    service::backup::restore(&app.db, &app.state.files, &file, true, |_| {})
        .await
        .unwrap();
    assert_eq!(row_counts(&app.db).await.unwrap(), before);
    assert_eq!(app.get("/").await.status(), 200);
    app.cleanup().await;
}
