#![allow(clippy::unwrap_used)] // tests fail loudly by design
//! Service tests on a fresh, migrated SQLite database seeded with the demo content.

use chrono::{Duration, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use service::db::Db as Database;
use service::{Error, article as articles, seed, view_count::HitBuffer};

struct Db {
    db: Database,
    _dir: tempfile::TempDir,
}

async fn seeded() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    install_test_key();
    let db = service::db::connect(&url).await.unwrap();
    service::db::migrate(&db).await.unwrap();
    let media = service::storage::Store::local(dir.path().join("uploads")).unwrap();
    seed::seed_demo(&db, &media, service::time::DEFAULT_TIME_ZONE)
        .await
        .unwrap()
        .expect("an empty database is seeded");
    Db { db, _dir: dir }
}

async fn insert(
    db: &Database,
    like: &article::Model,
    status: ArticleStatus,
    at: chrono::DateTime<Utc>,
) -> article::Model {
    article::ActiveModel {
        column_id: Set(like.column_id),
        title: Set(format!("测试文章 {status:?}")),
        subtitle: Set(String::new()),
        slug: Set(None),
        source: Set("测试".into()),
        author: Set(String::new()),
        summary: Set(String::new()),
        body: Set("<p>正文</p>".into()),
        cover_image_id: Set(None),
        is_headline: Set(false),
        is_recommended: Set(false),
        is_slideshow: Set(false),
        status: Set(status),
        published_at: Set(Some(at)),
        hits: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn seeding_fills_an_empty_database_once() {
    let t = seeded().await;
    assert!(article::Entity::find().count(&t.db).await.unwrap() >= 30);
    assert_eq!(
        entity::link_group::Entity::find()
            .count(&t.db)
            .await
            .unwrap(),
        4
    );
    assert!(entity::image::Entity::find().count(&t.db).await.unwrap() >= 5);
    assert!(entity::notice::Entity::find().count(&t.db).await.unwrap() >= 5);
    let settings = service::site::settings(&t.db).await.unwrap();
    assert_eq!(settings.site_name, "中国开发区协会");
    assert!(!settings.qq_group.is_empty());
    // A second run leaves the content alone.
    let media = service::storage::Store::local(t._dir.path().join("uploads")).unwrap();
    let again = seed::seed_demo(&t.db, &media, service::time::DEFAULT_TIME_ZONE)
        .await
        .unwrap();
    assert!(again.is_none());
}

#[tokio::test]
async fn seeded_articles_span_two_years_and_carry_images() {
    let t = seeded().await;
    let all = article::Entity::find().all(&t.db).await.unwrap();
    let times: Vec<_> = all.iter().filter_map(|a| a.published_at).collect();
    let span = *times.iter().max().unwrap() - *times.iter().min().unwrap();
    assert!(span > Duration::days(600), "{span}");
    let with_figures = all.iter().filter(|a| a.body.contains("<figure")).count();
    assert!(with_figures >= 5);
    let img = entity::image::Entity::find()
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let file = t._dir.path().join("uploads").join(&img.path);
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "a JPEG file");
}

#[tokio::test]
async fn only_published_articles_whose_time_has_come_are_found() {
    let t = seeded().await;
    let now = Utc::now();
    let any = article::Entity::find().one(&t.db).await.unwrap().unwrap();
    assert_eq!(
        articles::find_published(&t.db, 1, any.id, now)
            .await
            .unwrap()
            .id,
        any.id
    );

    let draft = insert(&t.db, &any, ArticleStatus::Draft, now - Duration::hours(1)).await;
    let future = insert(
        &t.db,
        &any,
        ArticleStatus::Published,
        now + Duration::hours(1),
    )
    .await;
    let scheduled = insert(
        &t.db,
        &any,
        ArticleStatus::Scheduled,
        now - Duration::hours(1),
    )
    .await;
    for id in [draft.id, future.id, scheduled.id, 999_999] {
        assert!(
            matches!(
                articles::find_published(&t.db, 1, id, now).await,
                Err(Error::NotFound)
            ),
            "{id}"
        );
    }
}

#[tokio::test]
async fn neighbours_stay_in_the_column_in_time_order() {
    let t = seeded().await;
    let now = Utc::now();
    let any = article::Entity::find().one(&t.db).await.unwrap().unwrap();
    let base = now - Duration::days(1);
    let a = insert(&t.db, &any, ArticleStatus::Published, base).await;
    // Same publication time: the id breaks the tie.
    let b = insert(&t.db, &any, ArticleStatus::Published, base).await;
    let c = insert(
        &t.db,
        &any,
        ArticleStatus::Published,
        base + Duration::minutes(5),
    )
    .await;
    // Not visible: must be skipped.
    insert(
        &t.db,
        &any,
        ArticleStatus::Draft,
        base + Duration::minutes(1),
    )
    .await;

    let (prev, next) = articles::neighbours(&t.db, &b, now).await.unwrap();
    assert_eq!(prev.unwrap().id, a.id);
    assert_eq!(next.unwrap().id, c.id);
    let (_, next) = articles::neighbours(&t.db, &c, now).await.unwrap();
    assert!(next.is_none(), "c is the newest in its column");
    let (prev, _) = articles::neighbours(&t.db, &a, now).await.unwrap();
    let prev = prev.unwrap();
    let prev_model = article::Entity::find_by_id(prev.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(prev_model.column_id, a.column_id);
    assert!(prev_model.published_at.unwrap() <= a.published_at.unwrap());
}

#[tokio::test]
async fn favorites_lookup_keeps_order_and_skips_the_missing() {
    let t = seeded().await;
    let now = Utc::now();
    let latest = articles::latest(&t.db, 1, 3, now).await.unwrap();
    assert_eq!(latest.len(), 3);
    let draft = insert(
        &t.db,
        &article::Entity::find().one(&t.db).await.unwrap().unwrap(),
        ArticleStatus::Draft,
        now,
    )
    .await;
    let ids = [latest[2].id, 424_242, draft.id, latest[0].id];
    let found = articles::published_links(&t.db, 1, &ids, now)
        .await
        .unwrap();
    let found: Vec<i32> = found.iter().map(|l| l.id).collect();
    assert_eq!(found, vec![latest[2].id, latest[0].id]);
    assert!(
        articles::published_links(&t.db, 1, &[], now)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn buffered_hits_reach_the_database_in_one_flush() {
    let t = seeded().await;
    let a = article::Entity::find().one(&t.db).await.unwrap().unwrap();
    let buf = HitBuffer::new();
    for _ in 0..3 {
        buf.record(a.id);
    }
    buf.record(987_654); // an article that does not exist is harmless
    assert_eq!(
        buf.flush(&t.db, service::time::DEFAULT_TIME_ZONE)
            .await
            .unwrap(),
        2
    );
    let after = article::Entity::find_by_id(a.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.hits, a.hits + 3);
    assert_eq!(buf.unflushed(a.id), 0);
    assert_eq!(
        buf.flush(&t.db, service::time::DEFAULT_TIME_ZONE)
            .await
            .unwrap(),
        0,
        "nothing left to write"
    );
    // Today's views are kept per article for the dashboard, and add up across flushes
    // (on top of the demo content's own views of today).
    let today = service::statistics::last_days(1, service::time::DEFAULT_TIME_ZONE);
    let before: i64 = service::statistics::daily_totals(&t.db, &today[0])
        .await
        .unwrap()
        .iter()
        .map(|d| d.1)
        .sum();
    let views_of_a = service::statistics::top_articles(&t.db, &today[0], 1000)
        .await
        .unwrap()
        .iter()
        .find(|r| r.0 == a.id)
        .map_or(0, |r| r.2);
    buf.record(a.id);
    buf.flush(&t.db, service::time::DEFAULT_TIME_ZONE)
        .await
        .unwrap();
    let totals = service::statistics::daily_totals(&t.db, &today[0])
        .await
        .unwrap();
    assert_eq!(totals, vec![(today[0].clone(), before + 1)]);
    let top = service::statistics::top_articles(&t.db, &today[0], 1000)
        .await
        .unwrap();
    assert!(top.contains(&(a.id, a.title.clone(), views_of_a + 1)));
}

#[tokio::test]
async fn a_failed_flush_loses_nothing() {
    let t = seeded().await;
    let a = article::Entity::find().one(&t.db).await.unwrap().unwrap();
    let buf = HitBuffer::new();
    buf.record(a.id);
    buf.record(a.id);
    t.db.close_by_ref().await.unwrap();
    assert!(
        buf.flush(&t.db, service::time::DEFAULT_TIME_ZONE)
            .await
            .is_err()
    );
    assert_eq!(buf.unflushed(a.id), 2);
}

#[tokio::test]
async fn images_in_use_anywhere_are_reported() {
    let t = seeded().await;
    // The demo's first figure is used by an article; an image nobody uses yet is free.
    let img = entity::image::ActiveModel {
        path: Set("2026/11/unused.webp".into()),
        alt: Set(String::new()),
        caption: Set(String::new()),
        credit: Set(String::new()),
        width: Set(10),
        height: Set(10),
        variants: Set("[]".into()),
        size_bytes: Set(10),
        mime: Set("image/webp".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&t.db)
    .await
    .unwrap();
    assert!(service::media::usage(&t.db, &img).await.unwrap().is_empty());

    let tag = r#"<p><img src="/media/2026/11/unused.webp" alt=""></p>"#;
    let page = entity::page::Entity::find()
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let mut p: entity::page::ActiveModel = page.clone().into();
    p.body = Set(format!("{}{tag}", page.body));
    p.update(&t.db).await.unwrap();
    let notice = entity::notice::Entity::find()
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let mut n: entity::notice::ActiveModel = notice.clone().into();
    n.body = Set(format!("{}{tag}", notice.body));
    n.update(&t.db).await.unwrap();
    let mut settings = service::site::settings(&t.db).await.unwrap();
    settings.logo_url = "/media/2026/11/unused.webp".into();
    service::site::save_settings(&t.db, &settings)
        .await
        .unwrap();

    let uses = service::media::usage(&t.db, &img).await.unwrap();
    assert_eq!(
        uses,
        vec![
            format!("单页《{}》", page.title),
            format!("通知《{}》", notice.title),
            "网站标志".to_owned(),
        ]
    );
}

/// A burst of guesses is counted before any password is checked: at most the limit of them
/// is ever checked, and the right password is refused until the lock ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_guesses_checks_at_most_the_limit() {
    use service::auth::{self, LoginError};
    let t = seeded().await;
    let passwords = service::password::Passwords::start().unwrap();
    let actor = service::audit::Actor::system("test");
    auth::create_user(
        &t.db,
        &passwords,
        &actor,
        auth::NewAccount {
            username: "busy",
            display_name: "",
            password: "A-long-enough-password",
            role: entity::user::Role::Editor,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    let before = passwords.checks();
    let attempts: Vec<_> = (0..50)
        .map(|_| {
            let (db, passwords) = (t.db.clone(), passwords.clone());
            tokio::spawn(async move {
                auth::login(
                    &db,
                    &passwords,
                    &service::security::Policy::default(),
                    "busy",
                    "wrong-password",
                    "198.51.100.7",
                    "t",
                )
                .await
            })
        })
        .collect();
    let mut throttled = 0;
    for a in attempts {
        match a.await.unwrap() {
            Err(LoginError::Throttled(_)) => throttled += 1,
            Err(LoginError::Invalid) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    let checked = passwords.checks() - before;
    assert!(
        checked <= u64::from(service::security::Policy::default().lock_account_failures),
        "{checked} passwords checked in a burst of 50"
    );
    assert_eq!(throttled, 50 - checked);
    // The right password from the guessing address is refused, unchecked …
    let right = auth::login(
        &t.db,
        &passwords,
        &service::security::Policy::default(),
        "busy",
        "A-long-enough-password",
        "198.51.100.7",
        "t",
    )
    .await;
    assert!(matches!(right, Err(LoginError::Throttled(_))), "{right:?}");
    assert_eq!(passwords.checks() - before, checked, "refused unchecked");

    // … and when that lock has ended, it works there too and clears the account's counts.
    entity::login_throttle::Entity::update_many()
        .col_expr(
            entity::login_throttle::Column::LockedUntil,
            sea_orm::sea_query::Expr::value(Some(Utc::now() - Duration::seconds(1))),
        )
        .filter(entity::login_throttle::Column::Key.eq("pair:busy@198.51.100.7"))
        .exec(&t.db)
        .await
        .unwrap();
    auth::login(
        &t.db,
        &passwords,
        &service::security::Policy::default(),
        "busy",
        "A-long-enough-password",
        "198.51.100.7",
        "t",
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    for key in ["pair:busy@198.51.100.7", "user:busy"] {
        assert!(
            entity::login_throttle::Entity::find_by_id(key.to_owned())
                .one(&t.db)
                .await
                .unwrap()
                .is_none(),
            "{key} cleared by the success"
        );
    }
    // A success takes back its own count from the address, and leaves the address's
    // failures against other accounts.
    auth::create_user(
        &t.db,
        &passwords,
        &actor,
        auth::NewAccount {
            username: "own",
            display_name: "",
            password: "A-long-enough-password",
            role: entity::user::Role::Editor,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    let ip_failures = || async {
        entity::login_throttle::Entity::find_by_id("ip:198.51.100.7".to_owned())
            .one(&t.db)
            .await
            .unwrap()
            .map(|r| r.failures)
            .unwrap_or(0)
    };
    let failures_before = ip_failures().await;
    assert_eq!(failures_before as u64, checked);
    auth::login(
        &t.db,
        &passwords,
        &service::security::Policy::default(),
        "own",
        "A-long-enough-password",
        "198.51.100.7",
        "t",
    )
    .await
    .map_err(|_| "own login")
    .unwrap();
    assert_eq!(ip_failures().await, failures_before);
}

/// An account whose hash was made with older settings (19 MiB) still signs in, and its hash
/// is replaced by one with the current settings; the session stays valid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_password_hashes_are_replaced_at_sign_in() {
    use service::auth;
    let t = seeded().await;
    let passwords = service::password::Passwords::start().unwrap();
    let actor = service::audit::Actor::system("test");
    let user = auth::create_user(
        &t.db,
        &passwords,
        &actor,
        auth::NewAccount {
            username: "veteran",
            display_name: "",
            password: "A-long-enough-password",
            role: entity::user::Role::Editor,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    // What earlier versions stored: the argon2 crate's defaults (m=19456, t=2).
    let old = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        argon2::Argon2::default()
            .hash_password(b"A-long-enough-password", &salt)
            .unwrap()
            .to_string()
    };
    let mut m: entity::user::ActiveModel = user.clone().into();
    m.password_hash = Set(old.clone());
    m.update(&t.db).await.unwrap();
    assert!(service::password::needs_rehash(&old));
    let auth::SignIn::Done(signed_in, _) = auth::login(
        &t.db,
        &passwords,
        &service::security::Policy::default(),
        "veteran",
        "A-long-enough-password",
        "198.51.100.9",
        "t",
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap() else {
        panic!("an account without a second factor is signed in at once");
    };
    assert!(
        signed_in
            .password_hash
            .starts_with("$argon2id$v=19$m=7168,t=5,p=1$")
    );
    assert_eq!(signed_in.password_changed_at, user.password_changed_at);
    // And the new hash signs in too.
    auth::login(
        &t.db,
        &passwords,
        &service::security::Policy::default(),
        "veteran",
        "A-long-enough-password",
        "198.51.100.9",
        "t",
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
}

#[tokio::test]
async fn an_empty_search_index_of_a_small_site_is_built_at_start() {
    use sea_orm::ConnectionTrait;
    let t = seeded().await;
    let indexed = service::search::count(&t.db).await.unwrap();
    assert!(indexed > 40, "the seed indexes its content ({indexed})");
    // A database from before search: the index is empty.
    t.db.execute_unprepared("DELETE FROM search_fts")
        .await
        .unwrap();
    t.db.execute_unprepared("DELETE FROM search_docs")
        .await
        .unwrap();
    assert_eq!(service::search::count(&t.db).await.unwrap(), 0);
    service::search::ensure_built(&t.db).await.unwrap();
    assert_eq!(service::search::count(&t.db).await.unwrap(), indexed);
    let q = service::search::Query {
        text: "理事会".into(),
        per_page: 20,
        ..Default::default()
    };
    let found = service::search::search(&t.db, &q, Utc::now())
        .await
        .unwrap();
    assert!(found.total > 0 && !found.results.is_empty());
}

/// The installation key the audit log is sealed with in these tests.
fn install_test_key() {
    let key = service::secret::Secret::from_text("dGVzdC1rZXktb2YtdGhlLXBvcnRpY28tdGVzdHMtMDE=");
    service::secret::install(key.unwrap()).unwrap();
}
