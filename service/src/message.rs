//! 留言箱: readers' messages to the association, the association's replies, and the public
//! list of answered messages.
//!
//! A reader's message goes through [`receive`]: the form token, the per-client counters, the
//! checks of every field and of the content rules, the arithmetic question when it is due,
//! and then one transaction that stores it (or finds the same text sent within the hour).
//! The receipt code is only handed out after that transaction has committed.

use chrono::Utc;
use entity::message::{self, MessageStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::Db;
use crate::form::{self, Admitted, ContentRules};
pub use crate::form::{
    Context, FieldError, Outcome, Refusal, clean_text, counter_key, field_error,
};
use crate::security::personal::{self, Field};
use crate::{Error, Result};

/// The name of the form, in its tokens and counters.
pub const FORM: &str = "message";
/// Receipt codes start with this: 留言.
pub const CODE_PREFIX: &str = "LY";

pub const MAX_NAME: usize = 50;
pub const MAX_SUBJECT: usize = 100;
pub const MAX_CONTENT: usize = 2000;
pub const MAX_REPLY: usize = 5000;

/// What a reader typed, as it arrived (nothing trimmed yet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub content: String,
    pub wants_public: bool,
    pub consent: bool,
    /// The answer to the question, if it was asked.
    pub answer: String,
}

/// A message that passed every check, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub subject: String,
    pub content: String,
    pub wants_public: bool,
}

/// Checks every field; all problems are reported at once.
pub fn check(draft: &Draft, rules: &ContentRules) -> std::result::Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form::required_line(&draft.name, MAX_NAME, "name", "您的姓名或称呼", &mut errors);
    let (phone, email) = form::contact(&draft.phone, &draft.email, &mut errors);
    let subject = form::required_line(
        &draft.subject,
        MAX_SUBJECT,
        "subject",
        "留言主题",
        &mut errors,
    );
    let content = clean_text(&draft.content);
    let length = content.chars().count();
    if content.is_empty() {
        errors.push(field_error("content", "请填写留言内容"));
    } else if length > MAX_CONTENT {
        errors.push(field_error(
            "content",
            format!("留言内容不能超过{MAX_CONTENT}个字（现在{length}个字）"),
        ));
    }
    form::content_rules(
        &format!("{name}\n{subject}\n{content}"),
        rules,
        "content",
        &mut errors,
    );
    form::consent(draft.consent, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Checked {
        name,
        phone,
        email,
        subject,
        content,
        wants_public: draft.wants_public,
    })
}

/// Takes a reader's message through every check and stores it.
///
/// `honeypot` is the hidden field people never fill in; `token` the form's signed token.
pub async fn receive(
    db: &Db,
    cx: &Context<'_>,
    token: &str,
    honeypot: &str,
    draft: &Draft,
) -> Result<Outcome> {
    let fingerprint = form::content_hash(&[
        &draft.name,
        &draft.phone,
        &draft.email,
        &draft.subject,
        &draft.content,
    ]);
    let admitted = match form::admit(db, cx, FORM, token, honeypot, &fingerprint).await? {
        Ok(a) => a,
        Err(outcome) => return Ok(outcome),
    };
    let checked = match check(draft, cx.rules) {
        Ok(c) => c,
        Err(errors) => return Ok(admitted.refused(errors)),
    };
    if let Some(refusal) = form::question(cx, &admitted, &checked.content, &draft.answer) {
        return Ok(Outcome::Refused(refusal));
    }
    store(db, cx, &admitted, checked).await
}

/// Stores a checked message once ([`form::store_once`]).
async fn store(db: &Db, cx: &Context<'_>, admitted: &Admitted, m: Checked) -> Result<Outcome> {
    let hash = form::content_hash(&[&m.subject, &m.content]);
    let item = NewMessage {
        m: &m,
        hash: &hash,
        client_key: cx.keys.client_key(cx.client),
        now: cx.now,
    };
    form::store_once(db, cx, admitted, &hash, (&m.phone, &m.email), &item).await
}

/// A checked message on its way into the table.
struct NewMessage<'a> {
    m: &'a Checked,
    hash: &'a str,
    client_key: String,
    now: chrono::DateTime<Utc>,
}

impl form::ReaderItem for NewMessage<'_> {
    const CODE_PREFIX: &'static str = CODE_PREFIX;
    const WHAT: &'static str = "留言";

    type Entity = message::Entity;
    const COLUMNS: [message::Column; 5] = [
        message::Column::ContentHash,
        message::Column::CreatedAt,
        message::Column::Id,
        message::Column::Code,
        message::Column::SiteId,
    ];

    fn earlier(row: message::Model) -> form::Earlier {
        let row = personal::open_message(row);
        form::Earlier {
            code: row.code,
            phone: row.phone,
            email: row.email,
        }
    }

    async fn insert(&self, txn: &DatabaseTransaction, site: i32, code: &str) -> Result<()> {
        let m = self.m;
        message::ActiveModel {
            site_id: Set(site),
            code: Set(code.to_owned()),
            name: Set(m.name.clone()),
            phone: Set(personal::seal(Field::MessagePhone, code, &m.phone)?),
            email: Set(personal::seal(Field::MessageEmail, code, &m.email)?),
            subject: Set(m.subject.clone()),
            content: Set(m.content.clone()),
            wants_public: Set(m.wants_public),
            status: Set(MessageStatus::New),
            is_published: Set(false),
            reply: Set(String::new()),
            replied_at: Set(None),
            replied_by: Set(String::new()),
            content_hash: Set(self.hash.to_owned()),
            client_key: Set(self.client_key.clone()),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(())
    }
}

/// Answered messages shown on `/messages`, newest first: page `page` (from 1) of `per_page`,
/// and the total. The readers' contact details are left out (the public page never shows
/// them).
pub async fn published(
    db: &impl ConnectionTrait,
    site: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<message::Model>, u64)> {
    let query = message::Entity::find()
        .filter(message::Column::SiteId.eq(site))
        .filter(message::Column::IsPublished.eq(true))
        .filter(message::Column::WantsPublic.eq(true))
        .filter(message::Column::Status.eq(MessageStatus::Replied));
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(message::Column::CreatedAt)
        .order_by_desc(message::Column::Id)
        .offset(page.saturating_sub(1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let without_contact = |mut m: message::Model| {
        m.phone.clear();
        m.email.clear();
        m
    };
    Ok((rows.into_iter().map(without_contact).collect(), total))
}

/// The message with receipt `code` whose phone or e-mail is `contact`; `None` when either
/// does not match (the reader is told the same in both cases).
pub async fn track(
    db: &impl ConnectionTrait,
    site: i32,
    code: &str,
    contact: &str,
) -> Result<Option<message::Model>> {
    let code = code.trim().to_ascii_uppercase();
    let contact = contact.trim();
    if code.is_empty() || code.len() > 24 || contact.is_empty() {
        return Ok(None);
    }
    let Some(m) = message::Entity::find()
        .filter(message::Column::Code.eq(code))
        .filter(message::Column::SiteId.eq(site))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let m = personal::open_message(m);
    Ok(form::contact_matches(&m.phone, &m.email, contact).then_some(m))
}

// ---------- The back office ----------

/// Which messages the queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Filter {
    /// Waiting for a reply.
    #[default]
    New,
    Replied,
    Published,
    Spam,
    All,
}

impl form::queue::Tab for Filter {
    type Entity = message::Entity;
    const TABS: &'static [Filter] = &[
        Filter::New,
        Filter::Replied,
        Filter::Published,
        Filter::Spam,
        Filter::All,
    ];
    const ORDER: [message::Column; 2] = [message::Column::CreatedAt, message::Column::Id];

    fn code(self) -> &'static str {
        match self {
            Filter::New => "new",
            Filter::Replied => "replied",
            Filter::Published => "published",
            Filter::Spam => "spam",
            Filter::All => "all",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::New => "待答复",
            Filter::Replied => "已答复",
            Filter::Published => "已公开",
            Filter::Spam => "垃圾留言",
            Filter::All => "全部",
        }
    }

    fn condition(self) -> Condition {
        use message::Column as C;
        match self {
            Filter::New => Condition::all().add(C::Status.eq(MessageStatus::New)),
            Filter::Replied => Condition::all().add(C::Status.eq(MessageStatus::Replied)),
            Filter::Published => Condition::all().add(C::IsPublished.eq(true)),
            Filter::Spam => Condition::all().add(C::Status.eq(MessageStatus::Spam)),
            Filter::All => Condition::all(),
        }
    }
}

/// Page `page` (from 0) of the queue, newest first (contact details opened), and the total.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: Filter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<message::Model>, u64)> {
    let (rows, total) = form::queue::page(db, filter, page, per_page).await?;
    Ok((
        rows.into_iter().map(personal::open_message).collect(),
        total,
    ))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<message::Model> {
    message::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(personal::open_message)
        .ok_or(Error::NotFound)
}

fn summary(m: &message::Model) -> String {
    format!(
        "{} {}",
        m.code,
        m.subject.chars().take(40).collect::<String>()
    )
}

/// Replies to a message (or changes the reply), publishing it with the question when
/// `publish` is set and the reader allowed it.
pub async fn reply(
    db: &Db,
    actor: &Actor,
    id: i32,
    text: &str,
    publish: bool,
) -> Result<message::Model> {
    let text = clean_text(text);
    if text.is_empty() {
        return Err(Error::Invalid("请填写答复内容".into()));
    }
    if text.chars().count() > MAX_REPLY {
        return Err(Error::Invalid(format!("答复不能超过{MAX_REPLY}个字")));
    }
    let txn = db.begin().await?;
    let m = get(&txn, id).await?;
    if publish && !m.wants_public {
        return Err(Error::Invalid(
            "留言人选择了不公开，这条留言只能私下答复".into(),
        ));
    }
    let now = Utc::now();
    let first = m.replied_at.is_none();
    let mut am: message::ActiveModel = m.clone().into();
    am.reply = Set(text);
    am.status = Set(MessageStatus::Replied);
    am.replied_at = Set(Some(m.replied_at.unwrap_or(now)));
    am.replied_by = Set(actor.username.chars().take(50).collect());
    am.is_published = Set(publish);
    am.updated_at = Set(now);
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        if first {
            "message.reply"
        } else {
            "message.reply.update"
        },
        "message",
        id,
        format!(
            "{}{}",
            summary(&saved),
            if publish {
                "（公开）"
            } else {
                "（不公开）"
            }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(personal::open_message(saved))
}

/// Shows or hides an answered public message on `/messages`.
pub async fn set_published(db: &Db, actor: &Actor, id: i32, publish: bool) -> Result<()> {
    let txn = db.begin().await?;
    let m = get(&txn, id).await?;
    if publish {
        if !m.wants_public {
            return Err(Error::Invalid(
                "留言人选择了不公开，这条留言不能公开".into(),
            ));
        }
        if m.status != MessageStatus::Replied {
            return Err(Error::Invalid("请先答复，再公开这条留言".into()));
        }
    }
    message::Entity::update_many()
        .col_expr(message::Column::IsPublished, Expr::value(publish))
        .col_expr(message::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(message::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        if publish {
            "message.publish"
        } else {
            "message.unpublish"
        },
        "message",
        id,
        summary(&m),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a message aside as spam (never shown), or takes it back into the queue.
pub async fn set_spam(db: &Db, actor: &Actor, id: i32, spam: bool) -> Result<()> {
    let txn = db.begin().await?;
    let m = get(&txn, id).await?;
    let status = match (spam, m.replied_at.is_some()) {
        (true, _) => MessageStatus::Spam,
        (false, true) => MessageStatus::Replied,
        (false, false) => MessageStatus::New,
    };
    message::Entity::update_many()
        .col_expr(message::Column::Status, Expr::value(status))
        .col_expr(
            message::Column::IsPublished,
            Expr::value(m.is_published && !spam),
        )
        .col_expr(message::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(message::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        if spam {
            "message.spam"
        } else {
            "message.unspam"
        },
        "message",
        id,
        summary(&m),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a message for good (the audit log keeps its code and subject).
pub async fn delete(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let m = get(&txn, id).await?;
    message::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, actor, "message.delete", "message", id, summary(&m)).await?;
    txn.commit().await?;
    Ok(())
}

/// The Chinese name of a message's state.
pub fn status_label(m: &message::Model) -> &'static str {
    match (m.status, m.is_published) {
        (MessageStatus::Spam, _) => "垃圾留言",
        (MessageStatus::Replied, true) => "已答复（已公开）",
        (MessageStatus::Replied, false) => "已答复",
        (MessageStatus::New, _) => "待答复",
    }
}

#[cfg(test)]
#[path = "message_test.rs"]
mod tests;
