//! The steps every public form (留言, 投稿) takes a post through, in order: the hidden field,
//! the signed token, the per-client limit, the checks of the fields (each form its own, with
//! the shared ones here), the arithmetic question when it is due, and then the form's own
//! transaction that stores the item. Only a committed item gets a receipt code.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Claim, ContentRules, Keys, Limits, Token, TokenProblem};
use crate::Result;
use crate::db::Db;

/// A problem with one field, told to the reader next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name (`name`, `phone`, `content`, …).
    pub field: &'static str,
    pub message: String,
}

pub fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// What became of a reader's post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (committed); the reader gets this receipt code.
    Stored { code: String },
    /// The same text from the same contact within the hour: already stored under this code.
    AlreadyStored { code: String },
    /// Not stored: show the form again with the reader's text and these messages.
    Refused(Refusal),
    /// Too many from this client: try again after this moment.
    Limited { until: DateTime<Utc> },
}

/// Why a post was not stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusal {
    /// A message for the top of the form (token problems, duplicates, dropped posts).
    pub notice: Option<String>,
    pub errors: Vec<FieldError>,
    /// Ask the arithmetic question on the form shown again.
    pub challenge: bool,
    /// 409 rather than 422.
    pub conflict: bool,
}

impl Refusal {
    pub fn notice(text: &str) -> Refusal {
        Refusal {
            notice: Some(text.to_owned()),
            ..Refusal::default()
        }
    }

    /// The same text sent within the hour by someone else (or with other contact details).
    pub fn duplicate(what: &str) -> Refusal {
        Refusal {
            notice: Some(format!(
                "相同内容的{what}在一小时内已经提交过，请勿重复提交"
            )),
            conflict: true,
            ..Refusal::default()
        }
    }
}

/// Everything a form's `submit` needs besides what the reader typed.
pub struct Context<'a> {
    /// The site the form was sent to: its tokens, counters and items are its own.
    pub site: i32,
    pub keys: &'a Keys,
    pub limits: &'a Limits,
    pub rules: &'a ContentRules,
    /// The client's address as the caller decides it (never stored as such).
    pub client: &'a str,
    pub time_zone: Tz,
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    /// Today's date where the site is, as receipt codes carry it (`20261201`).
    pub fn local_date(&self) -> String {
        self.now
            .with_timezone(&self.time_zone)
            .format("%Y%m%d")
            .to_string()
    }
}

/// The name a form goes by on `site` in its tokens and counters: the form's own on the main
/// site (as before there were others), `message@7` on site 7, so a token served on one site is
/// refused on another and each site counts its own posts.
pub fn form_of_site(form: &str, site: i32) -> String {
    if site == crate::site::MAIN {
        form.to_owned()
    } else {
        format!("{form}@{site}")
    }
}

/// The counter key of a client for a form.
pub fn counter_key(keys: &Keys, form: &str, client: &str) -> String {
    format!("{form}:{}", keys.client_key(client))
}

/// Whether the form shown to `client` should ask the question from the start.
pub async fn challenge_due(
    db: &Db,
    keys: &Keys,
    limits: &Limits,
    form: &str,
    client: &str,
) -> Result<bool> {
    let n = super::count(db, &counter_key(keys, form, client), Utc::now()).await?;
    Ok(n >= limits.challenge_after)
}

/// A post that got past the hidden field, the token and the limit.
#[derive(Clone, Debug)]
pub struct Admitted {
    /// The form's name on its site (its tokens and counters say it; [`form_of_site`]).
    pub form: String,
    /// The client's counter key for this form.
    pub key: String,
    /// How many this client sent within the hour before this one.
    pub sent: i32,
    pub token: Token,
    challenge_after: i32,
}

impl Admitted {
    /// The refusal of a post whose fields have problems.
    pub fn refused(&self, errors: Vec<FieldError>) -> Outcome {
        Outcome::Refused(Refusal {
            errors,
            challenge: self.sent >= self.challenge_after,
            ..Refusal::default()
        })
    }
}

/// What the reader is told when the same showing of a form comes back again, with other
/// text or after the first post was refused.
pub const TOKEN_USED: &str = "这份表单已经提交过一次。如需再次提交，请检查内容后重新提交";

/// How long a post whose token is in use by another post (a double click) waits to learn
/// that post's receipt.
const WAIT_FOR_FIRST: std::time::Duration = std::time::Duration::from_secs(5);

/// Records the token's use. The same post again (a double click) is answered with the first
/// one's receipt, waiting a moment for it while the first is handled; anything else sent
/// with a used token is refused (its text comes back with a fresh form).
async fn claim_or_wait(
    db: &Db,
    form: &str,
    nonce: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Option<Outcome>> {
    let started = std::time::Instant::now();
    loop {
        match super::claim(db, form, nonce, fingerprint, now).await? {
            Claim::Fresh => return Ok(None),
            Claim::Again { code: Some(code) } => {
                return Ok(Some(Outcome::AlreadyStored { code }));
            }
            Claim::Again { code: None } if started.elapsed() < WAIT_FOR_FIRST => {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            Claim::Again { code: None } | Claim::Used => {
                return Ok(Some(Outcome::Refused(Refusal::notice(TOKEN_USED))));
            }
        }
    }
}

/// The first steps: the hidden field people never fill in, the form's signed token (served
/// to this client, and sent back once), and the per-client limit, which every post counts
/// against (stored or refused) before any work is done for it. `fingerprint` is a hash of
/// what the post says ([`super::content_hash`] of its fields), telling a double click from
/// another post. `Err` carries the outcome to answer with.
pub async fn admit(
    db: &Db,
    cx: &Context<'_>,
    form: &'static str,
    token: &str,
    honeypot: &str,
    fingerprint: &str,
) -> Result<std::result::Result<Admitted, Outcome>> {
    if !honeypot.trim().is_empty() {
        tracing::info!(form, "a post with the hidden field filled in was dropped");
        return Ok(Err(Outcome::Refused(Refusal::notice(
            "提交未被接受，请刷新页面后重试",
        ))));
    }
    let scoped = form_of_site(form, cx.site);
    let token = match cx.keys.verify(&scoped, cx.client, token, cx.limits, cx.now) {
        Ok(t) => t,
        Err(problem) => {
            if problem == TokenProblem::TooFast {
                tracing::info!(form, "a post sent too quickly after its form was served");
            }
            return Ok(Err(Outcome::Refused(Refusal::notice(problem.message()))));
        }
    };
    if let Some(outcome) = claim_or_wait(db, &scoped, &token.nonce, fingerprint, cx.now).await? {
        return Ok(Err(outcome));
    }
    let key = counter_key(cx.keys, &scoped, cx.client);
    let sent = super::bump(db, &key, cx.now).await?;
    if sent > cx.limits.per_hour {
        return Ok(Err(Outcome::Limited {
            until: super::window_end(db, &key, cx.now).await?,
        }));
    }
    Ok(Ok(Admitted {
        form: scoped,
        key,
        sent: sent - 1,
        token,
        challenge_after: cx.limits.challenge_after,
    }))
}

/// The question, once the fields are good: asked when the client has sent several within the
/// hour or the text looks like spam. Every post was counted against the limit, so guessing
/// runs into it.
pub fn question(
    cx: &Context<'_>,
    admitted: &Admitted,
    text: &str,
    answer: &str,
) -> Option<Refusal> {
    let due = admitted.sent >= cx.limits.challenge_after || super::looks_like_spam(text);
    if !due || admitted.token.question.is_answered_by(answer) {
        return None;
    }
    let message = if answer.trim().is_empty() {
        "请回答验证问题"
    } else {
        "验证问题的答案不正确，请重新计算"
    };
    Some(Refusal {
        errors: vec![field_error("answer", message)],
        challenge: true,
        ..Refusal::default()
    })
}

/// Text without control characters (line breaks and tabs kept), trimmed.
pub fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .replace("\r\n", "\n")
        .trim()
        .to_owned()
}

/// One line of text: control characters gone, runs of whitespace made one space.
pub fn one_line(s: &str) -> String {
    clean_text(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A one-line field that must be filled in and may hold at most `max` characters.
pub fn required_line(
    value: &str,
    max: usize,
    field: &'static str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> String {
    let v = one_line(value);
    if v.is_empty() {
        errors.push(field_error(field, format!("请填写{label}")));
    } else if v.chars().count() > max {
        errors.push(field_error(field, format!("{label}不能超过{max}个字")));
    }
    v
}

/// Phone and e-mail: each checked when given, at least one required. Returns their stored
/// forms (empty when not given or not valid).
pub fn contact(phone: &str, email: &str, errors: &mut Vec<FieldError>) -> (String, String) {
    let (phone_in, email_in) = (phone.trim(), email.trim());
    let phone = if phone_in.is_empty() {
        String::new()
    } else {
        super::phone(phone_in).unwrap_or_else(|| {
            errors.push(field_error(
                "phone",
                "电话号码格式不正确：请填写11位手机号码，或带区号的固定电话（如 010-12345678）",
            ));
            String::new()
        })
    };
    let email = if email_in.is_empty() {
        String::new()
    } else {
        super::email(email_in).unwrap_or_else(|| {
            errors.push(field_error(
                "email",
                "电子邮箱格式不正确，例如 name@example.com",
            ));
            String::new()
        })
    };
    if phone_in.is_empty() && email_in.is_empty() {
        errors.push(field_error(
            "phone",
            "请至少填写一种联系方式（电话或电子邮箱），以便我们答复您",
        ));
    }
    (phone, email)
}

/// The block list and the link limit over all of a post's text, told at `field`.
pub fn content_rules(
    whole: &str,
    rules: &ContentRules,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) {
    let blocked = rules.blocked_in(whole);
    if !blocked.is_empty() {
        errors.push(field_error(
            field,
            format!("内容含有不允许发布的词语：{}", blocked.join("、")),
        ));
    }
    let links = super::link_count(whole);
    if links > rules.max_links {
        errors.push(field_error(
            field,
            format!(
                "内容中的网址过多（{links}个），最多可包含{}个",
                rules.max_links
            ),
        ));
    }
}

/// The consent to the personal-information notice.
pub fn consent(given: bool, errors: &mut Vec<FieldError>) {
    if !given {
        errors.push(field_error(
            "consent",
            "请阅读并同意《个人信息保护说明》后再提交",
        ));
    }
}

/// Whether an earlier item's contact is this post's contact (the same person sending the
/// same text twice).
pub fn same_contact(phone_a: &str, email_a: &str, phone_b: &str, email_b: &str) -> bool {
    (!phone_b.is_empty() && super::phone_digits(phone_a) == super::phone_digits(phone_b))
        || (!email_b.is_empty() && email_a == email_b)
}

/// What the same text sent within the hour means for a new post: the earlier item's receipt
/// when it came from the same contact (a double click, a resend after a lost answer), a
/// refusal when it came from someone else, nothing when there is none. `earlier` holds each
/// earlier item's code, phone and e-mail; `what` names the item (`留言`, `稿件`).
pub fn repeated<'a>(
    earlier: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    phone: &str,
    email: &str,
    what: &str,
) -> Option<Outcome> {
    let mut any = false;
    for (code, p, e) in earlier {
        if same_contact(p, e, phone, email) {
            return Some(Outcome::AlreadyStored {
                code: code.to_owned(),
            });
        }
        any = true;
    }
    any.then(|| Outcome::Refused(Refusal::duplicate(what)))
}

/// Whether `contact` (as a reader types it when tracking) is the stored phone or e-mail. A
/// stored value that could not be decrypted matches nothing.
pub fn contact_matches(phone: &str, email: &str, contact: &str) -> bool {
    use crate::security::personal::usable;
    let contact = contact.trim();
    let digits = super::phone_digits(contact);
    let by_phone = usable(phone)
        && digits.len() >= 7
        && super::phone_digits(phone).trim_start_matches("86") == digits.trim_start_matches("86");
    let by_email = usable(email) && email == contact.to_lowercase();
    by_phone || by_email
}
