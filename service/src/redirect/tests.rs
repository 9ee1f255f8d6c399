//! Addresses normalized, their forms, and where a redirect may go.

use super::*;

#[test]
fn addresses_are_site_relative_and_decoded() {
    assert_eq!(
        normalize("http://www.cadz.org.cn/a/news/1.html#top").as_deref(),
        Some("/a/news/1.html")
    );
    assert_eq!(
        normalize("HTTPS://Old.Example/?p=12").as_deref(),
        Some("/?p=12")
    );
    assert_eq!(
        normalize("//old.example/plus/view.php?aid=3").as_deref(),
        Some("/plus/view.php?aid=3")
    );
    assert_eq!(normalize("a/b.html").as_deref(), Some("/a/b.html"));
    assert_eq!(
        normalize("/a/%E6%96%B0.html").as_deref(),
        Some("/a/新.html")
    );
    assert_eq!(
        normalize("/a/%B9%FA.html").as_deref(),
        Some("/a/%B9%FA.html")
    );
    assert_eq!(normalize("/a//b/./c.html").as_deref(), Some("/a/b/c.html"));
    assert_eq!(normalize("http://old.example").as_deref(), Some("/"));
    assert_eq!(normalize("mailto:a@b.c"), None);
    assert_eq!(normalize("javascript:alert(1)"), None);
    assert_eq!(normalize("/a\nb"), None);
    assert_eq!(normalize(&format!("/{}", "a".repeat(MAX_LEN))), None);
}

#[test]
fn a_request_is_tried_in_several_forms() {
    assert_eq!(
        candidates("/", Some("p=12&utm_source=wx")),
        vec!["/?p=12&utm_source=wx", "/?p=12", "/?utm_source=wx", "/"]
    );
    assert_eq!(
        candidates("/a/news/", None),
        vec!["/a/news/", "/a/news", "/a/news/index.html"]
    );
    assert_eq!(
        candidates("/a/news/index.html", None),
        vec!["/a/news/index.html", "/a/news/"]
    );
    assert_eq!(candidates("/a/news", None), vec!["/a/news", "/a/news/"]);
    assert_eq!(
        candidates("/", Some("news/12.html")),
        vec!["/?news/12.html", "/"]
    );
}

#[test]
fn legacy_shapes_are_recognized() {
    assert!(is_legacy_shape("/", Some("p=1")));
    assert!(!is_legacy_shape("/", None));
    assert!(is_legacy_shape("/a/news/", None));
    assert_eq!(
        candidates("/index.php", Some("p=3")),
        vec!["/index.php?p=3", "/?p=3", "/index.php"]
    );
    assert!(is_legacy_shape("/plus/view.php", Some("aid=1")));
    assert!(is_legacy_shape("/a/news/2020/1229/1.html", None));
    assert!(!is_legacy_shape("/articles/12", None));
    assert!(!is_legacy_shape("/rss.xml", None));
}

#[test]
fn redirects_never_leave_the_site() {
    assert!(checked_target("/articles/12").is_ok());
    for bad in [
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "articles/1",
        "/a b",
        "/a\r\nSet-Cookie: x",
    ] {
        assert!(checked_target(bad).is_err(), "{bad}");
    }
}
