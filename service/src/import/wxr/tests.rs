//! The WXR reader over the fixture WordPress wrote, and over older forms of it.

use super::*;

#[test]
fn the_fixture_reads_whole_and_broken_files_name_their_line() {
    let xml = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/tests/fixtures/import/wordpress.xml"
    ))
    .unwrap();
    assert_eq!(check(&xml).unwrap(), 10);
    let text = String::from_utf8(xml).unwrap();
    let broken = text.replacen("</wp:post_id>", "</wp:post_i>", 2);
    let line = 1 + text[..text.find("</wp:post_id>").unwrap()]
        .matches('\n')
        .count();
    let err = check(broken.as_bytes()).unwrap_err().to_string();
    assert!(
        err.contains(&format!("第 {line} 行")),
        "{err} (line {line})"
    );
}

fn catalog_of(xml: &str) -> Catalog {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xml");
    std::fs::write(&path, xml).unwrap();
    let mut w = Wxr {
        source: path,
        tz: chrono_tz::Asia::Shanghai,
        posts: HashSet::new(),
    };
    w.catalog().unwrap()
}

#[test]
fn namespaces_are_matched_by_what_they_are_not_their_prefix_or_version() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/tests/fixtures/import/wordpress.xml"
    ))
    .unwrap();
    let now = catalog_of(&text);
    // An export of WordPress 2.x: WXR 1.0, other prefixes, text escaped, not CDATA.
    let old = text
        .replace("export/1.2/", "export/1.0/")
        .replace("xmlns:wp=", "xmlns:wordpress=")
        .replace("<wp:", "<wordpress:")
        .replace("</wp:", "</wordpress:")
        .replace("xmlns:content=", "xmlns:c=")
        .replace("content:encoded", "c:encoded");
    let old = cdata_to_escaped(&old);
    let then = catalog_of(&old);
    assert_eq!(now.articles.len(), 5);
    assert_eq!(now.articles, then.articles);
    assert_eq!(now.columns, then.columns);
    assert_eq!(now.hosts, vec!["www.old-cadz.org.cn".to_owned()]);
    let lead = now.articles.iter().find(|a| a.id == "6").unwrap();
    assert_eq!(lead.column, "3", "the deepest category");
    assert!(lead.cover.ends_with("/2020/12/yuanqu-niaokan.jpg"));
    assert!(lead.urls.contains(&"/2020/12/zuotanhui/".to_owned()));
}

/// `<![CDATA[x]]>` as escaped text.
fn cdata_to_escaped(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<![CDATA[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 9..];
        let end = after.find("]]>").unwrap();
        out.push_str(
            &after[..end]
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        );
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn addresses_lose_their_host() {
    assert_eq!(
        path_of("http://old.example/2020/12/a/"),
        Some("/2020/12/a/".into())
    );
    assert_eq!(path_of("https://old.example"), Some("/".into()));
    assert_eq!(path_of("http://old.example/?p=5"), Some("/?p=5".into()));
    assert_eq!(path_of("/?page_id=3"), Some("/?page_id=3".into()));
    assert_eq!(path_of(" "), None);
}
