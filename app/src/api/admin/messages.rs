//! 留言 in the back office: the queue, one message, and what staff do with it (reply,
//! publish, set aside as spam, delete). Every change is in the audit log.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::models::Pager;
#[cfg(feature = "ssr")]
use crate::models::admin::{Contact, MessageRow};
use crate::models::admin::{MessageDetail, MessageQueue};

/// Messages per page of the queue.
pub const PER_PAGE: u64 = 30;

#[server(prefix = "/api/admin", endpoint = "messages/list", input = GetUrl)]
pub async fn get_message_queue(filter: String, page: u64) -> Result<MessageQueue, AppError> {
    use service::form::queue::Tab;
    use service::message::{self, Filter};

    let (_, state) = crate::ssr::as_editor()?;
    let filter = Filter::parse(&filter);
    let page = page.max(1);
    let (rows, total) = message::list(&state.db, filter, page - 1, PER_PAGE).await?;
    let tz = state.site.time_zone;
    Ok(MessageQueue {
        tabs: super::convert::queue_tabs(&state.db, filter).await?,
        rows: rows
            .into_iter()
            .map(|m| MessageRow {
                status: message::status_label(&m).to_owned(),
                id: m.id,
                code: m.code,
                subject: m.subject,
                contact: service::security::personal::mask_contact(&m.phone, &m.email),
                name: m.name,
                received_at: service::time::format_datetime(m.created_at, tz),
                wants_public: m.wants_public,
            })
            .collect(),
        pager: Pager::new(
            page,
            total,
            PER_PAGE,
            format!("/admin/messages?filter={}", filter.code()),
        ),
    })
}

/// One message; `full` shows the reader's whole phone and e-mail (recorded in the audit log).
#[server(prefix = "/api/admin", endpoint = "messages/one", input = GetUrl)]
pub async fn get_message(
    id: i32,
    #[server(default)] full: bool,
) -> Result<MessageDetail, AppError> {
    use entity::message::MessageStatus;

    let (staff, state) = crate::ssr::as_editor()?;
    let m = service::message::get(&state.db, id).await?;
    let (phone, email) = service::security::personal::shown(
        &state.db,
        &staff.actor(),
        ("message", m.id, &m.code),
        (m.phone.clone(), m.email.clone()),
        full,
    )
    .await?;
    let tz = state.site.time_zone;
    Ok(MessageDetail {
        status: service::message::status_label(&m).to_owned(),
        id: m.id,
        is_spam: m.status == MessageStatus::Spam,
        is_replied: m.replied_at.is_some(),
        is_published: m.is_published,
        replied: m
            .replied_at
            .map(|t| format!("{} {}", service::time::format_datetime(t, tz), m.replied_by))
            .unwrap_or_default(),
        code: m.code,
        name: m.name,
        contact: Contact { phone, email, full },
        subject: m.subject,
        content: m.content,
        wants_public: m.wants_public,
        reply: m.reply,
        received_at: service::time::format_datetime(m.created_at, tz),
    })
}

#[server(prefix = "/api/admin", endpoint = "messages/reply")]
pub async fn reply_message(
    id: i32,
    reply: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    use super::form::{checked, finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let publish = checked(&publish);
    let result = async {
        let state = state()?;
        let site = crate::ssr::site()?;
        let m = service::message::reply(&state.db, &staff.actor(), id, &reply, publish).await?;
        if let Some(mail) = &state.mail
            && service::security::personal::usable(&m.email)
        {
            let (subject, body) = service::mail::reply_to_reader(
                &m.code,
                &m.subject,
                &m.reply,
                &site.absolute(&format!("/messages/track?code={}", m.code)),
            );
            mail.tell_reader(&m.email, subject, body);
        }
        go_to(&format!("/admin/messages/{id}"));
        Ok(())
    }
    .await;
    finish(
        result,
        if publish {
            "答复已保存，并已在留言箱公开"
        } else {
            "答复已保存（不公开）"
        },
    )
}

#[server(prefix = "/api/admin", endpoint = "messages/publish")]
pub async fn publish_message(id: i32, publish: String) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let publish = publish == "1";
    let result = async {
        service::message::set_published(&state()?.db, &staff.actor(), id, publish).await?;
        go_to(&format!("/admin/messages/{id}"));
        Ok(())
    }
    .await;
    finish(
        result,
        if publish {
            "已在留言箱公开"
        } else {
            "已取消公开"
        },
    )
}

#[server(prefix = "/api/admin", endpoint = "messages/spam")]
pub async fn spam_message(id: i32, spam: String) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let spam = spam == "1";
    let result = async {
        service::message::set_spam(&state()?.db, &staff.actor(), id, spam).await?;
        go_to(&format!("/admin/messages/{id}"));
        Ok(())
    }
    .await;
    finish(
        result,
        if spam {
            "已标记为垃圾留言"
        } else {
            "已移回留言队列"
        },
    )
}

#[server(prefix = "/api/admin", endpoint = "messages/delete")]
pub async fn delete_message(id: i32) -> Result<(), AppError> {
    use super::form::{finish, go_to};
    use crate::ssr::{require_editor, state};
    let staff = require_editor()?;
    let result = async {
        service::message::delete(&state()?.db, &staff.actor(), id).await?;
        go_to("/admin/messages");
        Ok(())
    }
    .await;
    finish(result, "留言已删除")
}
