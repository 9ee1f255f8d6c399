//! Unit tests of `page_cache`.
use std::io::Read;

use super::*;

/// A request for `uri` on site `site`, as the host routing hands it on.
fn req_on(site: i32, uri: &str, cookie: Option<&str>) -> Request {
    let mut b = Request::builder().uri(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let mut req = b.body(Body::empty()).unwrap();
    req.extensions_mut().insert(RequestSite(std::sync::Arc::new(
        service::site::directory::SiteRef {
            id: site,
            code: format!("site{site}"),
            name: String::new(),
            status: service::site::directory::SiteStatus::Active,
            primary_host: None,
            base_url: format!("http://site{site}.test"),
        },
    )));
    req
}

fn req(uri: &str, cookie: Option<&str>) -> Request {
    req_on(1, uri, cookie)
}

fn key_on(site: i32, uri: &str, cookie: Option<&str>) -> Key {
    match Key::of(&req_on(site, uri, cookie)) {
        Lookup::Page(k) => k,
        other => panic!("{uri}: {other:?}"),
    }
}

fn key(uri: &str, cookie: Option<&str>) -> Key {
    key_on(1, uri, cookie)
}

#[test]
fn the_same_address_on_two_sites_is_two_pages() {
    assert_ne!(key_on(1, "/", None), key_on(2, "/", None));
    assert_eq!(
        key_on(2, "/articles/3?utm=x", None),
        key_on(2, "/articles/3", None)
    );
    // Without its site a request is never a cached page.
    let unrouted = Request::builder().uri("/").body(Body::empty()).unwrap();
    assert_eq!(Key::of(&unrouted), Lookup::Pass);

    let cache = PageCache::new(1 << 20);
    let put = |site: i32, body: &'static str| {
        let e = Entry::new(
            HeaderValue::from_static("text/html"),
            body.as_bytes(),
            vec!["home".into(), "chrome".into()],
            ReaderPrefs::default(),
        );
        cache.insert(key_on(site, "/", None), e, cache.epoch());
    };
    put(1, "main home");
    put(2, "member home");
    let body = |site: i32| {
        let entry = cache.get(&key_on(site, "/", None)).expect("cached");
        String::from_utf8_lossy(&gunzip(&entry.gzip)).into_owned()
    };
    assert_eq!(body(1), "main home");
    assert_eq!(body(2), "member home");
    // One site's change drops only its own pages; a change of every site's, all.
    assert_eq!(cache.invalidate(Some(2), &["home".into()]), 1);
    assert!(cache.get(&key_on(1, "/", None)).is_some());
    assert!(cache.get(&key_on(2, "/", None)).is_none());
    put(2, "member home");
    assert_eq!(cache.invalidate(None, &["chrome".into()]), 2);
    assert!(cache.is_empty());
}

#[test]
fn only_public_pages_are_cached_under_their_canonical_address() {
    assert_eq!(key("/articles/3", None).path_and_query, "/articles/3");
    assert_eq!(
        key("/columns/news?page=2", None).path_and_query,
        "/columns/news?page=2"
    );
    // Parameters no page reads are not part of the key.
    assert_eq!(key("/articles/3?utm=x", None), key("/articles/3", None));
    assert_eq!(key("/articles/3?page=7", None), key("/articles/3", None));
    assert_eq!(
        Key::of(&req("/columns/news?page=abc", None)),
        Lookup::Redirect("/columns/news".into())
    );
    assert_eq!(
        Key::of(&req("/articles/0003", None)),
        Lookup::Redirect("/articles/3".into())
    );
    for private in ["/api/hits/3", "/media/a.jpg", "/admin/login", "/pkg/x.js"] {
        assert_eq!(Key::of(&req(private, None)), Lookup::Pass, "{private}");
    }
    let post = Request::builder()
        .method("POST")
        .uri("/")
        .body(Body::empty())
        .unwrap();
    assert_eq!(Key::of(&post), Lookup::Pass);
}

#[test]
fn reader_preferences_are_part_of_the_key() {
    let m = key("/articles/3", None);
    let l = key("/articles/3", Some("portico_fs=l"));
    let other = key("/articles/3", Some("x=1"));
    let elder = key("/articles/3", Some("portico_a11y=e"));
    let elder_large = key("/articles/3", Some("portico_fs=l; portico_a11y=e"));
    let contrast = key("/articles/3", Some("portico_a11y=c"));
    assert_ne!(m, l);
    assert_eq!(m, other);
    assert_ne!(m, elder);
    assert_ne!(elder, elder_large);
    assert_ne!(elder, contrast);
    assert_eq!(elder, key("/articles/3", Some("portico_a11y=e?")));
    // Two Cookie headers (HTTP/2 clients send one per cookie) are read together.
    let mut two = req("/articles/3", Some("portico_fs=l"));
    two.headers_mut()
        .append(header::COOKIE, HeaderValue::from_static("portico_a11y=e"));
    assert_eq!(Key::of(&two), Lookup::Page(elder_large));
}

#[test]
fn encodings_follow_accept_encoding() {
    let h = |v: &str| {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        m
    };
    assert_eq!(
        Encoding::preferred(&h("gzip, deflate, br")),
        Encoding::Brotli
    );
    assert_eq!(Encoding::preferred(&h("gzip")), Encoding::Gzip);
    assert_eq!(Encoding::preferred(&h("br;q=0, gzip")), Encoding::Gzip);
    assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
}

#[test]
fn bodies_round_trip_through_every_encoding() {
    let body = "<p>中国开发区协会</p>".repeat(100);
    let e = Entry::new(
        HeaderValue::from_static("text/html"),
        body.as_bytes(),
        vec!["x".into()],
        ReaderPrefs::default(),
    );
    assert_eq!(gunzip(&e.gzip), body.as_bytes());
    let mut out = Vec::new();
    brotli::Decompressor::new(&e.brotli[..], 4096)
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, body.as_bytes());
    assert!(e.brotli.len() < body.len() / 4);
}

#[test]
fn etags_answer_conditional_requests() {
    let e = Entry::new(
        HeaderValue::from_static("text/html"),
        b"page",
        vec![],
        ReaderPrefs::default(),
    );
    let etag = e.etag.to_str().unwrap().to_owned();
    let mut h = HeaderMap::new();
    h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
    assert!(e.not_modified(&h));
    h.insert(
        header::IF_NONE_MATCH,
        HeaderValue::from_static("W/\"other\""),
    );
    assert!(!e.not_modified(&h));
    let mut h = HeaderMap::new();
    h.insert(header::IF_MODIFIED_SINCE, e.last_modified.clone());
    assert!(e.not_modified(&h));
}

#[test]
fn invalidation_drops_exactly_the_tagged_pages() {
    let cache = PageCache::new(1 << 20);
    let put = |path: &str, tags: &[&str]| {
        let key = key(path, None);
        let e = Entry::new(
            HeaderValue::from_static("text/html"),
            path.as_bytes(),
            tags.iter().map(|t| t.to_string()).collect(),
            ReaderPrefs::default(),
        );
        cache.insert(key, e, cache.epoch());
    };
    put("/articles/1", &["article:1", "chrome"]);
    put("/articles/2", &["article:2", "article:1", "chrome"]);
    put("/columns/news", &["list:1", "chrome"]);
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.invalidate(Some(1), &["article:1".into()]), 2);
    assert!(cache.get(&key("/columns/news", None)).is_some());
    assert_eq!(cache.invalidate(None, &["chrome".into()]), 1);
    assert!(cache.is_empty());
}

#[test]
fn a_page_rendered_across_an_invalidation_is_not_kept() {
    let cache = PageCache::new(1 << 20);
    let epoch = cache.epoch();
    cache.invalidate(Some(1), &["article:1".into()]);
    let key = key("/articles/1", None);
    let e = Entry::new(
        HeaderValue::from_static("text/html"),
        b"old",
        vec!["article:1".into()],
        ReaderPrefs::default(),
    );
    cache.insert(key.clone(), e, epoch);
    assert!(cache.get(&key).is_none());
}

#[test]
fn the_cache_stays_within_its_budget() {
    let cache = PageCache::new(64 * 1024);
    for i in 0..200 {
        let key = key(&format!("/articles/{i}"), None);
        let body: Vec<u8> = (0..4000u32)
            .map(|x| (x.wrapping_mul(2654435761).wrapping_add(i) >> 7) as u8)
            .collect();
        let e = Entry::new(
            HeaderValue::from_static("text/html"),
            &body,
            vec!["t".into()],
            ReaderPrefs::default(),
        );
        cache.insert(key, e, cache.epoch());
    }
    assert!(cache.bytes.load(Ordering::Relaxed) <= 64 * 1024);
    assert!(!cache.is_empty());
}
