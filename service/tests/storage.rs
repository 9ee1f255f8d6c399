#![allow(clippy::unwrap_used)] // tests fail loudly by design
//! The file stores, the same checks on a local directory and on a real S3 server (SeaweedFS,
//! started by scripts/test.sh). The S3 tests are ignored, with the reason, in a build without
//! the `test-s3` feature; with it, a missing S3 server fails them.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use service::audit::Actor;
use service::storage::{GetRange, Location, Store, Stores};
use service::{Error, media};

/// The test S3 server's location under a fresh prefix.
fn s3_location(name: &str) -> Location {
    let endpoint = std::env::var("PORTICO_TEST_S3_ENDPOINT").unwrap_or_default();
    assert!(
        !endpoint.is_empty() && std::env::var("AWS_ACCESS_KEY_ID").is_ok(),
        "no S3 server: scripts/test.sh starts SeaweedFS and sets PORTICO_TEST_S3_ENDPOINT and \
         AWS_ACCESS_KEY_ID (or build without the test-s3 feature)"
    );
    let bucket =
        std::env::var("PORTICO_TEST_S3_BUCKET").unwrap_or_else(|_| "portico-test".to_owned());
    let prefix = format!(
        "service-{}-{name}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    Location::parse(
        &format!("s3://{bucket}/{prefix}"),
        Some(&endpoint),
        "",
        true,
    )
    .unwrap()
}

/// Stores of one kind, named for the messages, and a directory (for the store when local,
/// and the database) that lives as long as the returned guard.
type Under = ((&'static str, Stores), tempfile::TempDir);

fn on_a_directory() -> Under {
    let dir = tempfile::tempdir().unwrap();
    let local =
        Location::parse(&format!("file://{}", dir.path().display()), None, "", false).unwrap();
    (("local", Stores::open(&local).unwrap()), dir)
}

fn on_s3(name: &str) -> Under {
    let dir = tempfile::tempdir().unwrap();
    (("s3", Stores::open(&s3_location(name)).unwrap()), dir)
}

async fn listed(store: &Store) -> Vec<(String, u64)> {
    let mut all: Vec<(String, u64)> = store.list().try_collect().await.unwrap();
    all.sort();
    all
}

#[tokio::test]
async fn files_on_a_directory() {
    files_behave_the_same(on_a_directory()).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "test-s3"),
    ignore = "needs an S3 server: cargo test --features service/test-s3 (scripts/test.sh starts SeaweedFS)"
)]
async fn files_on_s3() {
    files_behave_the_same(on_s3("files")).await;
}

async fn files_behave_the_same((store, _dir): Under) {
    let (kind, s) = &store;
    let store = &s.media;
    store.ping().await.unwrap();
    assert_eq!(listed(store).await, vec![], "{kind}: starts empty");
    store
        .put(
            "2026/12/通知.txt",
            "关于举办培训班的通知".as_bytes().to_vec(),
        )
        .await
        .unwrap();
    store.put("2026/12/b.bin", vec![7u8; 70_000]).await.unwrap();
    // Overwriting replaces the whole file.
    store
        .put("2026/12/b.bin", vec![9u8; 100_000])
        .await
        .unwrap();
    assert_eq!(
        store.get("2026/12/通知.txt").await.unwrap(),
        "关于举办培训班的通知".as_bytes(),
        "{kind}"
    );
    let meta = store.head("2026/12/b.bin").await.unwrap();
    assert_eq!(meta.size, 100_000, "{kind}");
    assert!(
        meta.etag.is_some(),
        "{kind}: an entity tag for revalidation"
    );
    let age = chrono::Utc::now() - meta.modified;
    assert!(age < chrono::Duration::minutes(5), "{kind}: {age}");

    // A range, streamed.
    let opened = store
        .open("2026/12/b.bin", Some(GetRange::Bounded(10..20)))
        .await
        .unwrap();
    assert_eq!(opened.range, 10..20, "{kind}");
    let chunks: Vec<bytes::Bytes> = opened.body.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), vec![9u8; 10], "{kind}");
    let whole = store.open("2026/12/b.bin", None).await.unwrap();
    assert_eq!(whole.range, 0..100_000);
    let chunks: Vec<bytes::Bytes> = whole.body.try_collect().await.unwrap();
    assert_eq!(chunks.concat().len(), 100_000, "{kind}");

    assert_eq!(
        listed(store).await,
        vec![
            ("2026/12/b.bin".to_owned(), 100_000),
            ("2026/12/通知.txt".to_owned(), 30),
        ],
        "{kind}"
    );
    // The two stores are apart.
    assert_eq!(listed(&s.private).await, vec![], "{kind}");
    s.private
        .put("x/secret.pdf", b"%PDF-1.4".to_vec())
        .await
        .unwrap();
    assert!(matches!(
        store.get("x/secret.pdf").await,
        Err(Error::NotFound)
    ));

    // Nothing outside the store.
    for bad in ["", "../x", "/etc/passwd", "a/../../x", "a//b", "a/"] {
        assert!(
            matches!(store.get(bad).await, Err(Error::NotFound)),
            "{kind}: {bad:?}"
        );
        assert!(
            matches!(store.put(bad, b"x".to_vec()).await, Err(Error::NotFound)),
            "{kind}: {bad:?}"
        );
    }
    assert!(matches!(
        store.head("2026/12/none.bin").await,
        Err(Error::NotFound)
    ));
    store.remove("2026/12/b.bin").await;
    store.remove("2026/12/b.bin").await; // gone already: no error
    assert!(matches!(
        store.get("2026/12/b.bin").await,
        Err(Error::NotFound)
    ));
    assert_eq!(listed(store).await.len(), 1, "{kind}");
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn images_on_a_directory() {
    images_variants_usage_and_deletes(on_a_directory()).await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "test-s3"),
    ignore = "needs an S3 server: cargo test --features service/test-s3 (scripts/test.sh starts SeaweedFS)"
)]
async fn images_on_s3() {
    images_variants_usage_and_deletes(on_s3("images")).await;
}

async fn images_variants_usage_and_deletes((store, dir): Under) {
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    install_test_key();
    let db = service::db::connect(&url).await.unwrap();
    service::db::migrate(&db).await.unwrap();
    let actor = Actor::system("test");
    let (kind, s) = &store;
    let img = media::store(&db, &s.media, &actor, &jpeg(1000, 600), Default::default())
        .await
        .unwrap();
    let variants = media::variants_of(&img);
    assert_eq!(
        variants.iter().map(|v| v.width).collect::<Vec<_>>(),
        vec![480, 960],
        "{kind}"
    );
    let mut expected: Vec<String> = variants.iter().map(|v| v.path.clone()).collect();
    expected.push(img.path.clone());
    expected.sort();
    let files: Vec<String> = listed(&s.media).await.into_iter().map(|f| f.0).collect();
    assert_eq!(files, expected, "{kind}: the original and its variants");
    assert_eq!(
        s.media.head(&img.path).await.unwrap().size,
        img.size_bytes as u64
    );

    // In use (a page's body shows it): not deleted, files kept.
    let page = entity::page::ActiveModel {
        column_id: Set(1),
        title: Set("关于我们".into()),
        body: Set(format!("<p><img src=\"/media/{}\" alt=\"\"></p>", img.path)),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    let page = insert_page(&db, page).await;
    let refused = media::delete(&db, &s.media, &actor, img.id).await;
    assert!(
        matches!(&refused, Err(Error::Invalid(m)) if m.contains("单页《关于我们》")),
        "{kind}: {refused:?}"
    );
    assert_eq!(listed(&s.media).await.len(), 3, "{kind}");
    entity::page::Entity::delete_by_id(page)
        .exec(&db)
        .await
        .unwrap();

    media::delete(&db, &s.media, &actor, img.id).await.unwrap();
    assert_eq!(listed(&s.media).await, vec![], "{kind}: every file removed");
    assert!(
        entity::image::Entity::find_by_id(img.id)
            .one(&db)
            .await
            .unwrap()
            .is_none()
    );
}

/// A page needs a column; the test makes one the first time.
async fn insert_page(db: &service::db::Db, page: entity::page::ActiveModel) -> i32 {
    if entity::column::Entity::find_by_id(1)
        .one(db)
        .await
        .unwrap()
        .is_none()
    {
        entity::column::ActiveModel {
            id: Set(1),
            parent_id: Set(None),
            name: Set("关于协会".into()),
            slug: Set("about".into()),
            kind: Set(entity::column::ColumnKind::Page),
            description: Set(String::new()),
            sort_order: Set(0),
            show_in_nav: Set(true),
            listed_count: Set(0),
            created_at: Set(chrono::Utc::now()),
            updated_at: Set(chrono::Utc::now()),
            site_id: Set(1),
        }
        .insert(db)
        .await
        .unwrap();
    }
    page.insert(db).await.unwrap().id
}

/// A bucket that does not answer fails each call within seconds with `StorageUnavailable`
/// (a 503 for the reader), never hangs.
#[tokio::test]
#[cfg_attr(
    not(feature = "test-s3"),
    ignore = "needs an S3 server: cargo test --features service/test-s3 (scripts/test.sh starts SeaweedFS)"
)]
async fn an_unreachable_bucket_fails_fast() {
    let Location::S3(mut s3) = s3_location("dead") else {
        panic!("the test location is on S3");
    };
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    s3.endpoint = Some(format!(
        "http://127.0.0.1:{}",
        dead.local_addr().unwrap().port()
    ));
    drop(dead);
    let stores = Stores::open(&Location::S3(s3)).unwrap();
    let started = Instant::now();
    let ping = stores.media.ping().await;
    assert!(
        matches!(ping, Err(Error::StorageUnavailable(_))),
        "{ping:?}"
    );
    let got = stores.media.get("2026/12/a.jpg").await;
    assert!(matches!(got, Err(Error::StorageUnavailable(_))), "{got:?}");
    let put = stores.private.put("a.pdf", b"x".to_vec()).await;
    assert!(matches!(put, Err(Error::StorageUnavailable(_))), "{put:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "three calls took {:?}",
        started.elapsed()
    );
}

/// The installation key the audit log is sealed with in these tests.
fn install_test_key() {
    let key = service::secret::Secret::from_text("dGVzdC1rZXktb2YtdGhlLXBvcnRpY28tdGVzdHMtMDE=");
    service::secret::install(key.unwrap()).unwrap();
}
