//! The audit log (等保 安全审计): every staff action and security event recorded with its
//! outcome, for the 审计管理员 only; a hash chain that shows a row changed or removed
//! directly in the database; archives that keep the chain; exports for the auditor.

use entity::audit_log;
use entity::user::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder};
use service::audit::archive::{self, Cutoff};
use service::audit::{Actor, Filter, chain};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// What an attacker with the database's password (but not the installation key) can do:
/// switch the append-only triggers off.
async fn triggers_off(app: &TestApp) {
    let statements: &[&str] = match app.db.get_database_backend() {
        DbBackend::Postgres => &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"],
        _ => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
    };
    for sql in statements {
        app.db.execute_unprepared(sql).await.unwrap();
    }
}

async fn some_activity(app: &TestApp) {
    app.create_staff("chain-editor", Role::Editor).await;
    let editor = app.sign_in("chain-editor").await;
    let _ = app
        .post_login(&app.browser(), "chain-editor", "wrong-Password-1")
        .await;
    let _ = editor
        .client
        .get(app.url("/admin/sys/users"))
        .send()
        .await
        .unwrap();
}

async fn rows(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
}

async fn the_auditor_reads_every_outcome_and_nobody_else_does(app: &TestApp) {
    app.create_staff("boss", Role::SysAdmin).await;
    app.create_staff("old-admin", Role::Admin).await;
    app.create_staff("helper", Role::Editor).await;
    app.create_staff("checker", Role::Auditor).await;
    let boss = app.sign_in("boss").await;
    let old_admin = app.sign_in("old-admin").await;
    let helper = app.sign_in("helper").await;
    let checker = app.sign_in("checker").await;
    let _ = app
        .post_login(&app.browser(), "helper", "Wrong-pass-123")
        .await;
    // A refused request is a security event too.
    let refused = helper
        .client
        .get(app.url("/admin/sys/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let html = checker
        .client
        .get(app.url("/admin/audit?action=login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("boss") && html.contains("helper"), "{html}");
    assert!(html.contains("登录成功"));
    assert!(
        html.contains(">登录</td>") && html.contains("用户 #"),
        "{html}"
    );
    assert!(html.contains(r#"<option value="login""#) && !html.contains("<td><code>login"));
    let failed = checker
        .client
        .get(app.url("/admin/audit?action=login.failed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        failed.contains("<td>helper</td>") && failed.contains("失败"),
        "{failed}"
    );
    let denied = checker
        .client
        .get(app.url("/admin/audit?action=access.denied"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        denied.contains("<td>helper</td>")
            && denied.contains("拒绝")
            && denied.contains("GET /admin/sys/users"),
        "{denied}"
    );
    let filtered = checker
        .client
        .get(app.url("/admin/audit?username=helper"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("<td>helper</td>"));
    assert!(!filtered.contains("<td>boss</td>"));
    // The system administrator, an old-style 管理员 under the separation of duties and an
    // editor may not read it, in any form.
    for who in [&boss, &old_admin, &helper] {
        for path in [
            "/admin/audit",
            "/admin/audit/verify",
            "/api/admin/audit/list",
            "/api/admin/audit/verify",
            "/api/admin/audit/export?format=csv",
        ] {
            let status = who.client.get(app.url(path)).send().await.unwrap().status();
            assert_eq!(status, 403, "{path}");
        }
    }
    // Nobody can change or delete a row through the application: there is no such
    // endpoint, and the database refuses it too.
    let update = app
        .db
        .execute_unprepared("UPDATE audit_log SET summary = 'x'")
        .await;
    assert!(update.is_err(), "sealed rows cannot be updated");
    let delete = app.db.execute_unprepared("DELETE FROM audit_log").await;
    assert!(
        delete.is_err(),
        "rows cannot be deleted before they are archived"
    );
}
on_both_backends!(the_auditor_reads_every_outcome_and_nobody_else_does);

async fn changing_or_removing_a_row_directly_is_detected(app: &TestApp) {
    some_activity(app).await;
    app.create_staff("checker", Role::Auditor).await;
    let checker = app.sign_in("checker").await;
    let v = chain::verify(&app.db).await.unwrap();
    assert!(v.intact(), "{v:?}");
    assert!(v.checked >= 5, "{v:?}");
    let page = checker
        .client
        .get(app.url("/admin/audit/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("校验通过"), "{page}");

    triggers_off(app).await;
    let all = rows(app).await;
    let victim = &all[2];
    let seq = victim.seq.unwrap();
    // A summary edited.
    app.db
        .execute_unprepared(&format!(
            "UPDATE audit_log SET summary = summary || ' ' WHERE id = {}",
            victim.id
        ))
        .await
        .unwrap();
    let v = chain::verify(&app.db).await.unwrap();
    let broken = v.broken.clone().expect("an edited row is found");
    assert_eq!(broken.seq, Some(seq));
    assert_eq!(
        broken.what,
        format!("第 {seq} 条记录（id {}）的内容被改动过", victim.id)
    );
    let page = checker
        .client
        .get(app.url("/admin/audit/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("校验未通过") && page.contains(&broken.what),
        "{page}"
    );
    // Put back exactly as it was, the chain is whole again …
    app.db
        .execute_unprepared(&format!(
            "UPDATE audit_log SET summary = '{}' WHERE id = {}",
            victim.summary.replace('\'', "''"),
            victim.id
        ))
        .await
        .unwrap();
    assert!(chain::verify(&app.db).await.unwrap().intact());
    // … an edited time or address is found as well …
    app.db
        .execute_unprepared(&format!(
            "UPDATE audit_log SET ip = '10.9.9.9' WHERE id = {}",
            all[1].id
        ))
        .await
        .unwrap();
    assert_eq!(
        chain::verify(&app.db).await.unwrap().broken.unwrap().seq,
        all[1].seq
    );
    app.db
        .execute_unprepared(&format!(
            "UPDATE audit_log SET ip = '{}' WHERE id = {}",
            all[1].ip, all[1].id
        ))
        .await
        .unwrap();
    // … a row deleted from the middle leaves a gap …
    app.db
        .execute_unprepared(&format!("DELETE FROM audit_log WHERE id = {}", victim.id))
        .await
        .unwrap();
    let broken = chain::verify(&app.db).await.unwrap().broken.unwrap();
    assert_eq!(broken.what, format!("第 {seq} 条记录缺失（已被删除）"));
}
on_both_backends!(changing_or_removing_a_row_directly_is_detected);

async fn removing_the_newest_rows_or_forging_one_is_detected(app: &TestApp) {
    some_activity(app).await;
    triggers_off(app).await;
    let all = rows(app).await;
    let last = all.last().unwrap().clone();
    let head = last.seq.unwrap();
    app.db
        .execute_unprepared(&format!("DELETE FROM audit_log WHERE id = {}", last.id))
        .await
        .unwrap();
    let broken = chain::verify(&app.db).await.unwrap().broken.unwrap();
    assert_eq!(
        broken.what,
        format!("链尾缺少第 {head} 至第 {head} 条记录（已被删除）")
    );
    // A row written past the application is never sealed into the chain.
    app.db
        .execute_unprepared(
            "INSERT INTO audit_log (user_id, username, action, object_type, object_id, summary, ip, created_at, outcome, hash) \
             VALUES (NULL, 'ghost', 'login', 'user', '', '登录成功', '1.2.3.4', CURRENT_TIMESTAMP, 'ok', '')",
        )
        .await
        .unwrap();
    let broken = chain::verify(&app.db).await.unwrap().broken.unwrap();
    assert!(
        broken.what.starts_with("有 1 条记录不在链中"),
        "{}",
        broken.what
    );
    // And a restart does not launder it into the chain.
    assert_eq!(chain::seal_earlier_rows(&app.db).await.unwrap(), 0);
    assert!(!chain::verify(&app.db).await.unwrap().intact());
}
on_both_backends!(removing_the_newest_rows_or_forging_one_is_detected);

async fn old_rows_leave_only_through_a_signed_archive(app: &TestApp) {
    some_activity(app).await;
    let actor = Actor::system("test");
    let now = chrono::Utc::now();
    // Within the retention period: refused.
    let mut out = Vec::new();
    let refused = archive::archive(
        &app.db,
        &actor,
        Cutoff {
            before: now,
            keep_days: 180,
            now,
        },
        &mut out,
    )
    .await
    .unwrap_err();
    assert!(
        refused
            .reader_message()
            .starts_with("审计记录至少保留 180 天"),
        "{refused:?}"
    );
    // A shorter keep is never taken.
    let refused = archive::archive(
        &app.db,
        &actor,
        Cutoff {
            before: now,
            keep_days: 1,
            now: now + chrono::Duration::days(2),
        },
        &mut out,
    )
    .await
    .unwrap_err();
    assert!(
        refused
            .reader_message()
            .starts_with("审计记录至少保留 180 天")
    );

    // Half a year on, everything before now may go.
    let before_rows = rows(app).await;
    let later = now + chrono::Duration::days(181);
    let mut file = Vec::new();
    let archived = archive::archive(
        &app.db,
        &actor,
        Cutoff {
            before: now + chrono::Duration::seconds(1),
            keep_days: 180,
            now: later,
        },
        &mut file,
    )
    .await
    .unwrap();
    assert_eq!(archived.from_seq, 1);
    assert_eq!(archived.rows as usize, before_rows.len());
    let left = rows(app).await;
    assert_eq!(left.len(), 1, "only the record of the archiving is left");
    assert_eq!(left[0].action, "audit.archive");
    assert_eq!(left[0].seq, Some(archived.through_seq + 1));
    // The database's chain now starts after the archive, and both verify as one.
    let v = chain::verify(&app.db).await.unwrap();
    assert!(v.intact(), "{v:?}");
    assert_eq!(v.archived_seq, archived.through_seq);
    let read = archive::verify_file(std::io::Cursor::new(&file)).unwrap();
    assert_eq!(read, archived);
    archive::check_sequence(&[read], &v).unwrap();
    // A changed archive does not verify.
    let text = String::from_utf8(file.clone()).unwrap();
    let forged = text.replacen("登录成功", "登录成功 ", 1);
    assert_ne!(forged, text);
    let err = archive::verify_file(std::io::Cursor::new(forged.as_bytes())).unwrap_err();
    assert!(err.reader_message().contains("被改动过"), "{err:?}");
    let cut = text
        .lines()
        .filter(|l| !l.contains("\"seq\":2,"))
        .collect::<Vec<_>>();
    let err = archive::verify_file(std::io::Cursor::new(cut.join("\n").into_bytes())).unwrap_err();
    assert_eq!(err.reader_message(), "归档中缺少第 2 条记录");
    // Missing the archive is noticed when the files are checked against the database.
    assert!(archive::check_sequence(&[], &v).is_ok());
    let wrong = archive::Archived {
        through_seq: archived.through_seq - 1,
        ..archived.clone()
    };
    assert!(archive::check_sequence(&[wrong], &v).is_err());
}
on_both_backends!(old_rows_leave_only_through_a_signed_archive);

async fn the_auditor_exports_csv_and_json_lines(app: &TestApp) {
    some_activity(app).await;
    app.create_staff("checker", Role::Auditor).await;
    let checker = app.sign_in("checker").await;
    let csv = checker
        .client
        .get(app.url("/api/admin/audit/export?format=csv&username=chain-editor"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"audit-")
    );
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}序号,时间,用户,地址,事件,对象类型,对象,结果,摘要,校验值"
    );
    let body: Vec<&str> = lines.collect();
    assert!(body.iter().all(|l| l.contains(",chain-editor,")), "{text}");
    assert!(
        body.iter()
            .any(|l| l.contains(",登录失败,") && l.contains(",失败,"))
    );
    assert!(body.iter().any(|l| l.contains(",拒绝,")));
    let expected = service::audit::list(
        &app.db,
        &Filter {
            username: Some("chain-editor".into()),
            ..Filter::default()
        },
        0,
        1000,
    )
    .await
    .unwrap()
    .1;
    assert_eq!(body.len() as u64, expected);

    let jsonl = checker
        .client
        .get(app.url("/api/admin/audit/export?format=jsonl"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let parsed: Vec<audit_log::Model> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(parsed.len() as u64 > expected);
    assert!(parsed.iter().all(|r| r.hash.len() == 64 && r.seq.is_some()));
    // Exporting is itself recorded.
    let exports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("audit.export"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0].username, "checker");
    let wrong = checker
        .client
        .get(app.url("/api/admin/audit/export?format=xls"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
}
on_both_backends!(the_auditor_exports_csv_and_json_lines);

/// `portico audit verify` exits 0 only when the chain is intact, and names the first broken
/// link otherwise; with another installation's key nothing verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_command_exits_zero_only_when_intact() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    some_activity(&app).await;
    let run = |key: &str| {
        let ran = app.portico(&["audit", "verify"], &[("PORTICO_SECRET_KEY", key)]);
        (ran.code, ran.stdout)
    };
    let (code, out) = run(crate::helpers::TEST_SECRET_KEY);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("audit log intact: "), "{out}");
    // The self-check prints a line per control; over http it does not meet level 3.
    let check = |args: &[&str]| {
        let ran = app.portico(&[&["security", "check"], args].concat(), &[]);
        (ran.code, ran.stdout)
    };
    let (code, out) = check(&[]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out.lines().count(), 16, "{out}");
    assert!(out.contains("8.1.4.3 c)  二级满足"), "{out}");
    let (code, _) = check(&["--level", "3"]);
    assert_eq!(code, Some(1));
    // `portico security-check` is the same report.
    let printed = app.portico(&["security-check", "--level", "2"], &[]).stdout;
    assert_eq!(printed.lines().count(), 16, "{printed}");
    assert!(printed.contains("8.1.4.11 a)"), "{printed}");
    // With another installation's key nothing is written or believed: the command stops.
    let other = service::secret::Secret::generate().unwrap().to_text();
    let ran = app.portico(&["audit", "verify"], &[("PORTICO_SECRET_KEY", &other)]);
    assert_eq!(ran.code, Some(1));
    let said = ran.stderr;
    assert!(
        said.contains("is not the one the audit log is sealed with"),
        "{said}"
    );
    triggers_off(&app).await;
    app.db
        .execute_unprepared("UPDATE audit_log SET username = 'someone-else' WHERE seq = 3")
        .await
        .unwrap();
    let (code, out) = run(crate::helpers::TEST_SECRET_KEY);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("BROKEN at row 3"), "{out}");

    // The key is lost: a new chain starts with another key, said so in its first row and by
    // every verify after; it is refused while the key is not lost.
    let new_chain = |key: &str, reason: &str| {
        let ran = app.portico(
            &["audit", "new-chain", "--reason", reason],
            &[("PORTICO_SECRET_KEY", key)],
        );
        (ran.code, ran.said())
    };
    let (code, out) = new_chain(crate::helpers::TEST_SECRET_KEY, "试一试");
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("密钥没有丢失"), "{out}");
    let head = chain::verify(&app.db).await.unwrap().head_seq;
    let (code, out) = new_chain(&other, "密钥文件随旧服务器一起损毁");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("after row {head}")), "{out}");
    let (code, out) = run(&other);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("note: the chain was restarted after a lost key")
            && out.contains("密钥文件随旧服务器一起损毁")
            && out.contains(&format!("rows {} to {}", head + 1, head + 1)),
        "{out}"
    );
    let restart = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(chain::RESTART))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(restart.seq, Some(head + 1));
    app.cleanup().await;
}

/// A signed-in account probing paths it may not open gets a 403 every time, but the audit log
/// takes only so many of its refusals a minute (the last one says so).
async fn refusals_of_one_session_are_recorded_up_to_a_cap(app: &TestApp) {
    app.create_staff("prober", Role::Writer).await;
    let prober = app.sign_in("prober").await;
    let tries = 45;
    for _ in 0..tries {
        let res = prober
            .client
            .get(app.url("/admin/sys/users"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("access.denied"))
        .filter(audit_log::Column::Username.eq("prober"))
        .all(&app.db)
        .await
        .unwrap();
    let cap = server::admin_auth::DENIALS_RECORDED_PER_MINUTE as usize;
    // (A minute may turn during the loop: then two minutes' worth.)
    assert!(rows.len() >= cap && rows.len() < tries, "{}", rows.len());
    assert!(
        rows.iter()
            .any(|r| r.summary.contains("此后的被拒请求不再逐条记录")),
        "{rows:#?}"
    );
    assert!(chain::verify(&app.db).await.unwrap().intact());
}
on_both_backends!(refusals_of_one_session_are_recorded_up_to_a_cap);
