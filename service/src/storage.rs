//! Where the site keeps its files: the public media (images and notice attachments, served
//! under `/media/`) and the private files (投稿 attachments, served to staff only). Both are
//! [`Store`]s over the `object_store` crate, with one of two backends chosen by configuration:
//!
//! - a directory on this machine (the default: `data/uploads` and `data/private`), or
//! - an S3-compatible bucket (`s3://bucket/prefix`: media under `prefix/media/`, private files
//!   under `prefix/private/`), which every app server of a cluster shares.
//!
//! Every operation has a time limit: an unreachable object store makes a request fail with
//! [`Error::StorageUnavailable`] (a 503) within seconds instead of hanging.

use std::path::{Component, Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{
    BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};

pub use object_store::GetRange;

use crate::{Error, Result};

/// The longest any one storage call may take before the request gets a 503.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the files are, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Two directories on this machine.
    Local { media: PathBuf, private: PathBuf },
    /// One S3-compatible bucket shared by every app server.
    S3(S3Location),
}

/// An S3-compatible bucket. Credentials come from the environment (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, and `AWS_SESSION_TOKEN` where used), never from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Key prefix inside the bucket, without slashes at either end (may be empty).
    pub prefix: String,
    /// The server, e.g. `http://127.0.0.1:8333` (SeaweedFS, MinIO) or a cloud endpoint;
    /// `None` is AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    /// Path-style requests (`endpoint/bucket/key`), which most self-hosted servers need.
    pub path_style: bool,
}

impl Location {
    /// A storage URL: `s3://bucket/prefix`, or `file:///srv/portico/data` for the directories
    /// `uploads` and `private` inside one directory (the default layout of `data/`).
    pub fn parse(
        url: &str,
        endpoint: Option<&str>,
        region: &str,
        path_style: bool,
    ) -> Result<Location, String> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let bucket_ok = (3..=63).contains(&bucket.len())
                && bucket
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b));
            if !bucket_ok {
                return Err(format!(
                    "{bucket:?} is not a bucket name (3 to 63 lower-case letters, digits, '-', '.')"
                ));
            }
            let prefix = prefix.trim_matches('/');
            if prefix.split('/').any(|p| p == "." || p == "..") {
                return Err("the prefix may not contain '.' or '..'".into());
            }
            let endpoint = endpoint.map(str::trim).filter(|e| !e.is_empty());
            if let Some(e) = endpoint
                && !(e.starts_with("http://") || e.starts_with("https://"))
            {
                return Err(format!(
                    "the endpoint {e:?} must start with http:// or https://"
                ));
            }
            return Ok(Location::S3(S3Location {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
                endpoint: endpoint.map(|e| e.trim_end_matches('/').to_owned()),
                region: if region.is_empty() {
                    "us-east-1".to_owned()
                } else {
                    region.to_owned()
                },
                path_style,
            }));
        }
        if let Some(dir) = url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err("file:// needs a directory, e.g. file:///srv/portico/data".into());
            }
            let dir = PathBuf::from(dir);
            return Ok(Location::Local {
                media: dir.join("uploads"),
                private: dir.join("private"),
            });
        }
        Err("expected s3://bucket/prefix or file:///directory".into())
    }

    /// For messages: where the files are, without credentials.
    pub fn describe(&self) -> String {
        match self {
            Location::Local { media, private } => {
                format!("directories {} and {}", media.display(), private.display())
            }
            Location::S3(s) => format!(
                "s3://{}/{} at {}",
                s.bucket,
                s.prefix,
                s.endpoint.as_deref().unwrap_or("AWS")
            ),
        }
    }
}

/// The site's two stores.
#[derive(Clone, Debug)]
pub struct Stores {
    /// Public: everything here is served under `/media/`.
    pub media: Store,
    /// Staff only: 投稿 attachments.
    pub private: Store,
}

impl Stores {
    /// Opens (and for directories, creates) the stores at `location`. Nothing is contacted
    /// yet: an unreachable bucket shows in [`Store::ping`] and in the calls that need it.
    pub fn open(location: &Location) -> Result<Stores> {
        match location {
            Location::Local { media, private } => Ok(Stores {
                media: Store::local(media)?,
                private: Store::local(private)?,
            }),
            Location::S3(s3) => {
                let bucket: Arc<dyn ObjectStore> = Arc::new(s3_client(s3)?);
                let under = |name: &str| {
                    let key = if s3.prefix.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{}/{name}", s3.prefix)
                    };
                    Store {
                        inner: Arc::new(PrefixStore::new(bucket.clone(), key.as_str())),
                        root: None,
                        label: format!("s3://{}/{key}", s3.bucket),
                    }
                };
                Ok(Stores {
                    media: under("media"),
                    private: under("private"),
                })
            }
        }
    }
}

fn s3_client(s3: &S3Location) -> Result<object_store::aws::AmazonS3> {
    // The HTTP client's TLS takes the process's rustls provider (ring: see Cargo.toml); the
    // first store installs it, later calls find it there (the error says so, and is ignored).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = AmazonS3Builder::from_env()
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_virtual_hosted_style_request(!s3.path_style)
        .with_client_options(
            // No limit on a whole request (a large file streams to a slow reader as long as
            // it takes), but a connection that stops sending fails after 10 s.
            ClientOptions::new()
                .with_connect_timeout(Duration::from_secs(2))
                .with_timeout_disabled()
                .with_read_timeout(Duration::from_secs(10))
                .with_allow_http(
                    s3.endpoint
                        .as_deref()
                        .is_some_and(|e| e.starts_with("http://")),
                ),
        )
        // A store that does not answer is reported within seconds, not retried for minutes.
        .with_retry(RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 2,
            retry_timeout: Duration::from_secs(4),
        });
    if let Some(e) = &s3.endpoint {
        b = b.with_endpoint(e);
    }
    b.build()
        .map_err(|e| Error::Invalid(format!("S3 storage: {e}")))
}

/// What is known of a stored file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub size: u64,
    pub modified: chrono::DateTime<chrono::Utc>,
    /// The store's entity tag, when it keeps one.
    pub etag: Option<String>,
}

/// An open file: its details, the bytes of the requested range, and the stream of them.
pub struct Opened {
    pub meta: Meta,
    pub range: std::ops::Range<u64>,
    pub body: BoxStream<'static, Result<Bytes>>,
}

/// A set of files addressed by relative paths such as `2026/12/ab12cd34.pdf`.
#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    /// The directory, for a local store.
    root: Option<PathBuf>,
    label: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

impl Store {
    /// The directory `root` (created if missing). Writes are flushed to disk before they are
    /// acknowledged, so a crash leaves either the whole file or none.
    pub fn local(root: impl Into<PathBuf>) -> Result<Store> {
        let root: PathBuf = root.into();
        std::fs::create_dir_all(&root)?;
        let fs = LocalFileSystem::new_with_prefix(&root)
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(Store {
            inner: Arc::new(fs),
            label: root.display().to_string(),
            root: Some(root),
        })
    }

    /// The directory of a local store (`None` for a bucket).
    pub fn local_root(&self) -> Option<&FsPath> {
        self.root.as_deref()
    }

    /// For messages: the directory or the bucket and prefix.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The key of `rel`, refusing anything that could leave the store (`..`, absolute paths,
    /// empty parts).
    fn key(rel: &str) -> Result<Path> {
        let p = FsPath::new(rel);
        let plain = !rel.is_empty()
            && !rel.ends_with('/')
            && p.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(Error::NotFound);
        }
        Path::parse(rel).map_err(|_| Error::NotFound)
    }

    /// Writes `bytes` at `rel`, whole or not at all.
    pub async fn put(&self, rel: &str, bytes: impl Into<Bytes>) -> Result<()> {
        let key = Self::key(rel)?;
        let payload = PutPayload::from(bytes.into());
        limited(self.inner.put(&key, payload)).await.map(|_| ())
    }

    /// The bytes at `rel`; `NotFound` when there is no such file.
    pub async fn get(&self, rel: &str) -> Result<Vec<u8>> {
        let key = Self::key(rel)?;
        let got = limited(self.inner.get(&key)).await?;
        let bytes = limited(got.bytes()).await?;
        Ok(bytes.to_vec())
    }

    /// Size and dates of the file at `rel`.
    pub async fn head(&self, rel: &str) -> Result<Meta> {
        let key = Self::key(rel)?;
        let meta = limited(self.inner.head(&key)).await?;
        Ok(meta_of(&meta))
    }

    /// Opens `rel` for streaming, whole or the `range` of it. Only the opening has a time
    /// limit here; the stream's own reads fail with an error if the store goes away.
    pub async fn open(&self, rel: &str, range: Option<GetRange>) -> Result<Opened> {
        let key = Self::key(rel)?;
        let got = limited(
            self.inner
                .get_opts(&key, GetOptions::new().with_range(range)),
        )
        .await?;
        let meta = meta_of(&got.meta);
        let range = got.range.clone();
        let body = got
            .into_stream()
            .map(|chunk| chunk.map_err(storage_error))
            .boxed();
        Ok(Opened { meta, range, body })
    }

    /// Removes the file at `rel`, if it is there (a failure is logged: an orphaned file
    /// wastes space but harms nothing).
    pub async fn remove(&self, rel: &str) {
        let Ok(key) = Self::key(rel) else { return };
        match limited(self.inner.delete(&key)).await {
            Ok(()) | Err(Error::NotFound) => {}
            Err(e) => {
                tracing::warn!(store = %self.label, path = rel, error = %e, "could not remove a file")
            }
        }
    }

    /// Every file, as (relative path, size), in no particular order.
    pub fn list(&self) -> BoxStream<'static, Result<(String, u64)>> {
        self.inner
            .list(None)
            .map(|m| {
                m.map(|m| (m.location.to_string(), m.size))
                    .map_err(storage_error)
            })
            .boxed()
    }

    /// Whether the store answers (for `/readyz`): a lookup of a file that need not exist.
    pub async fn ping(&self) -> Result<()> {
        if let Some(root) = &self.root
            && !root.is_dir()
        {
            return Err(Error::StorageUnavailable(format!(
                "{} is not a directory",
                root.display()
            )));
        }
        match limited(self.inner.head(&Path::from(".portico-ping"))).await {
            Ok(_) | Err(Error::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

fn meta_of(m: &object_store::ObjectMeta) -> Meta {
    Meta {
        size: m.size,
        modified: m.last_modified,
        etag: m.e_tag.clone(),
    }
}

fn storage_error(e: object_store::Error) -> Error {
    match e {
        object_store::Error::NotFound { .. } => Error::NotFound,
        other => Error::StorageUnavailable(other.to_string()),
    }
}

/// Runs one storage call with the time limit.
async fn limited<T>(call: impl Future<Output = object_store::Result<T>>) -> Result<T> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(r) => r.map_err(storage_error),
        Err(_) => Err(Error::StorageUnavailable(format!(
            "no answer within {} s",
            CALL_TIMEOUT.as_secs()
        ))),
    }
}

/// A random file stem (16 letters and digits): stored files never carry a name a sender chose.
pub fn stem() -> Result<String> {
    Ok(crate::auth::random_token()?
        .chars()
        .take(16)
        .collect::<String>()
        .replace(['-', '_'], "x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_go_in_and_come_out_and_never_leave_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::local(dir.path().join("private")).unwrap();
        store
            .put("2026/12/a.pdf", b"%PDF-1.4".to_vec())
            .await
            .unwrap();
        assert_eq!(store.get("2026/12/a.pdf").await.unwrap(), b"%PDF-1.4");
        assert!(dir.path().join("private/2026/12/a.pdf").is_file());
        assert!(matches!(
            store.get("2026/12/b.pdf").await,
            Err(Error::NotFound)
        ));
        assert!(matches!(store.get("../x").await, Err(Error::NotFound)));
        assert!(matches!(
            store.put("/etc/x", b"x".to_vec()).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(store.get("").await, Err(Error::NotFound)));
        store.remove("2026/12/a.pdf").await;
        assert!(matches!(
            store.get("2026/12/a.pdf").await,
            Err(Error::NotFound)
        ));
        assert_eq!(stem().unwrap().len(), 16);
    }

    #[test]
    fn storage_urls() {
        let s3 = Location::parse(
            "s3://portico/site-a/",
            Some("http://127.0.0.1:8333"),
            "",
            true,
        )
        .unwrap();
        assert_eq!(
            s3,
            Location::S3(S3Location {
                bucket: "portico".into(),
                prefix: "site-a".into(),
                endpoint: Some("http://127.0.0.1:8333".into()),
                region: "us-east-1".into(),
                path_style: true,
            })
        );
        assert_eq!(
            Location::parse("file:///srv/p/data", None, "", false).unwrap(),
            Location::Local {
                media: "/srv/p/data/uploads".into(),
                private: "/srv/p/data/private".into()
            }
        );
        for bad in [
            "s3://A/x",
            "s3://ab",
            "ftp://x",
            "s3://bucket/../x",
            "file://",
        ] {
            assert!(Location::parse(bad, None, "", false).is_err(), "{bad}");
        }
        assert!(Location::parse("s3://bucket", Some("127.0.0.1:8333"), "", true).is_err());
    }
}
