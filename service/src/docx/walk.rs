//! `word/document.xml` into article HTML in one streaming pass: headings, paragraphs (bold
//! and italic kept), line breaks, tables (merged cells), text boxes after the paragraph that
//! anchors them, and markers where pictures go, in document order. Tracked deletions and the
//! fallback copies of drawings are skipped.
//!
//! Memory is what the HTML takes, and the HTML is capped ([`Limits`]); so are the numbers of
//! paragraphs, runs, tables and cells and the nesting depth, so no document costs more than
//! those limits allow, however it is built.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use super::parts::attr;
use crate::html::escape;

/// What one conversion may produce and walk through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of HTML written (an article body holds 2 MB).
    pub html: usize,
    pub paragraphs: usize,
    pub runs: usize,
    pub tables: usize,
    pub cells: usize,
    /// Elements open at once.
    pub depth: usize,
    /// Pictures taken; further ones are counted as skipped.
    pub pictures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            html: 3 * 1024 * 1024,
            paragraphs: 50_000,
            runs: 500_000,
            tables: 2_000,
            cells: 100_000,
            depth: 256,
            pictures: super::MAX_PICTURES,
        }
    }
}

/// Why a walk stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The XML does not parse.
    Broken,
    /// A limit was reached: what, for the message.
    TooMuch(&'static str),
}

/// What a walk produced: the HTML with picture markers, and the parts of those pictures.
#[derive(Debug, Default)]
pub struct Walked {
    pub html: String,
    pub pictures: Vec<String>,
    pub skipped: usize,
}

/// Where picture `n` goes in the converted HTML until it is in the media library.
pub fn marker(n: usize) -> String {
    format!("\u{1}picture{n}\u{1}")
}

/// An element being walked through.
enum Open {
    Paragraph {
        /// Where it starts in its buffer.
        start: usize,
        level: Option<usize>,
        /// The opening tag written (on its first content).
        tag: Option<&'static str>,
        /// Text boxes anchored in it, written after it.
        boxes: String,
    },
    ParagraphProps,
    Run {
        bold: bool,
        italic: bool,
        /// The formatting tags written around the current stretch of text.
        wrapped: Option<(bool, bool)>,
    },
    RunProps,
    Text,
    Table,
    Row {
        start: usize,
        /// Deleted as a whole in tracked changes (`w:trPr/w:del`).
        deleted: bool,
    },
    RowProps,
    Cell {
        start: usize,
        span: u32,
        merged: bool,
        opened: bool,
    },
    CellProps,
    TextBox,
    Other,
}

struct Walker<'a> {
    headings: &'a HashMap<String, usize>,
    rels: &'a HashMap<String, String>,
    limits: Limits,
    /// The output: the document, then one buffer per text box being read.
    outs: Vec<String>,
    /// Bytes written, over all buffers (never decreases).
    written: usize,
    open: Vec<Open>,
    /// Inside a subtree whose text is not the document's (deletions, fallbacks): its depth.
    skipping: usize,
    paragraphs: usize,
    runs: usize,
    tables: usize,
    cells: usize,
    out: Walked,
}

/// Elements whose whole content is left out: deleted and moved-away text of tracked
/// changes, the fallback copy of a drawing (its first choice was read), earlier formatting,
/// field instructions.
const SKIPPED: &[&[u8]] = &[
    b"del",
    b"moveFrom",
    b"Fallback",
    b"pPrChange",
    b"rPrChange",
    b"tcPrChange",
    b"instrText",
    b"delText",
];

/// Whether a `w:b`, `w:i`… switch is on (`w:val` absent, or not `0`/`false`/`off`).
fn switched_on(e: &BytesStart) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"))
}

impl<'a> Walker<'a> {
    fn buf(&mut self) -> &mut String {
        if self.outs.is_empty() {
            self.outs.push(String::new());
        }
        let last = self.outs.len() - 1;
        &mut self.outs[last]
    }

    /// Drops what the current buffer holds from `start` on (an empty paragraph, a merged
    /// cell, a deleted row).
    fn cut(&mut self, start: usize) {
        let buf = self.buf();
        if start <= buf.len() && buf.is_char_boundary(start) {
            buf.truncate(start);
        }
    }

    fn push(&mut self, s: &str) -> Result<(), Stop> {
        self.written += s.len();
        if self.written > self.limits.html {
            return Err(Stop::TooMuch("转换后的内容超过 3 MB"));
        }
        self.buf().push_str(s);
        Ok(())
    }

    fn count(n: &mut usize, max: usize, what: &'static str) -> Result<(), Stop> {
        *n += 1;
        if *n > max {
            Err(Stop::TooMuch(what))
        } else {
            Ok(())
        }
    }

    /// The innermost open element that `pick` chooses, as an index into `open`, looking no
    /// further out than the innermost text box (whose content is written on its own).
    fn innermost(&self, pick: impl Fn(&Open) -> bool) -> Option<usize> {
        let scope = self
            .open
            .iter()
            .rposition(|o| matches!(o, Open::TextBox))
            .map_or(0, |i| i + 1);
        self.open[scope..].iter().rposition(pick).map(|i| i + scope)
    }

    /// Before content: the cell's and the paragraph's opening tags, if not yet written.
    fn open_blocks(&mut self) -> Result<(), Stop> {
        let cell = self.innermost(|o| matches!(o, Open::Cell { opened: false, .. }));
        if let Some(i) = cell
            && let Open::Cell { span, opened, .. } = &mut self.open[i]
        {
            *opened = true;
            let span = *span;
            if span > 1 {
                self.push(&format!("<td colspan=\"{span}\">"))?;
            } else {
                self.push("<td>")?;
            }
        }
        let paragraph = self.innermost(|o| matches!(o, Open::Paragraph { tag: None, .. }));
        if let Some(i) = paragraph
            && let Open::Paragraph { tag, level, .. } = &mut self.open[i]
        {
            let name = match level {
                Some(1) => "h2",
                Some(2) => "h3",
                Some(_) => "h4",
                None => "p",
            };
            *tag = Some(name);
            self.push(&format!("<{name}>"))?;
        }
        Ok(())
    }

    /// Closes the formatting tags of the innermost run, if written.
    fn unwrap_run(&mut self) -> Result<(), Stop> {
        let closing = match self.innermost(|o| matches!(o, Open::Run { .. })) {
            Some(i) => match &mut self.open[i] {
                Open::Run { wrapped, .. } => wrapped.take(),
                _ => None,
            },
            None => None,
        };
        self.close_wrap(closing)
    }

    fn close_wrap(&mut self, wrapped: Option<(bool, bool)>) -> Result<(), Stop> {
        if let Some((bold, italic)) = wrapped {
            if italic {
                self.push("</em>")?;
            }
            if bold {
                self.push("</strong>")?;
            }
        }
        Ok(())
    }

    /// Text of the document.
    fn text(&mut self, s: &str) -> Result<(), Stop> {
        if s.is_empty() {
            return Ok(());
        }
        self.open_blocks()?;
        let opening = match self.innermost(|o| matches!(o, Open::Run { .. })) {
            Some(i) => match &mut self.open[i] {
                Open::Run {
                    bold,
                    italic,
                    wrapped: w @ None,
                } => {
                    *w = Some((*bold, *italic));
                    Some((*bold, *italic))
                }
                _ => None,
            },
            None => None,
        };
        if let Some((bold, italic)) = opening {
            if bold {
                self.push("<strong>")?;
            }
            if italic {
                self.push("<em>")?;
            }
        }
        self.push(&escape(s))
    }

    /// Something that is not text inside a run (a break, a picture): the run's formatting
    /// closes first.
    fn inline(&mut self, html: &str) -> Result<(), Stop> {
        self.open_blocks()?;
        self.unwrap_run()?;
        self.push(html)
    }

    fn picture(&mut self, rel: Option<String>) -> Result<(), Stop> {
        let part = rel.and_then(|id| self.rels.get(&id).cloned());
        match part {
            Some(part) if self.out.pictures.len() < self.limits.pictures => {
                let m = marker(self.out.pictures.len());
                self.out.pictures.push(part);
                self.inline(&m)
            }
            _ => {
                self.out.skipped += 1;
                Ok(())
            }
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), Stop> {
        let name = e.local_name();
        let name = name.as_ref();
        // A row deleted in tracked changes says so in its properties.
        if self.skipping == 0 && name == b"del" && matches!(self.open.last(), Some(Open::RowProps))
        {
            let n = self.open.len();
            if n >= 2
                && let Open::Row { deleted, .. } = &mut self.open[n - 2]
            {
                *deleted = true;
            }
        }
        if self.skipping > 0 || SKIPPED.contains(&name) {
            if !empty {
                self.skipping += 1;
            }
            return Ok(());
        }
        if self.open.len() >= self.limits.depth {
            return Err(Stop::TooMuch("文档结构嵌套过深"));
        }
        // Inside a property list (at any depth below it: `w:tabs/w:tab` is a tab stop, not
        // a tab), nothing is content.
        let in_props = |w: &Walker| {
            w.open
                .iter()
                .rev()
                .take_while(|o| {
                    !matches!(
                        o,
                        Open::Paragraph { .. }
                            | Open::Run { .. }
                            | Open::Cell { .. }
                            | Open::Table
                            | Open::Row { .. }
                            | Open::TextBox
                    )
                })
                .any(|o| {
                    matches!(
                        o,
                        Open::ParagraphProps | Open::RunProps | Open::CellProps | Open::RowProps
                    )
                })
        };
        let open = match name {
            b"p" => {
                Self::count(&mut self.paragraphs, self.limits.paragraphs, "段落过多")?;
                Open::Paragraph {
                    start: self.buf().len(),
                    level: None,
                    tag: None,
                    boxes: String::new(),
                }
            }
            b"pPr" => Open::ParagraphProps,
            b"pStyle" | b"outlineLvl"
                if self.parent_is(|o| matches!(o, Open::Paragraph { .. })) =>
            {
                let level = if name == b"pStyle" {
                    attr(e, b"val").and_then(|id| self.headings.get(&id).copied())
                } else {
                    attr(e, b"val")
                        .and_then(|v| v.parse::<usize>().ok())
                        .filter(|v| *v < 9)
                        .map(|v| v + 1)
                };
                if let Some(i) = self.innermost(|o| matches!(o, Open::Paragraph { .. }))
                    && let Open::Paragraph { level: l, .. } = &mut self.open[i]
                {
                    // A paragraph's own outline level wins over its style's.
                    if name == b"outlineLvl" || l.is_none() {
                        *l = level;
                    }
                }
                Open::Other
            }
            b"r" => {
                Self::count(&mut self.runs, self.limits.runs, "文字片段过多")?;
                Open::Run {
                    bold: false,
                    italic: false,
                    wrapped: None,
                }
            }
            b"rPr" => Open::RunProps,
            b"b" | b"i" if self.parent_is(|o| matches!(o, Open::Run { .. })) => {
                let on = switched_on(e);
                if let Some(i) = self.innermost(|o| matches!(o, Open::Run { .. }))
                    && let Open::Run { bold, italic, .. } = &mut self.open[i]
                {
                    if name == b"b" {
                        *bold = on;
                    } else {
                        *italic = on;
                    }
                }
                Open::Other
            }
            _ if in_props(self) => Open::Other,
            b"t" => Open::Text,
            b"tab" | b"ptab" => {
                self.text(" ")?;
                Open::Other
            }
            b"br" => {
                if attr(e, b"type").as_deref() != Some("page") {
                    self.inline("<br>")?;
                }
                Open::Other
            }
            b"cr" => {
                self.inline("<br>")?;
                Open::Other
            }
            b"noBreakHyphen" => {
                self.text("-")?;
                Open::Other
            }
            b"blip" => {
                self.picture(attr(e, b"embed"))?;
                Open::Other
            }
            b"imagedata" => {
                self.picture(attr(e, b"id"))?;
                Open::Other
            }
            b"txbxContent" => {
                self.outs.push(String::new());
                Open::TextBox
            }
            b"tbl" => {
                Self::count(&mut self.tables, self.limits.tables, "表格过多")?;
                self.open_cell()?;
                self.push("<table><tbody>")?;
                Open::Table
            }
            b"tr" => {
                let start = self.buf().len();
                self.push("<tr>")?;
                Open::Row {
                    start,
                    deleted: false,
                }
            }
            b"trPr" => Open::RowProps,
            b"tc" => {
                Self::count(&mut self.cells, self.limits.cells, "表格单元格过多")?;
                Open::Cell {
                    start: self.buf().len(),
                    span: 1,
                    merged: false,
                    opened: false,
                }
            }
            b"tcPr" => Open::CellProps,
            _ => Open::Other,
        };
        // Properties of the cell are read inside its tcPr.
        if matches!(self.open.last(), Some(Open::CellProps)) {
            self.cell_property(name, e);
        }
        if empty {
            self.end_of(open)
        } else {
            self.open.push(open);
            Ok(())
        }
    }

    /// `w:gridSpan` and `w:vMerge` of the innermost cell.
    fn cell_property(&mut self, name: &[u8], e: &BytesStart) {
        let Some(i) = self.innermost(|o| matches!(o, Open::Cell { .. })) else {
            return;
        };
        let Open::Cell { span, merged, .. } = &mut self.open[i] else {
            return;
        };
        match name {
            b"gridSpan" => {
                *span = attr(e, b"val")
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|n| (1..=64).contains(n))
                    .unwrap_or(1);
            }
            // A cell that continues a vertical merge is covered by the one above it.
            b"vMerge" => *merged = attr(e, b"val").as_deref() != Some("restart"),
            _ => {}
        }
    }

    /// Whether the open element is a property list (`pPr`, `rPr`) directly inside an element
    /// `pick` chooses.
    fn parent_is(&self, pick: impl Fn(&Open) -> bool) -> bool {
        let n = self.open.len();
        n >= 2
            && matches!(self.open[n - 1], Open::ParagraphProps | Open::RunProps)
            && pick(&self.open[n - 2])
    }

    /// A table inside a cell opens the cell first.
    fn open_cell(&mut self) -> Result<(), Stop> {
        if matches!(self.open.last(), Some(Open::Cell { .. })) {
            self.open_blocks()?;
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), Stop> {
        if self.skipping > 0 {
            self.skipping -= 1;
            return Ok(());
        }
        match self.open.pop() {
            Some(open) => self.end_of(open),
            None => Ok(()),
        }
    }

    fn end_of(&mut self, open: Open) -> Result<(), Stop> {
        match open {
            Open::Paragraph {
                start, tag, boxes, ..
            } => {
                if let Some(tag) = tag {
                    let empty = self.buf().get(start..).is_none_or(|s| {
                        s.strip_prefix(&format!("<{tag}>"))
                            .unwrap_or(s)
                            .trim()
                            .is_empty()
                    });
                    if empty {
                        self.cut(start);
                    } else {
                        self.push(&format!("</{tag}>"))?;
                    }
                }
                self.buf().push_str(&boxes);
                // A line of its own in the document (not inside a table or a text box).
                let nested =
                    self.outs.len() > 1 || self.open.iter().any(|o| matches!(o, Open::Cell { .. }));
                if !nested {
                    self.buf().push('\n');
                }
            }
            Open::Run { wrapped, .. } => self.close_wrap(wrapped)?,
            Open::Table => self.push("</tbody></table>\n")?,
            Open::Row { start, deleted } => {
                if deleted {
                    self.cut(start);
                } else {
                    self.push("</tr>")?;
                }
            }
            Open::Cell {
                start,
                merged,
                opened,
                span,
            } => {
                if merged {
                    self.cut(start);
                } else {
                    if !opened {
                        if span > 1 {
                            self.push(&format!("<td colspan=\"{span}\">"))?;
                        } else {
                            self.push("<td>")?;
                        }
                    }
                    self.push("</td>")?;
                }
            }
            Open::TextBox => {
                let html = if self.outs.len() > 1 {
                    self.outs.pop().unwrap_or_default()
                } else {
                    String::new()
                };
                match self.innermost(|o| matches!(o, Open::Paragraph { .. })) {
                    Some(i) => {
                        if let Open::Paragraph { boxes, .. } = &mut self.open[i] {
                            boxes.push_str(&html);
                        }
                    }
                    None => self.buf().push_str(&html),
                }
            }
            Open::ParagraphProps
            | Open::RunProps
            | Open::Text
            | Open::CellProps
            | Open::RowProps
            | Open::Other => {}
        }
        Ok(())
    }

    fn in_text(&self) -> bool {
        self.skipping == 0 && matches!(self.open.last(), Some(Open::Text))
    }
}

/// Walks `document.xml` read from `source`.
pub fn walk(
    source: impl BufRead,
    headings: &HashMap<String, usize>,
    rels: &HashMap<String, String>,
    limits: Limits,
) -> Result<Walked, Stop> {
    let mut w = Walker {
        headings,
        rels,
        limits,
        outs: vec![String::new()],
        written: 0,
        open: Vec::new(),
        skipping: 0,
        paragraphs: 0,
        runs: 0,
        tables: 0,
        cells: 0,
        out: Walked::default(),
    };
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|_| Stop::Broken)?;
        match &event {
            Event::Start(e) => w.start(e, false)?,
            Event::Empty(e) => w.start(e, true)?,
            Event::End(_) => w.end()?,
            Event::Text(t) if w.in_text() => {
                let s = t.decode().map_err(|_| Stop::Broken)?;
                w.text(&s)?;
            }
            Event::CData(t) if w.in_text() => {
                let s = t.decode().map_err(|_| Stop::Broken)?;
                w.text(&s)?;
            }
            Event::GeneralRef(r) if w.in_text() => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => r.decode().ok().and_then(|name| {
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                    }),
                    Err(_) => None,
                };
                if let Some(s) = resolved {
                    w.text(&s)?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // A text box never closed is left out.
    w.out.html = w.outs.into_iter().next().unwrap_or_default();
    Ok(w.out)
}
