//! Runtime configuration: `Leptos.toml`, with every key overridable by an environment
//! variable. A bad value stops start-up with one line naming the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use app::ssr::client::TrustedProxies;
use chrono_tz::Tz;
use leptos::config::{Env, LeptosOptions};
use toml::{Table, Value};

/// The configuration file read when none is named.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

/// One configuration key: where it sits in the file and which variable overrides it.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub section: &'static str,
    pub name: &'static str,
    pub env: &'static str,
}

const fn key(section: &'static str, name: &'static str, env: &'static str) -> Key {
    Key { section, name, env }
}

pub const OUTPUT_NAME: Key = key("leptos", "output-name", "LEPTOS_OUTPUT_NAME");
pub const SITE_ROOT: Key = key("leptos", "site-root", "LEPTOS_SITE_ROOT");
pub const SITE_PKG_DIR: Key = key("leptos", "site-pkg-dir", "LEPTOS_SITE_PKG_DIR");
pub const SITE_ADDR: Key = key("leptos", "site-addr", "LEPTOS_SITE_ADDR");
pub const RELOAD_PORT: Key = key("leptos", "reload-port", "LEPTOS_RELOAD_PORT");
pub const ENV: Key = key("leptos", "env", "LEPTOS_ENV");
pub const DATABASE_URL: Key = key("database", "url", "DATABASE_URL");
pub const PUBLIC_URL: Key = key("site", "public-url", "PORTICO_PUBLIC_URL");
pub const TIME_ZONE: Key = key("site", "time-zone", "PORTICO_TIME_ZONE");
pub const UPLOADS_DIR: Key = key("site", "uploads-dir", "PORTICO_UPLOADS_DIR");
pub const PRIVATE_DIR: Key = key("site", "private-dir", "PORTICO_PRIVATE_DIR");
pub const SEED_DEMO: Key = key("site", "seed-demo", "PORTICO_SEED_DEMO");
pub const HIT_FLUSH_SECS: Key = key("hits", "flush-secs", "PORTICO_HIT_FLUSH_SECS");
pub const LOG: Key = key("log", "level", "PORTICO_LOG");
pub const CACHE_MB: Key = key("cache", "max-mb", "PORTICO_CACHE_MB");
pub const CACHE_POLL_MS: Key = key("cache", "poll-ms", "PORTICO_CACHE_POLL_MS");
pub const KEY_FILE: Key = key("security", "key-file", "PORTICO_KEY_FILE");
pub const SECRET_KEY: Key = key("security", "secret-key", "PORTICO_SECRET_KEY");
pub const PERSONAL_DATA_KEY: Key =
    key("security", "personal-data-key", "PORTICO_PERSONAL_DATA_KEY");
pub const PERSONAL_DATA_OLD_KEYS: Key = key(
    "security",
    "personal-data-old-keys",
    "PORTICO_PERSONAL_DATA_OLD_KEYS",
);
pub const TRUSTED_PROXIES: Key = key("site", "trusted-proxies", "PORTICO_TRUSTED_PROXIES");
pub const FORMS_PER_HOUR: Key = key("forms", "per-hour", "PORTICO_FORMS_PER_HOUR");
pub const FORMS_CHALLENGE_AFTER: Key =
    key("forms", "challenge-after", "PORTICO_FORMS_CHALLENGE_AFTER");
pub const FORMS_MIN_SECS: Key = key("forms", "min-secs", "PORTICO_FORMS_MIN_SECS");
pub const MAIL_HOST: Key = key("mail", "host", "PORTICO_MAIL_HOST");
pub const MAIL_PORT: Key = key("mail", "port", "PORTICO_MAIL_PORT");
pub const MAIL_SECURITY: Key = key("mail", "security", "PORTICO_MAIL_SECURITY");
pub const MAIL_USER: Key = key("mail", "user", "PORTICO_MAIL_USER");
pub const MAIL_PASSWORD: Key = key("mail", "password", "PORTICO_MAIL_PASSWORD");
pub const MAIL_FROM: Key = key("mail", "from", "PORTICO_MAIL_FROM");
pub const MAIL_NOTIFY: Key = key("mail", "notify", "PORTICO_MAIL_NOTIFY");
pub const STORAGE_URL: Key = key("storage", "url", "PORTICO_STORAGE_URL");
pub const S3_ENDPOINT: Key = key("storage", "endpoint", "PORTICO_S3_ENDPOINT");
pub const S3_REGION: Key = key("storage", "region", "PORTICO_S3_REGION");
pub const S3_PATH_STYLE: Key = key("storage", "path-style", "PORTICO_S3_PATH_STYLE");
pub const METRICS_ALLOW: Key = key("metrics", "allow", "PORTICO_METRICS_ALLOW");

/// Every key, for documentation and for rejecting unknown ones.
pub const KEYS: &[Key] = &[
    OUTPUT_NAME,
    SITE_ROOT,
    SITE_PKG_DIR,
    SITE_ADDR,
    RELOAD_PORT,
    ENV,
    DATABASE_URL,
    PUBLIC_URL,
    TIME_ZONE,
    UPLOADS_DIR,
    PRIVATE_DIR,
    SEED_DEMO,
    HIT_FLUSH_SECS,
    LOG,
    CACHE_MB,
    CACHE_POLL_MS,
    KEY_FILE,
    SECRET_KEY,
    PERSONAL_DATA_KEY,
    PERSONAL_DATA_OLD_KEYS,
    TRUSTED_PROXIES,
    FORMS_PER_HOUR,
    FORMS_CHALLENGE_AFTER,
    FORMS_MIN_SECS,
    MAIL_HOST,
    MAIL_PORT,
    MAIL_SECURITY,
    MAIL_USER,
    MAIL_PASSWORD,
    MAIL_FROM,
    MAIL_NOTIFY,
    STORAGE_URL,
    S3_ENDPOINT,
    S3_REGION,
    S3_PATH_STYLE,
    METRICS_ALLOW,
];

/// A configuration problem, shown as one line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl ConfigError {
    fn bad(key: Key, from: &Origin, message: impl std::fmt::Display) -> Self {
        let place = match from {
            Origin::Env => format!("environment variable {}", key.env),
            Origin::File => format!("[{}] {} (override: {})", key.section, key.name, key.env),
        };
        ConfigError(format!("bad configuration value for {place}: {message}"))
    }
}

enum Origin {
    Env,
    File,
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    pub leptos: LeptosOptions,
    pub database_url: String,
    /// The base URL readers use, without a trailing slash.
    pub public_url: String,
    pub time_zone: Tz,
    /// Where uploaded files are kept: the directories `[site] uploads-dir` and `private-dir`,
    /// or the bucket of `[storage] url`.
    pub storage: service::storage::Location,
    /// Addresses `/metrics` answers (others get 404).
    pub metrics_allow: TrustedProxies,
    pub seed_demo: bool,
    pub hit_flush: Duration,
    pub log: String,
    /// Memory for cached pages (compressed), in bytes; 0 turns the page cache off.
    pub cache_bytes: usize,
    /// How often the page-cache invalidation log is read.
    pub cache_poll: Duration,
    /// Where the installation secret comes from (see `service::secret`).
    pub secret: SecretSource,
    /// The key readers' contact details are encrypted with (`None`: one derived from the
    /// installation key), and older ones still read (see `service::security::personal`).
    pub personal_data_key: Option<service::secret::Secret>,
    pub personal_data_old_keys: Vec<service::secret::Secret>,
    /// The operator's reverse proxies and load balancers: only from these is the client's
    /// address read from `X-Forwarded-For` (see `app::ssr::client`).
    pub trusted_proxies: TrustedProxies,
    /// Limits of the public forms (留言, 投稿).
    pub forms: service::form::Limits,
    /// E-mail notices; `None` when `[mail] host` is empty.
    pub mail: Option<service::mail::MailConfig>,
}

impl Settings {
    /// Reads `path` (or `Leptos.toml` if present) and the environment.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        let (text, name) = match path {
            Some(p) => (
                Some(std::fs::read_to_string(p).map_err(|e| {
                    ConfigError(format!(
                        "cannot read configuration file {}: {e}",
                        p.display()
                    ))
                })?),
                p.display().to_string(),
            ),
            None => (
                std::fs::read_to_string(DEFAULT_CONFIG_FILE).ok(),
                DEFAULT_CONFIG_FILE.to_owned(),
            ),
        };
        Settings::from_sources(text.as_deref(), &name, |k| std::env::var(k).ok())
    }

    /// Builds settings from a file's text (if any) and an environment lookup.
    pub fn from_sources(
        file: Option<&str>,
        file_name: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let table: Table = match file {
            Some(text) => text.parse().map_err(|e: toml::de::Error| {
                let first = e.to_string().lines().next().unwrap_or_default().to_owned();
                ConfigError(format!("{file_name} is not valid TOML: {first}"))
            })?,
            None => Table::new(),
        };
        reject_unknown_keys(&table, file_name)?;
        let src = Source { table, env };

        let leptos = leptos_options(&src)?;
        let database_url = src.parse(DATABASE_URL, "sqlite://data/portico.db?mode=rwc", |s| {
            match service::db::Backend::of(s) {
                Some(_) => Ok(s.to_owned()),
                None => Err("expected a sqlite:// or postgres:// URL".to_owned()),
            }
        })?;
        let public_url = public_url(&src, leptos.site_addr)?;
        let time_zone = src.parse(TIME_ZONE, "Asia/Shanghai", |s| {
            service::time::parse_time_zone(s).ok_or_else(|| {
                format!("unknown time zone {s:?} (use an IANA name such as Asia/Shanghai)")
            })
        })?;
        let storage = file_storage(&src)?;
        let metrics_allow = src.parse(METRICS_ALLOW, "127.0.0.1, ::1", proxies)?;
        let seed_demo = src.parse(SEED_DEMO, "true", parse_bool)?;
        let hit_flush = src.parse(HIT_FLUSH_SECS, "2", |s| match s.parse::<u64>() {
            Ok(n @ 1..=5) => Ok(Duration::from_secs(n)),
            _ => Err("expected a whole number of seconds from 1 to 5".to_owned()),
        })?;
        let log = src.parse(LOG, "info", non_empty)?;
        let cache_bytes = src.parse(CACHE_MB, "32", |s| match s.parse::<usize>() {
            Ok(n @ 0..=4096) => Ok(n * 1024 * 1024),
            _ => Err("expected megabytes from 0 (off) to 4096".to_owned()),
        })?;
        let cache_poll = src.parse(CACHE_POLL_MS, "1000", |s| match s.parse::<u64>() {
            Ok(n @ 50..=60_000) => Ok(Duration::from_millis(n)),
            _ => Err("expected milliseconds from 50 to 60000".to_owned()),
        })?;
        Ok(Settings {
            leptos,
            database_url,
            public_url,
            time_zone,
            storage,
            metrics_allow,
            seed_demo,
            hit_flush,
            log,
            cache_bytes,
            cache_poll,
            secret: secret_config(&src)?,
            personal_data_key: src.parse(PERSONAL_DATA_KEY, "", |s| {
                let mut given = keys(s)?;
                if given.len() > 1 {
                    return Err("one key only (earlier ones go in personal-data-old-keys)".into());
                }
                Ok(given.pop())
            })?,
            personal_data_old_keys: src.parse(PERSONAL_DATA_OLD_KEYS, "", keys)?,
            trusted_proxies: src.parse(TRUSTED_PROXIES, "", proxies)?,
            forms: forms_config(&src)?,
            mail: mail_config(&src)?,
        })
    }
}

/// `[leptos]` (and the site's address): what Leptos itself reads.
fn leptos_options<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
) -> Result<LeptosOptions, ConfigError> {
    let site_addr: SocketAddr = src.parse(SITE_ADDR, "127.0.0.1:3000", |s| {
        s.parse::<SocketAddr>()
            .map_err(|_| "expected an address like 127.0.0.1:3000".to_owned())
    })?;
    let reload_port = src.parse(RELOAD_PORT, "3001", |s| {
        s.parse::<u32>()
            .map_err(|_| "expected a port number".to_owned())
    })?;
    let leptos_env = src.parse(ENV, "PROD", |s| match s.to_ascii_lowercase().as_str() {
        "dev" | "development" => Ok(Env::DEV),
        "prod" | "production" => Ok(Env::PROD),
        _ => Err("expected DEV or PROD".to_owned()),
    })?;
    let output_name = src.parse(OUTPUT_NAME, "portico", non_empty)?;
    let site_root = src.parse(SITE_ROOT, "target/site", non_empty)?;
    let site_pkg_dir = src.parse(SITE_PKG_DIR, "pkg", non_empty)?;

    // cargo-leptos writes hash.txt beside the binary when it hashes file names; use the
    // hashed names exactly when that file is there.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.exists());

    Ok(LeptosOptions::builder()
        .output_name(output_name)
        .site_root(site_root)
        .site_pkg_dir(site_pkg_dir)
        .site_addr(site_addr)
        .reload_port(reload_port)
        .env(leptos_env)
        .hash_files(hash_files)
        .build())
}

/// `[site] public-url`: the base URL readers use (the site's own address when empty).
fn public_url<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
    site_addr: SocketAddr,
) -> Result<String, ConfigError> {
    let default_public = format!("http://{site_addr}");
    src.parse(PUBLIC_URL, &default_public, |s| {
        let s = if s.is_empty() {
            default_public.as_str()
        } else {
            s
        };
        if (s.starts_with("http://") || s.starts_with("https://"))
            && !s.contains(char::is_whitespace)
        {
            Ok(s.trim_end_matches('/').to_owned())
        } else {
            Err("expected an http:// or https:// URL".to_owned())
        }
    })
}

/// The upload and private directories, or the bucket of `[storage] url`.
fn file_storage<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
) -> Result<service::storage::Location, ConfigError> {
    let uploads_dir = PathBuf::from(src.parse(UPLOADS_DIR, "data/uploads", non_empty)?);
    let private_dir = src.parse(PRIVATE_DIR, "", |s| {
        Ok(if s.is_empty() {
            uploads_dir
                .parent()
                .map(|p| p.join("private"))
                .unwrap_or_else(|| PathBuf::from("private"))
        } else {
            PathBuf::from(s)
        })
    })?;
    if private_dir.starts_with(&uploads_dir) {
        return Err(ConfigError::bad(
            PRIVATE_DIR,
            &Origin::File,
            "must not be inside the uploads directory (everything there is public)",
        ));
    }
    storage_config(src, uploads_dir, private_dir)
}

/// Addresses and ranges, for `trusted-proxies` and `[metrics] allow`.
fn proxies(s: &str) -> Result<TrustedProxies, String> {
    TrustedProxies::parse(s)
        .map_err(|e| format!("{e}; expected addresses or ranges such as \"127.0.0.1, 10.0.0.0/8\""))
}

/// Where the installation secret comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `[security] secret-key` / `PORTICO_SECRET_KEY`: every server of a cluster the same.
    Given(service::secret::Secret),
    /// `[security] key-file`: read, or made on first start.
    File(PathBuf),
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Given(s) => write!(f, "Given({})", s.fingerprint()),
            SecretSource::File(p) => write!(f, "File({})", p.display()),
        }
    }
}

impl SecretSource {
    /// The secret itself (making the key file when it does not exist).
    pub fn load(&self) -> Result<service::secret::Secret, ConfigError> {
        match self {
            SecretSource::Given(s) => Ok(s.clone()),
            SecretSource::File(path) => service::secret::Secret::load_or_create(path)
                .map_err(|e| ConfigError(format!("[security] key-file {}: {e}", path.display()))),
        }
    }
}

/// `[security]`: the installation secret, given or in a file.
fn secret_config<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
) -> Result<SecretSource, ConfigError> {
    let given = src.parse(SECRET_KEY, "", |s| {
        if s.trim().is_empty() {
            return Ok(None);
        }
        service::secret::Secret::from_text(s)
            .map(Some)
            .map_err(|e| e.reader_message())
    })?;
    if let Some(secret) = given {
        return Ok(SecretSource::Given(secret));
    }
    let file = src.parse(KEY_FILE, "data/portico.key", non_empty)?;
    Ok(SecretSource::File(PathBuf::from(file)))
}

/// Keys written as base64 or hex, separated by commas or spaces (none when empty).
fn keys(s: &str) -> Result<Vec<service::secret::Secret>, String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|k| !k.is_empty())
        .map(|k| service::secret::Secret::from_text(k).map_err(|e| e.reader_message()))
        .collect()
}

/// `[forms]`: the limits of the public forms (留言, 投稿).
fn forms_config<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
) -> Result<service::form::Limits, ConfigError> {
    let per_hour = src.parse(FORMS_PER_HOUR, "10", |s| match s.parse::<i32>() {
        Ok(n @ 1..=10_000) => Ok(n),
        _ => Err("expected a whole number from 1 to 10000".to_owned()),
    })?;
    let challenge_after = src.parse(FORMS_CHALLENGE_AFTER, "3", |s| match s.parse::<i32>() {
        Ok(n @ 0..=10_000) => Ok(n),
        _ => Err("expected a whole number from 0 (always ask) to 10000".to_owned()),
    })?;
    let min_secs = src.parse(FORMS_MIN_SECS, "3", |s| match s.parse::<i64>() {
        Ok(n @ 0..=600) => Ok(n),
        _ => Err("expected seconds from 0 to 600".to_owned()),
    })?;
    Ok(service::form::Limits {
        per_hour,
        challenge_after,
        min_age: chrono::Duration::seconds(min_secs),
        ..service::form::Limits::default()
    })
}

/// `[storage]`: the local directories unless `url` names a bucket (or another directory).
fn storage_config<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
    uploads_dir: PathBuf,
    private_dir: PathBuf,
) -> Result<service::storage::Location, ConfigError> {
    let text = |s: &str| Ok::<_, String>(s.to_owned());
    let endpoint = src.parse(S3_ENDPOINT, "", text)?;
    let region = src.parse(S3_REGION, "us-east-1", text)?;
    let path_style = src.parse(S3_PATH_STYLE, "false", parse_bool)?;
    src.parse(STORAGE_URL, "", |url| {
        if url.is_empty() {
            return Ok(service::storage::Location::Local {
                media: uploads_dir,
                private: private_dir,
            });
        }
        service::storage::Location::parse(url, Some(&endpoint), &region, path_style)
    })
}

/// `[mail]`: off when the host is empty; otherwise every value is checked now, so a typo is
/// found at start-up rather than when the first notice is due.
fn mail_config<F: Fn(&str) -> Option<String>>(
    src: &Source<F>,
) -> Result<Option<service::mail::MailConfig>, ConfigError> {
    let text = |s: &str| Ok::<_, String>(s.to_owned());
    let host = src.parse(MAIL_HOST, "", text)?;
    if host.is_empty() {
        return Ok(None);
    }
    let security = src.parse(MAIL_SECURITY, "starttls", |s| {
        service::mail::Security::parse(s)
            .ok_or_else(|| "expected \"starttls\", \"tls\" or \"none\"".to_owned())
    })?;
    let default_port = match security {
        service::mail::Security::Tls => "465",
        service::mail::Security::StartTls => "587",
        service::mail::Security::None => "25",
    };
    let port = src.parse(MAIL_PORT, default_port, |s| {
        s.parse::<u16>()
            .map_err(|_| "expected a port number".to_owned())
    })?;
    let from = src.parse(MAIL_FROM, "", non_empty)?;
    let notify = src.parse(MAIL_NOTIFY, "", |s| {
        Ok::<_, String>(
            s.split([',', ';', ' '])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    })?;
    let config = service::mail::MailConfig {
        host,
        port,
        security,
        user: src.parse(MAIL_USER, "", text)?,
        password: src.parse(MAIL_PASSWORD, "", text)?,
        from,
        notify,
    };
    service::mail::Mailer::new(&config)
        .map_err(|m| ConfigError::bad(MAIL_HOST, &Origin::File, m))?;
    Ok(Some(config))
}

struct Source<F> {
    table: Table,
    env: F,
}

impl<F: Fn(&str) -> Option<String>> Source<F> {
    fn parse<T>(
        &self,
        key: Key,
        default: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        if let Some(value) = (self.env)(key.env) {
            return parse(value.trim()).map_err(|m| ConfigError::bad(key, &Origin::Env, m));
        }
        match self.table.get(key.section).and_then(|s| s.get(key.name)) {
            None => parse(default).map_err(|m| ConfigError::bad(key, &Origin::File, m)),
            Some(value) => {
                let text = match value {
                    Value::String(s) => s.trim().to_owned(),
                    Value::Integer(i) => i.to_string(),
                    Value::Boolean(b) => b.to_string(),
                    // A list of strings (trusted-proxies) reads as one comma-separated value.
                    Value::Array(items) if items.iter().all(Value::is_str) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                    other => {
                        return Err(ConfigError::bad(
                            key,
                            &Origin::File,
                            format!("unexpected {}", other.type_str()),
                        ));
                    }
                };
                parse(&text).map_err(|m| ConfigError::bad(key, &Origin::File, m))
            }
        }
    }
}

fn non_empty(s: &str) -> Result<String, String> {
    if s.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(s.to_owned())
    }
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".to_owned()),
    }
}

fn reject_unknown_keys(table: &Table, file_name: &str) -> Result<(), ConfigError> {
    for (section, value) in table {
        let Some(entries) = value.as_table() else {
            return Err(ConfigError(format!(
                "{file_name}: unknown top-level key {section:?} (expected a [section])"
            )));
        };
        for name in entries.keys() {
            if section == "admin" && (name == "session-idle-mins" || name == "session-max-hours") {
                return Err(ConfigError(format!(
                    "{file_name}: [admin] {name} is now a setting of the security policy: \
                     remove it here and set it in the back office (安全策略)"
                )));
            }
            if section == "admin" && name == "behind-proxy" {
                return Err(ConfigError(format!(
                    "{file_name}: [admin] behind-proxy was replaced by [site] trusted-proxies: \
                     list your proxies' addresses, e.g. trusted-proxies = [\"127.0.0.1\"]"
                )));
            }
            if !KEYS.iter().any(|k| k.section == section && k.name == name) {
                return Err(ConfigError(format!(
                    "{file_name}: unknown key [{section}] {name}"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "config_test.rs"]
mod tests;
