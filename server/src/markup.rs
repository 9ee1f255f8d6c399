//! The last step of every rendered page: corrects what the framework writes that HTML does not
//! allow, without changing the document a browser builds from it (so hydration, which walks
//! that document, is unaffected). Runs once per render, inside the page cache.
//!
//! - Leptos marks empty views and text boundaries with `<!>`, which HTML parses as an empty
//!   comment but calls a "bogus comment"; `<!---->` is the same empty comment, written validly.
//! - The preload links for the browser bundle get the page's script nonce as their
//!   `crossorigin` value; an unknown value means `anonymous`, which `crossorigin=""` says
//!   validly. The script's gets `fetchpriority="low"` (as Leptos gives it when hydration is
//!   deferred, which islands always are), and the WebAssembly's is dropped: the islands
//!   start once the page is idle, and the 60 KB of wasm fetched before then would compete
//!   with the page's own text and first picture on a slow phone connection (the small
//!   script, preloaded, asks for the wasm as soon as it runs).
//! - Resources resolved late are streamed as `<script>`s after `</html>`; a parser puts them at
//!   the end of `<body>` anyway, so that is where they are written.

/// The corrected page, or `None` when there was nothing to correct.
pub fn tidy(html: &str) -> Option<String> {
    let comments = html.contains("<!>");
    let after = trailing_content(html);
    let links =
        html.contains("<link rel=\"modulepreload\"") || html.contains("<link rel=\"preload\"");
    if !comments && after.is_none() && !links {
        return None;
    }
    let mut out = if comments {
        replace_bogus_comments(html)
    } else {
        html.to_owned()
    };
    if links {
        out = preload_links(&out);
    }
    if let Some(tail) = trailing_content(&out) {
        let tail = tail.to_owned();
        let end = out.len() - tail.len();
        out.truncate(end);
        match out.rfind("</body>") {
            Some(body_end) => out.insert_str(body_end, tail.trim()),
            None => out.push_str(&tail),
        }
    }
    (out != html).then_some(out)
}

/// What follows `</html>`, when it is more than white space.
fn trailing_content(html: &str) -> Option<&str> {
    let end = html.rfind("</html>")? + "</html>".len();
    let tail = &html[end..];
    (!tail.trim().is_empty()).then_some(tail)
}

/// `<!>` written as `<!---->`, except inside `<script>` and `<style>` (raw text).
fn replace_bogus_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<!>") {
            out.push_str("<!---->");
            rest = &rest[3..];
            continue;
        }
        let raw = ["<script", "<style"]
            .into_iter()
            .find(|open| starts_with_tag(rest, open));
        if let Some(open) = raw {
            let close = format!("</{}", &open[1..]);
            let end = find_ignore_case(rest, &close).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            if rest.is_empty() {
                break;
            }
            out.push_str(&rest[..close.len()]);
            rest = &rest[close.len()..];
            continue;
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// The preload links: the WebAssembly's dropped, `crossorigin` values other than the three
/// HTML knows as `""`, and `fetchpriority="low"` where there is none.
fn preload_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = find_ignore_case(rest, "<link") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        out.push_str(&rest[..at]);
        let tag = &rest[at..end];
        let wasm = tag.contains(" rel=\"preload\"") && tag.contains(".wasm\"");
        if !wasm {
            out.push_str(&fix_link(tag));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn fix_link(tag: &str) -> String {
    const ATTR: &str = " crossorigin=\"";
    let preload = tag.contains(" rel=\"modulepreload\"") || tag.contains(" rel=\"preload\"");
    if !preload {
        return tag.to_owned();
    }
    let mut out = String::with_capacity(tag.len() + 24);
    let mut rest = tag;
    while let Some(a) = rest.find(ATTR) {
        let value_start = a + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        if matches!(value, "" | "anonymous" | "use-credentials") {
            out.push_str(value);
        }
        out.push('"');
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    if !out.contains(" fetchpriority=") {
        let close = if out.ends_with("/>") {
            out.len() - 2
        } else {
            out.len() - 1
        };
        if out.ends_with('>') {
            out.insert_str(close, " fetchpriority=\"low\"");
        }
    }
    out
}

/// Whether `s` starts with the tag `open` (`<script`), case-insensitively, as a whole name.
fn starts_with_tag(s: &str, open: &str) -> bool {
    s.len() > open.len()
        && s.is_char_boundary(open.len())
        && s[..open.len()].eq_ignore_ascii_case(open)
        && s.as_bytes()
            .get(open.len())
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let hay = haystack.as_bytes();
    let needle = needle.as_bytes();
    (0..=hay.len().checked_sub(needle.len())?)
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn bogus_comments_become_empty_comments() {
        assert_eq!(
            tidy("<p>a<!>b</p><!><span></span>").as_deref(),
            Some("<p>a<!---->b</p><!----><span></span>")
        );
        assert_eq!(tidy("<p>a &lt;!&gt; b</p>"), None);
    }

    #[test]
    fn scripts_and_styles_are_left_alone() {
        let html = "<script>var s = '<!>';</script><!><STYLE>a::after{content:'<!>'}</style>";
        assert_eq!(
            tidy(html).as_deref(),
            Some("<script>var s = '<!>';</script><!----><STYLE>a::after{content:'<!>'}</style>")
        );
        assert_eq!(
            tidy("<scripted><!></scripted>").as_deref(),
            Some("<scripted><!----></scripted>")
        );
        assert_eq!(tidy("<script>never closed <!>").as_deref(), None);
    }

    #[test]
    fn preload_links_lose_the_nonce_as_crossorigin() {
        let html = r#"<head><link rel="modulepreload" href="/a.js" crossorigin="n0nce-x"><link rel="preload" href="/pkg/a.wasm" as="fetch" crossorigin="n0nce-x"><link rel="preload" crossorigin="anonymous" as="image" fetchpriority="high"><link rel="stylesheet" href="/a.css" crossorigin="x"></head><p> crossorigin="n0nce-x"</p>"#;
        assert_eq!(
            tidy(html).as_deref(),
            Some(
                r#"<head><link rel="modulepreload" href="/a.js" crossorigin="" fetchpriority="low"><link rel="preload" crossorigin="anonymous" as="image" fetchpriority="high"><link rel="stylesheet" href="/a.css" crossorigin="x"></head><p> crossorigin="n0nce-x"</p>"#
            )
        );
    }

    #[test]
    fn content_after_the_document_moves_into_the_body() {
        let html = "<html><body><p>x</p></body></html><script>__r()</script>\n";
        assert_eq!(
            tidy(html).as_deref(),
            Some("<html><body><p>x</p><script>__r()</script></body></html>")
        );
        assert_eq!(tidy("<html><body></body></html>\n"), None);
    }
}
