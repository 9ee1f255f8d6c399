//! 个人信息保护 (等保 8.1.4.8, 8.1.4.11): readers' phone numbers and e-mail addresses are
//! encrypted in the database, masked in the back office and shown whole only as an audited
//! action; values from before encryption are encrypted at start-up, a change of key is
//! finished by `portico security rotate-personal-data`, and messages and manuscripts leave
//! with their attachments after the retention period.

use chrono::{Duration, Utc};
use entity::{audit_log, message, submission};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use service::security::personal::{self, Field, Keyring, Purged};

use crate::helpers::{TEST_PERSONAL_DATA_KEY, TestApp};
use crate::{messages, on_both_backends, submissions};

/// Every value of the contact columns, as the database holds them.
async fn raw_contacts(app: &TestApp) -> Vec<String> {
    let mut all = Vec::new();
    for table in ["messages", "submissions"] {
        for row in app
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT phone, email FROM {table}"),
            ))
            .await
            .unwrap()
        {
            all.push(row.try_get::<String>("", "phone").unwrap());
            all.push(row.try_get::<String>("", "email").unwrap());
        }
    }
    all
}

async fn reveals(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("personal.reveal"))
        .all(&app.db)
        .await
        .unwrap()
}

async fn page(staff: &crate::helpers::Staff, app: &TestApp, path: &str) -> String {
    let res = staff.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

async fn contact_details_are_encrypted_masked_and_revealed_on_record(app: &TestApp) {
    let reader = app.browser();
    let mut fields = messages::good("加密保存", "我的电话和邮箱不应以明文保存", "13812345678");
    fields.retain(|(k, _)| *k != "email");
    fields.push(("email", "li.secret@example.com"));
    let sent = messages::send(app, &reader, &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let code = messages::code_of(&sent.location);
    let mut manuscript = submissions::good("加密的投稿");
    manuscript.push(("email", "author.secret@example.com"));
    let sent = submissions::send(app, &reader, &manuscript, &[]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let receipt = submissions::code_of(&sent.location);

    // Nothing a reader typed is in the database in the clear.
    let raw = raw_contacts(app).await;
    assert_eq!(raw.len(), 4);
    for v in &raw {
        assert!(v.starts_with("pd1."), "{v}");
        for secret in [
            "1381234",
            "5678",
            "li.secret",
            "1391234",
            "author.secret",
            "example",
        ] {
            assert!(!v.contains(secret), "{secret} readable in {v}");
        }
    }
    let census = personal::census(&app.db).await.unwrap();
    assert_eq!((census.current, census.older, census.clear), (4, 0, 0));

    // The same message sent again (a double click) is recognised by its decrypted contact.
    let again = messages::send(app, &reader, &fields).await;
    assert_eq!(messages::code_of(&again.location), code);
    // Tracking compares with the decrypted values.
    let tracked = messages::post(
        app,
        &reader,
        "/messages/track",
        &[
            ("code".into(), code.clone()),
            ("contact".into(), "LI.Secret@example.com".into()),
        ],
    )
    .await;
    assert_eq!(tracked.status, 200, "{}", tracked.body);
    assert!(tracked.body.contains("我的电话和邮箱不应以明文保存"));
    let tracked = messages::post(
        app,
        &reader,
        "/submit/track",
        &[
            ("code".into(), receipt.clone()),
            ("contact".into(), "139 1234 5678".into()),
        ],
    )
    .await;
    assert_eq!(tracked.status, 200, "{}", tracked.body);

    // The back office shows them masked, and whole only when asked, which is recorded.
    app.create_staff("pd-editor", entity::user::Role::Editor)
        .await;
    let staff = app.sign_in("pd-editor").await;
    let m = message::Entity::find()
        .filter(message::Column::Code.eq(code.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let s = submission::Entity::find()
        .filter(submission::Column::Code.eq(receipt.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let detail = page(&staff, app, &format!("/admin/messages/{}", m.id)).await;
    assert!(
        detail.contains("电话 138****5678") && detail.contains("邮箱 l***@example.com"),
        "{detail}"
    );
    assert!(!detail.contains("13812345678") && !detail.contains("li.secret"));
    assert!(detail.contains("显示完整") && detail.contains("记入审计日志"));
    let detail = page(&staff, app, &format!("/admin/submissions/{}", s.id)).await;
    assert!(detail.contains("电话 139****5678") && detail.contains("a***@example.com"));
    assert!(!detail.contains("13912345678"));
    // The queues show one masked way to reach each reader.
    let queue = page(&staff, app, "/admin/messages").await;
    assert!(!queue.contains("13812345678") && !queue.contains("li.secret"));
    assert!(queue.contains("138****5678"), "{queue}");
    let queue = page(&staff, app, "/admin/submissions").await;
    assert!(queue.contains("139****5678") && !queue.contains("13912345678"));
    assert!(reveals(app).await.is_empty());

    let full = page(
        &staff,
        app,
        &format!("/admin/messages/{}?contact=full", m.id),
    )
    .await;
    assert!(
        full.contains("电话 13812345678") && full.contains("li.secret@example.com"),
        "{full}"
    );
    let full = page(
        &staff,
        app,
        &format!("/admin/submissions/{}?contact=full", s.id),
    )
    .await;
    assert!(full.contains("13912345678") && full.contains("author.secret@example.com"));
    // The server function answers the same way.
    let json = app
        .get_json(&staff, &format!("/api/admin/messages/one?id={}", m.id))
        .await;
    assert_eq!(json["contact"]["phone"], "138****5678");
    let json = app
        .get_json(
            &staff,
            &format!("/api/admin/messages/one?id={}&full=true", m.id),
        )
        .await;
    assert_eq!(json["contact"]["phone"], "13812345678");
    let logged = reveals(app).await;
    assert_eq!(logged.len(), 3, "{logged:#?}");
    assert!(logged.iter().all(|r| r.username == "pd-editor"));
    assert!(
        logged
            .iter()
            .any(|r| r.object_type == "submission" && r.summary.contains(&receipt))
    );
    assert!(
        logged
            .iter()
            .filter(|r| r.object_type == "message")
            .all(|r| r.object_id == m.id.to_string() && r.summary.contains(&code))
    );
    // The audit page names the action in Chinese.
    assert_eq!(
        service::audit::action_label("personal.reveal"),
        "查看读者完整联系方式"
    );
}
on_both_backends!(contact_details_are_encrypted_masked_and_revealed_on_record);

/// A message row as an older version (or another key) left it.
async fn old_row(app: &TestApp, code: &str, phone: String, email: String) -> i32 {
    let now = Utc::now();
    message::ActiveModel {
        code: Set(code.to_owned()),
        name: Set("老读者".into()),
        phone: Set(phone),
        email: Set(email),
        subject: Set("升级以前的留言".into()),
        content: Set("这条留言在加密功能上线以前就保存了".into()),
        wants_public: Set(false),
        status: Set(message::MessageStatus::New),
        is_published: Set(false),
        reply: Set(String::new()),
        replied_at: Set(None),
        replied_by: Set(String::new()),
        content_hash: Set(code.to_owned()),
        client_key: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn values_in_the_clear_are_encrypted_at_start_and_a_new_key_is_rotated_in(app: &TestApp) {
    let installation = service::secret::installed().unwrap();
    // The key used before `personal-data-key` was set: derived from the installation key.
    let derived = Keyring::new(installation, None, &[]);
    let foreign = Keyring::new(&service::secret::Secret::generate().unwrap(), None, &[]);
    let clear = old_row(
        app,
        "LY20240101-AAAA",
        "13700000001".into(),
        "old@example.com".into(),
    )
    .await;
    let older = old_row(
        app,
        "LY20240101-BBBB",
        derived
            .seal(Field::MessagePhone, "LY20240101-BBBB", "13700000002")
            .unwrap(),
        String::new(),
    )
    .await;
    let lost = old_row(
        app,
        "LY20240101-CCCC",
        foreign
            .seal(Field::MessagePhone, "LY20240101-CCCC", "13700000003")
            .unwrap(),
        String::new(),
    )
    .await;
    let c = personal::census(&app.db).await.unwrap();
    assert_eq!((c.current, c.older, c.clear), (0, 2, 2));

    // Start-up encrypts what is in the clear (and nothing else); a second start finds nothing.
    let done = personal::reseal_clear(&app.db).await.unwrap();
    assert_eq!(done.rows, 1);
    assert_eq!(personal::reseal_clear(&app.db).await.unwrap().rows, 0);
    let c = personal::census(&app.db).await.unwrap();
    assert_eq!((c.current, c.older, c.clear), (2, 2, 0));
    let row = service::message::get(&app.db, clear).await.unwrap();
    assert_eq!(
        (row.phone.as_str(), row.email.as_str()),
        ("13700000001", "old@example.com")
    );
    // A value under an older key still reads; one whose key is gone says so.
    assert_eq!(
        service::message::get(&app.db, older).await.unwrap().phone,
        "13700000002"
    );
    assert_eq!(
        service::message::get(&app.db, lost).await.unwrap().phone,
        personal::UNREADABLE
    );
    // Such a value matches nothing when tracking, not even the words it shows as.
    let tracked = messages::post(
        app,
        &app.browser(),
        "/messages/track",
        &[
            ("code".into(), "LY20240101-CCCC".into()),
            ("contact".into(), personal::UNREADABLE.into()),
        ],
    )
    .await;
    assert_eq!(tracked.status, 404, "{}", tracked.body);
    // A value copied into another row does not open there (it is bound to its row).
    let copied = message::Entity::find_by_id(clear)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .phone;
    message::Entity::update_many()
        .col_expr(message::Column::Phone, Expr::value(copied))
        .filter(message::Column::Id.eq(older))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        service::message::get(&app.db, older).await.unwrap().phone,
        personal::UNREADABLE
    );
    // (Put back as it was, under the older key.)
    message::Entity::update_many()
        .col_expr(
            message::Column::Phone,
            Expr::value(
                derived
                    .seal(Field::MessagePhone, "LY20240101-BBBB", "13700000002")
                    .unwrap(),
            ),
        )
        .filter(message::Column::Id.eq(older))
        .exec(&app.db)
        .await
        .unwrap();

    // Rotation: everything readable moves to the current key; the lost one is reported.
    let (done, after) = personal::rotate(&app.db, &service::audit::Actor::system("test"))
        .await
        .unwrap();
    assert_eq!((done.rows, done.unreadable), (1, 1));
    assert_eq!((after.current, after.older, after.clear), (3, 1, 0));
    let rotated = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("personal.rotate"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rotated.outcome, "failed");
    assert!(
        rotated.summary.contains("无法解密 1 行"),
        "{}",
        rotated.summary
    );

    // The command line, with a new key and the old one kept for reading: every value moves
    // to the new key, and the test servers' key (now old) is no longer needed.
    message::Entity::delete_by_id(lost)
        .exec(&app.db)
        .await
        .unwrap();
    let new_key = service::secret::Secret::generate().unwrap().to_text();
    let run = |current: &str, old: &str| {
        let ran = app.portico(
            &["security", "rotate-personal-data"],
            &[
                ("PORTICO_PERSONAL_DATA_KEY", current),
                ("PORTICO_PERSONAL_DATA_OLD_KEYS", old),
            ],
        );
        (ran.code, ran.said())
    };
    let (code, out) = run(&new_key, TEST_PERSONAL_DATA_KEY);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("re-encrypted 2 rows"), "{out}");
    assert!(out.contains("under older keys 0, in the clear 0"), "{out}");
    let new_ring = Keyring::new(
        installation,
        Some(&service::secret::Secret::from_text(&new_key).unwrap()),
        &[],
    );
    for v in raw_contacts(app).await.iter().filter(|v| !v.is_empty()) {
        assert_eq!(personal::key_id(v), Some(new_ring.current_id()), "{v}");
    }
    let stored = message::Entity::find_by_id(clear)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        new_ring
            .open(Field::MessageEmail, &stored.code, &stored.email)
            .as_deref(),
        Some("old@example.com")
    );
    // Without the key it was under, the command refuses to call the job done.
    let other = service::secret::Secret::generate().unwrap().to_text();
    let (code, out) = run(&other, "");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("could not be decrypted"), "{out}");
}
on_both_backends!(values_in_the_clear_are_encrypted_at_start_and_a_new_key_is_rotated_in);

async fn messages_and_manuscripts_leave_after_the_retention_period(app: &TestApp) {
    let reader = app.browser();
    let mut codes = Vec::new();
    for (subject, content) in [
        ("很久以前的私信", "两年多以前的一条不公开留言"),
        ("很久以前的问答", "两年多以前的一条公开问答"),
        ("最近的留言", "上个月的一条留言"),
    ] {
        let sent = messages::send(
            app,
            &reader,
            &messages::good(subject, content, "13812345678"),
        )
        .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        codes.push(messages::code_of(&sent.location));
    }
    let sent = submissions::send(
        app,
        &reader,
        &submissions::good("很久以前的投稿"),
        &[("图.png", submissions::png())],
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let old_manuscript = submissions::code_of(&sent.location);
    let files_before = submissions::stored_files(app).await;
    assert!(files_before >= 1);

    // The first two and the manuscript arrived 25 months ago; the second was answered and
    // published.
    let long_ago = Utc::now() - Duration::days(25 * 31);
    let by_code = |code: &str| message::Column::Code.eq(code.to_owned());
    message::Entity::update_many()
        .col_expr(message::Column::CreatedAt, Expr::value(long_ago))
        .filter(message::Column::Code.is_in([codes[0].clone(), codes[1].clone()]))
        .exec(&app.db)
        .await
        .unwrap();
    submission::Entity::update_many()
        .col_expr(submission::Column::CreatedAt, Expr::value(long_ago))
        .filter(submission::Column::Code.eq(old_manuscript.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let public = message::Entity::find()
        .filter(by_code(&codes[1]))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let actor = service::audit::Actor::system("test");
    service::message::reply(&app.db, &actor, public.id, "这是协会很久以前的答复", true)
        .await
        .unwrap();

    // Off (0 months): nothing happens. The new site's default is 24 months.
    let private = &app.state.files.private;
    let none = personal::apply_retention(&app.db, private, 0, Utc::now())
        .await
        .unwrap();
    assert!(none.is_empty());
    let policy = service::security::policy(&app.db).await.unwrap();
    assert_eq!(policy.retention_months, 24);
    // The 安全管理员 sets it on the policy page (here to 36, then back to 24).
    app.create_staff("pd-secadmin", entity::user::Role::SecAdmin)
        .await;
    let sec = app.sign_in("pd-secadmin").await;
    let page_html = page(&sec, app, "/admin/security").await;
    assert!(
        page_html.contains("留言与投稿保留期") && page_html.contains("name=\"retention_months\"")
    );
    for months in ["36", "24"] {
        let mut form = crate::duties::policy_form(&sec.csrf, true, "");
        form.push(("retention_months", months.into()));
        let res = sec
            .client
            .post(app.url("/api/admin/security/save"))
            .header("referer", app.url("/admin/security"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            crate::helpers::flash_of(&res).as_deref(),
            Some("ok|安全策略已保存")
        );
        let saved = service::security::policy(&app.db).await.unwrap();
        assert_eq!(saved.retention_months.to_string(), months);
    }
    let done = personal::apply_retention(&app.db, private, policy.retention_months, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        done,
        Purged {
            messages: 1,
            anonymised: 1,
            submissions: 1,
            files: (files_before - submissions::stored_files(app).await) as u64,
        }
    );
    assert_eq!(done.files, 1);
    // What is left: the recent message whole, the old public one without its reader.
    let left = message::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(left.len(), 2);
    let anon = left.iter().find(|m| m.code == codes[1]).unwrap();
    assert_eq!(
        (anon.name.as_str(), anon.phone.as_str(), anon.email.as_str()),
        (personal::ANONYMOUS, "", "")
    );
    assert!(
        left.iter()
            .any(|m| m.code == codes[2] && !m.phone.is_empty())
    );
    assert!(
        submission::Entity::find()
            .filter(submission::Column::Code.eq(old_manuscript))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let (_, list) = app.get_text("/messages").await;
    assert!(list.contains("很久以前的问答") && list.contains(personal::ANONYMOUS));
    // Recorded once; a second run finds nothing and records nothing.
    let again = personal::apply_retention(&app.db, private, 24, Utc::now())
        .await
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("personal.retention"))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let said: Vec<&str> = logged.iter().map(|r| r.summary.as_str()).collect();
    assert_eq!(
        said,
        [
            "24 个月以前的留言：删除 1 条，已公开的 1 条去除留言人姓名和联系方式",
            "24 个月以前的投稿：删除 1 篇及附件 1 个",
        ]
    );
    // The audit chain holds.
    assert!(
        service::audit::chain::verify(&app.db)
            .await
            .unwrap()
            .intact()
    );
}
on_both_backends!(messages_and_manuscripts_leave_after_the_retention_period);
