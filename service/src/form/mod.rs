//! What keeps the public forms (留言, 投稿, tracking) usable by readers and useless to
//! robots, without any third party: a signed form token carrying the time it was served and a
//! small arithmetic question, per-client counters shared by every app server (in the
//! database), a keyword block list and a link limit.

use chrono::{DateTime, Duration, Utc};
use entity::{form_counter, form_token, site_setting};
use hmac::{Hmac, Mac};
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionTrait};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

mod pipeline;
pub mod queue;
mod store;
pub use pipeline::*;
pub use store::{Earlier, ReaderItem, store_once};

/// The site setting holding the forms' signing key (random, made once, shared by every app
/// server through the database).
const SECRET_KEY: &str = "forms_secret";

/// How long a counter window lasts.
pub const WINDOW: Duration = Duration::hours(1);

/// Per-site limits of the public forms (from `[forms]` in the configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Items one client may send per hour (messages and submissions each).
    pub per_hour: i32,
    /// From this many items in the hour on, the client must answer the question.
    pub challenge_after: i32,
    /// A form sent sooner than this after it was served is refused (robots are quick).
    pub min_age: Duration,
    /// A form older than this is refused (its token has expired).
    pub max_age: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_hour: 10,
            challenge_after: 3,
            min_age: Duration::seconds(3),
            max_age: Duration::hours(24),
        }
    }
}

/// The forms' signing key.
#[derive(Clone)]
pub struct Keys {
    /// HMAC-SHA256 keyed with the secret, cloned for each use.
    keyed: HmacSha256,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

type HmacSha256 = Hmac<Sha256>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A small sum a person answers at a glance: `7 加 5 等于多少？`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub a: u8,
    pub b: u8,
}

impl Question {
    pub fn text(&self) -> String {
        format!("{} 加 {} 等于多少？", self.a, self.b)
    }

    /// Whether `answer` (digits, full-width digits allowed, spaces ignored) is right.
    pub fn is_answered_by(&self, answer: &str) -> bool {
        let digits: String = answer
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                other => other,
            })
            .collect();
        digits.parse::<u32>().ok() == Some(u32::from(self.a) + u32::from(self.b))
    }
}

/// A verified form token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub issued_at: DateTime<Utc>,
    /// The token's random part: what its single use is recorded under.
    pub nonce: String,
    pub question: Question,
}

/// Why a form token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Missing, malformed, not signed by us, or served to another client.
    Invalid,
    /// Sent back sooner than a person could have filled it in.
    TooFast,
    /// Served too long ago.
    Expired,
}

impl TokenProblem {
    /// What the reader is told.
    pub fn message(self) -> &'static str {
        match self {
            TokenProblem::Invalid => "表单已失效，请检查内容后重新提交",
            TokenProblem::TooFast => "提交得太快了，请确认内容后再提交一次",
            TokenProblem::Expired => "页面打开时间过长，表单已过期，请检查内容后重新提交",
        }
    }
}

/// The random part of a token: 64 bits, as 16 hex digits.
const NONCE_HEX: usize = 16;

impl Keys {
    /// Reads the signing key from the database, making it on first use (every server then
    /// reads the same one).
    pub async fn load(db: &(impl ConnectionTrait + TransactionTrait)) -> Result<Keys> {
        if let Some(row) = site_setting::Entity::find_by_id(SECRET_KEY).one(db).await? {
            return Keys::from_secret(&row.value);
        }
        let fresh = crate::auth::random_token()?;
        site_setting::Entity::insert(site_setting::ActiveModel {
            key: Set(SECRET_KEY.to_owned()),
            value: Set(fresh),
        })
        .on_conflict_do_nothing_on([site_setting::Column::Key])
        .exec(db)
        .await?;
        // Another server may have made it first: everyone uses the stored one.
        let row = site_setting::Entity::find_by_id(SECRET_KEY)
            .one(db)
            .await?
            .ok_or(Error::NotFound)?;
        Keys::from_secret(&row.value)
    }

    /// Keys from a secret (tests and tools use their own).
    pub fn from_secret(secret: &str) -> Result<Keys> {
        let keyed = HmacSha256::new_from_slice(secret.as_bytes())
            .map_err(|e| Error::Invalid(format!("forms secret: {e}")))?;
        Ok(Keys { keyed })
    }

    fn mac(&self, parts: &[&str]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        for p in parts {
            mac.update(p.as_bytes());
            mac.update(b"\x1f");
        }
        mac
    }

    /// The key a client is counted under: a keyed hash of its address (of its /64 for IPv6,
    /// see [`crate::net::limit_key`]), so counters and stored items never hold the address
    /// itself.
    pub fn client_key(&self, client: &str) -> String {
        let net = crate::net::limit_key(client);
        let digest = self.mac(&["client", &net]).finalize().into_bytes();
        hex(&digest[..16])
    }

    /// The question a token with `nonce` asks. Only the server can work it out: the token
    /// carries the nonce, never the numbers.
    pub fn question_of(&self, nonce: &str) -> Question {
        let digest = self.mac(&["question", nonce]).finalize().into_bytes();
        Question {
            a: 2 + digest[0] % 8,
            b: 1 + digest[1] % 9,
        }
    }

    /// A fresh token for `form` served to `client` at `now`, and the question it asks (shown
    /// on the form when it is due).
    pub fn issue(
        &self,
        form: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, Question)> {
        let mut bytes = [0u8; NONCE_HEX / 2];
        getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let nonce = hex(&bytes);
        Ok((
            self.token(form, client, now, &nonce),
            self.question_of(&nonce),
        ))
    }

    /// The token of `form` served to `client` at `at` with `nonce` (16 hex digits): the time,
    /// the nonce and a signature over both, the form and the client's address.
    pub fn token(&self, form: &str, client: &str, at: DateTime<Utc>, nonce: &str) -> String {
        let payload = format!("{}.{nonce}", at.timestamp());
        let sig = self.signature(form, client, &payload);
        format!("{payload}.{}", hex(&sig[..12]))
    }

    fn signature(&self, form: &str, client: &str, payload: &str) -> Vec<u8> {
        let net = crate::net::limit_key(client);
        self.mac(&["token", form, &net, payload])
            .finalize()
            .into_bytes()
            .to_vec()
    }

    /// Checks a token sent back with `form` by `client` at `now`. Whether it was used before
    /// is [`claim`]'s to say.
    pub fn verify(
        &self,
        form: &str,
        client: &str,
        token: &str,
        limits: &Limits,
        now: DateTime<Utc>,
    ) -> std::result::Result<Token, TokenProblem> {
        let token = token.trim();
        if token.len() > 64 {
            return Err(TokenProblem::Invalid);
        }
        let mut parts = token.split('.');
        let (Some(at), Some(nonce), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenProblem::Invalid);
        };
        let Ok(at) = at.parse::<i64>() else {
            return Err(TokenProblem::Invalid);
        };
        let Some(issued_at) = DateTime::<Utc>::from_timestamp(at, 0) else {
            return Err(TokenProblem::Invalid);
        };
        let nonce_ok = nonce.len() == NONCE_HEX
            && nonce
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let sig = unhex(sig).ok_or(TokenProblem::Invalid)?;
        let payload = format!("{at}.{nonce}");
        // The payload must be spelled exactly as we sign it (no `+3`, no leading zeros), and
        // the signature is compared in constant time.
        if !nonce_ok || !token.starts_with(&format!("{payload}.")) || sig.len() != 12 {
            return Err(TokenProblem::Invalid);
        }
        let net = crate::net::limit_key(client);
        self.mac(&["token", form, &net, &payload])
            .verify_truncated_left(&sig)
            .map_err(|_| TokenProblem::Invalid)?;
        let age = now - issued_at;
        if age < limits.min_age {
            return Err(TokenProblem::TooFast);
        }
        if age > limits.max_age {
            return Err(TokenProblem::Expired);
        }
        Ok(Token {
            issued_at,
            question: self.question_of(nonce),
            nonce: nonce.to_owned(),
        })
    }
}

/// What recording a token's use found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First use: go on.
    Fresh,
    /// Sent back before with the same text; `code` is the receipt of what that post stored
    /// (`None` while it is handled, or when it was refused).
    Again { code: Option<String> },
    /// Sent back before with other text.
    Used,
}

fn token_key(form: &str, nonce: &str) -> String {
    format!("{form}:{nonce}")
}

/// Records the use of `form`'s token `nonce` by a post whose text hashes to `fingerprint`
/// (every app server sees the same table): the first use is [`Claim::Fresh`]; a later one
/// is told what the first one stored when it says the same, and refused when it does not.
pub async fn claim(
    db: &impl ConnectionTrait,
    form: &str,
    nonce: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Claim> {
    use sea_orm::sea_query::OnConflict;
    let key = token_key(form, nonce);
    let inserted = form_token::Entity::insert(form_token::ActiveModel {
        key: Set(key.clone()),
        used_at: Set(now),
        fingerprint: Set(fingerprint.to_owned()),
        code: Set(None),
    })
    .on_conflict(
        OnConflict::column(form_token::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted > 0 {
        return Ok(Claim::Fresh);
    }
    Ok(match form_token::Entity::find_by_id(key).one(db).await? {
        Some(t) if t.fingerprint == fingerprint => Claim::Again { code: t.code },
        _ => Claim::Used,
    })
}

/// Notes the receipt of what the post with this token stored (in the transaction that
/// stores it), so that the same form sent again is answered with that receipt.
pub async fn settle(db: &impl ConnectionTrait, form: &str, nonce: &str, code: &str) -> Result<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    form_token::Entity::update_many()
        .col_expr(
            form_token::Column::Code,
            sea_orm::sea_query::Expr::value(Some(code.to_owned())),
        )
        .filter(form_token::Column::Key.eq(token_key(form, nonce)))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets tokens used before `before` (they have expired: a post with one is refused as
/// expired before its use is looked up).
pub async fn prune_tokens(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(form_token::Entity::delete_many()
        .filter(form_token::Column::UsedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The count of `key` in the current window (0 when none).
pub async fn count(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<i32> {
    Ok(form_counter::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .filter(|c| c.window_start > now - WINDOW)
        .map(|c| c.count)
        .unwrap_or(0))
}

/// When the current window of `key` ends (for `Retry-After`).
pub async fn window_end(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    Ok(form_counter::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|c| c.window_start + WINDOW)
        .filter(|end| *end > now)
        .unwrap_or(now + WINDOW))
}

/// Adds one to `key`'s count (a new window starts when the old one has ended); returns the
/// new count. Every app server counts in the same row.
pub async fn bump(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<i32> {
    use form_counter::Column as C;
    use sea_orm::sea_query::{Expr, OnConflict};
    use sea_orm::{ColumnTrait, ExprTrait as _, QueryFilter};
    form_counter::Entity::insert(form_counter::ActiveModel {
        key: Set(key.to_owned()),
        count: Set(0),
        window_start: Set(now),
    })
    .on_conflict(OnConflict::column(C::Key).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    form_counter::Entity::update_many()
        .col_expr(C::Count, Expr::value(0))
        .col_expr(C::WindowStart, Expr::value(now))
        .filter(C::Key.eq(key))
        .filter(C::WindowStart.lte(now - WINDOW))
        .exec(db)
        .await?;
    form_counter::Entity::update_many()
        .col_expr(C::Count, Expr::col(C::Count).add(1))
        .filter(C::Key.eq(key))
        .exec(db)
        .await?;
    count(db, key, now).await
}

/// Words that may not appear in public submissions, and the most links a text may hold,
/// both edited in the back office (网站设置).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentRules {
    pub blocked: Vec<String>,
    pub max_links: usize,
}

impl ContentRules {
    /// From the settings' text: one word per line (or separated by commas), and a number.
    pub fn from_settings(s: &crate::site::SiteSettings) -> ContentRules {
        let blocked = s
            .blocked_words
            .split(['\n', ',', '，', '、'])
            .map(|w| normalize(w.trim()))
            .filter(|w| !w.is_empty())
            .collect();
        ContentRules {
            blocked,
            max_links: usize::from(s.max_links),
        }
    }

    /// The blocked words `text` contains.
    pub fn blocked_in(&self, text: &str) -> Vec<String> {
        let text = normalize(text);
        self.blocked
            .iter()
            .filter(|w| text.contains(w.as_str()))
            .cloned()
            .collect()
    }
}

/// The link limit when none is set.
pub const DEFAULT_MAX_LINKS: u16 = 2;

/// Lower-case, with full-width letters and digits folded to ASCII and whitespace removed,
/// so `ＶＸ` and `v x` are caught by `vx`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many web links `text` holds.
pub fn link_count(text: &str) -> usize {
    let t = normalize(text);
    t.matches("http://").count() + t.matches("https://").count() + t.matches("www.").count()
}

/// Whether `text` looks like the work of a robot rather than a reader writing in Chinese: a
/// link, or not a single Han character.
pub fn looks_like_spam(text: &str) -> bool {
    link_count(text) > 0 || !text.chars().any(is_han)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2EBEF)
}

/// The hash under which the same text is recognized (whitespace and case ignored).
pub fn content_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(normalize(p).as_bytes());
        h.update(b"\x1f");
    }
    hex(&h.finalize())
}

/// A mainland phone number (mobile `13812345678`, or landline `010-12345678`, with an
/// optional extension), in its stored form (digits and dashes only); `None` if it is not one.
pub fn phone(s: &str) -> Option<String> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '—' => '-',
            other => other,
        })
        .collect();
    let cleaned = cleaned
        .strip_prefix("+86")
        .map(str::to_owned)
        .unwrap_or(cleaned);
    if !cleaned.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let digits: String = cleaned.chars().filter(char::is_ascii_digit).collect();
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let landline = digits.starts_with('0') && (10..=18).contains(&digits.len());
    (mobile || landline).then_some(cleaned)
}

/// An e-mail address in its stored form (trimmed, lower-case); `None` if it is not one.
pub fn email(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    let (local, domain) = s.split_once('@')?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && s.len() <= 100
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+' | '%'))
        && !domain.contains('@');
    ok.then_some(s)
}

/// The digits of a phone number, for matching whatever way it is written.
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A receipt code: `LY20261201-7F3K` (prefix, the local date, four random characters).
pub fn receipt_code(prefix: &str, local_date: &str) -> Result<String> {
    Ok(format!(
        "{prefix}{local_date}-{}",
        crate::auth::random_code(4)?
    ))
}

/// Whether `s` is shaped like a receipt code (`LY20261201-7F3K`), in any case.
pub fn is_receipt_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-'
        && b[11..].iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_again_is_one_item_or_a_refusal() {
        let earlier = [
            ("LY20261201-AAAA", "13812345678", ""),
            ("LY20261201-BBBB", "", "a@b.cn"),
        ];
        assert_eq!(repeated([], "13812345678", "", "留言"), None);
        assert_eq!(
            repeated(earlier, "138-1234-5678", "", "留言"),
            Some(Outcome::AlreadyStored {
                code: "LY20261201-AAAA".into()
            })
        );
        assert_eq!(
            repeated(earlier, "", "a@b.cn", "留言"),
            Some(Outcome::AlreadyStored {
                code: "LY20261201-BBBB".into()
            })
        );
        assert_eq!(
            repeated(earlier, "13900000000", "", "稿件"),
            Some(Outcome::Refused(Refusal::duplicate("稿件")))
        );
    }

    #[test]
    fn an_ipv6_client_is_one_client_per_64() {
        let keys = Keys::from_secret("k").unwrap();
        assert_eq!(
            keys.client_key("2001:db8:5:6::1"),
            keys.client_key("2001:db8:5:6:aaaa:bbbb:cccc:dddd")
        );
        assert_ne!(
            keys.client_key("2001:db8:5:6::1"),
            keys.client_key("2001:db8:5:7::1")
        );
        assert_ne!(
            keys.client_key("203.0.113.1"),
            keys.client_key("203.0.113.2")
        );
    }

    #[test]
    fn receipt_codes_have_one_shape() {
        let code = receipt_code("LY", "20261201").unwrap();
        assert!(is_receipt_code(&code), "{code}");
        assert!(is_receipt_code("ly20261201-7f3k"));
        assert!(!is_receipt_code("LY20261201-7F3"));
        assert!(!is_receipt_code("<b>x</b>"));
        assert!(!is_receipt_code("LY2026120１-7F3K"));
    }

    #[test]
    fn tokens_round_trip_and_refuse_tampering_timing_and_other_clients() {
        let keys = Keys::from_secret("k").unwrap();
        let limits = Limits::default();
        let t0 = Utc::now();
        let me = "203.0.113.5";
        let (token, q) = keys.issue("message", me, t0).unwrap();
        // The numbers are not in the token: only the server can work the question out.
        let [_, nonce, _]: [&str; 3] = token.split('.').collect::<Vec<_>>().try_into().unwrap();
        assert_eq!(nonce.len(), 16);
        let ok = keys
            .verify("message", me, &token, &limits, t0 + Duration::seconds(10))
            .unwrap();
        assert_eq!(ok.question, q);
        assert_eq!(ok.nonce, nonce);
        let sum = (q.a + q.b).to_string();
        assert!(ok.question.is_answered_by(&format!(" {sum} ")));
        let wide: String = sum
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert!(ok.question.is_answered_by(&wide));
        assert!(!ok.question.is_answered_by("99"));
        assert_eq!(
            keys.verify("message", me, &token, &limits, t0 + Duration::seconds(1)),
            Err(TokenProblem::TooFast)
        );
        assert_eq!(
            keys.verify("message", me, &token, &limits, t0 + Duration::hours(25)),
            Err(TokenProblem::Expired)
        );
        let later = t0 + Duration::seconds(10);
        // Another client, another form, another key, a changed time or nonce: refused.
        assert_eq!(
            keys.verify("message", "198.51.100.9", &token, &limits, later),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(
            keys.verify("submission", me, &token, &limits, later),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(
            Keys::from_secret("other")
                .unwrap()
                .verify("message", me, &token, &limits, later),
            Err(TokenProblem::Invalid)
        );
        let forged = token.replacen(nonce, "0000000000000000", 1);
        assert_eq!(
            keys.verify("message", me, &forged, &limits, later),
            Err(TokenProblem::Invalid)
        );
        for junk in [
            "",
            "....",
            "a.b.c",
            &format!("{token}.x"),
            &"9".repeat(5000),
        ] {
            assert_eq!(
                keys.verify("message", me, junk, &limits, later),
                Err(TokenProblem::Invalid)
            );
        }
        // An IPv6 reader whose address changes within its /64 keeps its form.
        let (v6, _) = keys.issue("message", "2001:db8:1:2::10", t0).unwrap();
        assert!(
            keys.verify("message", "2001:db8:1:2::99", &v6, &limits, later)
                .is_ok()
        );
    }

    #[test]
    fn contacts_are_checked_and_kept_in_one_form() {
        assert_eq!(phone("138 1234 5678").as_deref(), Some("13812345678"));
        assert_eq!(phone("+8613812345678").as_deref(), Some("13812345678"));
        assert_eq!(phone("010-12345678").as_deref(), Some("010-12345678"));
        assert_eq!(
            phone("１３８１２３４５６７８").as_deref(),
            Some("13812345678")
        );
        assert_eq!(phone("12345"), None);
        assert_eq!(phone("23812345678"), None);
        assert_eq!(phone("<script>"), None);
        assert_eq!(email(" Li@Example.COM ").as_deref(), Some("li@example.com"));
        assert_eq!(email("li@example"), None);
        assert_eq!(email("a b@example.com"), None);
        assert_eq!(email("<x>@example.com"), None);
    }

    #[test]
    fn spam_signs_are_read_from_the_text() {
        assert_eq!(link_count("看 http://a.cn 和 ＷＷＷ.b.cn"), 2);
        assert!(looks_like_spam("buy cheap pills now"));
        assert!(looks_like_spam("请看 https://x.cn"));
        assert!(!looks_like_spam("请问开发区的申报材料在哪里下载？"));
        let rules = ContentRules {
            blocked: vec!["代开发票".into(), "vx".into()],
            max_links: 2,
        };
        assert_eq!(rules.blocked_in("加Ｖ Ｘ 了解"), vec!["vx".to_owned()]);
        assert!(rules.blocked_in("正常的留言").is_empty());
        assert_eq!(content_hash(&["同样 的话"]), content_hash(&["同样的话 "]));
    }
}
