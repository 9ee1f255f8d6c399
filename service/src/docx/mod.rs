//! Word documents (.docx) into article HTML: headings, paragraphs (bold and italic kept),
//! tables and pictures, in document order. Used when editors accept a 投稿 and by the
//! editor's "导入 Word 文档" action. Reading is done by the `docx-rs` crate; pictures go into
//! the media library like pasted ones, and the result is cleaned like a paste.

use std::collections::HashMap;

use docx_rs::{
    Break, BreakType, DocumentChild, DrawingData, Image, InsertChild, MoveToChild, Paragraph,
    ParagraphChild, ReadDocxOptions, Run, RunChild, StructuredDataTag, StructuredDataTagChild,
    StyleType, Table, TableCellContent, TableChild, TableRowChild, TextBoxContentChild,
};

use crate::audit::Actor;
use crate::db::Db;
use crate::html::escape;
use crate::paste::Pasted;
use crate::submissions::{FileKind, MAX_FILE_BYTES};
use crate::{Error, Result};

/// The most pictures taken from one document.
pub const MAX_PICTURES: usize = 60;

/// Where picture `n` goes in the converted HTML until it is in the media library.
fn marker(n: usize) -> String {
    format!("\u{1}picture{n}\u{1}")
}

/// A document converted, its pictures still as bytes (in document order).
#[derive(Debug, Default)]
pub struct Converted {
    pub html: String,
    pub pictures: Vec<Vec<u8>>,
    /// Pictures past [`MAX_PICTURES`] or missing from the file.
    pub skipped: usize,
}

fn json_text(v: impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `heading 2`, `Heading2`, `标题 2` → 2.
fn heading_in_name(name: &str) -> Option<usize> {
    let n = name.trim().to_lowercase().replace(' ', "");
    ["heading", "标题", "標題"].iter().find_map(|p| {
        n.strip_prefix(p)
            .and_then(|rest| rest.parse::<usize>().ok())
            .filter(|v| (1..=9).contains(v))
    })
}

struct Walker<'a> {
    images: HashMap<&'a str, &'a [u8]>,
    headings: HashMap<String, usize>,
    out: Converted,
}

impl<'a> Walker<'a> {
    fn new(docx: &'a docx_rs::Docx) -> Walker<'a> {
        // Header and footer pictures come first and may reuse the body's ids: the body's,
        // inserted last, win.
        let images = docx
            .images
            .iter()
            .map(|(id, _, Image(bytes), _)| (id.as_str(), bytes.as_slice()))
            .collect();
        let headings = docx
            .styles
            .styles
            .iter()
            .filter(|s| s.style_type == StyleType::Paragraph)
            .filter_map(|s| {
                heading_in_name(&json_text(&s.name))
                    .or_else(|| {
                        s.paragraph_property
                            .outline_lvl
                            .as_ref()
                            .filter(|o| o.v < 9)
                            .map(|o| o.v + 1)
                    })
                    .or_else(|| heading_in_name(&s.style_id))
                    .map(|l| (s.style_id.clone(), l))
            })
            .collect();
        Walker {
            images,
            headings,
            out: Converted::default(),
        }
    }

    fn push(&mut self, s: &str) {
        self.out.html.push_str(s);
    }

    fn picture(&mut self, id: &str) {
        match self.images.get(id) {
            Some(bytes) if self.out.pictures.len() < MAX_PICTURES => {
                let n = self.out.pictures.len();
                self.out.pictures.push(bytes.to_vec());
                let m = marker(n);
                self.push(&m);
            }
            _ => self.out.skipped += 1,
        }
    }

    fn level(&self, p: &Paragraph) -> Option<usize> {
        if let Some(o) = &p.property.outline_lvl {
            return (o.v < 9).then_some(o.v + 1);
        }
        let id = &p.property.style.as_ref()?.val;
        self.headings.get(id).copied()
    }

    /// A paragraph as a block: the article's own title is its `<h1>`, so the document's
    /// first level is `<h2>`, and deeper levels stop at `<h4>`.
    fn paragraph(&mut self, p: &Paragraph) {
        let tag = match self.level(p) {
            Some(l) => format!("h{}", (l + 1).min(4)),
            None => "p".to_owned(),
        };
        let start = self.out.html.len();
        self.push(&format!("<{tag}>"));
        let inner = self.out.html.len();
        let mut boxes = Vec::new();
        self.inline(&p.children, &mut boxes);
        if self.out.html[inner..].trim().is_empty() {
            self.out.html.truncate(start);
        } else {
            self.push(&format!("</{tag}>"));
        }
        // Text boxes are blocks of their own, after the paragraph that anchors them.
        for b in boxes {
            for c in b {
                match c {
                    TextBoxContentChild::Paragraph(p) => self.paragraph(&p),
                    TextBoxContentChild::Table(t) => self.table(&t),
                }
            }
        }
    }

    fn inline(&mut self, children: &[ParagraphChild], boxes: &mut Vec<Vec<TextBoxContentChild>>) {
        for c in children {
            match c {
                ParagraphChild::Run(r) => self.run(r, boxes),
                ParagraphChild::Hyperlink(h) => self.inline(&h.children, boxes),
                ParagraphChild::Insert(ins) => {
                    for c in &ins.children {
                        if let InsertChild::Run(r) = c {
                            self.run(r, boxes);
                        }
                    }
                }
                ParagraphChild::MoveTo(m) => {
                    for c in &m.children {
                        if let MoveToChild::Run(r) = c {
                            self.run(r, boxes);
                        }
                    }
                }
                ParagraphChild::StructuredDataTag(s) => self.inline_sdt(s, boxes),
                // Deleted and moved-away text of tracked changes, bookmarks, comments.
                _ => {}
            }
        }
    }

    fn inline_sdt(&mut self, s: &StructuredDataTag, boxes: &mut Vec<Vec<TextBoxContentChild>>) {
        for c in &s.children {
            match c {
                StructuredDataTagChild::Run(r) => self.run(r, boxes),
                StructuredDataTagChild::StructuredDataTag(s) => self.inline_sdt(s, boxes),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Run, boxes: &mut Vec<Vec<TextBoxContentChild>>) {
        let on = |v: Option<serde_json::Value>| matches!(v, Some(serde_json::Value::Bool(true)));
        let bold = on(r
            .run_property
            .bold
            .as_ref()
            .and_then(|b| serde_json::to_value(b).ok()));
        let italic = on(r
            .run_property
            .italic
            .as_ref()
            .and_then(|i| serde_json::to_value(i).ok()));
        let mut text = String::new();
        let flush = |w: &mut Walker, text: &mut String| {
            if text.is_empty() {
                return;
            }
            let mut s = escape(text);
            if italic {
                s = format!("<em>{s}</em>");
            }
            if bold {
                s = format!("<strong>{s}</strong>");
            }
            w.push(&s);
            text.clear();
        };
        for c in &r.children {
            match c {
                RunChild::Text(t) => text.push_str(&t.text),
                RunChild::Tab(_) | RunChild::PTab(_) => text.push(' '),
                RunChild::Break(b) if *b == Break::new(BreakType::Page) => {}
                RunChild::Break(_) | RunChild::CarriageReturn(_) => {
                    flush(self, &mut text);
                    self.push("<br>");
                }
                RunChild::Drawing(d) => {
                    flush(self, &mut text);
                    match &d.data {
                        Some(DrawingData::Pic(pic)) => self.picture(&pic.id),
                        Some(DrawingData::TextBox(tb)) => boxes.push(tb.children.clone()),
                        None => {}
                    }
                }
                RunChild::Shape(s) => {
                    flush(self, &mut text);
                    if let Some(img) = &s.image_data {
                        self.picture(&img.id);
                    }
                }
                _ => {}
            }
        }
        flush(self, &mut text);
    }

    fn table(&mut self, t: &Table) {
        self.push("<table><tbody>");
        for TableChild::TableRow(row) in &t.rows {
            self.push("<tr>");
            for TableRowChild::TableCell(cell) in &row.cells {
                let props = serde_json::to_value(&cell.property).unwrap_or_default();
                if props["verticalMerge"] == "continue" {
                    continue;
                }
                match props["gridSpan"].as_u64().filter(|n| *n > 1) {
                    Some(n) => self.push(&format!("<td colspan=\"{n}\">")),
                    None => self.push("<td>"),
                }
                for c in &cell.children {
                    match c {
                        TableCellContent::Paragraph(p) => self.paragraph(p),
                        TableCellContent::Table(t) => self.table(t),
                        _ => {}
                    }
                }
                self.push("</td>");
            }
            self.push("</tr>");
        }
        self.push("</tbody></table>");
    }

    fn block_sdt(&mut self, s: &StructuredDataTag) {
        for c in &s.children {
            match c {
                StructuredDataTagChild::Paragraph(p) => self.paragraph(p),
                StructuredDataTagChild::Table(t) => self.table(t),
                StructuredDataTagChild::StructuredDataTag(s) => self.block_sdt(s),
                _ => {}
            }
        }
    }
}

/// Converts a .docx (blocking work: run it off the async threads).
pub fn convert(bytes: &[u8]) -> Result<Converted> {
    let not_word = || {
        Error::Invalid(
            "文件不是有效的 Word 文档（.docx），请在 Word 或 WPS 中另存为 .docx 后再试".into(),
        )
    };
    if crate::submissions::sniff("", bytes) != Some(FileKind::Docx) {
        return Err(not_word());
    }
    let docx = docx_rs::read_docx_with_options(
        bytes,
        ReadDocxOptions::default().with_image_previews(false),
    )
    .map_err(|_| not_word())?;
    let mut w = Walker::new(&docx);
    for c in &docx.document.children {
        match c {
            DocumentChild::Paragraph(p) => w.paragraph(p),
            DocumentChild::Table(t) => w.table(t),
            DocumentChild::StructuredDataTag(s) => w.block_sdt(s),
            _ => {}
        }
        w.push("\n");
    }
    Ok(w.out)
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
    let converted = tokio::task::spawn_blocking(move || convert(&bytes))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
    let mut pasted = Pasted::default();
    let mut html = converted.html;
    for (n, picture) in converted.pictures.iter().enumerate() {
        let tag = match crate::media::store(db, media, actor, picture, Default::default()).await {
            Ok(img) => {
                pasted.images += 1;
                format!("<img src=\"/media/{}\" alt=\"\">", escape(&img.path))
            }
            Err(e) => {
                pasted
                    .warnings
                    .push(format!("文档中的一张图片未能导入：{e}"));
                String::new()
            }
        };
        html = html.replacen(&marker(n), &tag, 1);
    }
    if converted.skipped > 0 {
        pasted.warnings.push(format!(
            "文档中有 {} 张图片未能导入（格式不支持或超过 {MAX_PICTURES} 张），请用“插入图片”单独上传",
            converted.skipped
        ));
    }
    pasted.html = tokio::task::spawn_blocking(move || crate::paste::clean_markup(&html))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(pasted)
}

#[cfg(test)]
#[path = "docx_test.rs"]
mod tests;
