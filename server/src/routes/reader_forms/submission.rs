//! 投稿: `POST /submit` (a reader's manuscript, multipart with its files) and
//! `POST /submit/track`.

use app::models::SubmissionFormState;
use app::ssr::{AppState, RequestSite};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use service::submission::{self, Draft, MAX_FILE_BYTES, Upload};

use super::multipart::{self, Read};
use super::{BAD_TEXT, FormRoute, TrackRoute, answer, content_rules, context, form_again};
use crate::form_body::FormFields;

const ROUTE: FormRoute = FormRoute {
    page: "/submit",
    track: "/submit/track",
    too_often: "您投稿得太频繁了",
    kept: "您填写的文字都还在。",
};

/// The manuscript as the form sent it.
fn draft_of(fields: &FormFields, files: Vec<Upload>) -> Draft {
    Draft {
        name: fields.text("name"),
        organization: fields.text("organization"),
        phone: fields.text("phone"),
        email: fields.text("email"),
        title: fields.text("title"),
        column: fields.text("column"),
        content: fields.text("content"),
        consent: fields.checked("consent"),
        answer: fields.text("answer"),
        files,
    }
}

/// The form filled in again as the reader left it (files must be chosen again: browsers do
/// not let a page set them).
fn form_of(draft: &Draft) -> SubmissionFormState {
    SubmissionFormState {
        name: draft.name.clone(),
        organization: draft.organization.clone(),
        phone: draft.phone.clone(),
        email: draft.email.clone(),
        title: draft.title.clone(),
        column: draft.column.clone(),
        content: draft.content.clone(),
        consent: draft.consent,
        files_to_choose_again: draft.files.iter().map(|f| f.name.clone()).collect(),
        ..SubmissionFormState::default()
    }
}

/// What to tell the reader when the post could not be read whole; `None` when it could.
fn unread_notice(read: &Read) -> Option<(String, StatusCode)> {
    match read {
        Read::Complete => None,
        Read::TooLarge => Some((
            format!(
                "提交的附件过大：每个附件不超过{} MB，合计不超过{} MB。{}请重新选择附件。",
                MAX_FILE_BYTES >> 20,
                submission::MAX_TOTAL_BYTES >> 20,
                ROUTE.kept
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
        )),
        Read::BadText => Some((format!("{BAD_TEXT}{}", ROUTE.kept), StatusCode::BAD_REQUEST)),
        Read::Broken => Some((
            "提交的内容不完整（可能是网络中断或页面已过期），没有保存。请检查后重新提交。".into(),
            StatusCode::BAD_REQUEST,
        )),
    }
}

/// `POST /submit`: a reader's manuscript.
pub async fn post(State(state): State<AppState>, site: RequestSite, req: Request) -> Response {
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let post = multipart::read(Request::from_parts(parts.clone(), body)).await;
    let draft = draft_of(&post.fields, post.files);
    let mut form = form_of(&draft);
    if let Some((notice, status)) = unread_notice(&post.read) {
        form.status.notice = Some(notice);
        return form_again(&state, &parts, &ROUTE, form, status).await;
    }
    let rules = match content_rules(&state, site.id()).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let outcome = submission::receive(
        &state.db,
        &state.files.private,
        &context(&state, site.id(), &rules, &client),
        &post.fields.text("token"),
        &post.fields.text("website"),
        &draft,
    )
    .await;
    answer(&state, &parts, &ROUTE, outcome, form, |code| {
        if let Some(mail) = &state.mail {
            let (subject, body) = service::mail::new_submission(
                code,
                draft.name.trim(),
                draft.organization.trim(),
                draft.title.trim(),
                draft.files.len(),
                &site.absolute("/admin/submissions"),
            );
            mail.notify_staff(subject, body);
        }
    })
    .await
}

/// `POST /submit/track`: a reader looks up a submission by receipt code and contact.
pub async fn track(State(state): State<AppState>, site: RequestSite, req: Request) -> Response {
    const TRACK: TrackRoute = TrackRoute {
        page: "/submit/track",
        incomplete: "请填写受理编号，以及投稿时填写的电话或电子邮箱",
        not_found: "没有找到这篇投稿：请核对受理编号，并填写投稿时留下的电话或电子邮箱",
    };
    let st = &state;
    super::track(st, req, &TRACK, |code, contact| async move {
        match submission::track(&st.db, site.id(), &code, &contact).await? {
            Some(s) => Ok(Some(
                app::api::submissions::load::tracked_submission(st, s).await?,
            )),
            None => Ok(None),
        }
    })
    .await
}
