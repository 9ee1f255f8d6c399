//! The small parts a conversion needs besides the text: which paragraph styles are headings
//! (`word/styles.xml`) and where the document's pictures are (its relationships).

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

/// The most a style sheet or a relationship list may unpack to.
pub const MAX_SMALL_PART: u64 = 16 * 1024 * 1024;

/// `heading 2`, `Heading2`, `标题 2` → 2.
pub fn heading_in_name(name: &str) -> Option<usize> {
    let n = name.trim().to_lowercase().replace(' ', "");
    ["heading", "标题", "標題"].iter().find_map(|p| {
        n.strip_prefix(p)
            .and_then(|rest| rest.parse::<usize>().ok())
            .filter(|v| (1..=9).contains(v))
    })
}

/// The value of the attribute whose local name is `name` (`w:val` → `val`), unescaped.
pub fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    let a = e
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)?;
    let raw = std::str::from_utf8(&a.value).ok()?;
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|v| v.into_owned())
}

/// Heading levels of the paragraph styles (by style id): from the style's name, its outline
/// level, or its id.
pub fn headings(source: impl BufRead) -> quick_xml::Result<HashMap<String, usize>> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    // The paragraph style being read: its id, name and outline level.
    let mut style: Option<(String, Option<String>, Option<usize>)> = None;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    let paragraph = attr(e, b"type").as_deref() == Some("paragraph");
                    style = paragraph
                        .then(|| attr(e, b"styleId"))
                        .flatten()
                        .map(|id| (id, None, None));
                }
                b"name" => {
                    if let Some(s) = style.as_mut() {
                        s.1 = attr(e, b"val");
                    }
                }
                b"outlineLvl" => {
                    if let Some(s) = style.as_mut() {
                        s.2 = attr(e, b"val")
                            .and_then(|v| v.parse::<usize>().ok())
                            .filter(|v| *v < 9)
                            .map(|v| v + 1);
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, name, outline)) = style.take() {
                    let level = name
                        .as_deref()
                        .and_then(heading_in_name)
                        .or(outline)
                        .or_else(|| heading_in_name(&id));
                    if let Some(level) = level {
                        out.insert(id, level);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The parts the document's relationships point at, by relationship id (`rId4` →
/// `word/media/image1.png`); links to outside the package are left out.
pub fn relationships(source: impl BufRead) -> quick_xml::Result<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let external = attr(&e, b"TargetMode").is_some_and(|m| m == "External");
                if let (false, Some(id), Some(target)) =
                    (external, attr(&e, b"Id"), attr(&e, b"Target"))
                    && let Some(part) = part_of("word", &target)
                {
                    out.insert(id, part);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The package part a relationship target names, relative to the folder of the part that
/// holds the relationship (`media/a.png` from `word` → `word/media/a.png`; `/x` is from the
/// root); `None` when it climbs out of the package.
pub fn part_of(folder: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_stay_inside_the_package() {
        assert_eq!(
            part_of("word", "media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            part_of("word", "./media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            part_of("word", "../media/a.png").as_deref(),
            Some("media/a.png")
        );
        assert_eq!(
            part_of("word", "/word/media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(part_of("word", "../../etc/passwd"), None);
    }

    #[test]
    fn styles_name_their_heading_levels() {
        let xml = r#"<w:styles xmlns:w="x">
            <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="a3"><w:name w:val="标题 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="x"><w:name w:val="Custom"/>
                <w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            <w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        </w:styles>"#;
        let h = headings(xml.as_bytes()).unwrap();
        assert_eq!(h.get("1"), Some(&1));
        assert_eq!(h.get("a3"), Some(&2));
        assert_eq!(h.get("x"), Some(&3));
        assert_eq!(h.get("Heading1Char"), None);
        assert_eq!(h.get("Normal"), None);
        assert_eq!(heading_in_name("Heading 3"), Some(3));
        assert_eq!(heading_in_name("标题 1"), Some(1));
        assert_eq!(heading_in_name("Normal"), None);
    }
}
