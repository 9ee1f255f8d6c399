//! The readers' forms (留言, 投稿) on the server: what a page shows when a post is answered
//! with the form again (the reader's own text and the problems, passed to the page render as
//! context), the form of each showing (its token and question), and the tracking page.

use chrono::Utc;
use leptos::prelude::use_context;

use super::AppState;
use crate::error::AppError;
use crate::models::{FormStatus, ReaderFormState, TrackPage};

/// What a post brings back to the page rendered as its answer, in the render's context: a
/// refused form with the reader's text ([`MessageFormState`], [`SubmissionFormState`]), or
/// what a tracking post found ([`TrackPage`]). Shown instead of a fresh one.
#[derive(Clone, Debug)]
pub struct Echo<T>(pub T);

/// The form of a reader-form page: the one posted back, or `fresh` (asking the question from
/// the start when this client is due for it); either way with a token of its own for this
/// showing (for this client on `site`, to be sent back once) and its own question.
pub async fn form_to_show<F: ReaderFormState>(
    state: &AppState,
    site: i32,
    form_name: &str,
    fresh: impl FnOnce() -> F,
) -> Result<F, AppError> {
    let form_name = &service::form::form_of_site(form_name, site);
    let forms = &state.forms;
    let client = client_of_render(state);
    let mut form = match use_context::<Echo<F>>() {
        Some(Echo(echo)) => echo,
        None => {
            let due = service::form::challenge_due(
                &state.db,
                &forms.keys,
                &forms.limits,
                form_name,
                &client,
            )
            .await?;
            let mut form = fresh();
            form.status_mut().question = due.then(String::new);
            form
        }
    };
    let (token, question) = forms.keys.issue(form_name, &client, Utc::now())?;
    let status: &mut FormStatus = form.status_mut();
    if status.question.is_some() {
        status.question = Some(question.text());
    }
    status.token = token;
    Ok(form)
}

/// A tracking page: what the tracking post found, or the form with the receipt `code` of a
/// link (only something shaped like a receipt is shown as one: a link cannot make the page
/// announce anything else).
pub fn track_to_show<T: Clone + Send + Sync + 'static>(code: String, is_new: bool) -> TrackPage<T> {
    match use_context::<Echo<TrackPage<T>>>() {
        Some(Echo(echo)) => echo,
        None => {
            let code = if service::form::is_receipt_code(&code) {
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
    }
}

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
