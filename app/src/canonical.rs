//! The one address of every public page. A page is known by its path and only the query
//! parameters it reads (column lists read `page`; nothing else reads any), in one spelling:
//! numbers without leading zeros, no trailing slash, no doubled slashes, no percent-encoded
//! letters. Any other spelling of the same page is answered with a 301 to this address;
//! parameters no page reads (`utm_source`, WeChat's `from=singlemessage`, `?page=7` on an
//! article) are ignored, so they can neither change a page nor fill the page cache.

/// What a request for a public page should get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Canonical {
    /// Serve the page at this path and query (the request's own, or the same without the
    /// parameters no page reads).
    Page(String),
    /// The request spells the page another way: 301 to this address.
    Redirect(String),
}

/// Pages holding a reader's form (留言箱, tracking, 投稿): each showing carries a signed
/// token of its own and what the reader sent, so they are never stored, by the page cache or
/// anyone else.
pub fn is_form_page(path: &str) -> bool {
    ["/messages", "/submit"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// Pages rendered for every request and never stored by the page cache: the readers' forms,
/// and search results (one page per query string, which anyone can vary without end).
pub fn is_uncached_page(path: &str) -> bool {
    is_form_page(path) || path == "/search"
}

/// The query parameters the page at `path` reads.
fn parameters_read(path: &str) -> &'static [&'static str] {
    match path.strip_prefix("/columns/") {
        Some(slug) if !slug.contains('/') && !slug.is_empty() => &["page"],
        _ => match path {
            "/messages" => &["page"],
            "/messages/track" | "/submit/track" => &["code", "new"],
            _ => &[],
        },
    }
}

/// A positive number written without leading zeros; `Some(canonical)` if `s` is a number
/// (perhaps with leading zeros) that fits in `max_digits`.
fn canonical_number(s: &str, max_digits: usize) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() || trimmed.len() > max_digits {
        return None;
    }
    Some(trimmed.to_owned())
}

/// Decodes the `%XX` escapes of unreserved characters (letters, digits, `-._~`), the only
/// ones that never change what an address means; others (`%2F`, non-ASCII) stay as they are.
fn decode_unreserved(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were decoded, so this is as valid UTF-8 as `s` was.
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// The path in its one spelling.
fn canonical_path(path: &str) -> String {
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    // Ids and magazine numbers without leading zeros.
    let numeric_from = match segments.first().map(String::as_str) {
        Some("articles" | "notices") if segments.len() == 2 => Some(1),
        Some("magazine") if segments.len() == 3 => Some(1),
        _ => None,
    };
    if let Some(from) = numeric_from {
        for seg in segments.iter_mut().skip(from) {
            if let Some(n) = canonical_number(seg, 10) {
                *seg = n;
            }
        }
    }
    format!("/{}", segments.join("/"))
}

/// A path made of characters that need no encoding in a `Location` header.
fn plain(path: &str) -> bool {
    path.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
}

/// The canonical form of a request for a public page.
pub fn canonical(path: &str, query: Option<&str>) -> Canonical {
    // Percent-encoded letters and digits are the same page: decode them, and redirect when
    // the result is plain (anything else is no page of ours and gets its 404).
    let decoded = if path.contains('%') {
        let d = decode_unreserved(path);
        if !plain(&d) {
            return Canonical::Page(path.to_owned());
        }
        d
    } else {
        path.to_owned()
    };
    let canon_path = canonical_path(&decoded);
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut respelled = false;
    for name in parameters_read(&canon_path) {
        let value = query.and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
        });
        let Some(value) = value else { continue };
        match *name {
            // `page=1`, an empty or a bad page number all mean the first page.
            "page" => match canonical_number(value, 9) {
                Some(n) if n != "1" => {
                    respelled |= n != value;
                    kept.push(((*name).to_owned(), n));
                }
                _ => respelled = true,
            },
            _ => kept.push(((*name).to_owned(), value.to_owned())),
        }
    }
    let mut target = canon_path.clone();
    if !kept.is_empty() {
        let q: Vec<String> = kept.iter().map(|(k, v)| format!("{k}={v}")).collect();
        target = format!("{target}?{}", q.join("&"));
    }
    if canon_path != path || respelled {
        Canonical::Redirect(target)
    } else {
        Canonical::Page(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(s: &str) -> Canonical {
        Canonical::Page(s.to_owned())
    }

    fn moved(s: &str) -> Canonical {
        Canonical::Redirect(s.to_owned())
    }

    #[test]
    fn pages_keep_only_the_parameters_they_read() {
        assert_eq!(canonical("/", None), page("/"));
        assert_eq!(canonical("/articles/37", None), page("/articles/37"));
        assert_eq!(
            canonical("/articles/37", Some("page=7")),
            page("/articles/37")
        );
        assert_eq!(
            canonical("/articles/37", Some("utm_source=x&from=singlemessage")),
            page("/articles/37")
        );
        assert_eq!(canonical("/", Some("a=1")), page("/"));
        assert_eq!(
            canonical("/columns/news", Some("page=3&utm=1")),
            page("/columns/news?page=3")
        );
        assert_eq!(
            canonical("/columns/news", Some("x=1&page=3")),
            page("/columns/news?page=3")
        );
        assert_eq!(
            canonical("/columns/news/rss.xml", Some("page=2")),
            page("/columns/news/rss.xml")
        );
    }

    #[test]
    fn reader_forms_are_form_pages_and_keep_their_parameters() {
        for p in ["/messages", "/messages/track", "/submit", "/submit/track"] {
            assert!(is_form_page(p), "{p}");
        }
        for p in ["/submits", "/messagesx", "/columns/submit", "/"] {
            assert!(!is_form_page(p), "{p}");
        }
        assert_eq!(
            canonical("/submit/track", Some("code=TG20261201-AB12&new=1&x=2")),
            page("/submit/track?code=TG20261201-AB12&new=1")
        );
        assert_eq!(canonical("/submit", Some("utm=1")), page("/submit"));
    }

    #[test]
    fn other_spellings_move_to_the_one_address() {
        assert_eq!(canonical("/articles/0037", None), moved("/articles/37"));
        assert_eq!(canonical("/articles/37/", None), moved("/articles/37"));
        assert_eq!(canonical("//articles//37", None), moved("/articles/37"));
        assert_eq!(canonical("/articles/%33%37", None), moved("/articles/37"));
        assert_eq!(canonical("/notices/007", None), moved("/notices/7"));
        assert_eq!(
            canonical("/magazine/2026/03", None),
            moved("/magazine/2026/3")
        );
        assert_eq!(
            canonical("/columns/news/", Some("page=2")),
            moved("/columns/news?page=2")
        );
        assert_eq!(
            canonical("/columns/news", Some("page=02")),
            moved("/columns/news?page=2")
        );
        assert_eq!(
            canonical("/columns/news", Some("page=1")),
            moved("/columns/news")
        );
        assert_eq!(
            canonical("/columns/news", Some("page=abc")),
            moved("/columns/news")
        );
        assert_eq!(
            canonical("/columns/news", Some("page=")),
            moved("/columns/news")
        );
        assert_eq!(
            canonical("/columns/news", Some("page=0")),
            moved("/columns/news")
        );
        // Not numbers: left for the page to answer 404.
        assert_eq!(canonical("/articles/abc", None), page("/articles/abc"));
        assert_eq!(canonical("/articles/0", None), page("/articles/0"));
        // Encoded characters that are no page of ours are left alone (404).
        assert_eq!(
            canonical("/columns/%E6%96%B0", None),
            page("/columns/%E6%96%B0")
        );
    }
}
