//! The checks of Portico's fuzz targets: every parser of input from outside, given arbitrary
//! bytes, must not panic, must finish in bounded time (libFuzzer's `-timeout` and the
//! [`bounded`] check) and memory (`-rss_limit_mb`, `-malloc_limit_mb`), and must keep what it
//! promises: the HTML cleaners are idempotent and let no script, event handler or
//! `javascript:` address through; decoders round-trip; canonical addresses are canonical.
//!
//! Each `fuzz_targets/<name>.rs` calls the function of that name. The unit tests at the end
//! run every check over the seeds in `fuzz/seeds` (real files) and the saved corpus in
//! `fuzz/corpus`, so `cargo test` replays everything the fuzzers ever found.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The most one input may take to check, in a fuzzing build (sanitizers and coverage make
/// it several times slower than a release build).
pub const MAX_TIME: Duration = Duration::from_secs(2);

/// Runs `check`, failing when it takes longer than [`MAX_TIME`].
pub fn bounded<T>(what: &str, input_len: usize, check: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = check();
    let took = started.elapsed();
    assert!(
        took < MAX_TIME,
        "{what}: {input_len} bytes took {took:?} (a quadratic path?)"
    );
    out
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// What a browser would run in cleaned HTML: `<script>`/`<iframe>`-like elements, `on…`
/// attributes, or addresses with a script scheme. `None` when there is nothing.
pub fn unsafe_markup(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in [
        "<script", "<iframe", "<object", "<embed", "<style", "<svg", "<math", "<form", "<base",
        "<meta", "<link",
    ] {
        if lower.contains(tag) {
            return Some(format!("{tag} survived"));
        }
    }
    // Every `<` starts a tag (text has `&lt;`): read each tag's attributes.
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        rest = &after[end..];
        for (name, value) in attributes(tag) {
            if name.starts_with("on") {
                return Some(format!("event handler {name} in <{tag}>"));
            }
            let squeezed: String = value
                .replace("&amp;", "&")
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            for scheme in ["javascript:", "vbscript:", "data:text", "data:application"] {
                if squeezed.starts_with(scheme) {
                    return Some(format!("{scheme} in <{tag}>"));
                }
            }
        }
    }
    None
}

/// The attributes of a tag's inside (`a href="x" title='y' z`), names lower-case.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    // Skip the tag name.
    let mut i = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(bytes.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let name = tag[start..i].to_owned();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            match bytes.get(i) {
                Some(q @ (b'"' | b'\'')) => {
                    let close = tag[i + 1..]
                        .find(char::from(*q))
                        .map_or(tag.len(), |e| i + 1 + e);
                    value = tag[i + 1..close].to_owned();
                    i = close + 1;
                }
                _ => {
                    let close = tag[i..]
                        .find(|c: char| c.is_ascii_whitespace())
                        .map_or(tag.len(), |e| i + e);
                    value = tag[i..close].to_owned();
                    i = close;
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// A cleaner's promises on `input`: its output is clean of scripts, and cleaning it again
/// changes nothing.
fn check_cleaner(what: &str, clean: impl Fn(&str) -> String, input: &str) {
    let once = bounded(what, input.len(), || clean(input));
    if let Some(problem) = unsafe_markup(&once) {
        panic!("{what}: {problem}\ninput: {input:?}\noutput: {once:?}");
    }
    let twice = clean(&once);
    assert_eq!(twice, once, "{what} is not idempotent on {input:?}");
}

/// Pasted HTML (and the RTF beside it, after the first NUL byte): the pictures are found
/// in one pass, and the markup is cleaned like an article body.
pub fn paste(data: &[u8]) {
    let (html, rtf) = match data.iter().position(|b| *b == 0) {
        Some(i) => (text(&data[..i]), text(&data[i + 1..])),
        None => (text(data), String::new()),
    };
    let pictures = bounded("rtf_pictures", rtf.len(), || {
        service::paste::rtf_pictures(&rtf)
    });
    assert!(pictures.iter().all(|p| p.len() <= rtf.len() / 2 + 1));
    let pieces = bounded("split_pictures", data.len(), || {
        service::paste::split_pictures(&html, &rtf)
    });
    let taken = pieces
        .iter()
        .filter(|p| matches!(p, service::paste::Piece::Picture { .. }))
        .count();
    assert!(taken <= service::paste::MAX_PICTURES);
    check_cleaner("clean_markup", service::paste::clean_markup, &html);
}

/// The article body an editor saves: sanitized, and the other readers of stored HTML.
pub fn article_html(data: &[u8]) {
    let html = text(data);
    check_cleaner("sanitize", service::html::sanitize, &html);
    bounded("readers of stored html", html.len(), || {
        let _ = service::html::rank_headings(&html);
        let _ = service::html::page_body(&html);
        let _ = service::html::to_text(&html);
        let _ = service::html::strip_tags(&html);
    });
}

/// A Word document: converted within its limits, its pictures within theirs, and the HTML
/// it gives cleaned safely.
pub fn docx(data: &[u8]) {
    let converted = bounded("docx::convert", data.len(), || service::docx::convert(data));
    if let Ok(c) = converted {
        assert!(c.html.len() <= service::docx::Limits::default().html + 64 * 1024);
        assert!(c.pictures.len() <= service::docx::MAX_PICTURES);
        for part in c.pictures.iter().take(3) {
            if let Some(p) = service::docx::picture(data, part) {
                assert!(p.len() <= service::media::MAX_BYTES);
            }
        }
        check_cleaner("clean_markup(docx)", service::paste::clean_markup, &c.html);
    }
}

/// A 投稿 attachment: what it is, by content.
pub fn sniff(data: &[u8]) {
    for name in ["稿件.docx", "稿件.wps", "x"] {
        let kind = bounded("sniff", data.len(), || {
            service::submission::sniff(name, data)
        });
        if kind == Some(service::submission::FileKind::Docx) {
            assert!(service::docx::package::is_word(data));
        }
    }
}

/// A URL-encoded form body: what it decodes to encodes back to the same.
pub fn form_urlencoded(data: &[u8]) {
    let form = bounded("decode_form", data.len(), || {
        server::form_body::FormFields::decode(data)
    });
    if !form.bad_utf8() {
        let again = serde_urlencoded::to_string(form.fields()).expect("fields encode");
        let round = server::form_body::FormFields::decode(again.as_bytes());
        assert!(!round.bad_utf8());
        assert_eq!(round, form, "decode(encode(x)) != x");
    }
    let value = text(data);
    if let Some(decoded) = app::query::decode(&value) {
        assert_eq!(
            app::query::decode(&app::query::encode(&decoded)).as_deref(),
            Some(decoded.as_str())
        );
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// A `/submit` body (multipart). Its boundary is its first line when it starts with `--`
/// (as a browser's body does), else a fixed one.
pub fn multipart(data: &[u8]) {
    let boundary = data
        .strip_prefix(b"--")
        .and_then(|rest| {
            let end = rest.iter().position(|b| *b == b'\r' || *b == b'\n')?;
            std::str::from_utf8(&rest[..end]).ok().map(str::to_owned)
        })
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .unwrap_or_else(|| "portico-fuzz".to_owned());
    let Ok(req) = http::Request::builder()
        .method("POST")
        .uri("/submit")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(data.to_vec()))
    else {
        return;
    };
    let post = bounded("multipart", data.len(), || {
        runtime().block_on(server::routes::reader_forms::multipart::read(req))
    });
    let kept: usize = post
        .fields
        .fields()
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum::<usize>()
        + post.files.iter().map(|f| f.content.len()).sum::<usize>();
    // Replacement characters for bad UTF-8 may lengthen text by a factor of three.
    assert!(
        kept <= 3 * data.len() + 64,
        "{kept} bytes kept of {}",
        data.len()
    );
    assert!(post.fields.fields().len() <= 32);
    assert!(
        post.files
            .iter()
            .all(|f| f.content.len() <= service::submission::MAX_FILE_BYTES)
    );
}

/// A public page's address: the canonical address of anything is canonical itself, and a
/// redirect leads to it in one step.
pub fn canonical(data: &[u8]) {
    let raw = text(data);
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (raw.clone(), None),
    };
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let first = bounded("canonical", data.len(), || {
        app::canonical::canonical(&path, query.as_deref())
    });
    let target = match &first {
        app::canonical::Canonical::Page(p) | app::canonical::Canonical::Redirect(p) => p.clone(),
    };
    let (p, q) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.clone(), None),
    };
    assert_eq!(
        app::canonical::canonical(&p, q.as_deref()),
        app::canonical::Canonical::Page(target.clone()),
        "{raw:?} → {first:?} is not canonical"
    );
    let _ = app::article_id_from_path(&path);
    let _ = app::canonical::is_uncached_page(&path);
}

/// Request headers read by hand: cookies (preferences, the flash message), `X-Forwarded-For`
/// behind trusted proxies, `Accept-Encoding`, address lists, rate-limit keys and `Host` (which
/// site a request is for).
pub fn headers(data: &[u8]) {
    let raw = text(data);
    let lines: Vec<&str> = raw.lines().collect();
    bounded("headers", data.len(), || {
        let _ = app::cookies::find(lines.iter().copied(), "portico_fs");
        let _ = app::prefs::ReaderPrefs::from_cookie_headers(lines.iter().copied());
        let _ = app::cookies::read_flash(&raw);
        let _ = app::ssr::client::TrustedProxies::parse(&raw);
        let _ = service::net::limit_key(&raw);
        let mut headers = http::HeaderMap::new();
        for line in &lines {
            if let Ok(v) = http::HeaderValue::from_str(line) {
                headers.append("x-forwarded-for", v.clone());
                headers.append("accept-encoding", v.clone());
                headers.append("cookie", v);
            }
        }
        let trusted =
            app::ssr::client::TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").expect("a list");
        let proxy = "127.0.0.1:5000".parse().ok();
        assert!(app::ssr::client::client_address(&trusted, proxy, &headers).is_some());
        // A peer that is not a proxy is the client, whatever the header says.
        let outsider: std::net::SocketAddr = "198.51.100.2:5000".parse().expect("address");
        assert_eq!(
            app::ssr::client::client_address(&trusted, Some(outsider), &headers),
            Some(outsider.ip())
        );
        let _ = server::page_cache::Encoding::preferred(&headers);
        let _ = app::ssr::reader_prefs(&headers);
        // `Host`: a host name comes out lower-case, without port or final dot, and stays the
        // same when read again; an unknown one leads to no site.
        let sites = service::site::directory::Directory::new(Vec::new(), "http://portico.test");
        for line in &lines {
            let _ = service::site::directory::host_of_url(line);
            if let Some(host) = service::site::directory::normalize_host(line) {
                assert!(!host.is_empty() && host.len() <= 253, "{host:?}");
                assert_eq!(host, host.to_ascii_lowercase());
                assert!(!host.ends_with('.'), "{host:?}");
                assert!(host.starts_with('[') || !host.contains(':'), "{host:?}");
                assert_eq!(
                    service::site::directory::normalize_host(&host).as_deref(),
                    Some(host.as_str())
                );
            }
            let known = matches!(
                sites.resolve(Some(line)),
                service::site::directory::Resolved::Site(_)
            );
            let own = service::site::directory::normalize_host(line)
                .is_some_and(|h| h == "portico.test" || service::site::directory::is_own_name(&h));
            assert_eq!(known, own, "{line:?}");
        }
    });
}

/// A search: the query (first line) read into words, and a text (the rest) marked with them
/// and cut into a snippet, keeping every character where it was.
pub fn search(data: &[u8]) {
    let raw = text(data);
    let (query, body) = raw.split_once('\n').unwrap_or((raw.as_str(), ""));
    bounded("search", data.len(), || {
        let (words, _) = service::search::parse(query);
        assert!(words.len() <= service::search::MAX_WORDS);
        let words: Vec<String> = words.into_iter().map(|w| w.text).collect();
        let marked = service::search::highlight::marked(body, &words);
        let joined: String = marked.iter().map(|p| p.text.as_str()).collect();
        let spaced: String = body
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        assert_eq!(joined, spaced, "marking changed the text");
        let snippet = service::search::highlight::snippet(body, &words, 120);
        let shown: usize = snippet
            .iter()
            .filter(|p| p.text != "…")
            .map(|p| p.text.chars().count())
            .sum();
        assert!(shown <= 120);
        let _ = service::search::tokens::index_tokens(body);
    });
}

/// A backup archive: read and checked in bounded memory, never trusting its headers.
pub fn backup(data: &[u8]) {
    let _ = bounded("backup::check_reader", data.len(), || {
        service::backup::check_reader(data, |_| {})
    });
}

/// The security inputs from outside, chosen by the first byte: an audit archive handed to
/// `portico audit verify` (never verifies unless genuine), the pending-sign-in cookie (never
/// admits anyone unless signed), a typed one-time or recovery code (a code is only ever six
/// digits), an address allow-list, a secret key as text, and a reader's contact detail as a
/// row may hold it (opened, sealed and masked).
pub fn security(data: &[u8]) {
    static KEY: OnceLock<()> = OnceLock::new();
    KEY.get_or_init(|| {
        let key =
            service::secret::Secret::from_text("ZnV6ei1rZXktb2YtdGhlLXBvcnRpY28tZnV6emVyLTA=");
        let _ = service::secret::install(key.expect("a valid key"));
    });
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = text(rest);
    bounded("security", rest.len(), || match which % 6 {
        0 => {
            let verdict = service::audit::archive::verify_file(std::io::Cursor::new(rest));
            assert!(verdict.is_err(), "an archive nobody signed verified");
        }
        1 => {
            let admitted = service::security::second_factor::pending_user(&text, 1_800_000_000);
            assert_eq!(admitted, None, "an unsigned pending sign-in was admitted");
        }
        2 => {
            let secret = b"12345678901234567890";
            if let Some(step) = service::security::totp::accepts(secret, &text, 1_800_000_000, None)
            {
                let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                assert_eq!(digits.len(), 6);
                assert_eq!(
                    format!("{:06}", service::security::totp::code_at(secret, step)),
                    digits
                );
            }
            let normal = service::security::totp::normalize_recovery(&text);
            assert!(
                normal
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            );
        }
        3 => {
            if let Ok(list) = app::ssr::client::TrustedProxies::parse(&text) {
                let _ = list.contains(std::net::IpAddr::from([127, 0, 0, 1]));
            }
            let mut p = service::security::Policy::default();
            if p.set(service::security::ADMIN_ALLOW, &text).is_ok() {
                assert!(p.admin_allow.len() <= service::security::ADMIN_ALLOW_MAX);
            }
        }
        4 => {
            // Readers' contact details as stored: whatever a row holds opens to itself (in
            // the clear), or to nothing, never to something else; what is sealed opens back;
            // masks keep at most the first three and last four characters.
            use service::security::personal::{self, Field};
            let ring = personal::keyring().expect("the key is installed");
            match personal::key_id(&text) {
                None => assert_eq!(
                    ring.open(Field::MessageEmail, "LY20261201-7F3K", &text),
                    Some(text.clone())
                ),
                Some(_) => {
                    let _ = ring.open(Field::MessageEmail, "LY20261201-7F3K", &text);
                }
            }
            let sealed = ring
                .seal(Field::SubmissionPhone, &text, &text)
                .expect("sealing works");
            assert_eq!(
                ring.open(Field::SubmissionPhone, &text, &sealed),
                Some(text.clone())
            );
            let masked = personal::mask_phone(&text);
            assert!(masked.chars().count() <= 3 + 1 + 4 + 4, "{masked}");
            let _ = personal::mask_email(&text);
        }
        _ => {
            if let Ok(key) = service::secret::Secret::from_text(&text) {
                assert_eq!(
                    service::secret::Secret::from_text(&key.to_text()).ok(),
                    Some(key)
                );
            }
        }
    });
}

/// A `mysqldump` file of an old site (`portico import`): read to the end or to its first
/// error in bounded time, every row with exactly as many values as its table has columns;
/// and the address scanner of old bodies, whose rewrite changes nothing when told nothing.
pub fn sqldump(data: &[u8]) {
    use service::import::sqldump::{Charset, Dump, Event};
    bounded("import::sqldump", data.len(), || {
        let mut dump = Dump::new(data, Charset::Auto);
        while let Ok(Some(event)) = dump.next_event() {
            if let Event::Row {
                columns, values, ..
            } = event
            {
                assert_eq!(
                    columns.len(),
                    values.len(),
                    "a row has one value per column"
                );
            }
        }
    });
    let text = text(data);
    bounded("import::body", data.len(), || {
        let links = service::import::body::links(&text);
        assert_eq!(
            service::import::body::rewrite(&text, &links, |_, _| None),
            text
        );
        let _ = service::import::body::rewrite(&text, &links, |_, _| Some("/media/x.jpg".into()));
        for l in &links {
            let _ = service::import::body::local(&l.value, &["old.example".to_owned()]);
        }
    });
}

/// A WordPress export (`portico import --from wordpress`): read to the end or to its first
/// error in bounded time and memory; an error always names its line; the paragraphs made
/// of a post's content are made again the same.
pub fn wxr(data: &[u8]) {
    bounded("import::wxr", data.len(), || {
        if let Err(e) = service::import::wxr::check(data) {
            let message = e.to_string();
            assert!(!message.is_empty());
        }
    });
    let text = text(data);
    bounded("import::wxr::autop", data.len(), || {
        let once = service::import::wxr::autop(&text);
        assert!(
            once.len() <= text.len() * 12 + 16,
            "autop grows text boundedly"
        );
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every file under `dir` (recursively).
    fn files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    out.extend(files(&p));
                } else if p
                    .file_name()
                    .is_some_and(|n| n != "SOURCES.md" && n != ".gitkeep")
                {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Replays the seeds and the saved corpus of a target through its check.
    fn replay(target: &str, seeds: &[&str], check: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<_> = seeds.iter().map(|s| root.join("seeds").join(s)).collect();
        dirs.push(root.join("corpus").join(target));
        let mut n = 0;
        for dir in dirs {
            for file in files(&dir) {
                let data = std::fs::read(&file).expect("a seed");
                check(&data);
                n += 1;
            }
        }
        assert!(n > 0, "{target} has seeds");
    }

    #[test]
    fn sqldump() {
        replay("sqldump", &["sqldump"], super::sqldump);
    }

    #[test]
    fn wxr() {
        replay("wxr", &["wxr", "html"], super::wxr);
    }

    #[test]
    fn paste() {
        replay("paste", &["html", "rtf", "clipboard"], super::paste);
    }

    #[test]
    fn article_html() {
        replay("article_html", &["html"], super::article_html);
    }

    #[test]
    fn docx() {
        replay("docx", &["docx"], super::docx);
    }

    #[test]
    fn sniff() {
        replay("sniff", &["docx", "files"], super::sniff);
    }

    #[test]
    fn form_urlencoded() {
        replay("form_urlencoded", &["urlencoded"], super::form_urlencoded);
    }

    #[test]
    fn multipart() {
        replay("multipart", &["multipart"], super::multipart);
    }

    #[test]
    fn canonical() {
        replay("canonical", &["urls"], super::canonical);
    }

    #[test]
    fn headers() {
        replay("headers", &["headers"], super::headers);
    }

    #[test]
    fn search() {
        replay("search", &["search"], super::search);
    }

    #[test]
    fn backup() {
        replay("backup", &["backup"], super::backup);
    }

    #[test]
    fn security() {
        replay("security", &["security"], super::security);
    }

    #[test]
    fn cleaned_html_is_checked_for_what_would_run() {
        assert!(super::unsafe_markup("<p onclick=\"x\">a</p>").is_some());
        assert!(super::unsafe_markup("<a href=\" javascript:alert(1)\">a</a>").is_some());
        assert!(super::unsafe_markup("<p>javascript: 在正文里只是文字</p>").is_none());
        assert!(super::unsafe_markup("<a href=\"https://example.com/\">a</a>").is_none());
        assert!(super::unsafe_markup("<SCRIPT>x</SCRIPT>").is_some());
    }
}
