//! Where the site keeps its files: the public media (images, served under `/media/`) and the
//! private files (投稿 attachments, served to staff only). Both go through [`Store`], so
//! moving them elsewhere later changes this module and nothing that uses it.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// A directory of files addressed by relative paths such as `2026/12/ab12cd34.pdf`.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file at `rel`, refusing anything that could leave the store (`..`, absolute paths).
    fn path(&self, rel: &str) -> Result<PathBuf> {
        let p = Path::new(rel);
        let plain = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(Error::NotFound);
        }
        Ok(self.root.join(p))
    }

    /// Writes `bytes` at `rel` durably: to a temporary file, flushed to disk, then renamed
    /// into place, so a crash leaves either the whole file or none.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(rel)?;
        let dir = path.parent().ok_or(Error::NotFound)?;
        std::fs::create_dir_all(dir)?;
        let tmp = path.with_extension("part");
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)?;
        // The new directory entry too (a rename is only durable once its directory is).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// The bytes at `rel`; `NotFound` when there is no such file.
    pub fn get(&self, rel: &str) -> Result<Vec<u8>> {
        match std::fs::read(self.path(rel)?) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes the file at `rel`, if it is there.
    pub fn remove(&self, rel: &str) {
        if let Ok(p) = self.path(rel) {
            let _ = std::fs::remove_file(p);
        }
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

    #[test]
    fn files_go_in_and_come_out_and_never_leave_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("private"));
        store.put("2026/12/a.pdf", b"%PDF-1.4").unwrap();
        assert_eq!(store.get("2026/12/a.pdf").unwrap(), b"%PDF-1.4");
        assert!(!dir.path().join("private/2026/12/a.part").exists());
        assert!(matches!(store.get("2026/12/b.pdf"), Err(Error::NotFound)));
        assert!(matches!(store.get("../x"), Err(Error::NotFound)));
        assert!(matches!(store.put("/etc/x", b"x"), Err(Error::NotFound)));
        assert!(matches!(store.get(""), Err(Error::NotFound)));
        store.remove("2026/12/a.pdf");
        assert!(matches!(store.get("2026/12/a.pdf"), Err(Error::NotFound)));
        assert_eq!(stem().unwrap().len(), 16);
    }
}
