//! The zip package of a Word document, read with every size counted as it is inflated: the
//! sizes the zip directory claims are only used to refuse early, never believed.

use std::io::{Cursor, Read, Seek};

use crate::Error;

/// Parts a package may have (a Word document has tens; a few hundred with many pictures).
pub const MAX_ENTRIES: usize = 5_000;
/// The most all parts together may unpack to, by the directory and as really read.
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// The most one part may unpack to (the document text of a long report is a few MB).
pub const MAX_PART: u64 = 64 * 1024 * 1024;

/// Why a package could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a zip, or damaged.
    Broken,
    /// Not a Word document (no `word/document.xml`).
    NotWord,
    /// Too many parts, or parts that unpack to more than allowed (by the directory, or
    /// really: a part that inflates to more than it says is refused too).
    TooLarge,
}

impl Refusal {
    pub fn into_error(self) -> Error {
        Error::Invalid(
            match self {
                Refusal::Broken | Refusal::NotWord => {
                    "文件不是有效的 Word 文档（.docx），请在 Word 或 WPS 中另存为 .docx 后再试"
                }
                Refusal::TooLarge => {
                    "Word 文档解压后过大或已损坏，无法导入。请将文档拆分后分次导入，或复制粘贴需要的部分"
                }
            }
            .into(),
        )
    }
}

/// An opened package: its directory checked.
pub struct Package<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// Bytes really inflated so far, over all parts.
    inflated: u64,
}

impl<'a> Package<Cursor<&'a [u8]>> {
    /// Opens `bytes` as a Word package (see [`Package::read_from`]).
    pub fn open(bytes: &'a [u8]) -> std::result::Result<Self, Refusal> {
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(Refusal::Broken);
        }
        Package::read_from(Cursor::new(bytes))
    }
}

impl<R: Read + Seek> Package<R> {
    /// Opens what `source` holds as a Word package: a zip of at most [`MAX_ENTRIES`] parts
    /// whose claimed sizes fit [`MAX_PART`] each and [`MAX_UNPACKED`] together, with
    /// `word/document.xml`.
    pub fn read_from(source: R) -> std::result::Result<Self, Refusal> {
        let mut zip = zip::ZipArchive::new(source).map_err(|_| Refusal::Broken)?;
        if zip.len() > MAX_ENTRIES {
            return Err(Refusal::TooLarge);
        }
        let mut total = 0u64;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|_| Refusal::Broken)?;
            if f.size() > MAX_PART {
                return Err(Refusal::TooLarge);
            }
            total = total.saturating_add(f.size());
        }
        if total > MAX_UNPACKED {
            return Err(Refusal::TooLarge);
        }
        if zip.index_for_name("word/document.xml").is_none() {
            return Err(Refusal::NotWord);
        }
        Ok(Package { zip, inflated: 0 })
    }

    /// Whether the package has a part called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Reads part `name` through `use_part`, which gets a reader that fails once more bytes
    /// come out than the part claims, than `cap`, or than the package has left of
    /// [`MAX_UNPACKED`]. `Ok(None)` when there is no such part.
    pub fn read<T>(
        &mut self,
        name: &str,
        cap: u64,
        use_part: impl FnOnce(&mut dyn Read) -> std::io::Result<T>,
    ) -> std::result::Result<Option<T>, Refusal> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let left = MAX_UNPACKED.saturating_sub(self.inflated);
        let file = self.zip.by_index(index).map_err(|_| Refusal::Broken)?;
        let limit = file.size().min(cap).min(left);
        let mut counted = Counted {
            inner: file,
            limit,
            read: 0,
            over: false,
        };
        let result = use_part(&mut counted);
        self.inflated = self.inflated.saturating_add(counted.read);
        match result {
            Ok(t) => Ok(Some(t)),
            Err(_) if counted.over => Err(Refusal::TooLarge),
            Err(_) => Err(Refusal::Broken),
        }
    }

    /// The bytes of part `name`, at most `cap` of them.
    pub fn bytes(&mut self, name: &str, cap: u64) -> std::result::Result<Option<Vec<u8>>, Refusal> {
        self.read(name, cap, |r| {
            let mut out = Vec::new();
            r.read_to_end(&mut out)?;
            Ok(out)
        })
    }

    /// Inflates part `name` to nowhere, counting it (whether it really unpacks, and to no
    /// more than it claims): `Ok(false)` when there is no such part.
    pub fn check(&mut self, name: &str) -> std::result::Result<bool, Refusal> {
        Ok(self
            .read(name, MAX_PART, |r| std::io::copy(r, &mut std::io::sink()))?
            .is_some())
    }
}

/// A part's reader that counts what it gives and fails past its limit.
struct Counted<R> {
    inner: R,
    limit: u64,
    read: u64,
    over: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            self.over = true;
            return Err(std::io::Error::other("a part unpacks to more than allowed"));
        }
        Ok(n)
    }
}

/// Whether `bytes` are a Word document whose directory is sane and whose main part really
/// unpacks, within the limits (inflated to nowhere: no memory is taken for it).
pub fn is_word(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && is_word_in(Cursor::new(bytes))
}

/// [`is_word`] of what `source` holds.
pub fn is_word_in(source: impl Read + Seek) -> bool {
    match Package::read_from(source) {
        Ok(mut p) => p.check("word/document.xml").unwrap_or(false),
        Err(_) => false,
    }
}
