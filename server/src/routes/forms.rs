//! The readers' form posts (`POST /messages`, `POST /messages/track`). They are plain HTML
//! form posts, so they work without script: a stored message is answered with a redirect
//! to its receipt; anything refused is answered with the same page rendered again, holding
//! the reader's text and the reason next to the field, under a status that says what went
//! wrong (400, 409, 422, 429).

use app::error::AppError;
use app::models::{MessageFormState, TrackPage};
use app::ssr::AppState;
use app::ssr::forms::{MessageEcho, TrackEcho, problems};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use leptos::prelude::provide_context;
use percent_encoding::percent_decode;
use service::forms::ContentRules;
use service::messages::{self, Draft, Outcome};

/// The fields of an `application/x-www-form-urlencoded` body, and whether any of them was
/// not valid UTF-8 (those are kept with the bad bytes replaced, so nothing else is lost).
pub fn decode_form(body: &[u8]) -> (Vec<(String, String)>, bool) {
    let mut bad = false;
    let mut fields = Vec::new();
    let mut decode = |s: &[u8]| -> String {
        let spaced: Vec<u8> = s
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let bytes: Vec<u8> = percent_decode(&spaced).collect();
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                bad = true;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        }
    };
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let k = decode(k);
        let v = decode(v);
        fields.push((k, v));
    }
    (fields, bad)
}

pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn checked(fields: &[(String, String)], name: &str) -> bool {
    fields.iter().any(|(k, v)| k == name && !v.is_empty())
}

/// Reads a form body within the route's limit (see `body_limit`).
pub(crate) async fn read_body(body: Body) -> Result<Bytes, AppError> {
    axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| AppError::TooLarge("提交的内容过长，请删减后再提交".into()))
}

pub(crate) fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Renders the page at `path` for this request, with `echo` in the render's context, under
/// `status`.
pub(crate) async fn render_page<T>(
    state: &AppState,
    parts: &Parts,
    path: &str,
    echo: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let handler = leptos_axum::render_app_async_with_context(
        {
            let state = state.clone();
            move || {
                provide_context(state.clone());
                provide_context(echo.clone());
            }
        },
        {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        },
    );
    let mut req = Request::new(Body::empty());
    *req.method_mut() = Method::GET;
    *req.uri_mut() = match path.parse() {
        Ok(uri) => uri,
        Err(_) => return AppError::Internal.into_response(),
    };
    *req.headers_mut() = parts.headers.clone();
    req.headers_mut().remove(header::CONTENT_TYPE);
    req.headers_mut().remove(header::CONTENT_LENGTH);
    *req.extensions_mut() = parts.extensions.clone();
    let mut res = handler(req).await;
    if res.status().is_success() {
        *res.status_mut() = status;
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The status of a refused post: 409 the same text from someone else, 400 the form itself
/// (token, hidden field), 422 a field.
pub(crate) fn refusal_status(r: &service::forms::Refusal) -> StatusCode {
    if r.conflict {
        StatusCode::CONFLICT
    } else if r.errors.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// When to try again, in words: `约 25 分钟后（14:05 以后）`.
pub(crate) fn retry_words(until: chrono::DateTime<Utc>, state: &AppState) -> String {
    let minutes = ((until - Utc::now()).num_seconds().max(60) + 59) / 60;
    let local = until.with_timezone(&state.site.time_zone).format("%H:%M");
    format!("约 {minutes} 分钟后（{local} 以后）")
}

/// `POST /messages`: a reader's message.
pub async fn post_message(State(state): State<AppState>, req: Request) -> Response {
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let bytes = match read_body(body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let (fields, bad_utf8) = decode_form(&bytes);
    let draft = Draft {
        name: field(&fields, "name"),
        phone: field(&fields, "phone"),
        email: field(&fields, "email"),
        subject: field(&fields, "subject"),
        content: field(&fields, "content"),
        wants_public: checked(&fields, "public"),
        consent: checked(&fields, "consent"),
        answer: field(&fields, "answer"),
    };
    let mut echo = MessageFormState {
        name: draft.name.clone(),
        phone: draft.phone.clone(),
        email: draft.email.clone(),
        subject: draft.subject.clone(),
        content: draft.content.clone(),
        wants_public: draft.wants_public,
        consent: draft.consent,
        ..MessageFormState::default()
    };
    if bad_utf8 {
        echo.notice = Some(
            "提交的内容中有无法识别的字符（可能是浏览器或输入法的编码问题），请检查后重新提交"
                .into(),
        );
        return render_page(
            &state,
            &parts,
            "/messages",
            MessageEcho(echo),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let rules = match service::site::settings(&state.db).await {
        Ok(s) => ContentRules::from_settings(&s),
        Err(e) => return AppError::from(e).into_response(),
    };
    let cx = messages::Context {
        keys: &state.forms.keys,
        policy: &state.forms.policy,
        rules: &rules,
        client: &client,
        time_zone: state.site.time_zone,
        now: Utc::now(),
    };
    let outcome = messages::submit(
        &state.db,
        &cx,
        &field(&fields, "token"),
        &field(&fields, "website"),
        &draft,
    )
    .await;
    match outcome {
        Ok(Outcome::Stored { code }) => {
            if let Some(mail) = &state.mail {
                let (subject, body) = service::mail::new_message(
                    &code,
                    draft.name.trim(),
                    draft.subject.trim(),
                    draft.content.trim(),
                    &state.site.absolute("/admin/messages"),
                );
                mail.notify_staff(subject, body);
            }
            see_other(&format!("/messages/track?code={code}&new=1"))
        }
        Ok(Outcome::AlreadyStored { code }) => {
            see_other(&format!("/messages/track?code={code}&new=1"))
        }
        Ok(Outcome::Refused(r)) => {
            let status = refusal_status(&r);
            echo.notice = r.notice;
            echo.problems = problems(&r.errors);
            echo.question = r.challenge.then(String::new);
            render_page(&state, &parts, "/messages", MessageEcho(echo), status).await
        }
        Ok(Outcome::Limited { until }) => {
            echo.notice = Some(format!(
                "您提交得太频繁了，请{}再提交。您填写的内容都还在。",
                retry_words(until, &state)
            ));
            echo.question = Some(String::new());
            let res = render_page(
                &state,
                &parts,
                "/messages",
                MessageEcho(echo),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await;
            with_retry_after(res, until)
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// Tracking tries one client may make per hour.
pub(crate) const TRACKS_PER_HOUR: i32 = 30;

/// Counts a tracking try of `client` (messages and submissions together); `Some(until)`
/// when it has tried too often.
pub(crate) async fn track_try(
    state: &AppState,
    client: &str,
) -> Result<Option<chrono::DateTime<Utc>>, AppError> {
    let now = Utc::now();
    let key = service::forms::counter_key(&state.forms.keys, "track", client);
    let tries = service::forms::bump(&state.db, &key, now).await?;
    if tries <= TRACKS_PER_HOUR {
        return Ok(None);
    }
    let until = service::forms::window_end(&state.db, &key, now)
        .await
        .unwrap_or(now + service::forms::WINDOW);
    Ok(Some(until))
}

/// Adds `Retry-After` for a limit that ends at `until`.
pub(crate) fn with_retry_after(mut res: Response, until: chrono::DateTime<Utc>) -> Response {
    let secs = (until - Utc::now()).num_seconds().max(1);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

/// A tracking post, read: the code and contact typed, and what to answer.
pub(crate) struct TrackPost {
    parts: Parts,
    pub code: String,
    pub contact: String,
    pub step: TrackStep,
}

pub(crate) enum TrackStep {
    /// Too many tries from this client: say so, and when to try again.
    Limited {
        notice: String,
        until: chrono::DateTime<Utc>,
    },
    /// The code or the contact is missing (or was not UTF-8).
    Incomplete,
    /// Look it up.
    Lookup,
}

/// Reads a tracking post (`code`, `contact`) and counts the try.
pub(crate) async fn read_track(state: &AppState, req: Request) -> Result<TrackPost, Response> {
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let bytes = read_body(body).await.map_err(IntoResponse::into_response)?;
    let (fields, bad_utf8) = decode_form(&bytes);
    let code: String = field(&fields, "code").trim().chars().take(24).collect();
    let contact: String = field(&fields, "contact").trim().chars().take(100).collect();
    let limited = track_try(state, &client)
        .await
        .map_err(IntoResponse::into_response)?;
    let step = match limited {
        Some(until) => TrackStep::Limited {
            notice: format!("查询次数过多，请{}再查询", retry_words(until, state)),
            until,
        },
        None if bad_utf8 || code.is_empty() || contact.is_empty() => TrackStep::Incomplete,
        None => TrackStep::Lookup,
    };
    Ok(TrackPost {
        parts,
        code,
        contact,
        step,
    })
}

/// Answers a tracking post with the tracking page at `path` (`echo` holds what it shows).
pub(crate) async fn answer_track<T>(
    state: &AppState,
    post: &TrackPost,
    path: &str,
    echo: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let res = render_page(state, &post.parts, path, echo, status).await;
    match &post.step {
        TrackStep::Limited { until, .. } => with_retry_after(res, *until),
        _ => res,
    }
}

/// `POST /messages/track`: a reader looks up a message by receipt code and contact.
pub async fn post_track(State(state): State<AppState>, req: Request) -> Response {
    let post = match read_track(&state, req).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let mut page = TrackPage {
        code: post.code.clone(),
        contact: post.contact.clone(),
        ..TrackPage::default()
    };
    let status = match &post.step {
        TrackStep::Limited { notice, .. } => {
            page.notice = Some(notice.clone());
            StatusCode::TOO_MANY_REQUESTS
        }
        TrackStep::Incomplete => {
            page.notice = Some("请填写受理编号，以及留言时填写的电话或电子邮箱".into());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        TrackStep::Lookup => match messages::track(&state.db, &post.code, &post.contact).await {
            Ok(Some(m)) => {
                page.found = Some(app::ssr::forms::tracked(m, &state.site));
                StatusCode::OK
            }
            Ok(None) => {
                page.notice = Some(
                    "没有找到这条留言：请核对受理编号，并填写留言时留下的电话或电子邮箱".into(),
                );
                StatusCode::NOT_FOUND
            }
            Err(e) => return AppError::from(e).into_response(),
        },
    };
    answer_track(&state, &post, "/messages/track", TrackEcho(page), status).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_and_report_bad_bytes() {
        let (f, bad) = decode_form(b"name=%E7%8E%8B+%E5%85%88%E7%94%9F&empty=&flag");
        assert!(!bad);
        assert_eq!(field(&f, "name"), "王 先生");
        assert_eq!(field(&f, "empty"), "");
        assert_eq!(field(&f, "flag"), "");
        assert!(!checked(&f, "flag"));
        let (f, bad) = decode_form(b"content=ok%FF%FEstill&subject=x");
        assert!(bad);
        assert!(field(&f, "content").starts_with("ok"));
        assert!(field(&f, "content").ends_with("still"));
        assert_eq!(field(&f, "subject"), "x");
    }
}
