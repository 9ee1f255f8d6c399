//! 身份鉴别: the password policy (length, classes, not the user name, not one of the last
//! five, maximum age, a forced change of a password someone else chose), session lifetimes
//! (idle and absolute), the list of one's own sessions, and the sign-in throttles as
//! settings.

use entity::user::Role;
use entity::{session, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{STAFF_PASSWORD, Staff, TestApp, flash_of};
use crate::on_both_backends;

async fn change(app: &TestApp, who: &Staff, current: &str, new: &str) -> reqwest::Response {
    who.client
        .post(app.url("/admin/password"))
        .form(&[
            ("csrf_token", who.csrf.as_str()),
            ("current", current),
            ("password", new),
            ("confirm", new),
        ])
        .send()
        .await
        .unwrap()
}

async fn new_passwords_follow_the_policy(app: &TestApp) {
    app.create_staff("zhangsan", Role::Editor).await;
    let me = app.sign_in("zhangsan").await;
    for (new, why) in [
        ("Ab1-short", "密码至少需要 10 个字符"),
        (
            "onlylowercase2026",
            "密码需包含小写字母、大写字母、数字、其他符号中的至少 3 种",
        ),
        ("My-ZhangSan-2026", "密码不能包含用户名"),
        (STAFF_PASSWORD, "新密码不能与当前密码相同"),
    ] {
        let res = change(app, &me, STAFF_PASSWORD, new).await;
        assert_eq!(
            flash_of(&res).as_deref(),
            Some(format!("error|{why}").as_str()),
            "{new}"
        );
    }
    // Five changes in a row; none of the last five may come back.
    let mut me = me;
    let mut current = STAFF_PASSWORD.to_owned();
    let mut used = vec![current.clone()];
    for i in 1..=5 {
        let next = format!("Rotation-{i}-开发区");
        let res = change(app, &me, &current, &next).await;
        assert_eq!(
            flash_of(&res).as_deref(),
            Some("ok|密码已修改，其他设备上的登录已退出")
        );
        current = next;
        used.push(current.clone());
        me = app.sign_in_with("zhangsan", &current).await;
    }
    for old in &used[2..5] {
        let res = change(app, &me, &current, old).await;
        assert_eq!(
            flash_of(&res).as_deref(),
            Some("error|新密码不能与最近使用过的 5 个密码相同"),
            "{old}"
        );
    }
    // The first one is six changes back: allowed again.
    let res = change(app, &me, &current, &used[0]).await;
    assert!(flash_of(&res).unwrap().starts_with("ok|"));
    // A looser policy (a small site's choice) is followed too.
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.password_classes = 1;
    p.password_history = 0;
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
    let me = app.sign_in("zhangsan").await;
    let res = change(app, &me, STAFF_PASSWORD, "onlylowercase2026").await;
    assert!(
        flash_of(&res).unwrap().starts_with("ok|"),
        "{:?}",
        flash_of(&res)
    );
}
on_both_backends!(new_passwords_follow_the_policy);

async fn a_password_chosen_by_someone_else_is_changed_before_anything_else(app: &TestApp) {
    app.create_staff("chief", Role::SysAdmin).await;
    let chief = app.sign_in("chief").await;
    let made = chief
        .client
        .post(app.url("/api/admin/sys/users/create"))
        .header("referer", app.url("/admin/sys/users"))
        .form(&[
            ("csrf_token", chief.csrf.as_str()),
            ("username", "newbie"),
            ("display_name", "新同事"),
            ("role", "editor"),
            ("password", "Temporary-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&made).as_deref(), Some("ok|用户已创建"));
    let browser = app.browser();
    let res = app.post_login(&browser, "newbie", "Temporary-2026").await;
    assert_eq!(res.headers()["location"], "/admin/password");
    // Every other page leads back there; server functions refuse.
    let articles = browser
        .get(app.url("/admin/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(articles.status(), 303);
    assert_eq!(articles.headers()["location"], "/admin/password");
    let list = browser
        .get(app.url("/api/admin/articles/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 403);
    let page = browser
        .get(app.url("/admin/password"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("这是他人为您设置的密码，请先设置您自己的密码"),
        "{page}"
    );
    assert!(page.contains("至少 10 个字符，包含小写字母、大写字母、数字、其他符号中的至少 3 种"));
    let csrf = crate::helpers::csrf_of(&page).unwrap();
    let me = Staff {
        client: browser,
        csrf,
    };
    let res = change(app, &me, "Temporary-2026", "My-Own-Choice-88").await;
    assert!(flash_of(&res).unwrap().starts_with("ok|"));
    let after = me
        .client
        .get(app.url("/admin/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
    // A reset by an administrator asks for a change again.
    let id = user::Entity::find()
        .filter(user::Column::Username.eq("newbie"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let id = id.to_string();
    let reset = chief
        .client
        .post(app.url("/api/admin/sys/users/update"))
        .header("referer", app.url("/admin/sys/users"))
        .form(&[
            ("csrf_token", chief.csrf.as_str()),
            ("id", id.as_str()),
            ("display_name", "新同事"),
            ("role", "editor"),
            ("is_active", "on"),
            ("password", "Reset-By-Chief-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&reset).as_deref(), Some("ok|用户已更新"));
    let res = app
        .post_login(&app.browser(), "newbie", "Reset-By-Chief-1")
        .await;
    assert_eq!(res.headers()["location"], "/admin/password");
}
on_both_backends!(a_password_chosen_by_someone_else_is_changed_before_anything_else);

async fn an_old_password_must_be_changed_at_sign_in(app: &TestApp) {
    app.create_staff("veteran", Role::Editor).await;
    user::Entity::update_many()
        .col_expr(
            user::Column::PasswordChangedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::days(91)),
        )
        .filter(user::Column::Username.eq("veteran"))
        .exec(&app.db)
        .await
        .unwrap();
    let res = app
        .post_login(&app.browser(), "veteran", STAFF_PASSWORD)
        .await;
    assert_eq!(res.headers()["location"], "/admin/password");
    // With the maximum age off, it is not asked.
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.password_max_age_days = 0;
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
    let res = app
        .post_login(&app.browser(), "veteran", STAFF_PASSWORD)
        .await;
    assert_eq!(res.headers()["location"], "/admin");
}
on_both_backends!(an_old_password_must_be_changed_at_sign_in);

async fn sessions_end_when_idle_or_old_and_can_be_ended_by_their_owner(app: &TestApp) {
    app.create_staff("worker", Role::Editor).await;
    let here = app.sign_in("worker").await;
    let phone = app.sign_in("worker").await;
    let tablet = app.sign_in("worker").await;
    let page = here
        .client
        .get(app.url("/admin/account/sessions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("本机（当前）"), "{page}");
    assert!(page.contains("退出其他 2 处登录"));
    assert!(page.contains("无操作 30 分钟后自动退出；登录 12 小时后"));
    // End the phone's session from here.
    let sessions = session::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(sessions.len(), 3);
    let phone_id = {
        let html = phone
            .client
            .get(app.url("/admin/account/sessions"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The phone's own row is the one without a button.
        let ids: Vec<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
        ids.into_iter()
            .find(|id| !html.contains(&format!("value=\"{id}\"")))
            .unwrap()
            .to_owned()
    };
    let res = here
        .client
        .post(app.url("/api/admin/account/sessions/end"))
        .header("referer", app.url("/admin/account/sessions"))
        .form(&[
            ("csrf_token", here.csrf.as_str()),
            ("id", phone_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&res).as_deref(), Some("ok|已退出该处登录"));
    let out = phone.client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(out.status(), 303, "the phone is signed out");
    // Nobody ends someone else's session.
    app.create_staff("other", Role::Editor).await;
    let other = app.sign_in("other").await;
    let theirs = session::Entity::find()
        .filter(session::Column::UserId.eq(other_user_id(app, "worker").await))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let res = other
        .client
        .post(app.url("/api/admin/account/sessions/end"))
        .header("referer", app.url("/admin/account/sessions"))
        .form(&[
            ("csrf_token", other.csrf.as_str()),
            ("id", theirs.id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(flash_of(&res).unwrap().starts_with("error|"));
    assert!(
        session::Entity::find_by_id(theirs.id.clone())
            .one(&app.db)
            .await
            .unwrap()
            .is_some(),
        "someone else's session stays"
    );
    // Idle for longer than the policy allows: out.
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(31)),
        )
        .filter(session::Column::UserId.eq(other_user_id(app, "other").await))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        other
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "idle 31 minutes"
    );
    // Active but signed in 13 hours ago: out.
    session::Entity::update_many()
        .col_expr(
            session::Column::CreatedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(13)),
        )
        .filter(session::Column::UserId.eq(other_user_id(app, "worker").await))
        .filter(session::Column::Id.ne(phone_id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        tablet
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "signed in 13 hours ago"
    );
    assert_eq!(
        here.client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
}
on_both_backends!(sessions_end_when_idle_or_old_and_can_be_ended_by_their_owner);

async fn other_user_id(app: &TestApp, name: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Username.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn signing_out_everywhere_else_keeps_this_browser(app: &TestApp) {
    app.create_staff("traveller", Role::Writer).await;
    let here = app.sign_in("traveller").await;
    let there = app.sign_in("traveller").await;
    let res = here
        .client
        .post(app.url("/api/admin/account/sessions/end"))
        .header("referer", app.url("/admin/account/sessions"))
        .form(&[("csrf_token", here.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(flash_of(&res).as_deref(), Some("ok|已退出其他 1 处登录"));
    assert_eq!(
        there
            .client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        here.client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
on_both_backends!(signing_out_everywhere_else_keeps_this_browser);

async fn the_throttles_follow_the_policy(app: &TestApp) {
    app.create_staff("guarded", Role::Editor).await;
    let mut p = service::security::policy(&app.db).await.unwrap();
    p.lock_account_failures = 3;
    p.lock_minutes = 7;
    service::security::save_policy(&app.db, &service::audit::Actor::system("test"), &p)
        .await
        .unwrap();
    app.state.security.forget();
    let browser = app.browser();
    for _ in 0..3 {
        let res = app.post_login(&browser, "guarded", "Wrong-guess-1").await;
        assert_eq!(flash_of(&res).as_deref(), Some("error|用户名或密码错误"));
    }
    let res = app.post_login(&browser, "guarded", STAFF_PASSWORD).await;
    assert_eq!(
        flash_of(&res).as_deref(),
        Some("error|登录尝试次数过多，请7分钟后再试")
    );
    // The refusal is in the log with its outcome.
    let (rows, _) = service::audit::list(
        &app.db,
        &service::audit::Filter {
            action: Some("login.throttled".into()),
            ..Default::default()
        },
        0,
        10,
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "refused");
    assert_eq!(rows[0].username, "guarded");
}
on_both_backends!(the_throttles_follow_the_policy);
