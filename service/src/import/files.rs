//! Pictures and attachments of the old site, read from a copy of its upload folder
//! (`--media DIR`) and never from anywhere else: an old address is matched against the
//! folder by its last path segments (`/uploads/allimg/201229/1.jpg` is found as
//! `DIR/allimg/201229/1.jpg` or `DIR/uploads/allimg/201229/1.jpg`), and a path that would
//! leave the folder (`..`, a link pointing out) is refused.

use std::path::{Component, Path, PathBuf};

/// The largest file read.
pub const MAX_FILE_BYTES: u64 = 50 << 20;

/// Why an old file was not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No upload folder was given.
    NoFolder,
    /// Not in the folder.
    NotThere,
    /// The address tries to leave the folder.
    Escapes,
    TooBig(u64),
}

impl Missing {
    pub fn reason(&self) -> String {
        match self {
            Missing::NoFolder => "未指定 --media（旧站上传目录），无法读取".into(),
            Missing::NotThere => "在 --media 目录中找不到这个文件".into(),
            Missing::Escapes => "路径越出 --media 目录，已拒绝读取".into(),
            Missing::TooBig(n) => format!("文件过大（{:.1} MB）", *n as f64 / 1048576.0),
        }
    }
}

/// The upload folder of the old site.
#[derive(Clone, Debug)]
pub struct MediaDir {
    root: Option<PathBuf>,
}

impl MediaDir {
    /// `dir` must exist; `None` when the operator gave none.
    pub fn open(dir: Option<&Path>) -> std::io::Result<MediaDir> {
        Ok(MediaDir {
            root: dir.map(std::fs::canonicalize).transpose()?,
        })
    }

    /// The file an old address (site-relative, no query) stands for.
    pub fn find(&self, path: &str) -> Result<PathBuf, Missing> {
        let Some(root) = &self.root else {
            return Err(Missing::NoFolder);
        };
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
        if segments.is_empty() {
            return Err(Missing::NotThere);
        }
        for s in &segments {
            let parsed = Path::new(s).components().collect::<Vec<_>>();
            if s.contains('\0')
                || s.contains(':')
                || parsed.len() != 1
                || !matches!(parsed[0], Component::Normal(_))
            {
                return Err(Missing::Escapes);
            }
        }
        // Longest first; at least the folder a file is in, when it has one.
        let keep_at_least = segments.len().min(2);
        for start in 0..=segments.len() - keep_at_least {
            let candidate = segments[start..]
                .iter()
                .fold(root.clone(), |p, s| p.join(s));
            let Ok(meta) = std::fs::metadata(&candidate) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let real = std::fs::canonicalize(&candidate).map_err(|_| Missing::NotThere)?;
            if !real.starts_with(root) {
                return Err(Missing::Escapes);
            }
            if meta.len() > MAX_FILE_BYTES {
                return Err(Missing::TooBig(meta.len()));
            }
            return Ok(real);
        }
        Err(Missing::NotThere)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_inside_the_folder_only() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("uploads");
        std::fs::create_dir_all(root.join("allimg/201229")).unwrap();
        std::fs::write(root.join("allimg/201229/1.jpg"), b"jpg").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            root.join("allimg/link.jpg"),
        )
        .unwrap();
        let media = MediaDir::open(Some(&root)).unwrap();
        let found = media.find("/uploads/allimg/201229/1.jpg").unwrap();
        assert!(found.ends_with("allimg/201229/1.jpg"));
        assert!(media.find("/allimg/201229/1.jpg").is_ok());
        assert_eq!(
            media.find("/uploads/allimg/201229/2.jpg"),
            Err(Missing::NotThere)
        );
        assert_eq!(media.find("/1.jpg"), Err(Missing::NotThere));
        for bad in [
            "/../../etc/passwd",
            "/uploads/../secret.txt",
            "..\\..\\x",
            "/a/./b",
            "/C:/x",
        ] {
            assert_eq!(media.find(bad), Err(Missing::Escapes), "{bad}");
        }
        #[cfg(unix)]
        assert_eq!(media.find("/allimg/link.jpg"), Err(Missing::Escapes));
        assert_eq!(
            MediaDir::open(None).unwrap().find("/a.jpg"),
            Err(Missing::NoFolder)
        );
    }
}
