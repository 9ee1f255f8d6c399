//! 站群: the sites of one installation. What exists is site 1 (`main`); `portico site add`
//! makes another, not yet open, reached only by its own host names.

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn the_command_line_lists_and_adds_sites(app: &TestApp) {
    let env = [("PORTICO_PUBLIC_URL", "http://portico.test")];
    let site = |args: &[&str]| app.portico(&[&["site"], args].concat(), &env);

    // What was there before is the main site, made by the migration.
    let listed = site(&["list"]);
    assert_eq!(listed.code, Some(0), "{}", listed.said());
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", listed.stdout);
    assert!(
        lines[0].contains("main") && lines[0].contains("active"),
        "{}",
        lines[0]
    );

    let added = site(&[
        "add",
        "--code",
        "zhundong",
        "--name",
        "准东经济技术开发区",
        "--host",
        "Zhundong.Test:8080",
        "--host",
        "www.zhundong.test.",
    ]);
    assert_eq!(added.code, Some(0), "{}", added.said());
    assert!(
        added
            .stdout
            .contains("准东经济技术开发区（zhundong）已建立"),
        "{}",
        added.stdout
    );
    let listed = site(&["list"]).stdout;
    let line = listed
        .lines()
        .find(|l| l.contains("zhundong"))
        .unwrap_or_default();
    // Not open to readers yet; hosts lower-case, without port or final dot, primary first.
    assert!(line.contains("preparing"), "{listed}");
    assert!(line.ends_with("zhundong.test www.zhundong.test"), "{line}");

    // Refused, with the reason, and nothing made.
    for (args, why) in [
        (vec!["--code", "zhundong", "--name", "又一个"], "已被使用"),
        (vec!["--code", "Bad_Code", "--name", "x"], "不可用"),
        (
            vec!["--code", "other", "--name", "x", "--host", "zhundong.test"],
            "另一个站点",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "portico.test"],
            "属于主站",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "localhost:3000"],
            "属于主站",
        ),
        (
            vec!["--code", "other", "--name", "x", "--host", "bad host"],
            "不是有效的主机名",
        ),
        (vec!["--code", "other", "--name", "  "], "站点名称"),
    ] {
        let ran = site(&[&["add"], args.as_slice()].concat());
        assert_ne!(ran.code, Some(0), "{args:?} was accepted");
        assert!(ran.said().contains(why), "{args:?}: {}", ran.said());
    }
    assert_eq!(site(&["list"]).stdout.lines().count(), 2);
    let audit = service::audit::list(&app.db, &Default::default(), 0, 10)
        .await
        .unwrap()
        .0;
    assert!(
        audit
            .iter()
            .any(|r| r.action == "site.add" && r.summary.contains("zhundong.test")),
        "the new site is in the audit log"
    );
}
on_both_backends!(the_command_line_lists_and_adds_sites);
