//! Word documents (.docx) into article HTML: headings, paragraphs (bold and italic kept),
//! tables and pictures, in document order. Used when editors accept a 投稿 and by the
//! editor's "导入 Word 文档" action; pictures go into the media library like pasted ones, and
//! the result is cleaned like a paste.
//!
//! Everything in a document comes from outside, so reading it is bounded: the package's
//! parts are counted as they are inflated ([`package`]), `document.xml` is read in one
//! streaming pass into HTML of bounded size ([`walk`]), pictures are read one at a time when
//! they are stored, and conversions run a few at a time, off the async threads
//! ([`crate::work`]).

use std::io::BufReader;

use crate::audit::Actor;
use crate::db::Db;
use crate::html::escape;
use crate::paste::Pasted;
use crate::submission::MAX_FILE_BYTES;
use crate::{Error, Result};

pub mod package;
pub mod parts;
pub mod walk;

pub use walk::{Limits, marker};

/// The most pictures taken from one document.
pub const MAX_PICTURES: usize = 60;

/// A document converted: the HTML with a marker where each picture goes, and the package
/// parts of those pictures (in document order; read with [`picture`]).
#[derive(Debug, Default)]
pub struct Converted {
    pub html: String,
    pub pictures: Vec<String>,
    /// Pictures past [`MAX_PICTURES`] or missing from the file.
    pub skipped: usize,
}

fn too_much(what: &str) -> Error {
    Error::Invalid(format!(
        "Word 文档过大或结构过于复杂（{what}），无法导入。请将文档拆分后分次导入，或复制粘贴需要的部分"
    ))
}

/// Converts a .docx within `limits` (blocking work: run it through [`crate::work::heavy`]).
pub fn convert_with(bytes: &[u8], limits: Limits) -> Result<Converted> {
    let mut package = package::Package::open(bytes).map_err(package::Refusal::into_error)?;
    let small = parts::MAX_SMALL_PART;
    let headings = package
        .read("word/styles.xml", small, |r| {
            parts::headings(BufReader::new(r)).map_err(std::io::Error::other)
        })
        .ok()
        .flatten()
        .unwrap_or_default();
    let rels = package
        .read("word/_rels/document.xml.rels", small, |r| {
            parts::relationships(BufReader::new(r)).map_err(std::io::Error::other)
        })
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut stopped = None;
    let walked = package
        .read("word/document.xml", package::MAX_PART, |r| {
            walk::walk(BufReader::new(r), &headings, &rels, limits).map_err(|stop| {
                stopped = Some(stop);
                std::io::Error::other("stopped")
            })
        })
        .map_err(|refusal| match stopped.take() {
            Some(walk::Stop::TooMuch(what)) => too_much(what),
            _ => refusal.into_error(),
        })?
        .ok_or_else(|| package::Refusal::NotWord.into_error())?;
    Ok(Converted {
        html: walked.html,
        pictures: walked.pictures,
        skipped: walked.skipped,
    })
}

/// Converts a .docx with the default [`Limits`].
pub fn convert(bytes: &[u8]) -> Result<Converted> {
    convert_with(bytes, Limits::default())
}

/// The bytes of picture `part` of the document, if it is there and no larger than a picture
/// upload may be.
pub fn picture(bytes: &[u8], part: &str) -> Option<Vec<u8>> {
    let mut package = package::Package::open(bytes).ok()?;
    package
        .bytes(part, crate::media::MAX_BYTES as u64)
        .ok()
        .flatten()
}

/// Converts a .docx and puts its pictures into the media library: the article HTML, cleaned
/// like a paste, with what could not be carried over.
pub async fn import(
    db: &Db,
    media: &crate::storage::Store,
    actor: &Actor,
    bytes: Vec<u8>,
) -> Result<Pasted> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::Invalid(format!(
            "Word 文档不能超过 {} MB",
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::sync::Arc::new(bytes);
    let converted = {
        let bytes = bytes.clone();
        crate::work::heavy(move || convert(&bytes)).await??
    };
    let mut pasted = Pasted::default();
    let mut html = converted.html;
    let mut missing = converted.skipped;
    for (n, part) in converted.pictures.into_iter().enumerate() {
        // One picture in memory at a time.
        let found = {
            let bytes = bytes.clone();
            crate::work::heavy(move || picture(&bytes, &part)).await?
        };
        let tag = match found {
            None => {
                missing += 1;
                String::new()
            }
            Some(picture) => {
                match crate::media::store(db, media, actor, &picture, Default::default()).await {
                    Ok(img) => {
                        pasted.images += 1;
                        format!("<img src=\"/media/{}\" alt=\"\">", escape(&img.path))
                    }
                    Err(e) => {
                        pasted
                            .warnings
                            .push(format!("文档中的一张图片未能导入：{}", e.reader_message()));
                        String::new()
                    }
                }
            }
        };
        html = html.replacen(&marker(n), &tag, 1);
    }
    if missing > 0 {
        pasted.warnings.push(format!(
            "文档中有 {missing} 张图片未能导入（格式不支持、过大或超过 {MAX_PICTURES} 张），请用“插入图片”单独上传"
        ));
    }
    pasted.html = crate::work::heavy(move || crate::paste::clean_markup(&html)).await?;
    Ok(pasted)
}

#[cfg(test)]
mod tests;
