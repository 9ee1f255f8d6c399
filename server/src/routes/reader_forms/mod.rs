//! The readers' forms, 留言 (`POST /messages`) and 投稿 (`POST /submit`), and their tracking
//! posts. They are plain HTML form posts, so they work without script: a stored item is
//! answered with a redirect to its receipt; anything refused with the same page rendered
//! again, holding what the reader typed and the reason next to the field, under a status
//! that says what went wrong (400, 409, 413, 422, 429). What the two forms share is here:
//! answering an outcome, rendering a page for a post, and tracking.

pub mod message;
pub mod multipart;
pub mod submission;

use app::error::AppError;
use app::models::{FieldProblem, ReaderFormState, TrackPage};
use app::ssr::AppState;
use app::ssr::forms::Echo;
use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use leptos::prelude::provide_context;
use service::form::{ContentRules, Outcome, Refusal};

use crate::form_body::FormFields;

/// What differs between the two forms when a post is answered.
pub(crate) struct FormRoute {
    /// The form's page, rendered again for a refused post.
    pub page: &'static str,
    /// The tracking page a receipt leads to.
    pub track: &'static str,
    /// The beginning of "too often": `您提交得太频繁了` / `您投稿得太频繁了`.
    pub too_often: &'static str,
    /// What the reader is told is kept: `您填写的内容都还在。` / `您填写的文字都还在。`.
    pub kept: &'static str,
}

/// The notice for a post with a field that was not valid UTF-8.
pub(crate) const BAD_TEXT: &str =
    "提交的内容中有无法识别的字符（可能是浏览器或输入法的编码问题），请检查后重新提交。";

/// `site`'s content rules (the block list and the link limit), read for each post.
pub(crate) async fn content_rules(state: &AppState, site: i32) -> Result<ContentRules, Response> {
    service::site::settings_of(&state.db, site)
        .await
        .map(|s| ContentRules::from_settings(&s))
        .map_err(|e| AppError::from(e).into_response())
}

/// The forms' context for a post of `client` to `site` under `rules`.
pub(crate) fn context<'a>(
    state: &'a AppState,
    site: i32,
    rules: &'a ContentRules,
    client: &'a str,
) -> service::form::Context<'a> {
    service::form::Context {
        site,
        keys: &state.forms.keys,
        limits: &state.forms.limits,
        rules,
        client,
        time_zone: state.site.time_zone,
        now: Utc::now(),
    }
}

/// Answers a post with the form's page again, `form` (what the reader typed) on it, under
/// `status`.
pub(crate) async fn form_again<F: ReaderFormState>(
    state: &AppState,
    parts: &Parts,
    route: &FormRoute,
    form: F,
    status: StatusCode,
) -> Response {
    render_page(state, parts, route.page, Echo(form), status).await
}

/// Answers what storing a post came to: a redirect to the receipt (`stored` runs first for a
/// new one), or the form again with the reasons.
pub(crate) async fn answer<F: ReaderFormState>(
    state: &AppState,
    parts: &Parts,
    route: &FormRoute,
    outcome: Result<Outcome, service::Error>,
    mut form: F,
    stored: impl FnOnce(&str),
) -> Response {
    match outcome {
        Ok(Outcome::Stored { code }) => {
            stored(&code);
            see_other(&format!("{}?code={code}&new=1", route.track))
        }
        Ok(Outcome::AlreadyStored { code }) => {
            see_other(&format!("{}?code={code}&new=1", route.track))
        }
        Ok(Outcome::Refused(r)) => {
            let status = refusal_status(&r);
            let s = form.status_mut();
            s.notice = r.notice;
            s.problems = problems(&r.errors);
            s.question = r.challenge.then(String::new);
            form_again(state, parts, route, form, status).await
        }
        Ok(Outcome::Limited { until }) => {
            let s = form.status_mut();
            s.notice = Some(format!(
                "{}，请{}再提交。{}",
                route.too_often,
                retry_words(until, state),
                route.kept
            ));
            s.question = Some(String::new());
            let res = form_again(state, parts, route, form, StatusCode::TOO_MANY_REQUESTS).await;
            with_retry_after(res, until)
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// The problems of a refused post as the page shows them.
pub(crate) fn problems(errors: &[service::form::FieldError]) -> Vec<FieldProblem> {
    errors
        .iter()
        .map(|e| FieldProblem {
            field: e.field.to_owned(),
            message: e.message.clone(),
        })
        .collect()
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
pub(crate) fn refusal_status(r: &Refusal) -> StatusCode {
    if r.conflict {
        StatusCode::CONFLICT
    } else if r.errors.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// When to try again, in words: `约 25 分钟后（14:05 以后）`.
pub(crate) fn retry_words(until: DateTime<Utc>, state: &AppState) -> String {
    let minutes = ((until - Utc::now()).num_seconds().max(60) + 59) / 60;
    let local = until.with_timezone(&state.site.time_zone).format("%H:%M");
    format!("约 {minutes} 分钟后（{local} 以后）")
}

/// Adds `Retry-After` for a limit that ends at `until`.
pub(crate) fn with_retry_after(mut res: Response, until: DateTime<Utc>) -> Response {
    let secs = (until - Utc::now()).num_seconds().max(1);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

/// Tracking tries one client may make per hour (messages and submissions together).
pub(crate) const TRACKS_PER_HOUR: i32 = 30;

/// What differs between the two tracking posts.
pub(crate) struct TrackRoute {
    /// The tracking page.
    pub page: &'static str,
    /// The notice when the code or the contact is missing.
    pub incomplete: &'static str,
    /// The notice when nothing matches.
    pub not_found: &'static str,
}

/// Answers a tracking post (`code`, `contact`): counts the try, looks the item up with
/// `lookup` and renders the tracking page with what it found.
pub(crate) async fn track<T, Fut>(
    state: &AppState,
    req: Request,
    route: &TrackRoute,
    lookup: impl FnOnce(String, String) -> Fut,
) -> Response
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<T>, AppError>>,
{
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let form = match FormFields::from_body(body).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let code: String = form.text("code").trim().chars().take(24).collect();
    let contact: String = form.text("contact").trim().chars().take(100).collect();
    let limited = match tracking_limited(state, &client).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let mut page = TrackPage::<T> {
        code: code.clone(),
        contact: contact.clone(),
        ..TrackPage::default()
    };
    let status = if let Some(until) = limited {
        page.notice = Some(format!(
            "查询次数过多，请{}再查询",
            retry_words(until, state)
        ));
        let res = render_page(
            state,
            &parts,
            route.page,
            Echo(page),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        return with_retry_after(res, until);
    } else if form.bad_utf8() || code.is_empty() || contact.is_empty() {
        page.notice = Some(route.incomplete.into());
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match lookup(code, contact).await {
            Ok(Some(found)) => {
                page.found = Some(found);
                StatusCode::OK
            }
            Ok(None) => {
                page.notice = Some(route.not_found.into());
                StatusCode::NOT_FOUND
            }
            Err(e) => return e.into_response(),
        }
    };
    render_page(state, &parts, route.page, Echo(page), status).await
}

/// Counts a tracking try of `client`; `Some(until)` when it has tried too often.
async fn tracking_limited(
    state: &AppState,
    client: &str,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let now = Utc::now();
    let key = service::form::counter_key(&state.forms.keys, "track", client);
    let tries = service::form::bump(&state.db, &key, now).await?;
    if tries <= TRACKS_PER_HOUR {
        return Ok(None);
    }
    let until = service::form::window_end(&state.db, &key, now)
        .await
        .unwrap_or(now + service::form::WINDOW);
    Ok(Some(until))
}
