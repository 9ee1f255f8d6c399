//! 先审后发: writers submit, reviewers approve or return, a live article changes only on
//! approval, and every forbidden step is refused with 403 by the server itself.

use std::time::Duration;

use entity::article::ArticleStatus;
use entity::user::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, call, form, some_column};
use crate::on_both_backends;

/// Changes the review settings.
pub async fn set_policy(app: &TestApp, writers: bool, levels: i16, peer: bool) {
    let mut s = service::site::settings(&app.db).await.unwrap();
    s.review.writers = writers;
    s.review.levels = levels;
    s.review.editors = peer;
    service::site::save_settings(&app.db, &s).await.unwrap();
}

/// Posts a plain form to a server function the way a script would (answers its status).
async fn post_fn(staff: &Staff, base: &str, path: &str, fields: &[(&str, &str)]) -> u16 {
    staff
        .client
        .post(format!("{base}{path}"))
        .header("x-csrf-token", &staff.csrf)
        .header("accept", "application/json")
        .form(fields)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub async fn save(app: &TestApp, staff: &Staff, form: Value) -> (u16, Value) {
    let key = match form["id"].as_i64() {
        Some(id) => format!("article:{id}"),
        None => "new:review".to_owned(),
    };
    call(
        app,
        staff,
        "/api/admin/articles/save",
        json!({"draft_key": key, "form": form}),
    )
    .await
}

pub async fn send_for_review(app: &TestApp, staff: &Staff, id: i64) -> (u16, Value) {
    call(
        app,
        staff,
        "/api/admin/articles/send-for-review",
        json!({"id": id}),
    )
    .await
}

pub async fn approve(app: &TestApp, staff: &Staff, id: i64, level: i16) -> u16 {
    let (id, level) = (id.to_string(), level.to_string());
    post_fn(
        staff,
        &app.address,
        "/api/admin/review/approve",
        &[("id", &id), ("level", &level)],
    )
    .await
}

pub async fn send_back(app: &TestApp, staff: &Staff, id: i64, reason: &str) -> u16 {
    let id = id.to_string();
    post_fn(
        staff,
        &app.address,
        "/api/admin/review/return",
        &[("id", &id), ("level", "1"), ("reason", reason)],
    )
    .await
}

async fn editor_data(app: &TestApp, staff: &Staff, id: i64) -> (u16, Value) {
    let res = staff
        .client
        .get(app.url(&format!("/api/admin/articles/editor?id={id}")))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn audit_count(app: &TestApp, action: &str, id: i64) -> u64 {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq(action))
        .filter(entity::audit_log::Column::ObjectId.eq(id.to_string()))
        .count(&app.db)
        .await
        .unwrap()
}

async fn labels(app: &TestApp, id: i64) -> Vec<String> {
    service::editorial::revisions(&app.db, id as i32)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.label)
        .collect()
}

async fn writers_are_refused_everything_but_their_own_drafts(app: &TestApp) {
    app.create_staff("w-one", Role::Writer).await;
    app.create_staff("w-two", Role::Writer).await;
    app.create_staff("editor-g", Role::Editor).await;
    let (one, two, ed) = (
        app.sign_in("w-one").await,
        app.sign_in("w-two").await,
        app.sign_in("editor-g").await,
    );
    let column = some_column(app).await;

    // Their own draft: yes.
    let (status, saved) = save(app, &one, form(column, "撰稿人的初稿", "draft", "")).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["message"], "已保存为草稿，写好后请提交审核");
    let id = saved["id"].as_i64().unwrap();
    let mut draft = form(column, "撰稿人的初稿（二）", "draft", "");
    draft["id"] = json!(id);
    assert_eq!(save(app, &one, draft.clone()).await.0, 200);

    // Publishing, scheduling, archiving, flags, a publication time: no, new or existing.
    for (status, at) in [
        ("published", ""),
        ("scheduled", "2099-01-01T09:00"),
        ("archived", ""),
        ("draft", "2026-12-01T09:00"),
    ] {
        let mut f = draft.clone();
        f["status"] = json!(status);
        f["published_at"] = json!(at);
        assert_eq!(save(app, &one, f.clone()).await.0, 403, "{status} {at}");
        f["id"] = Value::Null;
        assert_eq!(save(app, &one, f).await.0, 403, "new {status} {at}");
    }
    for flag in ["is_headline", "is_recommended", "is_slideshow"] {
        let mut f = draft.clone();
        f[flag] = json!(true);
        assert_eq!(save(app, &one, f).await.0, 403, "{flag}");
    }
    // Bulk publishing and reviewing are not theirs.
    let ids = id.to_string();
    let bulk = [("action", "publish"), ("ids[]", ids.as_str())];
    assert_eq!(
        post_fn(&one, &app.address, "/api/admin/articles/bulk", &bulk).await,
        403
    );
    assert_eq!(approve(app, &one, id, 1).await, 403);
    assert_eq!(send_back(app, &one, id, "不行").await, 403);

    // Someone else's draft: not to read, save, submit, compare or restore.
    assert_eq!(editor_data(app, &two, id).await.0, 403);
    assert_eq!(save(app, &two, draft.clone()).await.0, 403);
    assert_eq!(send_for_review(app, &two, id).await.0, 403);
    let revisions = service::editorial::revisions(&app.db, id as i32)
        .await
        .unwrap();
    let rev = revisions[0].id.to_string();
    for path in [
        format!("/api/admin/articles/revisions?id={id}"),
        format!("/api/admin/articles/diff?rev={rev}"),
    ] {
        let res = two.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(
        post_fn(
            &two,
            &app.address,
            "/api/admin/articles/restore",
            &[("rev", &rev)]
        )
        .await,
        403
    );
    // Nor the editors' articles, published or not.
    let live = app.some_article().await;
    let mut theirs = form(column, "改别人的文章", "published", "");
    theirs["id"] = json!(live.id);
    assert_eq!(save(app, &one, theirs).await.0, 403);
    assert_eq!(editor_data(app, &one, live.id as i64).await.0, 403);

    // Their list holds their own articles only.
    let list = app.get_json(&one, "/api/admin/articles/list").await;
    assert_eq!(list["pager"]["total"], 1, "{list}");
    assert_eq!(list["rows"][0]["id"], id);

    // The editor still may do all of it.
    let mut f = draft.clone();
    f["status"] = json!("published");
    f["is_headline"] = json!(true);
    let (status, body) = save(app, &ed, f).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "published");
}
on_both_backends!(writers_are_refused_everything_but_their_own_drafts);

async fn a_draft_goes_through_review_and_back_to_the_site(app: &TestApp) {
    app.create_staff("writer-a", Role::Writer).await;
    app.create_staff("reviewer-a", Role::Editor).await;
    let (writer, reviewer) = (
        app.sign_in("writer-a").await,
        app.sign_in("reviewer-a").await,
    );
    let column = some_column(app).await;
    let (_, saved) = save(
        app,
        &writer,
        form(column, "园区招商新政解读（送审稿）", "draft", ""),
    )
    .await;
    let id = saved["id"].as_i64().unwrap();

    let (status, done) = send_for_review(app, &writer, id).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["review"]["label"], "待审核");
    assert_eq!(done["review"]["locked"], true);
    assert_eq!(audit_count(app, "article.submit", id).await, 1);
    assert_eq!(labels(app, id).await[0], "提交审核");
    // Locked while it waits.
    let mut f = form(column, "改一下", "draft", "");
    f["id"] = json!(id);
    assert_eq!(save(app, &writer, f.clone()).await.0, 409);
    assert_eq!(send_for_review(app, &writer, id).await.0, 409);
    // Not online.
    assert_eq!(app.get(&format!("/articles/{id}")).await.status(), 404);

    // A return needs a reason; the writer sees it.
    assert_eq!(send_back(app, &reviewer, id, "  ").await, 400);
    assert_eq!(
        send_back(app, &reviewer, id, "第二段数据需注明来源").await,
        200
    );
    assert_eq!(audit_count(app, "article.return", id).await, 1);
    assert_eq!(labels(app, id).await[0], "退回修改：第二段数据需注明来源");
    let (_, data) = editor_data(app, &writer, id).await;
    assert_eq!(data["review"]["label"], "退回修改");
    assert_eq!(data["review"]["note"], "第二段数据需注明来源");
    assert_eq!(data["review"]["locked"], false);
    let dash = app.get_json(&writer, "/api/admin/dashboard").await;
    assert_eq!(dash["mine"][0]["note"], "第二段数据需注明来源", "{dash}");
    // Approving a returned article is a stale click.
    assert_eq!(approve(app, &reviewer, id, 1).await, 409);

    // Fixed and resubmitted, then approved: online once.
    f["title"] = json!("园区招商新政解读");
    assert_eq!(save(app, &writer, f).await.0, 200);
    assert_eq!(send_for_review(app, &writer, id).await.0, 200);
    assert_eq!(approve(app, &reviewer, id, 1).await, 200);
    let (status, html) = app.get_text(&format!("/articles/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("园区招商新政解读"));
    assert_eq!(audit_count(app, "article.approve", id).await, 1);
    assert_eq!(labels(app, id).await[0], "审核通过并发布");
    assert!(
        service::review::of_article(&app.db, id as i32)
            .await
            .unwrap()
            .is_none()
    );
    let a = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(a.status, ArticleStatus::Published);
    assert!(a.owner_id.is_some());
}
on_both_backends!(a_draft_goes_through_review_and_back_to_the_site);

/// A writer's live article, made through review.
async fn live_article_of(app: &TestApp, writer: &Staff, reviewer: &Staff, title: &str) -> i64 {
    let column = some_column(app).await;
    let (_, saved) = save(app, writer, form(column, title, "draft", "")).await;
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(send_for_review(app, writer, id).await.0, 200);
    assert_eq!(approve(app, reviewer, id, 1).await, 200);
    id
}

async fn a_live_article_stays_as_it_is_while_its_edit_waits(app: &TestApp) {
    app.create_staff("writer-b", Role::Writer).await;
    app.create_staff("reviewer-b", Role::Editor).await;
    let (writer, reviewer) = (
        app.sign_in("writer-b").await,
        app.sign_in("reviewer-b").await,
    );
    let id = live_article_of(app, &writer, &reviewer, "开发区年度报告发布").await;
    let path = format!("/articles/{id}");
    // Cached now.
    let (_, before) = app.get_text(&path).await;
    assert!(before.contains("开发区年度报告发布"));

    let (_, data) = editor_data(app, &writer, id).await;
    let mut f = data["form"].clone();
    f["title"] = json!("开发区年度报告发布（修订）");
    f["body"] = json!("<p>修订后的正文。</p>");
    let (status, saved) = save(app, &writer, f).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["review"]["label"], "修改待提交");
    assert_eq!(saved["review"]["editing_live"], true);
    assert_eq!(send_for_review(app, &writer, id).await.0, 200);

    let live = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(
        live.title, "开发区年度报告发布",
        "the live row is untouched"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, during) = app.get_text(&path).await;
    assert!(during.contains("开发区年度报告发布") && !during.contains("修订"));
    // The writer goes on from the waiting edit; the reviewer compares it with the live one.
    let (_, data) = editor_data(app, &writer, id).await;
    assert_eq!(data["form"]["title"], "开发区年度报告发布（修订）");
    let review = app
        .get_json(&reviewer, &format!("/api/admin/review/one?id={id}"))
        .await;
    assert_eq!(review["is_edit"], true, "{review}");
    let title = &review["fields"][0];
    assert_eq!(title["left"], "开发区年度报告发布");
    assert_eq!(title["right"], "开发区年度报告发布（修订）");
    assert_eq!(title["changed"], true);

    // Returned: the live page was never touched.
    assert_eq!(send_back(app, &reviewer, id, "标题不要加括号").await, 200);
    let (_, after_return) = app.get_text(&path).await;
    assert!(!after_return.contains("修订"));
    assert_eq!(
        service::editorial::get(&app.db, id as i32)
            .await
            .unwrap()
            .updated_at,
        live.updated_at
    );
    // Resubmitted and approved: the edit replaces the live version, the date stays.
    assert_eq!(send_for_review(app, &writer, id).await.0, 200);
    assert_eq!(approve(app, &reviewer, id, 1).await, 200);
    app.eventually(&path, "开发区年度报告发布（修订）", true)
        .await;
    let after = service::editorial::get(&app.db, id as i32).await.unwrap();
    assert_eq!(after.published_at, live.published_at);
    assert_eq!(after.body, "<p>修订后的正文。</p>");
}
on_both_backends!(a_live_article_stays_as_it_is_while_its_edit_waits);

async fn two_reviewers_at_once_publish_it_once(app: &TestApp) {
    app.create_staff("writer-c", Role::Writer).await;
    app.create_staff("rev-c1", Role::Editor).await;
    app.create_staff("rev-c2", Role::Editor).await;
    let writer = app.sign_in("writer-c").await;
    let (r1, r2) = (app.sign_in("rev-c1").await, app.sign_in("rev-c2").await);
    let other = app.second_server().await;
    let column = some_column(app).await;
    for round in 0..3 {
        let (_, saved) = save(
            app,
            &writer,
            form(column, &format!("同时审核的稿件{round}"), "draft", ""),
        )
        .await;
        let id = saved["id"].as_i64().unwrap();
        assert_eq!(send_for_review(app, &writer, id).await.0, 200);
        let ids = id.to_string();
        let fields = [("id", ids.as_str()), ("level", "1")];
        let (a, b) = tokio::join!(
            post_fn(&r1, &app.address, "/api/admin/review/approve", &fields),
            post_fn(&r2, &other, "/api/admin/review/approve", &fields),
        );
        let mut statuses = [a, b];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        assert_eq!(audit_count(app, "article.approve", id).await, 1);
        let approvals = labels(app, id)
            .await
            .into_iter()
            .filter(|l| l.starts_with("审核通过"))
            .count();
        assert_eq!(approvals, 1);
    }
}
on_both_backends!(two_reviewers_at_once_publish_it_once);

async fn two_levels_and_peer_review_need_other_people(app: &TestApp) {
    set_policy(app, true, 2, true).await;
    app.create_staff("ed-d1", Role::Editor).await;
    app.create_staff("ed-d2", Role::Editor).await;
    app.create_staff("ed-d3", Role::Admin).await;
    let (e1, e2, e3) = (
        app.sign_in("ed-d1").await,
        app.sign_in("ed-d2").await,
        app.sign_in("ed-d3").await,
    );
    let column = some_column(app).await;
    // Under peer review an editor cannot publish their own piece, alone or in bulk.
    assert_eq!(
        save(app, &e1, form(column, "编辑直接发布", "published", ""))
            .await
            .0,
        403
    );
    let (_, saved) = save(app, &e1, form(column, "两级审核的稿件", "draft", "")).await;
    let id = saved["id"].as_i64().unwrap();
    let ids = id.to_string();
    assert_eq!(
        post_fn(
            &e1,
            &app.address,
            "/api/admin/articles/bulk",
            &[("action", "publish"), ("ids[]", &ids)]
        )
        .await,
        403
    );
    assert_eq!(send_for_review(app, &e1, id).await.0, 200);
    assert_eq!(approve(app, &e1, id, 1).await, 403, "not one's own");
    assert_eq!(approve(app, &e2, id, 1).await, 200, "初审");
    assert_eq!(app.get(&format!("/articles/{id}")).await.status(), 404);
    assert_eq!(
        approve(app, &e2, id, 2).await,
        403,
        "终审 by another person"
    );
    assert_eq!(approve(app, &e3, id, 1).await, 409, "a stale level");
    assert_eq!(approve(app, &e3, id, 2).await, 200, "终审");
    assert_eq!(app.get(&format!("/articles/{id}")).await.status(), 200);
    assert_eq!(labels(app, id).await[..2], ["终审通过并发布", "初审通过"]);
}
on_both_backends!(two_levels_and_peer_review_need_other_people);

async fn blocked_words_are_flagged_never_blocking(app: &TestApp) {
    let mut s = service::site::settings(&app.db).await.unwrap();
    s.blocked_words = "内部资料\n违规集资".into();
    service::site::save_settings(&app.db, &s).await.unwrap();
    app.create_staff("writer-e", Role::Writer).await;
    app.create_staff("rev-e", Role::Editor).await;
    let (writer, reviewer) = (app.sign_in("writer-e").await, app.sign_in("rev-e").await);
    let column = some_column(app).await;
    let mut f = form(column, "一篇含有内部资料字样的稿件", "draft", "");
    f["body"] = json!("<p>某园区曾发生违规集资，现已整改。</p>");
    let (status, saved) = save(app, &writer, f).await;
    assert_eq!(status, 200, "saving a draft never fails on the list");
    let id = saved["id"].as_i64().unwrap();
    let (status, done) = send_for_review(app, &writer, id).await;
    assert_eq!(status, 200);
    assert_eq!(done["flagged"], json!(["内部资料", "违规集资"]));
    let review = app
        .get_json(&reviewer, &format!("/api/admin/review/one?id={id}"))
        .await;
    assert_eq!(review["flagged"], json!(["内部资料", "违规集资"]));
    assert!(
        review["preview_html"]
            .as_str()
            .unwrap()
            .contains("某园区曾发生<mark>违规集资</mark>"),
        "{review}"
    );
    let queue = app.get_json(&reviewer, "/api/admin/review/queue").await;
    let row = queue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["article_id"] == id)
        .unwrap();
    assert_eq!(row["flagged"].as_array().unwrap().len(), 2);
}
on_both_backends!(blocked_words_are_flagged_never_blocking);

async fn without_review_a_writers_submission_goes_online(app: &TestApp) {
    set_policy(app, false, 1, false).await;
    app.create_staff("writer-f", Role::Writer).await;
    let writer = app.sign_in("writer-f").await;
    let column = some_column(app).await;
    let (_, saved) = save(app, &writer, form(column, "不需审核的稿件", "draft", "")).await;
    let id = saved["id"].as_i64().unwrap();
    // Still no publishing by save.
    let mut f = form(column, "不需审核的稿件", "published", "");
    f["id"] = json!(id);
    assert_eq!(save(app, &writer, f).await.0, 403);
    let (status, done) = send_for_review(app, &writer, id).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["message"], "已发布（本站未要求审核撰稿人的稿件）");
    assert_eq!(app.get(&format!("/articles/{id}")).await.status(), 200);
}
on_both_backends!(without_review_a_writers_submission_goes_online);

/// The dashboard's list of scheduled articles shows a writer only their own: what else the
/// association plans to publish is not theirs to read.
async fn a_writer_sees_only_their_own_scheduled_articles(app: &TestApp) {
    let a = app.some_article().await;
    let mut input = service::editorial::ArticleInput::from_model(&a);
    input.title = "编辑部定时发布的重要稿件".into();
    input.status = entity::article::ArticleStatus::Scheduled;
    input.published_at = Some(chrono::Utc::now() + chrono::Duration::days(3));
    service::editorial::save(&app.db, &service::audit::Actor::system("test"), None, input)
        .await
        .unwrap();
    app.create_staff("w-dash", Role::Writer).await;
    app.create_staff("e-dash", Role::Editor).await;
    let (writer, editor) = (app.sign_in("w-dash").await, app.sign_in("e-dash").await);
    let titles = |v: &Value| -> Vec<String> {
        v["upcoming"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row[1].as_str().unwrap().to_owned())
            .collect()
    };
    let seen_by_editor = titles(&app.get_json(&editor, "/api/admin/dashboard").await);
    assert!(seen_by_editor.contains(&"编辑部定时发布的重要稿件".to_owned()));
    let seen_by_writer = titles(&app.get_json(&writer, "/api/admin/dashboard").await);
    assert!(seen_by_writer.is_empty(), "{seen_by_writer:?}");
    let page = writer
        .client
        .get(app.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("编辑部定时发布的重要稿件"));
}
on_both_backends!(a_writer_sees_only_their_own_scheduled_articles);
