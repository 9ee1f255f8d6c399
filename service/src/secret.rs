//! The installation's secret: one random key that never enters the database, from which the
//! audit chain's HMAC key (and later the keys that encrypt second factors and readers'
//! contact details) are derived. Someone who can write to the database but does not hold
//! this key cannot make an altered audit row look genuine.
//!
//! It comes from `PORTICO_SECRET_KEY` (every server of a cluster must have the same one), or
//! from the key file (`[security] key-file`, made on first start with mode 0600).

use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// 32 secret bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.fingerprint())
    }
}

impl Secret {
    /// A secret given as text: base64 or hex of at least 32 bytes (longer ones are hashed
    /// down to 32).
    pub fn from_text(text: &str) -> Result<Secret> {
        let text = text.trim();
        let bytes = if text.len() >= 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..text.len() / 2)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
                .collect::<std::result::Result<Vec<u8>, _>>()
                .ok()
        } else {
            STANDARD.decode(text).ok()
        };
        match bytes {
            Some(b) if b.len() == 32 => {
                let mut key = [0u8; 32];
                key.copy_from_slice(&b);
                Ok(Secret(key))
            }
            Some(b) if b.len() > 32 => Ok(Secret(Sha256::digest(&b).into())),
            _ => Err(Error::Invalid(
                "the secret key must be at least 32 bytes, written as base64 or hex \
                 (make one with: openssl rand -base64 32)"
                    .into(),
            )),
        }
    }

    /// A secret of exactly these bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Secret {
        Secret(bytes)
    }

    /// The secret's bytes (for a key used as it is, such as the personal-data key).
    pub fn bytes(&self) -> [u8; 32] {
        self.0
    }

    /// A fresh random secret.
    pub fn generate() -> Result<Secret> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        Ok(Secret(key))
    }

    /// The secret as base64 text, as the key file holds it.
    pub fn to_text(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the key file, or makes it (readable by its owner only) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Secret> {
        match std::fs::read_to_string(path) {
            Ok(text) => Secret::from_text(&text).map_err(|_| {
                Error::Invalid(format!(
                    "the key file {} does not hold a key (base64 of 32 bytes)",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let secret = Secret::generate()?;
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                match write_private(path, &format!("{}\n", secret.to_text())) {
                    Ok(()) => {}
                    // Another process made it first (two servers starting at once): theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        return Secret::load_or_create(path);
                    }
                    Err(e) => return Err(e.into()),
                }
                tracing::warn!(
                    file = %path.display(),
                    "made a new installation key; keep a copy of it apart from the database backups \
                     (the audit log can only be verified with it)"
                );
                Ok(secret)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A key for one purpose, so that no two uses share a key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"portico:");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Eight hex digits that tell two keys apart without revealing either.
    pub fn fingerprint(&self) -> String {
        hex(&self.derive("fingerprint")[..4])
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

static INSTALLED: OnceLock<Secret> = OnceLock::new();

/// Makes `secret` the process's installation secret. A second call with the same secret is
/// fine; a different one is refused (one process serves one installation).
pub fn install(secret: Secret) -> Result<()> {
    let current = INSTALLED.get_or_init(|| secret.clone());
    if *current == secret {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "another installation key ({}) is already in use in this process",
            current.fingerprint()
        )))
    }
}

/// The installation secret. Unit tests get a fixed one.
pub fn installed() -> Result<&'static Secret> {
    #[cfg(test)]
    {
        let _ = install(Secret([7u8; 32]));
    }
    INSTALLED.get().ok_or_else(|| {
        Error::Io(std::io::Error::other(
            "no installation key: the server installs it at start-up",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_as_base64_or_hex_and_derived_per_purpose() {
        let a = Secret::generate().unwrap();
        assert_eq!(Secret::from_text(&a.to_text()).unwrap(), a);
        let hexed = hex(&a.0);
        assert_eq!(Secret::from_text(&hexed).unwrap(), a);
        assert!(Secret::from_text("c2hvcnQ=").is_err());
        assert!(Secret::from_text("not a key").is_err());
        assert_ne!(a.derive("audit"), a.derive("totp"));
        assert_eq!(a.derive("audit"), a.derive("audit"));
        assert_eq!(a.fingerprint().len(), 8);
        assert!(!format!("{a:?}").contains(&a.to_text()));
    }

    #[test]
    fn a_missing_key_file_is_made_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/portico.key");
        let made = Secret::load_or_create(&path).unwrap();
        assert_eq!(Secret::load_or_create(&path).unwrap(), made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(Secret::load_or_create(&path).is_err());
    }
}
