//! 投稿 for readers: the form page and tracking. The posts themselves are plain routes of
//! the server (multipart with the files), answered with these pages.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{SubmissionPage, TrackPage, TrackedSubmission};

/// `/submit`.
#[server(endpoint = "submit/page", input = GetUrl)]
pub async fn get_submission_page() -> Result<SubmissionPage, AppError> {
    use crate::ssr::{site, state};
    load::submission_page(&state()?, &site()?).await
}

/// `/submit/track`; `code` prefills the form, `is_new` shows it as a fresh receipt.
#[server(endpoint = "submit/track", input = GetUrl)]
pub async fn get_submission_track(
    code: String,
    is_new: bool,
) -> Result<TrackPage<TrackedSubmission>, AppError> {
    Ok(load::submission_track_page(
        &crate::ssr::site()?,
        code,
        is_new,
    ))
}

#[cfg(feature = "ssr")]
pub mod load {
    use crate::error::AppError;
    use crate::models::{SubmissionFormState, SubmissionPage, TrackPage, TrackedSubmission};
    use crate::ssr::forms::{form_to_show, track_to_show};
    use crate::ssr::{AppState, RequestSite};

    /// `/submit`: the form (fresh, or the reader's own text coming back).
    pub async fn submission_page(
        state: &AppState,
        here: &RequestSite,
    ) -> Result<SubmissionPage, AppError> {
        use service::submission as s;
        let form = form_to_show(state, here.id(), s::FORM, SubmissionFormState::default).await?;
        let columns = s::suggestable_columns(&state.db, here.id())
            .await?
            .into_iter()
            .map(|(id, name)| crate::models::ColumnChoice { id, name })
            .collect();
        Ok(SubmissionPage {
            form,
            columns,
            guide_href: "/columns/submit".into(),
            privacy_href: "/columns/privacy".into(),
            max_content: s::MAX_CONTENT,
            max_files: s::MAX_FILES,
            max_file_mb: s::MAX_FILE_BYTES >> 20,
            max_total_mb: s::MAX_TOTAL_BYTES >> 20,
            seo: crate::api::convert::seo(
                here,
                "在线投稿",
                "向中国开发区协会投稿：填写稿件信息，上传 Word、WPS、PDF 或图片附件，凭受理编号查询审阅结果。",
                "/submit",
            ),
        })
    }

    /// `/submit/track`: the tracking form, with what the tracking post found.
    pub fn submission_track_page(
        here: &RequestSite,
        code: String,
        is_new: bool,
    ) -> TrackPage<TrackedSubmission> {
        let mut page = track_to_show(code, is_new);
        page.seo = crate::api::convert::seo(
            here,
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
    ) -> Result<TrackedSubmission, AppError> {
        let files = service::submission::queue::files(&state.db, s.id)
            .await?
            .into_iter()
            .map(|f| f.name)
            .collect();
        let rejected = s.status == entity::submission::SubmissionStatus::Rejected;
        Ok(TrackedSubmission {
            status: service::submission::status_for_author(&s).into(),
            code: s.code,
            title: s.title,
            sent_at: service::time::format_datetime(s.created_at, state.site.time_zone),
            reason: rejected.then_some(s.reason),
            files,
        })
    }

    /// Writes the editors' decision to the author, when mail is set up and they gave an address.
    pub fn tell_author(
        state: &AppState,
        site: &crate::ssr::RequestSite,
        s: &entity::submission::Model,
        accepted: bool,
    ) {
        if let Some(mail) = &state.mail
            && service::security::personal::usable(&s.email)
        {
            let (subject, body) = service::mail::decision_to_author(
                &s.code,
                &s.title,
                accepted,
                &s.reason,
                &site.absolute(&format!("/submit/track?code={}", s.code)),
            );
            mail.tell_reader(&s.email, subject, body);
        }
    }
}
