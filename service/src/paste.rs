//! Cleaning what editors paste from Word, WPS or web pages: paragraphs and basic formatting
//! stay, styles and Office markup go, and pictures are uploaded to the media library instead
//! of being kept as `data:` or `file:` links.

use std::collections::HashSet;
use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Result;
use crate::audit::Actor;
use crate::db::Db;
use crate::media::{self, Details};

/// What pasting produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pasted {
    pub html: String,
    pub images: usize,
    pub warnings: Vec<String>,
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.tags(HashSet::from([
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sub",
        "sup",
    ]))
    .generic_attributes(HashSet::new())
    .tag_attributes(
        [
            ("a", HashSet::from(["href"])),
            ("img", HashSet::from(["src", "alt"])),
            ("td", HashSet::from(["colspan", "rowspan"])),
            ("th", HashSet::from(["colspan", "rowspan"])),
        ]
        .into_iter()
        .collect(),
    )
    .url_schemes(HashSet::from(["http", "https", "mailto"]))
    .link_rel(Some("noopener noreferrer"));
    b
});

/// The largest clipboard contents cleaned: the HTML, and the RTF Word puts beside it (with
/// every picture in hex, so it is the larger). Anything larger is refused with a message.
pub const MAX_HTML_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_RTF_BYTES: usize = 60 * 1024 * 1024;
/// Pictures uploaded from one paste; further ones are left for "插入图片".
pub const MAX_PICTURES: usize = 60;

/// Where the `{` at `open` is closed, skipping escaped characters (`\{`, `\}`, `\\`).
fn group_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether the control word `word` (with its backslash) starts `rest` and ends there.
fn control_word(rest: &[u8], word: &[u8]) -> bool {
    rest.starts_with(word)
        && rest
            .get(word.len())
            .is_none_or(|c| !c.is_ascii_alphabetic())
}

/// The bytes of one `{\pict …}` group's picture, if it is a PNG or JPEG.
fn picture_data(group: &str) -> Option<Vec<u8>> {
    if !(group.contains("\\pngblip") || group.contains("\\jpegblip")) {
        return None;
    }
    // The data is the run of hex digits after the last control word.
    let data_start = group
        .rfind(['\\', '}'])
        .and_then(|i| group[i..].find([' ', '\n', '\r']).map(|j| i + j))
        .unwrap_or(0);
    let hex: Vec<u8> = group.as_bytes()[data_start..]
        .iter()
        .copied()
        .filter(u8::is_ascii_hexdigit)
        .collect();
    let nibble = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let data: Option<Vec<u8>> = hex
        .chunks_exact(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect();
    data.filter(|d| d.len() > 16)
}

/// Pictures embedded in RTF (`{\pict … \pngblip|\jpegblip … hex}`), in document order. The
/// `\nonshppict` fallbacks Word adds are skipped so pictures line up with the HTML's. One
/// pass over the text, whatever its size and number of pictures.
pub fn rtf_pictures(rtf: &str) -> Vec<Vec<u8>> {
    let bytes = rtf.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    // The depths at which the `{\nonshppict` groups we are inside were opened.
    let mut fallbacks: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => {
                depth += 1;
                let rest = &bytes[i + 1..];
                if control_word(rest, b"\\nonshppict") {
                    fallbacks.push(depth);
                } else if control_word(rest, b"\\pict") {
                    let Some(end) = group_end(bytes, i) else {
                        break;
                    };
                    if fallbacks.is_empty()
                        && let Some(data) = rtf.get(i..end).and_then(picture_data)
                    {
                        out.push(data);
                    }
                    // Continue after the group, back at the depth outside it.
                    depth -= 1;
                    i = end + 1;
                    continue;
                }
            }
            b'}' => {
                if fallbacks.last() == Some(&depth) {
                    fallbacks.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn decode_data_uri(src: &str) -> Option<Vec<u8>> {
    let rest = src.strip_prefix("data:image/")?;
    let (_, data) = rest.split_once(";base64,")?;
    STANDARD.decode(data.trim()).ok()
}

/// A stretch of the pasted HTML: markup kept as it is, or a picture to upload.
#[derive(Debug)]
pub enum Piece {
    Markup(String),
    Picture {
        bytes: Vec<u8>,
        alt: String,
    },
    /// A picture whose data the clipboard did not carry.
    Missing,
    /// A picture past [`MAX_PICTURES`].
    TooMany,
}

/// Splits pasted HTML at its `<img>` tags, taking each picture's data from its `data:` URI
/// or, for the `file:` links Word leaves, from the RTF's pictures in order. Linear in the
/// size of the input (the text is lower-cased once, not once per picture).
pub fn split_pictures(html: &str, rtf: &str) -> Vec<Piece> {
    let mut pictures = rtf_pictures(rtf).into_iter();
    let lower = html.to_ascii_lowercase();
    let mut pieces = Vec::new();
    let mut taken = 0;
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<img") {
        let i = pos + found;
        pieces.push(Piece::Markup(html[pos..i].to_owned()));
        let tag_end = lower[i..].find('>').map_or(html.len(), |e| i + e + 1);
        let tag = &html[i..tag_end];
        let src = attr(tag, "src").unwrap_or_default();
        pos = tag_end;
        if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("/media/") {
            pieces.push(Piece::Markup(tag.to_owned()));
            continue;
        }
        let bytes = if src.starts_with("data:") {
            decode_data_uri(&src)
        } else {
            pictures.next()
        };
        pieces.push(match bytes {
            _ if taken >= MAX_PICTURES => Piece::TooMany,
            Some(bytes) => {
                taken += 1;
                Piece::Picture {
                    bytes,
                    alt: attr(tag, "alt").unwrap_or_default(),
                }
            }
            None => Piece::Missing,
        });
    }
    pieces.push(Piece::Markup(html[pos..].to_owned()));
    pieces
}

/// Cleans pasted HTML and uploads its pictures (from `data:` URIs, or matched in order with
/// the RTF's pictures for `file:` links Word leaves). Parsing and cleaning run on blocking
/// threads; contents over the limits are refused with a message.
pub async fn clean(
    db: &Db,
    media: &crate::storage::Store,
    actor: &Actor,
    html: String,
    rtf: String,
) -> Result<Pasted> {
    if html.len() > MAX_HTML_BYTES || rtf.len() > MAX_RTF_BYTES {
        return Err(crate::Error::Invalid(format!(
            "粘贴的内容过大（网页内容不超过 {} MB，Word 内容不超过 {} MB），请分段粘贴",
            MAX_HTML_BYTES >> 20,
            MAX_RTF_BYTES >> 20
        )));
    }
    let pieces = crate::work::heavy(move || split_pictures(&html, &rtf)).await?;
    let mut out = String::new();
    let mut pasted = Pasted::default();
    let (mut missing, mut too_many) = (0, 0);
    for piece in pieces {
        match piece {
            Piece::Markup(m) => out.push_str(&m),
            Piece::Missing => missing += 1,
            Piece::TooMany => too_many += 1,
            Piece::Picture { bytes, alt } => {
                let details = Details {
                    alt: alt.clone(),
                    ..Default::default()
                };
                match media::store(db, media, actor, &bytes, details).await {
                    Ok(img) => {
                        pasted.images += 1;
                        out.push_str(&format!(
                            "<img src=\"/media/{}\" alt=\"{}\">",
                            crate::html::escape(&img.path),
                            crate::html::escape(&alt)
                        ));
                    }
                    Err(e) => pasted
                        .warnings
                        .push(format!("一张图片未能上传：{}", e.reader_message())),
                }
            }
        }
    }
    if missing > 0 {
        pasted.warnings.push(format!(
            "有 {missing} 张图片无法从剪贴板读取，请用“插入图片”按钮单独上传"
        ));
    }
    if too_many > 0 {
        pasted.warnings.push(format!(
            "一次粘贴最多上传 {MAX_PICTURES} 张图片，其余 {too_many} 张请用“插入图片”按钮上传"
        ));
    }
    pasted.html = crate::work::heavy(move || clean_markup(&out)).await?;
    Ok(pasted)
}

/// Cleans article HTML from elsewhere (a paste, a converted document) down to what the
/// article body allows.
pub fn clean_markup(html: &str) -> String {
    crate::html::settle(|h| tidy(&CLEANER.clean(h).to_string()), html)
}

/// Removes empty paragraphs and turns `b`/`i` into `strong`/`em`.
fn tidy(html: &str) -> String {
    let mut s = html
        .replace("<b>", "<strong>")
        .replace("</b>", "</strong>")
        .replace("<i>", "<em>")
        .replace("</i>", "</em>");
    for empty in ["<p></p>", "<p>&nbsp;</p>", "<p> </p>", "<p><br></p>"] {
        s = s.replace(empty, "");
    }
    s.trim().to_owned()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let key = format!("{name}=");
    let mut from = 0;
    while let Some(i) = lower[from..].find(&key) {
        let at = from + i;
        let before = lower[..at].chars().last();
        if before.is_some_and(|c| c.is_whitespace()) {
            let v = &tag[at + key.len()..];
            let (quote, body) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
                _ => (None, v),
            };
            let end = match quote {
                Some(q) => body.find(q),
                None => body.find(|c: char| c.is_whitespace() || c == '>'),
            }
            .unwrap_or(body.len());
            return Some(body[..end].to_owned());
        }
        from = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_markup_is_cleaned_to_paragraphs() {
        let word = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN style='tab-interval:21.0pt'>
<!--StartFragment--><p class=MsoNormal style='text-indent:21.0pt'><span style='font-family:宋体'>第一段，<b>重点</b>内容。<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h1 style='margin:0'>标题</h1>
<p class=MsoNormal><span lang=EN-US>第二段<i>斜体</i></span></p><!--EndFragment--></body></html>"#;
        let out = tidy(&CLEANER.clean(word).to_string());
        assert!(
            out.contains("<p>第一段，<strong>重点</strong>内容。</p>"),
            "{out}"
        );
        assert!(out.contains("<p>第二段<em>斜体</em></p>"), "{out}");
        assert!(
            !out.contains("class") && !out.contains("style") && !out.contains("o:p"),
            "{out}"
        );
        assert!(!out.contains("<p></p>"), "{out}");
    }

    #[test]
    fn pictures_are_read_from_rtf_in_order_without_fallbacks() {
        let png_hex = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489";
        let rtf = format!(
            "{{\\rtf1{{\\*\\shppict{{\\pict{{\\*\\picprop}}\\picw10\\pich10\\pngblip\n{png_hex}}}}}{{\\nonshppict{{\\pict\\wmetafile8 0100}}}}{{\\pict\\jpegblip ffd8ffe000104a46494600010100000100010000}}}}"
        );
        let pics = rtf_pictures(&rtf);
        assert_eq!(pics.len(), 2);
        assert_eq!(&pics[0][..4], &[0x89, b'P', b'N', b'G']);
        assert_eq!(&pics[1][..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn many_pictures_and_tags_are_read_in_one_pass() {
        // 20,000 picture-less <img> tags in a large paste: quadratic scanning would take
        // hours; one pass takes milliseconds.
        let html = "<p>文字</p><img src=\"file:///C:/x.png\">".repeat(20_000);
        let pieces = split_pictures(&html, "");
        let missing = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Missing))
            .count();
        assert_eq!(missing, 20_000);
        // And as many RTF pictures, some inside fallbacks.
        let pict = "{\\pict\\pngblip 89504e470d0a1a0a0000000d4948445200000001}";
        let fallback = "{\\nonshppict{\\pict\\wmetafile8 0100}}";
        let rtf = format!("{{\\rtf1{}}}", format!("{pict}{fallback}").repeat(20_000));
        assert_eq!(rtf_pictures(&rtf).len(), 20_000);
    }

    #[test]
    fn escaped_braces_do_not_end_a_group() {
        let rtf = "{\\rtf1{\\pict\\pngblip \\{ 89504e470d0a1a0a0000000d4948445200000001}}";
        assert_eq!(rtf_pictures(rtf).len(), 1);
    }

    #[test]
    fn attributes_are_found_in_any_quoting() {
        assert_eq!(
            attr(r#"<img src="a.png" alt='图'>"#, "src").as_deref(),
            Some("a.png")
        );
        assert_eq!(
            attr(r#"<img alt='图' src=file:///C:/x.png>"#, "src").as_deref(),
            Some("file:///C:/x.png")
        );
        assert_eq!(attr(r#"<img alt='图'>"#, "alt").as_deref(), Some("图"));
        assert_eq!(attr(r#"<img data-src="x">"#, "src"), None);
    }
}
