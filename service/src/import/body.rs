//! The addresses inside an old body: every `<img src>` and `<a href>`, found without
//! building a tree (bodies are cleaned afterwards anyway), and rewritten in place.

/// Which attribute an address is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    ImgSrc,
    Href,
}

/// One address: where its value is in the HTML, and the value with `&amp;` decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub attr: Attr,
    start: usize,
    end: usize,
    pub value: String,
}

/// Every `<img src>` and `<a href>` of `html`, in order.
pub fn links(html: &str) -> Vec<Link> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let tag_start = i + off + 1;
        let name_end = bytes[tag_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |p| tag_start + p);
        let name = html[tag_start..name_end].to_ascii_lowercase();
        i = name_end.max(tag_start);
        let wanted = match name.as_str() {
            "img" => Some(("src", Attr::ImgSrc)),
            "a" => Some(("href", Attr::Href)),
            _ => None,
        };
        // Attributes until the end of the tag.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' || bytes[i] == b'<' {
                break;
            }
            let attr_start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'<')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attr = html[attr_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] != b'=' {
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (start, end) = match bytes.get(i) {
                Some(q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = bytes[start..]
                        .iter()
                        .position(|b| b == q)
                        .map_or(bytes.len(), |p| start + p);
                    i = (end + 1).min(bytes.len());
                    (start, end)
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    (start, i)
                }
            };
            if let Some((want, kind)) = wanted
                && attr == want
            {
                out.push(Link {
                    attr: kind,
                    start,
                    end,
                    value: html[start..end].trim().replace("&amp;", "&"),
                });
            }
        }
        if i >= bytes.len() {
            break;
        }
    }
    out
}

/// `html` with the value of each link for which `new` (given its index in `links`) gives
/// one replaced by it.
pub fn rewrite(html: &str, links: &[Link], new: impl Fn(usize, &Link) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    for (i, l) in links.iter().enumerate() {
        if let Some(v) = new(i, l)
            && l.start >= pos
        {
            out.push_str(&html[pos..l.start]);
            out.push_str(
                &v.replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('\'', "&#39;"),
            );
            pos = l.end;
        }
    }
    out.push_str(&html[pos..]);
    out
}

/// The site-relative address of `url` when it points inside the old site (no host, or one of
/// `hosts`), else `None` (another site, `mailto:`, an anchor).
pub fn local(url: &str, hosts: &[String]) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') {
        return None;
    }
    if url.contains("://") || url.starts_with("//") {
        let host = super::dede::host_of(url.trim_start_matches("//"))?;
        if !hosts.contains(&host) {
            return None;
        }
    }
    crate::redirect::normalize(url)
}

/// Whether an address is a file to bring in (an attachment) rather than a page.
pub fn is_attachment(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "pdf"
            | "doc"
            | "docx"
            | "xls"
            | "xlsx"
            | "ppt"
            | "pptx"
            | "wps"
            | "et"
            | "dps"
            | "zip"
            | "rar"
            | "7z"
            | "txt"
            | "csv"
            | "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_found_and_rewritten() {
        let html = r#"<p>见<a href="/a/news/2020/1229/12.html">上文</a><IMG alt=x SRC='/uploads/1.jpg'><a name=top>x</a><img src=/u/2.png></p><a href="http://old.example/?p=3&amp;x=1">y</a>"#;
        let found = links(html);
        let values: Vec<&str> = found.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "/a/news/2020/1229/12.html",
                "/uploads/1.jpg",
                "/u/2.png",
                "http://old.example/?p=3&x=1"
            ]
        );
        assert_eq!(found[1].attr, Attr::ImgSrc);
        let out = rewrite(html, &found, |_, l| match l.attr {
            Attr::ImgSrc => Some(format!("/media/{}", l.value.rsplit('/').next().unwrap())),
            Attr::Href if l.value.contains("p=3") => Some("/articles/9".into()),
            Attr::Href => None,
        });
        assert!(out.contains(r#"<a href="/a/news/2020/1229/12.html">"#));
        assert!(out.contains("SRC='/media/1.jpg'"));
        assert!(out.contains("src=/media/2.png>"));
        assert!(out.contains(r#"href="/articles/9""#));
        assert!(links("<a href").is_empty());
        assert!(links("<img src=\"x").len() == 1);
    }

    #[test]
    fn only_the_old_site_is_local() {
        let hosts = vec!["www.old.example".to_owned()];
        assert_eq!(local("/a/1.html", &hosts).as_deref(), Some("/a/1.html"));
        assert_eq!(
            local("http://WWW.old.example/a/1.html", &hosts).as_deref(),
            Some("/a/1.html")
        );
        assert_eq!(local("https://other.example/a/1.html", &hosts), None);
        assert_eq!(local("mailto:x@y.z", &hosts), None);
        assert_eq!(local("#top", &hosts), None);
    }
}
