//! 留言: `POST /messages` (a reader's message) and `POST /messages/track`.

use app::models::MessageFormState;
use app::ssr::{AppState, RequestSite};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use service::message::{self, Draft};

use super::{BAD_TEXT, FormRoute, TrackRoute, answer, content_rules, context, form_again};
use crate::form_body::FormFields;

const ROUTE: FormRoute = FormRoute {
    page: "/messages",
    track: "/messages/track",
    too_often: "您提交得太频繁了",
    kept: "您填写的内容都还在。",
};

/// `POST /messages`: a reader's message.
pub async fn post(State(state): State<AppState>, site: RequestSite, req: Request) -> Response {
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let fields = match FormFields::from_body(body).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let draft = Draft {
        name: fields.text("name"),
        phone: fields.text("phone"),
        email: fields.text("email"),
        subject: fields.text("subject"),
        content: fields.text("content"),
        wants_public: fields.checked("public"),
        consent: fields.checked("consent"),
        answer: fields.text("answer"),
    };
    let mut form = MessageFormState {
        name: draft.name.clone(),
        phone: draft.phone.clone(),
        email: draft.email.clone(),
        subject: draft.subject.clone(),
        content: draft.content.clone(),
        wants_public: draft.wants_public,
        consent: draft.consent,
        ..MessageFormState::default()
    };
    if fields.bad_utf8() {
        form.status.notice = Some(format!("{BAD_TEXT}{}", ROUTE.kept));
        return form_again(&state, &parts, &ROUTE, form, StatusCode::BAD_REQUEST).await;
    }
    let rules = match content_rules(&state, site.id()).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let outcome = message::receive(
        &state.db,
        &context(&state, site.id(), &rules, &client),
        &fields.text("token"),
        &fields.text("website"),
        &draft,
    )
    .await;
    answer(&state, &parts, &ROUTE, outcome, form, |code| {
        if let Some(mail) = &state.mail {
            let (subject, body) = service::mail::new_message(
                code,
                draft.name.trim(),
                draft.subject.trim(),
                draft.content.trim(),
                &site.absolute("/admin/messages"),
            );
            mail.notify_staff(subject, body);
        }
    })
    .await
}

/// `POST /messages/track`: a reader looks up a message by receipt code and contact.
pub async fn track(State(state): State<AppState>, site: RequestSite, req: Request) -> Response {
    const TRACK: TrackRoute = TrackRoute {
        page: "/messages/track",
        incomplete: "请填写受理编号，以及留言时填写的电话或电子邮箱",
        not_found: "没有找到这条留言：请核对受理编号，并填写留言时留下的电话或电子邮箱",
    };
    let st = &state;
    super::track(st, req, &TRACK, |code, contact| async move {
        let found = message::track(&st.db, site.id(), &code, &contact).await?;
        Ok(found.map(|m| app::api::messages::load::tracked(m, &st.site)))
    })
    .await
}
