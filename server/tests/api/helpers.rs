use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use app::ssr::AppState;
use chrono::Utc;
use entity::article;
use sea_orm::{ConnectionTrait, Database, EntityTrait};
use serde_json::{Value, json};
use server::config::Settings;
use server::startup::{Application, connect_and_migrate};
use service::db::Db;

/// A request that takes longer than this is a hang: the test fails with the URL instead.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub const BROWSER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub db: Db,
    pub settings: Settings,
    /// This server's page cache.
    pub cache: std::sync::Arc<server::page_cache::PageCache>,
    pg_database: Option<String>,
    _dir: tempfile::TempDir,
}

/// One uploads directory for the whole test run: the demo images are drawn only once.
fn shared_uploads() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("portico-test-uploads-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

pub fn pg_admin_url() -> String {
    std::env::var("PORTICO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Creates a fresh PostgreSQL database. Only tests built with the `test-postgres` feature
/// call it (the others are reported as ignored); a PostgreSQL that does not answer then fails
/// the test.
pub async fn fresh_pg_database() -> (String, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let admin_url = pg_admin_url();
    let admin = match Database::connect(&admin_url).await {
        Ok(db) => db,
        Err(e) => panic!(
            "PostgreSQL at {admin_url} is unreachable: {e} (start it, set PORTICO_TEST_PG_URL, \
             or build the tests without the test-postgres feature)"
        ),
    };
    let name = format!(
        "portico_test_{}_{}_{}",
        std::process::id(),
        Utc::now().timestamp_micros(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    (format!("{base}/{name}"), name)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// [`spawn_app`] with some settings changed (environment-style overrides).
pub async fn spawn_app_with(
    backend: Backend,
    overrides: &'static [(&'static str, &'static str)],
) -> TestApp {
    let owned = overrides
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    spawn_app_env(backend, owned).await
}

/// The S3 server of the tests (SeaweedFS, started by scripts/test.sh): its endpoint and
/// bucket. Only tests built with the `test-s3` feature call it; a missing server fails them.
pub fn test_s3() -> (String, String) {
    let endpoint = std::env::var("PORTICO_TEST_S3_ENDPOINT").unwrap_or_default();
    let keys = std::env::var("AWS_ACCESS_KEY_ID").is_ok();
    assert!(
        !endpoint.is_empty() && keys,
        "no S3 server for the tests: scripts/test.sh starts SeaweedFS and sets \
         PORTICO_TEST_S3_ENDPOINT and AWS_ACCESS_KEY_ID (or build without the test-s3 feature)"
    );
    let bucket =
        std::env::var("PORTICO_TEST_S3_BUCKET").unwrap_or_else(|_| "portico-test".to_owned());
    (endpoint, bucket)
}

/// Settings that put a test server's files in the test bucket, under one prefix per test
/// process (uploads get random names, and the demo images are drawn once).
pub fn s3_settings() -> Vec<(String, String)> {
    let (endpoint, bucket) = test_s3();
    vec![
        (
            "PORTICO_STORAGE_URL".to_owned(),
            format!("s3://{bucket}/api-{}", std::process::id()),
        ),
        ("PORTICO_S3_ENDPOINT".to_owned(), endpoint),
        ("PORTICO_S3_PATH_STYLE".to_owned(), "true".to_owned()),
    ]
}

/// The installation key of the test servers (base64 of 32 bytes).
pub const TEST_SECRET_KEY: &str = "dGVzdC1rZXktb2YtdGhlLXBvcnRpY28tdGVzdHMtMDE=";
/// The test servers' personal-data key.
pub const TEST_PERSONAL_DATA_KEY: &str = "cGVyc29uYWwtZGF0YS1rZXktb2YtdGhlLXRlc3RzLTE=";

/// [`spawn_app`] with settings given as owned pairs.
pub async fn spawn_app_env(backend: Backend, overrides: Vec<(String, String)>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, pg_database) = match backend {
        Backend::Sqlite => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("portico.db").display()
            ),
            None,
        ),
        Backend::Postgres => {
            let (url, name) = fresh_pg_database().await;
            (url, Some(name))
        }
    };
    let uploads = shared_uploads();
    let private = dir.path().join("private");
    let env = move |k: &str| -> Option<String> {
        if let Some((_, v)) = overrides.iter().find(|(name, _)| name == k) {
            return Some(v.clone());
        }
        match k {
            "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
            "DATABASE_URL" => Some(database_url.clone()),
            "PORTICO_PUBLIC_URL" => Some("http://portico.test".into()),
            "PORTICO_UPLOADS_DIR" => Some(uploads.display().to_string()),
            "PORTICO_PRIVATE_DIR" => Some(private.display().to_string()),
            "PORTICO_HIT_FLUSH_SECS" => Some("5".into()),
            "PORTICO_CACHE_POLL_MS" => Some("100".into()),
            // Tests post forms the moment they get them.
            "PORTICO_FORMS_MIN_SECS" => Some("0".into()),
            // One installation key for every test server of the process.
            "PORTICO_SECRET_KEY" => Some(TEST_SECRET_KEY.into()),
            // A key of its own for readers' contact details (the key derived from the
            // installation key stays readable: the rotation test starts from it).
            "PORTICO_PERSONAL_DATA_KEY" => Some(TEST_PERSONAL_DATA_KEY.into()),
            _ => None,
        }
    };
    let settings = Settings::from_sources(None, "test", env).unwrap();
    server::startup::install_secret(&settings).unwrap();
    let db = connect_and_migrate(&settings.database_url).await.unwrap();
    service::seed::seed_demo(
        &db,
        &server::startup::open_stores(&settings).unwrap().media,
        settings.time_zone,
    )
    .await
    .unwrap();
    // Most tests are about other things than the second factor: they sign in with a password
    // alone (the second factor's tests ask for it again).
    for key in ["totp_admins", "totp_editors", "totp_writers"] {
        entity::site_setting::Entity::insert(entity::site_setting::ActiveModel {
            key: sea_orm::Set(format!("security.{key}")),
            value: sea_orm::Set("0".into()),
        })
        .exec(&db)
        .await
        .unwrap();
    }
    let app = Application::with_database(settings.clone(), db.clone())
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let cache = app.page_cache();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .user_agent(BROWSER_UA)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        state,
        db,
        settings,
        cache,
        pg_database,
        _dir: dir,
    }
}

/// What a run of the `portico` binary came to.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Both outputs, for messages and for checks that do not care which.
    pub fn said(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl TestApp {
    /// Runs the `portico` binary with `args` on this server's database and the tests'
    /// installation key, with `env` added (or overriding those).
    pub fn portico(&self, args: &[&str], env: &[(&str, &str)]) -> Ran {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portico"))
            .args(args)
            .env("DATABASE_URL", &self.settings.database_url)
            .env("PORTICO_SECRET_KEY", TEST_SECRET_KEY)
            .env("PORTICO_LOG", "error")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Ran {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl TestApp {
    /// Another app server on the same database (its own page cache, hit buffer and port).
    pub async fn second_server(&self) -> String {
        let app = Application::with_database(self.settings.clone(), self.db.clone())
            .await
            .unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        address
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// Polls `path` (or a whole URL) until its HTML contains `needle`, or with `present` false
    /// until it no longer does (the page-cache invalidation log is read every 100 ms in tests);
    /// fails after five seconds, showing the page up to `<main>`.
    pub async fn eventually(&self, path: &str, needle: &str, present: bool) {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.url(path)
        };
        let mut html = String::new();
        for _ in 0..50 {
            html = self
                .client
                .get(&url)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if html.contains(needle) == present {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let at = html.find("<main").unwrap_or(html.len());
        let start = html[..at]
            .char_indices()
            .rev()
            .nth(1500)
            .map_or(0, |(i, _)| i);
        panic!(
            "{path}: {needle:?} present={present} never happened; page before <main>: …{}",
            &html[start..at]
        );
    }

    /// The status of a GET and its `Location` (empty when there is none).
    pub async fn location(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let loc = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (res.status().as_u16(), loc)
    }

    /// Moves a site in (`service::import::run`) into this app's database and media.
    pub async fn import(&self, o: service::import::Options) -> service::import::Report {
        service::import::run(&self.db, &self.state.files.media, o, &mut |_| {})
            .await
            .unwrap()
    }

    /// A back-office GET answered with JSON, as `staff`.
    pub async fn get_json(&self, staff: &Staff, path: &str) -> Value {
        staff
            .client
            .get(self.url(path))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The newest published article.
    pub async fn some_article(&self) -> article::Model {
        let latest = service::article::latest(&self.db, 1, 1, Utc::now())
            .await
            .unwrap();
        article::Entity::find_by_id(latest[0].id)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
    }

    /// Drops the PostgreSQL database of this test, if any.
    pub async fn cleanup(self) {
        if let Some(name) = self.pg_database {
            let _ = self.db.close_by_ref().await;
            if let Ok(admin) = Database::connect(&pg_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

/// Runs a test body (`async fn NAME(app: &TestApp)`) against SQLite and PostgreSQL, as two
/// tests `NAME::sqlite` and `NAME::postgres`; the second is reported as ignored, with the
/// reason, in a build without the `test-postgres` feature. `on_both_backends!(NAME, SETTINGS)`
/// starts the servers with some settings changed (`&[("PORTICO_…", "…")]`).
#[macro_export]
macro_rules! on_both_backends {
    ($body:ident) => {
        $crate::on_both_backends!($body, &[]);
    };
    ($body:ident, $overrides:expr) => {
        mod $body {
            use $crate::helpers::{Backend, spawn_app_with};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app_with(Backend::Sqlite, $overrides).await;
                super::$body(&app).await;
                app.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(feature = "test-postgres"),
                ignore = "needs PostgreSQL: cargo test --features server/test-postgres (PORTICO_TEST_PG_URL)"
            )]
            async fn postgres() {
                let app = spawn_app_with(Backend::Postgres, $overrides).await;
                super::$body(&app).await;
                app.cleanup().await;
            }
        }
    };
}

/// The number shown after 点击量：.
pub fn shown_hits(html: &str) -> u64 {
    let marker = "class=\"hit-count\">";
    let start = html.find(marker).expect("the page shows a hit count") + marker.len();
    let end = start + html[start..].find('<').unwrap();
    html[start..end].trim().parse().unwrap()
}

pub const STAFF_PASSWORD: &str = "开发区协会-Test-2026";

/// A signed-in browser of the back office.
pub struct Staff {
    pub client: reqwest::Client,
    pub csrf: String,
}

impl TestApp {
    /// Creates an account.
    pub async fn create_staff(&self, username: &str, role: entity::user::Role) {
        service::auth::create_user(
            &self.db,
            &self.state.passwords,
            &service::audit::Actor::system("test"),
            service::auth::NewAccount {
                username,
                display_name: "",
                password: STAFF_PASSWORD,
                role,
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    }

    /// A browser-like client with its own cookies.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .user_agent(BROWSER_UA)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap()
    }

    /// Posts the login form; returns the response.
    pub async fn post_login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/admin/login"))
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/admin"),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Signs in and reads the CSRF token from the dashboard.
    pub async fn sign_in(&self, username: &str) -> Staff {
        self.sign_in_with(username, STAFF_PASSWORD).await
    }

    /// [`TestApp::sign_in`] with another password.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> Staff {
        let client = self.browser();
        let res = self.post_login(&client, username, password).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/admin");
        let html = client
            .get(self.url("/admin"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Staff {
            csrf: csrf_of(&html).expect("the dashboard carries a CSRF token"),
            client,
        }
    }
}

/// The CSRF token in a back-office page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\"")?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let v = tag.find("value=\"")? + 7;
    Some(tag[v..v + tag[v..].find('"')?].to_owned())
}

/// The one-time message a response leaves (decoded), if any.
pub fn flash_of(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("portico_flash="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .map(|v| percent_decode(&v))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(b) = escaped {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Posts JSON to a back-office endpoint as `staff`; returns the status and the JSON (or text).
pub async fn call(app: &TestApp, staff: &Staff, path: &str, body: Value) -> (u16, Value) {
    let res = staff
        .client
        .post(app.url(path))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn some_column(app: &TestApp) -> i32 {
    let cats = service::column::all(&app.db, 1).await.unwrap();
    service::column::by_slug(&cats, "zone-news").unwrap().id
}

pub fn form(column: i32, title: &str, status: &str, published_at: &str) -> Value {
    json!({
        "id": null, "column_id": column, "title": title, "subtitle": "", "source": "本网",
        "author": "测试编辑", "summary": "摘要", "body": "<p>第一段。</p><p>第二段。</p>",
        "cover_image_id": null, "cover_src": null, "is_headline": false, "is_recommended": false,
        "is_slideshow": false, "status": status, "published_at": published_at
    })
}

/// Posts a back-office form the way a browser without script would.
pub async fn post_form(
    app: &TestApp,
    staff: &Staff,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", staff.csrf.as_str())];
    all.extend_from_slice(fields);
    staff
        .client
        .post(app.url(path))
        .header("referer", app.url("/admin"))
        .header("accept", "text/html")
        .form(&all)
        .send()
        .await
        .unwrap()
}
