//! A 投稿 file's bytes as they arrived: spooled to a temporary file while the post is read
//! (so that many large posts at once cost disk, not memory), or in memory (tests, small
//! things). A spooled file is removed when the last handle to it goes.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;

/// Where posts' files wait while they are checked: a folder of the system's temporary
/// directory, shared by the app servers of one machine.
pub fn spool_dir() -> PathBuf {
    std::env::temp_dir().join("portico-spool")
}

/// Removes spooled files older than an hour (left by a server that was killed).
pub fn clean_spool() {
    let Ok(entries) = std::fs::read_dir(spool_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A spooled file: removed when dropped.
#[derive(Debug)]
pub struct Spooled {
    path: PathBuf,
    len: u64,
}

impl Spooled {
    /// A file written to `path` (holding `len` bytes) that is now this handle's to remove.
    pub fn adopt(path: PathBuf, len: u64) -> Spooled {
        Spooled { path, len }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A file's bytes, wherever they are.
#[derive(Clone, Debug)]
pub enum Content {
    Memory(Bytes),
    Spooled(Arc<Spooled>),
}

impl Default for Content {
    fn default() -> Self {
        Content::Memory(Bytes::new())
    }
}

impl From<Vec<u8>> for Content {
    fn from(v: Vec<u8>) -> Self {
        Content::Memory(Bytes::from(v))
    }
}

impl From<Bytes> for Content {
    fn from(b: Bytes) -> Self {
        Content::Memory(b)
    }
}

impl From<&'static [u8]> for Content {
    fn from(b: &'static [u8]) -> Self {
        Content::Memory(Bytes::from_static(b))
    }
}

impl PartialEq for Content {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Content::Memory(a), Content::Memory(b)) => a == b,
            (Content::Spooled(a), Content::Spooled(b)) => a.path == b.path,
            _ => false,
        }
    }
}

impl Eq for Content {}

/// What a content is read through.
pub trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

impl Content {
    pub fn len(&self) -> usize {
        match self {
            Content::Memory(b) => b.len(),
            Content::Spooled(s) => usize::try_from(s.len).unwrap_or(usize::MAX),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A reader of the bytes (blocking for a spooled file: use it off the async threads).
    pub fn reader(&self) -> std::io::Result<Box<dyn Source + '_>> {
        Ok(match self {
            Content::Memory(b) => Box::new(std::io::Cursor::new(b.as_ref())),
            Content::Spooled(s) => Box::new(std::io::BufReader::new(std::fs::File::open(&s.path)?)),
        })
    }

    /// All the bytes (read from disk for a spooled file: blocking).
    pub fn bytes(&self) -> std::io::Result<Bytes> {
        match self {
            Content::Memory(b) => Ok(b.clone()),
            Content::Spooled(s) => std::fs::read(&s.path).map(Bytes::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spooled_file_is_read_and_removed_with_its_last_handle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upload.part");
        std::fs::write(&path, b"%PDF-1.7 spooled").unwrap();
        let content = Content::Spooled(Arc::new(Spooled::adopt(path.clone(), 16)));
        let copy = content.clone();
        assert_eq!(content.len(), 16);
        assert_eq!(&content.bytes().unwrap()[..], b"%PDF-1.7 spooled");
        let mut reader = content.reader().unwrap();
        assert_eq!(
            crate::submission::sniff_in("a.pdf", &mut reader),
            Some(crate::submission::FileKind::Pdf)
        );
        drop(reader);
        drop(content);
        assert!(path.exists(), "another handle still holds it");
        drop(copy);
        assert!(!path.exists());
    }
}
