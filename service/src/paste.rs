//! Cleaning what editors paste from Word, WPS or web pages: paragraphs and basic formatting
//! stay, styles and Office markup go, and pictures are uploaded to the media library instead
//! of being kept as `data:` or `file:` links.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sea_orm::DatabaseConnection;

use crate::Result;
use crate::audit::Actor;
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

/// Pictures embedded in RTF (`{\pict … \pngblip|\jpegblip … hex}`), in document order. The
/// `\nonshppict` fallbacks Word adds are skipped so pictures line up with the HTML's.
pub fn rtf_pictures(rtf: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let bytes = rtf.as_bytes();
    let mut search = 0;
    while let Some(found) = rtf[search..].find("{\\pict") {
        let start = search + found;
        // Find the end of this group.
        let mut depth = 0i32;
        let mut end = start;
        for (i, &b) in bytes.iter().enumerate().skip(start) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        if end <= start {
            break;
        }
        let group = &rtf[start..end];
        // Inside a `{\nonshppict …}` group that has not closed yet?
        let fallback = rtf[..start].rfind("{\\nonshppict").is_some_and(|k| {
            bytes[k..start].iter().fold(0i32, |d, b| match b {
                b'{' => d + 1,
                b'}' => d - 1,
                _ => d,
            }) > 0
        });
        if !fallback && (group.contains("\\pngblip") || group.contains("\\jpegblip")) {
            // The data is the run of hex digits after the last control word.
            let data_start = group
                .rfind(['\\', '}'])
                .and_then(|i| group[i..].find([' ', '\n', '\r']).map(|j| i + j))
                .unwrap_or(0);
            let hex: String = group[data_start..]
                .chars()
                .filter(char::is_ascii_hexdigit)
                .collect();
            let data: Option<Vec<u8>> = (0..hex.len() / 2)
                .map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).ok())
                .collect();
            if let Some(d) = data.filter(|d| d.len() > 16) {
                out.push(d);
            }
        }
        search = end;
    }
    out
}

fn decode_data_uri(src: &str) -> Option<Vec<u8>> {
    let rest = src.strip_prefix("data:image/")?;
    let (_, data) = rest.split_once(";base64,")?;
    STANDARD.decode(data.trim()).ok()
}

/// Cleans pasted HTML and uploads its pictures (from `data:` URIs, or matched in order with
/// the RTF's pictures for `file:` links Word leaves).
pub async fn clean(
    db: &DatabaseConnection,
    uploads_dir: &Path,
    actor: &Actor,
    html: &str,
    rtf: &str,
) -> Result<Pasted> {
    let mut pictures = rtf_pictures(rtf).into_iter();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut pasted = Pasted::default();
    let mut missing = 0;
    while let Some(i) = rest.to_ascii_lowercase().find("<img") {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        let tag = &rest[i..tag_end];
        let src = attr(tag, "src").unwrap_or_default();
        let alt = attr(tag, "alt").unwrap_or_default();
        let bytes = if src.starts_with("data:") {
            decode_data_uri(&src)
        } else if src.starts_with("http://")
            || src.starts_with("https://")
            || src.starts_with("/media/")
        {
            out.push_str(tag);
            rest = &rest[tag_end..];
            continue;
        } else {
            pictures.next()
        };
        match bytes {
            Some(b) => match media::store(
                db,
                uploads_dir,
                actor,
                &b,
                Details {
                    alt: alt.clone(),
                    ..Default::default()
                },
            )
            .await
            {
                Ok(img) => {
                    pasted.images += 1;
                    out.push_str(&format!(
                        "<img src=\"/media/{}\" alt=\"{}\">",
                        crate::html::escape(&img.path),
                        crate::html::escape(&alt)
                    ));
                }
                Err(e) => pasted.warnings.push(format!("一张图片未能上传：{e}")),
            },
            None => missing += 1,
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    if missing > 0 {
        pasted.warnings.push(format!(
            "有 {missing} 张图片无法从剪贴板读取，请用“插入图片”按钮单独上传"
        ));
    }
    let cleaned = CLEANER.clean(&out).to_string();
    pasted.html = tidy(&cleaned);
    Ok(pasted)
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
