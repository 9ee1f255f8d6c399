//! Unit tests of `page_cache`.
use super::*;

fn req(uri: &str, cookie: Option<&str>) -> Request {
    let mut b = Request::builder().uri(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

#[test]
fn only_public_pages_with_plain_queries_are_cached() {
    assert!(Key::of(&req("/articles/3", None)).is_some());
    assert!(Key::of(&req("/columns/news?page=2", None)).is_some());
    assert!(Key::of(&req("/columns/news?page=abc", None)).is_none());
    assert!(Key::of(&req("/articles/3?utm=x", None)).is_none());
    assert!(Key::of(&req("/api/hits/3", None)).is_none());
    assert!(Key::of(&req("/media/a.jpg", None)).is_none());
    assert!(Key::of(&req("/admin/login", None)).is_none());
    let post = Request::builder()
        .method("POST")
        .uri("/")
        .body(Body::empty())
        .unwrap();
    assert!(Key::of(&post).is_none());
}

#[test]
fn font_size_is_part_of_the_key() {
    let m = Key::of(&req("/articles/3", None)).unwrap();
    let l = Key::of(&req("/articles/3", Some("portico_fs=l"))).unwrap();
    let other = Key::of(&req("/articles/3", Some("x=1"))).unwrap();
    assert_ne!(m, l);
    assert_eq!(m, other);
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
        FontSize::Medium,
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
        FontSize::Medium,
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
        let key = Key::of(&req(path, None)).unwrap();
        let e = Entry::new(
            HeaderValue::from_static("text/html"),
            path.as_bytes(),
            tags.iter().map(|t| t.to_string()).collect(),
            FontSize::Medium,
        );
        cache.insert(key, e, cache.epoch());
    };
    put("/articles/1", &["article:1", "chrome"]);
    put("/articles/2", &["article:2", "article:1", "chrome"]);
    put("/columns/news", &["list:1", "chrome"]);
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.invalidate(&["article:1".into()]), 2);
    assert!(
        cache
            .get(&Key::of(&req("/columns/news", None)).unwrap())
            .is_some()
    );
    assert_eq!(cache.invalidate(&["chrome".into()]), 1);
    assert!(cache.is_empty());
}

#[test]
fn a_page_rendered_across_an_invalidation_is_not_kept() {
    let cache = PageCache::new(1 << 20);
    let epoch = cache.epoch();
    cache.invalidate(&["article:1".into()]);
    let key = Key::of(&req("/articles/1", None)).unwrap();
    let e = Entry::new(
        HeaderValue::from_static("text/html"),
        b"old",
        vec!["article:1".into()],
        FontSize::Medium,
    );
    cache.insert(key.clone(), e, epoch);
    assert!(cache.get(&key).is_none());
}

#[test]
fn the_cache_stays_within_its_budget() {
    let cache = PageCache::new(64 * 1024);
    for i in 0..200 {
        let key = Key::of(&req(&format!("/articles/{i}"), None)).unwrap();
        let body: Vec<u8> = (0..4000u32)
            .map(|x| (x.wrapping_mul(2654435761).wrapping_add(i) >> 7) as u8)
            .collect();
        let e = Entry::new(
            HeaderValue::from_static("text/html"),
            &body,
            vec!["t".into()],
            FontSize::Medium,
        );
        cache.insert(key, e, cache.epoch());
    }
    assert!(cache.bytes.load(Ordering::Relaxed) <= 64 * 1024);
    assert!(!cache.is_empty());
}
