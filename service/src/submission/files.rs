//! What a 投稿 attachment is, decided by its content (never by its name): Word (.docx, or
//! the older .doc and WPS 文字's .wps, both OLE compound files holding a Word document),
//! PDF, JPEG or PNG.

use std::io::{Read, Seek};

/// One submission holds at most this many files…
pub const MAX_FILES: usize = 5;
/// …each at most this large…
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// …and together at most this much.
pub const MAX_TOTAL_BYTES: usize = 50 * 1024 * 1024;

/// The kinds of file a submission may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Docx,
    Doc,
    Wps,
    Pdf,
    Jpg,
    Png,
}

impl FileKind {
    pub fn ext(self) -> &'static str {
        match self {
            FileKind::Docx => "docx",
            FileKind::Doc => "doc",
            FileKind::Wps => "wps",
            FileKind::Pdf => "pdf",
            FileKind::Jpg => "jpg",
            FileKind::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Doc => "application/msword",
            FileKind::Wps => "application/vnd.ms-works",
            FileKind::Pdf => "application/pdf",
            FileKind::Jpg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        [
            FileKind::Docx,
            FileKind::Doc,
            FileKind::Wps,
            FileKind::Pdf,
            FileKind::Jpg,
            FileKind::Png,
        ]
        .into_iter()
        .find(|k| k.ext() == s)
    }

    /// What staff see in the file list.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Docx => "Word 文档",
            FileKind::Doc => "Word 97-2003 文档",
            FileKind::Wps => "WPS 文字文档",
            FileKind::Pdf => "PDF 文档",
            FileKind::Jpg => "JPEG 图片",
            FileKind::Png => "PNG 图片",
        }
    }
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What `bytes` are. `name` only tells a WPS file from a .doc when the content is an OLE
/// Word document either way.
pub fn sniff(name: &str, bytes: &[u8]) -> Option<FileKind> {
    sniff_in(name, &mut std::io::Cursor::new(bytes))
}

/// What the bytes `source` holds are ([`sniff`]), read in one pass of small pieces (a Word
/// package through its directory), never all at once: blocking when it is a file.
pub fn sniff_in(name: &str, source: &mut (impl Read + Seek)) -> Option<FileKind> {
    let mut head = [0u8; 8];
    let n = read_up_to(source, &mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpg)
    } else if head.starts_with(OLE) {
        // The directory names its streams in UTF-16: a Word document has `WordDocument`
        // (WPS 文字 writes the same), older WPS files `WpsContent`.
        let (word, wps) = ole_streams(source).ok()?;
        if wps || (word && name.to_ascii_lowercase().ends_with(".wps")) {
            Some(FileKind::Wps)
        } else if word {
            Some(FileKind::Doc)
        } else {
            None
        }
    } else if head.starts_with(b"PK\x03\x04") {
        source.rewind().ok()?;
        crate::docx::package::is_word_in(source).then_some(FileKind::Docx)
    } else {
        None
    }
}

fn read_up_to(source: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match source.read(&mut buf[n..])? {
            0 => break,
            got => n += got,
        }
    }
    Ok(n)
}

/// Whether an OLE file names a `WordDocument` and a `WpsContent` stream, read in pieces
/// that overlap by a name's length, so a name across two pieces is found too.
fn ole_streams(source: &mut (impl Read + Seek)) -> std::io::Result<(bool, bool)> {
    let word = utf16(b"WordDocument");
    let wps = utf16(b"WpsContent");
    let keep = word.len().max(wps.len());
    source.rewind()?;
    let mut window: Vec<u8> = Vec::with_capacity(64 * 1024 + keep);
    let mut piece = vec![0u8; 64 * 1024];
    let (mut has_word, mut has_wps) = (false, false);
    loop {
        let n = source.read(&mut piece)?;
        if n == 0 {
            break;
        }
        window.extend_from_slice(&piece[..n]);
        let has = |needle: &[u8]| window.windows(needle.len()).any(|w| w == needle);
        has_word |= has(&word);
        has_wps |= has(&wps);
        if has_word && has_wps {
            break;
        }
        let cut = window.len().saturating_sub(keep);
        window.drain(..cut);
    }
    Ok((has_word, has_wps))
}

fn utf16(ascii: &[u8]) -> Vec<u8> {
    ascii.iter().flat_map(|b| [*b, 0]).collect()
}

/// A file name as staff will see it and as the download will offer it: no directories, no
/// control characters, at most 100 characters; `附件` when nothing is left.
pub fn clean_name(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect::<String>()
        .trim()
        .chars()
        .take(100)
        .collect();
    let stem = cleaned
        .rsplit_once('.')
        .map(|(s, _)| s.to_owned())
        .unwrap_or(cleaned);
    let stem = if stem.trim().is_empty() {
        "附件".to_owned()
    } else {
        stem
    };
    // The extension follows the content, so a download always opens with the right program.
    format!("{}.{}", stem.trim(), kind.ext())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    pub fn docx_bytes(document: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(b"<Types/>").unwrap();
        z.start_file("word/document.xml", o).unwrap();
        z.write_all(document.as_bytes()).unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn kinds_come_from_content_not_names() {
        assert_eq!(sniff("a.exe", b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff("a.pdf", b"MZ\x90\x00"), None);
        assert_eq!(
            sniff("a.jpg", b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(sniff("x", &[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpg));
        assert_eq!(
            sniff("a.docx", &docx_bytes("<w:document/>")),
            Some(FileKind::Docx)
        );
        // A zip that is not a Word document (a spreadsheet, an archive).
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"<x/>").unwrap();
        z.finish().unwrap();
        assert_eq!(sniff("a.docx", &buf.into_inner()), None);
        let mut ole = OLE.to_vec();
        ole.extend(utf16(b"WordDocument"));
        assert_eq!(sniff("稿件.doc", &ole), Some(FileKind::Doc));
        assert_eq!(sniff("稿件.WPS", &ole), Some(FileKind::Wps));
        let mut xls = OLE.to_vec();
        xls.extend(utf16(b"Workbook"));
        assert_eq!(sniff("a.doc", &xls), None);
        assert_eq!(sniff("a.txt", b"<script>alert(1)</script>"), None);
    }

    #[test]
    fn names_are_cleaned_and_follow_the_content() {
        assert_eq!(
            clean_name("C:\\稿件\\开发区调研.DOCX", FileKind::Docx),
            "开发区调研.docx"
        );
        assert_eq!(clean_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(clean_name("photo.exe", FileKind::Jpg), "photo.jpg");
        assert_eq!(clean_name("\"<>.png", FileKind::Png), "附件.png");
        assert_eq!(clean_name("", FileKind::Pdf), "附件.pdf");
    }
}
