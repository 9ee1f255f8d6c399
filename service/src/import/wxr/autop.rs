//! Paragraphs as WordPress's themes show them.

/// WordPress keeps a post's content with its paragraphs as blank lines (the classic
/// editor) or wrapped in block comments (the block editor); the theme adds the `<p>`s
/// when showing it (`wpautop`). This does the same, simply: block comments go, each run
/// of text between blank lines that does not start with a block element becomes a
/// paragraph, single line breaks in it `<br>`.
pub fn autop(content: &str) -> String {
    let content = content.replace("\r\n", "\n").replace('\r', "\n");
    let mut without = String::with_capacity(content.len());
    let mut rest = content.as_str();
    while let Some(i) = rest.find("<!--") {
        let after = &rest[i + 4..];
        let comment_end = after.find("-->");
        let is_block =
            after.trim_start().starts_with("wp:") || after.trim_start().starts_with("/wp:");
        without.push_str(&rest[..i]);
        match comment_end {
            Some(j) if is_block => rest = &after[j + 3..],
            Some(j) => {
                without.push_str(&rest[i..i + 4 + j + 3]);
                rest = &after[j + 3..];
            }
            None => {
                without.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    without.push_str(rest);
    const BLOCKS: [&str; 30] = [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "section",
        "article",
        "dl",
        "address",
        "form",
        "iframe",
        "!--",
    ];
    let starts_block = |chunk: &str| {
        let Some(tag) = chunk.strip_prefix('<') else {
            return false;
        };
        let tag = tag.trim_start_matches('/');
        BLOCKS.iter().any(|b| {
            let (Some(head), Some(after)) = (tag.get(..b.len()), tag.get(b.len()..)) else {
                return false;
            };
            head.eq_ignore_ascii_case(b)
                && (*b == "!--"
                    || after
                        .chars()
                        .next()
                        .is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace()))
        })
    };
    let mut out = String::with_capacity(without.len() + 64);
    let mut chunk = String::new();
    let flush = |chunk: &mut String, out: &mut String| {
        let t = chunk.trim();
        if !t.is_empty() {
            if starts_block(t) {
                out.push_str(t);
            } else {
                out.push_str("<p>");
                out.push_str(&t.replace('\n', "<br>\n"));
                out.push_str("</p>");
            }
            out.push('\n');
        }
        chunk.clear();
    };
    for line in without.split('\n') {
        if line.trim().is_empty() {
            flush(&mut chunk, &mut out);
        } else {
            if !chunk.is_empty() {
                chunk.push('\n');
            }
            chunk.push_str(line);
        }
    }
    flush(&mut chunk, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_made_as_wordpress_shows_them() {
        assert_eq!(
            autop("一段。\n\n二段，\n续行。"),
            "<p>一段。</p>\n<p>二段，<br>\n续行。</p>\n"
        );
        assert_eq!(
            autop(
                "<!-- wp:paragraph -->\n<p>块。</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2>标题</h2>\n<!-- /wp:heading -->"
            ),
            "<p>块。</p>\n<h2>标题</h2>\n"
        );
        assert_eq!(
            autop("文字\n\n<img src=\"a.jpg\">\n\n<ul>\n<li>一</li>\n</ul>"),
            "<p>文字</p>\n<p><img src=\"a.jpg\"></p>\n<ul>\n<li>一</li>\n</ul>\n"
        );
        // A comment that is not a block's is left for the cleaning to drop.
        assert_eq!(autop("<!-- more -->"), "<!-- more -->\n");
        assert_eq!(autop(""), "");
        // Text that only looks like a tag, in any script.
        assert_eq!(autop("<中文>\n\n<p"), "<p><中文></p>\n<p\n");
    }
}
