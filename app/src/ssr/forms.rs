//! The readers' forms on the server: what a page shows when a post is answered with the form
//! again (the reader's own text and the problems, passed to the page render as context), and
//! the loaders of those pages.

use chrono::Utc;
use leptos::prelude::use_context;
use service::messages;

use super::{AppState, SiteConfig};
use crate::error::AppError;
use crate::models::{
    FieldProblem, MessageFormState, MessagesPage, PublicMessage, TrackPage, TrackedMessage,
};

/// Answered messages per page of `/messages`.
pub const MESSAGES_PER_PAGE: u64 = 10;

/// The 留言 form posted back: shown instead of an empty form.
#[derive(Clone, Debug)]
pub struct MessageEcho(pub MessageFormState);

/// What tracking found, for the page rendered as the answer to the tracking post.
#[derive(Clone, Debug)]
pub struct TrackEcho(pub TrackPage);

/// The client address of the request being rendered.
pub fn client_of_render(state: &AppState) -> String {
    use_context::<http::request::Parts>()
        .map(|p| {
            super::client::client_address_text(
                &state.site.trusted_proxies,
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0),
                &p.headers,
            )
        })
        .unwrap_or_default()
}

fn public_message(m: entity::message::Model, site: &SiteConfig) -> PublicMessage {
    let tz = site.time_zone;
    PublicMessage {
        subject: m.subject,
        name: m.name,
        asked_at: service::time::format_datetime(m.created_at, tz),
        content: m.content,
        reply: m.reply,
        replied_at: m
            .replied_at
            .map(|t| service::time::format_datetime(t, tz))
            .unwrap_or_default(),
    }
}

/// `/messages`, page `page`: the answered messages and the form (fresh, or the reader's
/// own text coming back).
pub async fn messages_page(state: &AppState, page: u64) -> Result<MessagesPage, AppError> {
    let page = page.max(1);
    let (rows, total) = messages::published(&state.db, page, MESSAGES_PER_PAGE).await?;
    let pages = total.div_ceil(MESSAGES_PER_PAGE).max(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let forms = &state.forms;
    let mut form = match use_context::<MessageEcho>() {
        Some(MessageEcho(echo)) => echo,
        None => {
            let client = client_of_render(state);
            let due =
                messages::challenge_due(&state.db, &forms.keys, &forms.policy, &client).await?;
            MessageFormState {
                question: due.then(String::new),
                wants_public: true,
                ..MessageFormState::default()
            }
        }
    };
    // Every showing of the form gets a token of its own (for this client, to be sent back
    // once), and asks its own question.
    let client = client_of_render(state);
    let (token, question) = forms.keys.issue(messages::FORM, &client, now)?;
    if form.question.is_some() {
        form.question = Some(question.text());
    }
    form.token = token;
    let title = "留言箱";
    Ok(MessagesPage {
        items: rows
            .into_iter()
            .map(|m| public_message(m, &state.site))
            .collect(),
        pager: crate::models::Pager {
            page,
            pages,
            total,
            base: "/messages".into(),
        },
        form,
        privacy_href: "/columns/privacy".into(),
        max_content: messages::MAX_CONTENT,
        seo: crate::api::convert::seo(
            &state.site,
            title,
            "向中国开发区协会留言：咨询、建议与意见，协会答复后可在此查看。",
            "/messages",
        ),
    })
}

/// `/messages/track`: the tracking form, with what the tracking post found.
pub fn track_page(state: &AppState, code: String, is_new: bool) -> TrackPage {
    let mut page = match use_context::<TrackEcho>() {
        Some(TrackEcho(echo)) => echo,
        None => {
            // Only something shaped like a receipt is shown as one (a link cannot make the
            // page announce anything else).
            let code = if service::forms::is_receipt_code(&code) {
                code.to_ascii_uppercase()
            } else {
                String::new()
            };
            TrackPage {
                is_new: is_new && !code.is_empty(),
                code,
                ..TrackPage::default()
            }
        }
    };
    page.seo = crate::api::convert::seo(
        &state.site,
        "留言查询",
        "凭受理编号和联系方式查询留言的办理情况。",
        "/messages/track",
    );
    page
}

/// What the reader sees of their message when tracking finds it.
pub fn tracked(m: entity::message::Model, site: &SiteConfig) -> TrackedMessage {
    let tz = site.time_zone;
    let answered = m.status == entity::message::MessageStatus::Replied;
    TrackedMessage {
        status: match m.status {
            // Spam is not the reader's business: it simply stays unanswered.
            entity::message::MessageStatus::Spam | entity::message::MessageStatus::New => {
                "已收到，待答复".into()
            }
            entity::message::MessageStatus::Replied => "已答复".into(),
        },
        code: m.code,
        subject: m.subject,
        content: m.content,
        asked_at: service::time::format_datetime(m.created_at, tz),
        reply: answered.then_some(m.reply),
        replied_at: m
            .replied_at
            .filter(|_| answered)
            .map(|t| service::time::format_datetime(t, tz)),
        is_published: m.is_published,
    }
}

/// The problems of a refused message as the page shows them.
pub fn problems(errors: &[messages::FieldError]) -> Vec<FieldProblem> {
    errors
        .iter()
        .map(|e| FieldProblem {
            field: e.field.to_owned(),
            message: e.message.clone(),
        })
        .collect()
}

/// The 投稿 form posted back: shown instead of an empty form.
#[derive(Clone, Debug)]
pub struct SubmitEcho(pub crate::models::SubmitFormState);

/// What submission tracking found, for the page rendered as the answer to the post.
#[derive(Clone, Debug)]
pub struct SubmitTrackEcho(pub crate::models::SubmitTrackPage);

/// `/submit`: the form (fresh, or the reader's own text coming back).
pub async fn submit_page(state: &AppState) -> Result<crate::models::SubmitPage, AppError> {
    use service::submissions as s;
    let forms = &state.forms;
    let mut form = match use_context::<SubmitEcho>() {
        Some(SubmitEcho(echo)) => echo,
        None => {
            let client = client_of_render(state);
            let due = service::forms::challenge_due(
                &state.db,
                &forms.keys,
                &forms.policy,
                s::FORM,
                &client,
            )
            .await?;
            crate::models::SubmitFormState {
                question: due.then(String::new),
                ..Default::default()
            }
        }
    };
    let client = client_of_render(state);
    let (token, question) = forms.keys.issue(s::FORM, &client, Utc::now())?;
    if form.question.is_some() {
        form.question = Some(question.text());
    }
    form.token = token;
    let columns = s::suggestable_columns(&state.db)
        .await?
        .into_iter()
        .map(|(id, name)| crate::models::ColumnChoice { id, name })
        .collect();
    Ok(crate::models::SubmitPage {
        form,
        columns,
        guide_href: "/columns/submit".into(),
        privacy_href: "/columns/privacy".into(),
        max_content: s::MAX_CONTENT,
        max_files: s::MAX_FILES,
        max_file_mb: s::MAX_FILE_BYTES >> 20,
        max_total_mb: s::MAX_TOTAL_BYTES >> 20,
        seo: crate::api::convert::seo(
            &state.site,
            "在线投稿",
            "向中国开发区协会投稿：填写稿件信息，上传 Word、WPS、PDF 或图片附件，凭受理编号查询审阅结果。",
            "/submit",
        ),
    })
}

/// `/submit/track`: the tracking form, with what the tracking post found.
pub fn submit_track_page(
    state: &AppState,
    code: String,
    is_new: bool,
) -> crate::models::SubmitTrackPage {
    let mut page = match use_context::<SubmitTrackEcho>() {
        Some(SubmitTrackEcho(echo)) => echo,
        None => {
            let code = if service::forms::is_receipt_code(&code) {
                code.to_ascii_uppercase()
            } else {
                String::new()
            };
            crate::models::SubmitTrackPage {
                is_new: is_new && !code.is_empty(),
                code,
                ..Default::default()
            }
        }
    };
    page.seo = crate::api::convert::seo(
        &state.site,
        "投稿查询",
        "凭受理编号和联系方式查询投稿的审阅结果。",
        "/submit/track",
    );
    page
}

/// What the author sees of their submission when tracking finds it.
pub async fn tracked_submission(
    state: &AppState,
    s: entity::submission::Model,
) -> Result<crate::models::TrackedSubmission, AppError> {
    let files = service::submissions::review::files(&state.db, s.id)
        .await?
        .into_iter()
        .map(|f| f.name)
        .collect();
    let rejected = s.status == entity::submission::SubmissionStatus::Rejected;
    Ok(crate::models::TrackedSubmission {
        status: service::submissions::status_for_author(&s).into(),
        code: s.code,
        title: s.title,
        sent_at: service::time::format_datetime(s.created_at, state.site.time_zone),
        reason: rejected.then_some(s.reason),
        files,
    })
}

/// Writes the editors' decision to the author, when mail is set up and they gave an address.
pub fn tell_author(state: &AppState, s: &entity::submission::Model, accepted: bool) {
    if let Some(mail) = &state.mail
        && service::security::personal::usable(&s.email)
    {
        let (subject, body) = service::mail::decision_to_author(
            &s.code,
            &s.title,
            accepted,
            &s.reason,
            &state
                .site
                .absolute(&format!("/submit/track?code={}", s.code)),
        );
        mail.tell_reader(&s.email, subject, body);
    }
}
