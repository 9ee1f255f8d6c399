//! 留言箱 for readers: the page with the answered messages and the form, and tracking. The
//! posts themselves are plain form routes of the server (they answer with these pages).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::{MessagesPage, TrackPage, TrackedMessage};

/// `/messages`, page `page` (from 1).
#[server(endpoint = "messages/page", input = GetUrl)]
pub async fn get_messages(page: u64) -> Result<MessagesPage, AppError> {
    use crate::ssr::{site, state};
    load::messages_page(&state()?, &site()?, page).await
}

/// `/messages/track`; `code` prefills the form, `is_new` shows it as a fresh receipt.
#[server(endpoint = "messages/track", input = GetUrl)]
pub async fn get_track(code: String, is_new: bool) -> Result<TrackPage<TrackedMessage>, AppError> {
    Ok(load::track_page(&crate::ssr::site()?, code, is_new))
}

#[cfg(feature = "ssr")]
pub mod load {
    use service::message;

    use crate::error::AppError;
    use crate::models::{
        MessageFormState, MessagesPage, Pager, PublicMessage, TrackPage, TrackedMessage,
    };
    use crate::ssr::forms::{form_to_show, track_to_show};
    use crate::ssr::{AppState, RequestSite, SiteConfig};

    /// Answered messages per page of `/messages`.
    pub const MESSAGES_PER_PAGE: u64 = 10;

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
    pub async fn messages_page(
        state: &AppState,
        here: &RequestSite,
        page: u64,
    ) -> Result<MessagesPage, AppError> {
        let page = page.max(1);
        let (rows, total) =
            message::published(&state.db, here.id(), page, MESSAGES_PER_PAGE).await?;
        let pager = Pager::new(page, total, MESSAGES_PER_PAGE, "/messages");
        if !pager.exists() {
            return Err(AppError::NotFound);
        }
        let form = form_to_show(state, here.id(), message::FORM, || MessageFormState {
            wants_public: true,
            ..MessageFormState::default()
        })
        .await?;
        let title = "留言箱";
        Ok(MessagesPage {
            items: rows
                .into_iter()
                .map(|m| public_message(m, &state.site))
                .collect(),
            pager,
            form,
            privacy_href: "/columns/privacy".into(),
            max_content: message::MAX_CONTENT,
            seo: crate::api::convert::seo(
                here,
                title,
                "向中国开发区协会留言：咨询、建议与意见，协会答复后可在此查看。",
                "/messages",
            ),
        })
    }

    /// `/messages/track`: the tracking form, with what the tracking post found.
    pub fn track_page(here: &RequestSite, code: String, is_new: bool) -> TrackPage<TrackedMessage> {
        let mut page = track_to_show(code, is_new);
        page.seo = crate::api::convert::seo(
            here,
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
}
