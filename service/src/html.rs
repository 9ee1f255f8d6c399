//! Article HTML is sanitized on the server, so stored content can never inject script.

use std::collections::HashSet;
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
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
        "s",
        "sub",
        "sup",
        "span",
        "blockquote",
        "ul",
        "ol",
        "li",
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
        "caption",
        "hr",
        "pre",
        "code",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .generic_attributes(HashSet::from(["title"]))
        .tag_attributes(
            [
                ("a", HashSet::from(["href"])),
                (
                    "img",
                    HashSet::from(["src", "alt", "width", "height", "srcset", "sizes"]),
                ),
                ("td", HashSet::from(["colspan", "rowspan"])),
                ("th", HashSet::from(["colspan", "rowspan"])),
            ]
            .into_iter()
            .collect(),
        )
        .add_tag_attribute_values("img", "loading", ["lazy"])
        .add_tag_attribute_values("img", "decoding", ["async"])
        .add_allowed_classes("figure", ["figure", "figure-wide"])
        .add_allowed_classes("figcaption", ["credit"])
        .add_allowed_classes("p", ["lead", "center"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// Cleans `html` until cleaning changes nothing more (at most four passes; one more is
/// usually enough). A cleaner drops the elements it does not allow but keeps what was inside
/// them, which can leave nestings an HTML parser builds otherwise (a heading inside a heading,
/// once a `<span>` between them is gone): the browser would then see another document than
/// the one checked, and the next save would change it again. Cleaned to a fixed point, what
/// is stored is what every later reading of it sees.
pub fn settle(clean: impl Fn(&str) -> String, html: &str) -> String {
    let mut out = clean(html);
    for _ in 0..3 {
        let again = clean(&out);
        if again == out {
            break;
        }
        out = again;
    }
    out
}

/// Removes everything that could run script or break out of the article: `<script>`, event
/// handler attributes, `javascript:` URLs, styles and unknown tags. Paragraphs, headings,
/// images, figures, links and tables are kept. Cleaning the result again changes nothing
/// ([`settle`]).
pub fn sanitize(html: &str) -> String {
    settle(|h| SANITIZER.clean(h).to_string(), html)
}

/// Bodies up to this size are cleaned where they are (a millisecond or two); longer ones go
/// through [`crate::work::heavy`].
const INLINE_CLEAN: usize = 64 * 1024;

/// [`sanitize`], a long body (its parse tree is about twenty times its size) as heavy work:
/// on a blocking thread, a few at a time, never on the threads that answer requests.
pub async fn clean(html: String) -> crate::Result<String> {
    if html.len() <= INLINE_CLEAN {
        return Ok(sanitize(&html));
    }
    crate::work::heavy(move || sanitize(&html)).await
}

/// [`page_body`], a long body as heavy work (see [`clean`]).
pub async fn page_body_of(html: String) -> crate::Result<String> {
    if html.len() <= INLINE_CLEAN {
        return Ok(page_body(&html));
    }
    crate::work::heavy(move || page_body(&html)).await
}

/// A stored body made ready to show under a page's `<h1>`: sanitized (one pass: a stored body
/// was settled when it was saved), and its headings renumbered from `<h2>` without gaps (an
/// editor's 小标题 may be stored as `<h3>`, a pasted document may start at `<h4>` or jump from
/// `<h2>` to `<h4>`). The levels keep their order.
pub fn page_body(html: &str) -> String {
    rank_headings(&SANITIZER.clean(html).to_string())
}

/// Renumbers the headings of sanitized HTML from `<h2>` without gaps (see [`page_body`]):
/// the levels used are ranked (the highest becomes 2), and no heading is more than one level
/// below the one before it.
pub fn rank_headings(html: &str) -> String {
    let level_at = |i: usize| -> Option<(u8, usize)> {
        let rest = &html[i..];
        let (skip, rest) = match rest.strip_prefix("</") {
            Some(r) => (2, r),
            None => (1, rest.strip_prefix('<')?),
        };
        let bytes = rest.as_bytes();
        let level = match (bytes.first(), bytes.get(1), bytes.get(2)) {
            (Some(b'h' | b'H'), Some(d @ b'1'..=b'6'), Some(b'>' | b' ' | b'/')) => d - b'0',
            _ => return None,
        };
        Some((level, i + skip + 1))
    };
    // (level, index of its digit, whether it closes)
    let tags: Vec<(u8, usize, bool)> = html
        .match_indices('<')
        .filter_map(|(i, _)| level_at(i).map(|(l, d)| (l, d, html[i..].starts_with("</"))))
        .collect();
    let mut used: Vec<u8> = tags.iter().map(|(l, _, _)| *l).collect();
    used.sort_unstable();
    used.dedup();
    let rank = |level: u8| {
        let index = used.iter().position(|l| *l == level).unwrap_or(0);
        u8::try_from(index).unwrap_or(4).saturating_add(2).min(6)
    };
    // Each heading at most one level below the one before it (the page's <h1> comes first).
    let mut previous = 1u8;
    let mut open = 2u8;
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (level, digit, closing) in tags {
        if !closing {
            open = rank(level).min(previous + 1);
            previous = open;
        }
        out.push_str(&html[from..digit]);
        out.push(char::from(b'0' + open));
        from = digit + 1;
    }
    out.push_str(&html[from..]);
    out
}

/// Escapes text for use inside HTML element content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of sanitized HTML, for search and snippets: tags dropped, entities decoded,
/// a line break after each block (paragraph, heading, caption, table cell, `<br>`).
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find(['<', '&']) {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if rest.starts_with('<') {
            let Some(close) = rest.find('>') else {
                rest = "";
                break;
            };
            let tag = rest[1..close].trim_start_matches('/');
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "p" | "br" | "h2" | "h3" | "h4" | "li" | "figcaption" | "td" | "th" | "tr" | "div"
            ) && !out.ends_with('\n')
                && !out.is_empty()
            {
                out.push('\n');
            }
            rest = &rest[close + 1..];
        } else {
            let end = rest[1..].find(';').map(|i| i + 1).filter(|i| *i <= 10);
            let decoded = end.and_then(|end| decode_entity(&rest[1..end]));
            match (end, decoded) {
                (Some(end), Some(c)) => {
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.trim_end().to_owned()
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The text of sanitized HTML (for descriptions).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod heading_tests {
    use super::{page_body, rank_headings};

    #[test]
    fn headings_are_renumbered_from_h2_without_gaps() {
        assert_eq!(
            rank_headings("<h3>一、概况</h3><p>甲</p><h3>二、做法</h3>"),
            "<h2>一、概况</h2><p>甲</p><h2>二、做法</h2>"
        );
        assert_eq!(
            rank_headings(r#"<h2>综述</h2><h4 title="x">细节</h4><h3>小结</h3>"#),
            r#"<h2>综述</h2><h3 title="x">细节</h3><h3>小结</h3>"#
        );
        assert_eq!(
            rank_headings("<h2>甲</h2><h3>乙</h3><p>&lt;h4&gt;不是标题</p>"),
            "<h2>甲</h2><h3>乙</h3><p>&lt;h4&gt;不是标题</p>"
        );
        assert_eq!(rank_headings("<p>无标题</p><hr>"), "<p>无标题</p><hr>");
        assert_eq!(
            rank_headings("<h4>a</h4><header>b</header>"),
            "<h2>a</h2><header>b</header>"
        );
        assert_eq!(
            rank_headings("<h3>a</h3><h2>b</h2><h3>c</h3>"),
            "<h2>a</h2><h2>b</h2><h3>c</h3>"
        );
    }

    #[test]
    fn page_bodies_are_sanitized_first() {
        assert_eq!(
            page_body("<h1>标题</h1><h3 onclick=\"x()\">小标题</h3><script>x()</script>"),
            "标题<h2>小标题</h2>"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a heading inside a heading, once the `<span>` between them is
    /// dropped, is parsed as two headings the next time. Sanitized output sanitizes to itself.
    #[test]
    fn sanitized_html_sanitizes_to_itself() {
        for html in [
            "<h3><span><h2>里</h2></span>外</h3>",
            "<h3>（一）<em>下一步<p>段</p><h2>二</h2><table><tr><td>格</td></tr></table></em></h3>",
            "<p><span><p>段中段</p></span></p>",
        ] {
            let once = sanitize(html);
            assert_eq!(sanitize(&once), once, "{html}");
            let pasted = crate::paste::clean_markup(html);
            assert_eq!(crate::paste::clean_markup(&pasted), pasted, "{html}");
        }
    }

    #[test]
    fn removes_script_elements_entirely() {
        let out = sanitize("<p>开发区</p><script>alert('x')</script><p>协会</p>");
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("alert"), "{out}");
        assert!(out.contains("<p>开发区</p>"));
        assert!(out.contains("<p>协会</p>"));
    }

    #[test]
    fn removes_event_handlers_but_keeps_images() {
        let out = sanitize(r#"<img src="/media/a.jpg" alt="厂房" onerror="alert(1)">"#);
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("alert"), "{out}");
        assert!(out.contains(r#"src="/media/a.jpg""#), "{out}");
        assert!(out.contains(r#"alt="厂房""#), "{out}");
    }

    #[test]
    fn removes_javascript_urls() {
        let out =
            sanitize(r#"<a href="javascript:alert(1)">点我</a><a href="JaVaScRiPt:x()">再点</a>"#);
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(out.contains("点我"));
        let kept = sanitize(r#"<a href="https://www.example.gov.cn/">链接</a>"#);
        assert!(
            kept.contains(r#"href="https://www.example.gov.cn/""#),
            "{kept}"
        );
        assert!(kept.contains("noopener"), "{kept}");
    }

    #[test]
    fn removes_styles_iframes_and_forms() {
        let out = sanitize(
            r#"<p style="position:fixed">正文</p><iframe src="https://x"></iframe><form><input></form><style>p{}</style>"#,
        );
        assert!(!out.contains("style"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("form"), "{out}");
        assert!(!out.contains("input"), "{out}");
        assert!(out.contains("<p>正文</p>"), "{out}");
    }

    #[test]
    fn keeps_figures_headings_and_paragraph_structure() {
        let html = r#"<h3>一、总体情况</h3><p>第一段。</p><figure class="figure"><img src="/media/demo/1.jpg" alt="示意图" width="1200" height="675"><figcaption class="credit">图片来源：协会秘书处</figcaption></figure><p>第二段。</p>"#;
        let out = sanitize(html);
        assert_eq!(out, html);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn text_of_html_keeps_words_and_breaks_blocks() {
        let html = r#"<h3>一、总体情况</h3><p>园区&amp;企业 &lt;b&gt; &#x4E2D;&#25991;</p><figure class="figure"><img src="/a.jpg" alt="图"><figcaption class="credit">图片来源：协会</figcaption></figure><p>第二段 &bogus; &</p>"#;
        assert_eq!(
            to_text(html),
            "一、总体情况\n园区&企业 <b> 中文\n图片来源：协会\n第二段 &bogus; &"
        );
        assert_eq!(to_text("<p>未闭合"), "未闭合");
        assert_eq!(to_text("a <b"), "a");
    }
}
