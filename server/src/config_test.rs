//! Unit tests of `config`.
use super::*;

fn load(file: &str, env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_sources(Some(file), "Leptos.toml", move |k| {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
}

#[test]
fn the_shipped_file_is_valid_and_complete() {
    let text = include_str!("../../Leptos.toml");
    let s = load(text, &[]).unwrap();
    assert_eq!(s.leptos.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(&*s.leptos.site_root, "target/site");
    assert_eq!(s.database_url, "sqlite://data/portico.db?mode=rwc");
    assert_eq!(s.time_zone, chrono_tz::Asia::Shanghai);
    assert!(s.seed_demo);
    let table: Table = text.parse().unwrap();
    for k in KEYS {
        assert!(
            table.get(k.section).and_then(|s| s.get(k.name)).is_some(),
            "Leptos.toml should document [{}] {}",
            k.section,
            k.name
        );
    }
}

#[test]
fn environment_overrides_the_file() {
    let s = load(
        "[leptos]\nsite-addr = \"127.0.0.1:3000\"\n",
        &[
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://localhost/portico"),
            ("PORTICO_PUBLIC_URL", "https://kfq.example/"),
            ("PORTICO_SEED_DEMO", "false"),
        ],
    )
    .unwrap();
    assert_eq!(s.leptos.site_addr.to_string(), "0.0.0.0:8080");
    assert_eq!(s.database_url, "postgres://localhost/portico");
    assert_eq!(s.public_url, "https://kfq.example");
    assert!(!s.seed_demo);
}

#[test]
fn public_url_defaults_to_the_listen_address() {
    let s = load("", &[("LEPTOS_SITE_ADDR", "127.0.0.1:4000")]).unwrap();
    assert_eq!(s.public_url, "http://127.0.0.1:4000");
}

#[test]
fn bad_values_name_their_key_in_one_line() {
    let e = load("[site]\ntime-zone = \"Mars/Base\"\n", &[]).unwrap_err();
    assert!(e.0.contains("[site] time-zone"), "{e}");
    assert!(e.0.contains("PORTICO_TIME_ZONE"), "{e}");
    assert!(!e.0.contains('\n'));

    let e = load("", &[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
    assert!(e.0.contains("LEPTOS_SITE_ADDR"), "{e}");

    let e = load("", &[("DATABASE_URL", "mysql://x")]).unwrap_err();
    assert!(e.0.contains("DATABASE_URL"), "{e}");

    let e = load("[hits]\nflush-secs = 60\n", &[]).unwrap_err();
    assert!(e.0.contains("[hits] flush-secs"), "{e}");

    let e = load("[site]\nseed-demo = [1]\n", &[]).unwrap_err();
    assert!(e.0.contains("[site] seed-demo"), "{e}");
}

#[test]
fn unknown_keys_and_broken_files_are_refused() {
    let e = load("[site]\npublik-url = \"x\"\n", &[]).unwrap_err();
    assert!(e.0.contains("unknown key [site] publik-url"), "{e}");
    let e = load("[site\n", &[]).unwrap_err();
    assert!(e.0.contains("not valid TOML"), "{e}");
    assert!(!e.0.contains('\n'));
}

#[test]
fn trusted_proxies_are_a_list_of_addresses_or_ranges() {
    let s = load("", &[]).unwrap();
    assert!(
        s.trusted_proxies.is_empty(),
        "nothing is trusted by default"
    );
    let s = load(
        "[site]\ntrusted-proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n",
        &[],
    )
    .unwrap();
    assert!(s.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
    assert!(!s.trusted_proxies.contains("11.1.2.3".parse().unwrap()));
    let s = load("", &[("PORTICO_TRUSTED_PROXIES", "::1, 127.0.0.1")]).unwrap();
    assert!(s.trusted_proxies.contains("::1".parse().unwrap()));
    let err = load("[site]\ntrusted-proxies = [\"nginx\"]\n", &[]).unwrap_err();
    assert!(err.0.contains("[site] trusted-proxies"), "{}", err.0);
    // The old switch is refused with a pointer to its replacement.
    let err = load("[admin]\nbehind-proxy = true\n", &[]).unwrap_err();
    assert!(err.0.contains("trusted-proxies"), "{}", err.0);
}

#[test]
fn storage_is_local_directories_or_a_bucket() {
    use service::storage::{Location, S3Location};
    let s = load("", &[]).unwrap();
    assert_eq!(
        s.storage,
        Location::Local {
            media: "data/uploads".into(),
            private: "data/private".into()
        }
    );
    let s = load(
        "[storage]\nurl = \"s3://portico-site/prod\"\nendpoint = \"http://10.0.0.5:8333\"\npath-style = true\n",
        &[],
    )
    .unwrap();
    assert_eq!(
        s.storage,
        Location::S3(S3Location {
            bucket: "portico-site".into(),
            prefix: "prod".into(),
            endpoint: Some("http://10.0.0.5:8333".into()),
            region: "us-east-1".into(),
            path_style: true,
        })
    );
    let e = load("[storage]\nurl = \"ftp://x\"\n", &[]).unwrap_err();
    assert!(e.0.contains("[storage] url"), "{e}");
    let e = load("", &[("PORTICO_STORAGE_URL", "s3://Bad_Bucket/x")]).unwrap_err();
    assert!(e.0.contains("PORTICO_STORAGE_URL"), "{e}");
    // /metrics answers the configured addresses.
    let s = load("[metrics]\nallow = [\"10.0.0.0/8\"]\n", &[]).unwrap();
    assert!(s.metrics_allow.contains("10.1.2.3".parse().unwrap()));
    assert!(!s.metrics_allow.contains("127.0.0.1".parse().unwrap()));
}

#[test]
fn the_installation_key_comes_from_the_environment_or_a_file() {
    let s = load("", &[]).unwrap();
    assert_eq!(
        s.secret,
        SecretSource::File(std::path::PathBuf::from("data/portico.key"))
    );
    let key = "dGVzdC1rZXktb2YtdGhlLXBvcnRpY28tdGVzdHMtMDE=";
    let s = load("", &[("PORTICO_SECRET_KEY", key)]).unwrap();
    assert_eq!(
        s.secret,
        SecretSource::Given(service::secret::Secret::from_text(key).unwrap())
    );
    let e = load("", &[("PORTICO_SECRET_KEY", "too-short")]).unwrap_err();
    assert!(
        e.0.contains("PORTICO_SECRET_KEY") && e.0.contains("32 bytes"),
        "{e}"
    );
    // Readers' contact details: a key of their own, and older keys still read.
    assert_eq!(s.personal_data_key, None);
    let s = load(
        "[security]\npersonal-data-old-keys = \"\"\n",
        &[
            ("PORTICO_PERSONAL_DATA_KEY", key),
            ("PORTICO_PERSONAL_DATA_OLD_KEYS", &format!("{key}, {key}")),
        ],
    )
    .unwrap();
    assert_eq!(
        s.personal_data_key,
        Some(service::secret::Secret::from_text(key).unwrap())
    );
    assert_eq!(s.personal_data_old_keys.len(), 2);
    let two = format!("[security]\npersonal-data-key = \"{key},{key}\"\n");
    let e = load(&two, &[]).unwrap_err();
    assert!(e.0.contains("one key only"), "{e}");
    let e = load("[security]\npersonal-data-key = \"short\"\n", &[]).unwrap_err();
    assert!(
        e.0.contains("personal-data-key") && e.0.contains("32 bytes"),
        "{e}"
    );
    // The old session settings are now the security policy's: named, not silently ignored.
    let e = load("[admin]\nsession-idle-mins = 30\n", &[]).unwrap_err();
    assert!(e.0.contains("security policy"), "{e}");
}
