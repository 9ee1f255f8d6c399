//! The editor's server side: loading, saving, revisions and comparisons.

use chrono::Utc;

use super::convert::{column_options, local_input, parse_local_input};
use crate::error::AppError;
use crate::models::admin::{
    ArticleStatus, Autosaved, Diff, DiffLine, EditorData, EditorForm, FieldDiff, ReviewInfo,
    RevisionRow, Revisions, SaveResult, SentForReview,
};
use crate::ssr::{AppState, Staff};

fn public_href(a: &entity::article::Model) -> Option<String> {
    service::article::is_visible(a, Utc::now()).then(|| format!("/articles/{}", a.id))
}

/// Where `a` stands in review, for the editor.
fn review_info(
    staff: &Staff,
    a: &entity::article::Model,
    r: &entity::article_review::Model,
    levels: i16,
) -> ReviewInfo {
    use entity::article_review::ReviewState;
    ReviewInfo {
        label: service::review::state_label(r, levels).to_owned(),
        note: r.note.clone(),
        locked: r.state == ReviewState::Pending,
        editing_live: r.data.is_some() && service::review::is_live(a),
        review_href: (!staff.is_writer() && r.state == ReviewState::Pending)
            .then(|| format!("/admin/review/{}", a.id)),
    }
}

/// The editor's form of an input (a revision, a waiting edit) of article `a`.
fn form_of_input(
    state: &AppState,
    a: &entity::article::Model,
    input: service::editorial::ArticleInput,
    cover_src: Option<String>,
) -> EditorForm {
    EditorForm {
        id: Some(a.id),
        column_id: input.column_id,
        title: input.title,
        subtitle: input.subtitle,
        source: input.source,
        author: input.author,
        summary: input.summary,
        body: input.body,
        cover_image_id: input.cover_image_id,
        cover_src,
        is_headline: input.is_headline,
        is_recommended: input.is_recommended,
        is_slideshow: input.is_slideshow,
        status: a.status,
        published_at: local_input(a.published_at, state.site.time_zone),
        keywords: input.keywords.unwrap_or_else(|| a.keywords.clone()),
    }
}

fn form_of(
    state: &AppState,
    a: &entity::article::Model,
    cover: Option<&entity::image::Model>,
) -> EditorForm {
    EditorForm {
        id: Some(a.id),
        column_id: a.column_id,
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        source: a.source.clone(),
        author: a.author.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        cover_image_id: a.cover_image_id,
        cover_src: cover.map(|c| format!("/media/{}", c.path)),
        is_headline: a.is_headline,
        is_recommended: a.is_recommended,
        is_slideshow: a.is_slideshow,
        status: a.status,
        published_at: local_input(a.published_at, state.site.time_zone),
        keywords: a.keywords.clone(),
    }
}

pub async fn load(
    state: &AppState,
    staff: &Staff,
    id: Option<i32>,
) -> Result<EditorData, AppError> {
    let db = &state.db;
    let tz = state.site.time_zone;
    let columns = service::column::all(db, service::site::MAIN).await?;
    let columns = column_options(&columns);
    let autosaved_of = |m: entity::article_autosave::Model| {
        serde_json::from_str::<EditorForm>(&m.data)
            .ok()
            .map(|form| Autosaved {
                draft_key: m.draft_key.clone(),
                saved_at: service::time::format_datetime(m.updated_at, tz),
                form,
            })
    };
    let actor = staff.actor();
    let workflow = service::review::Workflow::load(db).await?;
    let reviewed = workflow.reviews(staff.user.role);
    match id {
        Some(id) => {
            let a = service::review::get_for(db, &actor, id).await?;
            let review = service::review::of_article(db, id).await?;
            let draft_key = format!("article:{id}");
            let autosaved = service::editorial::autosaved(db, staff.user.id, &draft_key)
                .await?
                .filter(|m| m.updated_at > a.updated_at)
                .and_then(autosaved_of);
            // Someone whose changes are reviewed goes on with the waiting edit of a live
            // article; editors who publish directly edit what readers see.
            let waiting = review
                .as_ref()
                .filter(|r| reviewed && r.data.is_some())
                .map(|r| service::review::proposal(&a, Some(r)))
                .transpose()?;
            let form = match waiting {
                Some(input) => {
                    let cover_src = match input.cover_image_id {
                        Some(cid) => service::media::find(db, cid)
                            .await?
                            .map(|c| format!("/media/{}", c.path)),
                        None => None,
                    };
                    form_of_input(state, &a, input, cover_src)
                }
                None => {
                    let cover = service::article::cover(db, &a).await?;
                    form_of(state, &a, cover.as_ref())
                }
            };
            Ok(EditorData {
                form,
                columns,
                draft_key,
                autosaved,
                revisions: service::editorial::revisions(db, id).await?.len(),
                public_href: public_href(&a),
                submission: service::submission::queue::for_article(db, id)
                    .await?
                    .map(|s| (s.code, format!("/admin/submissions/{}", s.id))),
                review: review.map(|r| review_info(staff, &a, &r, workflow.levels)),
                reviewed,
                is_writer: staff.is_writer(),
            })
        }
        None => {
            let first_column = columns
                .iter()
                .find(|c| c.takes_articles)
                .map(|c| c.id)
                .unwrap_or(0);
            let autosaved = service::editorial::new_drafts(db, staff.user.id)
                .await?
                .into_iter()
                .next()
                .and_then(autosaved_of);
            Ok(EditorData {
                form: EditorForm {
                    column_id: first_column,
                    status: ArticleStatus::Draft,
                    author: staff.user.display_name.clone(),
                    ..Default::default()
                },
                columns,
                draft_key: format!(
                    "new:{}",
                    service::auth::random_token()?
                        .chars()
                        .take(12)
                        .collect::<String>()
                ),
                autosaved,
                revisions: 0,
                public_href: None,
                submission: None,
                review: None,
                reviewed,
                is_writer: staff.is_writer(),
            })
        }
    }
}

pub async fn save(
    state: &AppState,
    staff: &Staff,
    draft_key: &str,
    form: EditorForm,
) -> Result<SaveResult, AppError> {
    let tz = state.site.time_zone;
    let status = form.status;
    let published_at = match form.published_at.trim() {
        "" => None,
        s => Some(
            parse_local_input(s, tz)
                .ok_or_else(|| AppError::BadRequest("发布时间格式不正确".into()))?,
        ),
    };
    let input = service::editorial::ArticleInput {
        column_id: form.column_id,
        title: form.title,
        subtitle: form.subtitle,
        source: form.source,
        author: form.author,
        summary: form.summary,
        body: form.body,
        cover_image_id: form.cover_image_id,
        is_headline: form.is_headline,
        is_recommended: form.is_recommended,
        is_slideshow: form.is_slideshow,
        status,
        published_at,
        keywords: Some(form.keywords),
    };
    let outcome =
        service::review::save(&state.db, &staff.actor(), form.id, Some(draft_key), input).await?;
    let levels = outcome.levels;
    let saved = outcome.article;
    let status = saved.status;
    let review = outcome
        .review
        .as_ref()
        .map(|r| review_info(staff, &saved, r, levels));
    let message = match status {
        _ if !outcome.direct => "已保存修改，网站上的版本不变；提交审核并通过后才会更新".to_owned(),
        ArticleStatus::Draft if review.is_none() && staff.is_writer() => {
            "已保存为草稿，写好后请提交审核".to_owned()
        }
        ArticleStatus::Published => "已保存并发布".to_owned(),
        ArticleStatus::Scheduled => format!(
            "已保存，将于 {} 自动发布",
            saved
                .published_at
                .map(|t| service::time::format_datetime(t, tz))
                .unwrap_or_default()
        ),
        ArticleStatus::Draft => "已保存为草稿".to_owned(),
        ArticleStatus::Archived => "已保存（已归档，不在网站上显示）".to_owned(),
    };
    Ok(SaveResult {
        id: saved.id,
        status,
        published_at: local_input(saved.published_at, tz),
        public_href: public_href(&saved),
        message,
        review,
    })
}

pub async fn send_for_review(
    state: &AppState,
    staff: &Staff,
    id: i32,
) -> Result<SentForReview, AppError> {
    let site = crate::ssr::site()?;
    let done = service::review::send_for_review(&state.db, &staff.actor(), id).await?;
    let a = service::editorial::get(&state.db, id).await?;
    let levels = service::review::Workflow::load(&state.db).await?.levels;
    let mut message = if done.published {
        "已发布（本站未要求审核撰稿人的稿件）".to_owned()
    } else {
        "已提交审核，审核结果出来前不能修改".to_owned()
    };
    if !done.flagged.is_empty() {
        message.push_str(&format!(
            "。稿件含有需要注意的词语：{}，审核人会看到提示",
            done.flagged.join("、")
        ));
    }
    if !done.published {
        let link = site.absolute(&format!("/admin/review/{id}"));
        let notice = service::mail::review_submitted(&a.title, &staff.user.display_name, &link);
        notify_review(state, None, notice).await;
    }
    Ok(SentForReview {
        message,
        flagged: done.flagged,
        review: done.review.map(|r| review_info(staff, &a, &r, levels)),
        public_href: public_href(&a),
    })
}

/// A review notice by e-mail, when the site sends them and mail is configured: `None` for
/// `to` tells the editors' address list (a submission), `Some(user)` that staff member. Never
/// fails the action it follows: a problem is logged.
pub async fn notify_review(state: &AppState, to: Option<Option<i32>>, notice: (String, String)) {
    let Some(mail) = &state.mail else {
        return;
    };
    let sends = service::review::Workflow::load(&state.db)
        .await
        .is_ok_and(|p| p.mail);
    if !sends {
        return;
    }
    let (subject, body) = notice;
    match to {
        None => mail.notify_staff(subject, body),
        Some(Some(user)) => match service::user::email_of(&state.db, user).await {
            Ok(Some(address)) => mail.tell_staff_member(&address, subject, body),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "a review notice could not be addressed"),
        },
        Some(None) => {}
    }
}

pub async fn revisions(state: &AppState, staff: &Staff, id: i32) -> Result<Revisions, AppError> {
    let a = service::review::get_for(&state.db, &staff.actor(), id).await?;
    let tz = state.site.time_zone;
    let rows = service::editorial::revisions(&state.db, id)
        .await?
        .into_iter()
        .map(|r| RevisionRow {
            id: r.id,
            at: service::time::format_datetime(r.created_at, tz),
            username: if r.username.is_empty() {
                "系统".to_owned()
            } else {
                r.username
            },
            title: serde_json::from_str::<service::editorial::ArticleInput>(&r.data)
                .map(|i| i.title)
                .unwrap_or_default(),
            label: r.label,
        })
        .collect();
    Ok(Revisions {
        article_id: id,
        title: a.title,
        rows,
    })
}

/// Side-by-side lines of two versions of a body.
pub fn side_by_side(old: &str, new: &str) -> Vec<DiffLine> {
    service::editorial::compare::body(old, new)
        .into_iter()
        .map(|l| DiffLine {
            left: l.old,
            right: l.new,
            kind: l.change.code().to_owned(),
        })
        .collect()
}

pub async fn diff(state: &AppState, staff: &Staff, rev: i32) -> Result<Diff, AppError> {
    let (r, old) = service::editorial::revision(&state.db, rev).await?;
    let a = service::review::get_for(&state.db, &staff.actor(), r.article_id).await?;
    let new = service::editorial::ArticleInput::from_model(&a);
    let (fields, body) = compare(state, &old, &new).await?;
    Ok(Diff {
        article_id: a.id,
        title: a.title.clone(),
        revision_id: r.id,
        revision_at: service::time::format_datetime(r.created_at, state.site.time_zone),
        revision_user: r.username,
        fields,
        body,
    })
}

/// Two versions of an article compared: its fields, then its body line by line.
pub async fn compare(
    state: &AppState,
    old: &service::editorial::ArticleInput,
    new: &service::editorial::ArticleInput,
) -> Result<(Vec<FieldDiff>, Vec<DiffLine>), AppError> {
    let columns = service::column::all(&state.db, service::site::MAIN).await?;
    let fields = service::editorial::compare::fields(old, new, &columns, state.site.time_zone)
        .into_iter()
        .map(|f| FieldDiff {
            changed: f.changed(),
            label: f.label.to_owned(),
            left: f.old,
            right: f.new,
        })
        .collect();
    let (a, b) = (old.body.clone(), new.body.clone());
    let body = service::work::heavy(move || side_by_side(&a, &b)).await?;
    Ok((fields, body))
}
