//! Readers' personal information (个人信息保护, GB/T 22239-2019 8.1.4.8 and 8.1.4.11): the
//! phone numbers and e-mail addresses readers leave with a 留言 or a 投稿.
//!
//! - **Encrypted at rest.** Each value is stored as `pd1.<key id>.<base64 of nonce and
//!   AES-256-GCM ciphertext>`, bound to its column and its row's receipt code (a value copied
//!   into another column or another row does not open). The key is `[security] personal-data-key`
//!   (or `PORTICO_PERSONAL_DATA_KEY`) when one is given, otherwise one derived from the
//!   installation key; the database never holds it.
//! - **Rotation.** Older keys stay readable while listed in `[security] personal-data-old-keys`;
//!   [`reseal`] re-encrypts every value that is not under the current key (the command
//!   `portico security rotate-personal-data`), after which the old key can be dropped. Values
//!   stored before encryption existed are encrypted at start-up the same way.
//! - **Masked by default.** The back office shows `138****5678` and `l***@example.com`; the
//!   whole value is shown only on request, and that request is an audited action.
//! - **Kept for a limited time.** [`apply_retention`]: after the policy's months, a message or
//!   a manuscript is deleted with its attachments, except a message published with its
//!   reply, which stays public with the reader's contact details and name removed.
//!
//! The service layer encrypts just before a row is written and decrypts just after it is read
//! ([`open_message`], [`open_submission`]); nothing above it sees ciphertext.

use std::sync::OnceLock;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Months, Utc};
use entity::{message, submission, submission_file};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::secret::{self, Secret};
use crate::storage::Store;
use crate::{Error, Result};

/// What a value that cannot be decrypted (its key is not configured) shows as.
pub const UNREADABLE: &str = "〔无法解密：缺少密钥〕";

const PREFIX: &str = "pd1.";

/// The columns that hold personal information; each value is bound to its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    MessagePhone,
    MessageEmail,
    SubmissionPhone,
    SubmissionEmail,
}

impl Field {
    /// What a value is bound to: its column and its row's receipt code (unique, fixed,
    /// known before the row is written).
    fn aad(self, code: &str) -> Vec<u8> {
        let column: &[u8] = match self {
            Field::MessagePhone => b"messages.phone",
            Field::MessageEmail => b"messages.email",
            Field::SubmissionPhone => b"submissions.phone",
            Field::SubmissionEmail => b"submissions.email",
        };
        [column, b"\n", code.as_bytes()].concat()
    }
}

/// The keys personal information is encrypted with: the current one (which every new value
/// gets) and older ones still accepted for reading.
#[derive(Clone)]
pub struct Keyring {
    /// (key id, key); the first is the current key.
    keys: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "Keyring({ids:?})")
    }
}

fn entry(key: [u8; 32]) -> (String, [u8; 32]) {
    (Secret::from_bytes(key).fingerprint(), key)
}

impl Keyring {
    /// The keyring of `installation`: `current` when given (else a key derived from the
    /// installation key), then `old`, then the derived key (so that values written before a
    /// key was configured stay readable).
    pub fn new(installation: &Secret, current: Option<&Secret>, old: &[Secret]) -> Keyring {
        let derived = installation.derive("personal-data-v1");
        let mut keys = Vec::new();
        if let Some(c) = current {
            keys.push(entry(c.bytes()));
        }
        keys.extend(old.iter().map(|s| entry(s.bytes())));
        keys.push(entry(derived));
        let mut seen = std::collections::HashSet::new();
        keys.retain(|(id, _)| seen.insert(id.clone()));
        Keyring { keys }
    }

    /// The current key's id (eight hex digits).
    pub fn current_id(&self) -> &str {
        &self.keys[0].0
    }

    fn key(&self, id: &str) -> Option<&[u8; 32]> {
        self.keys.iter().find(|(k, _)| k == id).map(|(_, key)| key)
    }

    /// Encrypts `plain` for `field` of the row with receipt `code`, under the current key; an
    /// empty value stays empty (the reader gave none).
    pub fn seal(&self, field: Field, code: &str, plain: &str) -> Result<String> {
        if plain.is_empty() {
            return Ok(String::new());
        }
        let (id, key) = &self.keys[0];
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let sealed = cipher(key)?
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: &field.aad(code),
                },
            )
            .map_err(|_| Error::Invalid("encryption failed".into()))?;
        let mut raw = nonce.to_vec();
        raw.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{id}.{}", STANDARD.encode(raw)))
    }

    /// Decrypts a stored value of `field` in the row with receipt `code`. A value stored
    /// before encryption is returned as it is; one whose key is missing, that was altered, or
    /// that was copied from another row or column, is `None`.
    pub fn open(&self, field: Field, code: &str, stored: &str) -> Option<String> {
        let Some((id, raw)) = parse(stored) else {
            return Some(stored.to_owned());
        };
        let key = self.key(id)?;
        let nonce: [u8; 12] = raw[..12].try_into().ok()?;
        let plain = cipher(key)
            .ok()?
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &raw[12..],
                    aad: &field.aad(code),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }

    /// Whether a stored value is not yet under the current key (in the clear, or under an
    /// older key).
    pub fn is_stale(&self, stored: &str) -> bool {
        !stored.is_empty() && key_id(stored) != Some(self.current_id())
    }
}

fn cipher(key: &[u8; 32]) -> Result<Aes256Gcm> {
    Aes256Gcm::new_from_slice(key).map_err(|_| Error::Invalid("bad key length".into()))
}

/// A stored value's key id and nonce-and-ciphertext, when it is one this module wrote: the
/// prefix, eight hex digits, and base64 of at least a nonce, a tag and one byte. Anything
/// else (an old address that happens to start with `pd1.`) is a value in the clear.
fn parse(stored: &str) -> Option<(&str, Vec<u8>)> {
    let (id, body) = stored.strip_prefix(PREFIX)?.split_once('.')?;
    if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let raw = STANDARD.decode(body).ok().filter(|r| r.len() > 12 + 16)?;
    Some((id, raw))
}

/// The id of the key a stored value is encrypted under (`None`: stored in the clear).
pub fn key_id(stored: &str) -> Option<&str> {
    parse(stored).map(|(id, _)| id)
}

static INSTALLED: OnceLock<Keyring> = OnceLock::new();

/// Makes `ring` the process's keyring (the server and every command do this at start-up,
/// after installing the installation key). A second call with other keys is refused.
pub fn install(ring: Keyring) -> Result<()> {
    let current = INSTALLED.get_or_init(|| ring.clone());
    if current.keys == ring.keys {
        Ok(())
    } else {
        Err(Error::Invalid(
            "another personal-data key is already in use in this process".into(),
        ))
    }
}

/// The process's keyring: the installed one, or (when none was installed, as in tests) the
/// installation key's own.
pub fn keyring() -> Result<&'static Keyring> {
    if let Some(ring) = INSTALLED.get() {
        return Ok(ring);
    }
    let installation = secret::installed()?;
    Ok(INSTALLED.get_or_init(|| Keyring::new(installation, None, &[])))
}

/// Encrypts one value for storing (see [`Keyring::seal`]).
pub fn seal(field: Field, code: &str, plain: &str) -> Result<String> {
    keyring()?.seal(field, code, plain)
}

/// Decrypts one stored value; [`UNREADABLE`] when it cannot be (logged).
pub fn open(field: Field, code: &str, stored: &str) -> String {
    match keyring().ok().and_then(|k| k.open(field, code, stored)) {
        Some(plain) => plain,
        None => {
            tracing::warn!(
                ?field,
                key = key_id(stored).unwrap_or("?"),
                "a reader's contact detail cannot be decrypted (is its key in [security] personal-data-old-keys?)"
            );
            UNREADABLE.to_owned()
        }
    }
}

/// A message as read from the database, with its contact details decrypted.
pub fn open_message(mut m: message::Model) -> message::Model {
    m.phone = open(Field::MessagePhone, &m.code, &m.phone);
    m.email = open(Field::MessageEmail, &m.code, &m.email);
    m
}

/// A manuscript as read from the database, with its contact details decrypted.
pub fn open_submission(mut s: submission::Model) -> submission::Model {
    s.phone = open(Field::SubmissionPhone, &s.code, &s.phone);
    s.email = open(Field::SubmissionEmail, &s.code, &s.email);
    s
}

/// Whether an address can be written to (not empty, not an undecryptable value).
pub fn usable(value: &str) -> bool {
    !value.is_empty() && value != UNREADABLE
}

/// A phone number as lists show it: the first three and last four digits
/// (`138****5678`, `010-****5678`); a short one keeps only its last two.
pub fn mask_phone(phone: &str) -> String {
    if !usable(phone) {
        return phone.to_owned();
    }
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 10 {
        let head: String = chars[..3].iter().collect();
        let head = if chars[3] == '-' {
            format!("{head}-")
        } else {
            head
        };
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        let tail: String = chars[n.saturating_sub(2)..].iter().collect();
        format!("****{tail}")
    }
}

/// An e-mail address as lists show it: the mailbox's first character and the domain
/// (`l***@example.com`).
pub fn mask_email(email: &str) -> String {
    if !usable(email) {
        return email.to_owned();
    }
    match email.split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A reader's contact details as the back office shows them: masked, or (`full`) whole,
/// which is recorded in the audit log as `personal.reveal` against the item (`object` is
/// `message` or `submission`, `label` its receipt code).
pub async fn shown(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    (object, id, label): (&str, i32, &str),
    (phone, email): (String, String),
    full: bool,
) -> Result<(String, String)> {
    if !full {
        return Ok((mask_phone(&phone), mask_email(&email)));
    }
    audit::record(
        db,
        actor,
        "personal.reveal",
        object,
        id,
        format!("{label} 的完整联系方式"),
    )
    .await?;
    Ok((phone, email))
}

/// One masked way to reach a reader, as queue lists show it: the phone, or else the e-mail.
pub fn mask_contact(phone: &str, email: &str) -> String {
    if phone.is_empty() {
        mask_email(email)
    } else {
        mask_phone(phone)
    }
}

/// How many values [`reseal`] changed or found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Rows whose values were (re-)encrypted under the current key.
    pub rows: u64,
    /// Values that could not be decrypted (their key is missing): left as they are.
    pub unreadable: u64,
}

/// Rows read at once by [`reseal`] and [`census`].
const BATCH: u64 = 500;

/// Encrypts the contact details still stored in the clear (a site from before encryption, a
/// restored older backup): every server does this at start-up.
pub async fn reseal_clear(db: &impl ConnectionTrait) -> Result<Resealed> {
    reseal(db, false).await
}

/// Re-encrypts under the current key every stored contact detail that is not under it:
/// those in the clear and (with `older`) those under an older key, after a rotation (the
/// command `portico security rotate-personal-data`). Each row is changed only if it still holds what was read, so servers doing
/// this at once, or a reader's post meanwhile, lose nothing. Memory stays bounded (a batch
/// of rows at a time).
pub async fn reseal(db: &impl ConnectionTrait, older: bool) -> Result<Resealed> {
    let ring = keyring()?;
    let mut total = Resealed::default();
    for table in TABLES {
        let mut after = 0;
        loop {
            let rows = table.batch(db, after).await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            for (id, code, phone, email) in rows {
                let due = |v: &str| {
                    if older {
                        ring.is_stale(v)
                    } else {
                        !v.is_empty() && key_id(v).is_none()
                    }
                };
                if !due(&phone) && !due(&email) {
                    continue;
                }
                let opened = (
                    ring.open(table.phone, &code, &phone),
                    ring.open(table.email, &code, &email),
                );
                let (Some(p), Some(e)) = opened else {
                    total.unreadable += 1;
                    continue;
                };
                let new = (
                    ring.seal(table.phone, &code, &p)?,
                    ring.seal(table.email, &code, &e)?,
                );
                if table.replace(db, id, (&phone, &email), new).await? {
                    total.rows += 1;
                }
            }
        }
    }
    Ok(total)
}

/// Re-encrypts every value under the current key (see [`reseal`]) and records the rotation in
/// the audit log; returns what it did and where the values stand afterwards.
pub async fn rotate(db: &crate::db::Db, actor: &Actor) -> Result<(Resealed, Census)> {
    let done = reseal(db, true).await?;
    let after = census(db).await?;
    audit::record_outcome(
        db,
        actor,
        if done.unreadable == 0 {
            audit::Outcome::Ok
        } else {
            audit::Outcome::Failed
        },
        "personal.rotate",
        "personal",
        0,
        format!(
            "读者联系方式改用密钥 {} 加密：重新加密 {} 行；仍在旧密钥下 {} 项，无法解密 {} 行",
            keyring()?.current_id(),
            done.rows,
            after.older,
            done.unreadable
        ),
    )
    .await?;
    Ok((done, after))
}

/// Where the stored contact details stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// Values under the current key.
    pub current: u64,
    /// Values under an older key (a rotation not finished).
    pub older: u64,
    /// Values in the clear.
    pub clear: u64,
}

/// Counts the stored contact details by how they are kept (for the self-check).
pub async fn census(db: &impl ConnectionTrait) -> Result<Census> {
    let ring = keyring()?;
    let mut c = Census::default();
    for table in TABLES {
        let mut after = 0;
        loop {
            let rows = table.batch(db, after).await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            for v in rows.iter().flat_map(|(_, _, p, e)| [p, e]) {
                match key_id(v) {
                    _ if v.is_empty() => {}
                    None => c.clear += 1,
                    Some(id) if id == ring.current_id() => c.current += 1,
                    Some(_) => c.older += 1,
                }
            }
        }
    }
    Ok(c)
}

/// One table with contact details, for [`reseal`] and [`census`].
struct Table {
    phone: Field,
    email: Field,
}

const TABLES: [Table; 2] = [
    Table {
        phone: Field::MessagePhone,
        email: Field::MessageEmail,
    },
    Table {
        phone: Field::SubmissionPhone,
        email: Field::SubmissionEmail,
    },
];

impl Table {
    /// The next [`BATCH`] rows after id `after`: id, receipt code, phone, e-mail.
    async fn batch(
        &self,
        db: &impl ConnectionTrait,
        after: i32,
    ) -> Result<Vec<(i32, String, String, String)>> {
        if self.phone == Field::MessagePhone {
            use message::Column as C;
            batch_of::<message::Entity>(db, [C::Id, C::Code, C::Phone, C::Email], after).await
        } else {
            use submission::Column as C;
            batch_of::<submission::Entity>(db, [C::Id, C::Code, C::Phone, C::Email], after).await
        }
    }

    /// Replaces a row's values if it still holds `old`; whether it did.
    async fn replace(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
        old: (&str, &str),
        new: (String, String),
    ) -> Result<bool> {
        if self.phone == Field::MessagePhone {
            use message::Column as C;
            replace_in::<message::Entity>(db, [C::Id, C::Phone, C::Email], id, old, new).await
        } else {
            use submission::Column as C;
            replace_in::<submission::Entity>(db, [C::Id, C::Phone, C::Email], id, old, new).await
        }
    }
}

/// [`Table::batch`] on entity `E`, whose columns are `[id, code, phone, email]`.
async fn batch_of<E: EntityTrait>(
    db: &impl ConnectionTrait,
    [id, code, phone, email]: [E::Column; 4],
    after: i32,
) -> Result<Vec<(i32, String, String, String)>> {
    Ok(E::find()
        .select_only()
        .columns([id, code, phone, email])
        .filter(id.gt(after))
        .order_by_asc(id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?)
}

/// [`Table::replace`] on entity `E`, whose columns are `[id, phone, email]`.
async fn replace_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    [id_col, phone, email]: [E::Column; 3],
    id: i32,
    old: (&str, &str),
    new: (String, String),
) -> Result<bool> {
    let done = E::update_many()
        .col_expr(phone, Expr::value(new.0))
        .col_expr(email, Expr::value(new.1))
        .filter(id_col.eq(id))
        .filter(phone.eq(old.0))
        .filter(email.eq(old.1))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// What one run of [`apply_retention`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    /// Messages deleted.
    pub messages: u64,
    /// Published messages kept with the reader's name and contact details removed.
    pub anonymised: u64,
    /// Manuscripts deleted (with their attachments).
    pub submissions: u64,
    /// Attachments removed from the private store.
    pub files: u64,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Purged::default()
    }
}

/// The name a published message shows once its reader's details are removed.
pub const ANONYMOUS: &str = "网友";

/// The moment before which messages and manuscripts are past `months` (`None`: kept forever).
pub fn cutoff(months: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (months > 0).then(|| now.checked_sub_months(Months::new(months)))?
}

/// Manuscripts removed per transaction by [`apply_retention`] (their files are removed
/// inside it, so a transaction stays short).
const RETENTION_BATCH: u64 = 100;

/// Deletes messages and manuscripts received more than `months` before `now`, with their
/// attachments; a published message (a public question with its answer) is kept, with the
/// reader's name and contact details removed. Each transaction that removed anything is one
/// audit row. Servers running it at once each count only what they removed.
///
/// Manuscripts go in batches: the file rows are deleted (the paths come back from the
/// delete), the files removed from the store, then the transaction commits. A crash in
/// between leaves rows whose files are gone, which the next run deletes; never a file
/// without its row.
pub async fn apply_retention(
    db: &crate::db::Db,
    private: &Store,
    months: u32,
    now: DateTime<Utc>,
) -> Result<Purged> {
    let Some(before) = cutoff(months, now) else {
        return Ok(Purged::default());
    };
    let system = Actor::system("保留期限");
    let txn = db.begin().await?;
    let mut done = Purged {
        anonymised: message::Entity::update_many()
            .col_expr(message::Column::Name, Expr::value(ANONYMOUS))
            .col_expr(message::Column::Phone, Expr::value(""))
            .col_expr(message::Column::Email, Expr::value(""))
            .filter(message::Column::CreatedAt.lt(before))
            .filter(message::Column::IsPublished.eq(true))
            .filter(
                sea_orm::Condition::any()
                    .add(message::Column::Phone.ne(""))
                    .add(message::Column::Email.ne(""))
                    .add(message::Column::Name.ne(ANONYMOUS)),
            )
            .exec(&txn)
            .await?
            .rows_affected,
        messages: message::Entity::delete_many()
            .filter(message::Column::CreatedAt.lt(before))
            .filter(message::Column::IsPublished.eq(false))
            .exec(&txn)
            .await?
            .rows_affected,
        ..Purged::default()
    };
    if done.messages + done.anonymised > 0 {
        audit::record(
            &txn,
            &system,
            "personal.retention",
            "personal",
            0,
            format!(
                "{months} 个月以前的留言：删除 {} 条，已公开的 {} 条去除留言人姓名和联系方式",
                done.messages, done.anonymised
            ),
        )
        .await?;
    }
    txn.commit().await?;
    let mut after = 0;
    loop {
        let txn = db.begin().await?;
        let ids: Vec<i32> = submission::Entity::find()
            .select_only()
            .column(submission::Column::Id)
            .filter(submission::Column::CreatedAt.lt(before))
            .filter(submission::Column::Id.gt(after))
            .order_by_asc(submission::Column::Id)
            .limit(RETENTION_BATCH)
            .into_tuple()
            .all(&txn)
            .await?;
        let Some(last) = ids.last() else { break };
        after = *last;
        let files = submission_file::Entity::delete_many()
            .filter(submission_file::Column::SubmissionId.is_in(ids.iter().copied()))
            .exec_with_returning(&txn)
            .await?;
        let removed = submission::Entity::delete_many()
            .filter(submission::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?
            .rows_affected;
        for f in &files {
            private.remove(&f.path).await;
        }
        if removed > 0 || !files.is_empty() {
            audit::record(
                &txn,
                &system,
                "personal.retention",
                "personal",
                0,
                format!(
                    "{months} 个月以前的投稿：删除 {removed} 篇及附件 {} 个",
                    files.len()
                ),
            )
            .await?;
        }
        txn.commit().await?;
        done.submissions += removed;
        done.files += files.len() as u64;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(seed: u8) -> Keyring {
        Keyring::new(&Secret::from_bytes([seed; 32]), None, &[])
    }

    #[test]
    fn values_are_sealed_bound_to_their_column_and_row_and_opened() {
        let r = ring(1);
        let code = "LY20261201-7F3K";
        let sealed = r.seal(Field::MessagePhone, code, "13812345678").unwrap();
        assert!(sealed.starts_with("pd1."), "{sealed}");
        assert!(!sealed.contains("1381234"));
        assert_ne!(
            r.seal(Field::MessagePhone, code, "13812345678").unwrap(),
            sealed
        );
        assert_eq!(
            r.open(Field::MessagePhone, code, &sealed).as_deref(),
            Some("13812345678")
        );
        // Copied to another column or row, altered, or under a key not held: not opened.
        assert_eq!(r.open(Field::MessageEmail, code, &sealed), None);
        assert_eq!(r.open(Field::SubmissionPhone, code, &sealed), None);
        assert_eq!(
            r.open(Field::MessagePhone, "LY20261201-AAAA", &sealed),
            None
        );
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(r.open(Field::MessagePhone, code, &altered), None);
        assert_eq!(ring(2).open(Field::MessagePhone, code, &sealed), None);
        // Empty stays empty; a value from before encryption reads as it is, even one that
        // happens to start like ciphertext.
        assert_eq!(r.seal(Field::MessageEmail, code, "").unwrap(), "");
        for clear in [
            "li@example.com",
            "pd1.li@example.com",
            "pd1.0000abcd.x@y.cn",
        ] {
            assert_eq!(
                r.open(Field::MessageEmail, code, clear).as_deref(),
                Some(clear)
            );
            assert_eq!(key_id(clear), None, "{clear}");
            assert!(r.is_stale(clear));
        }
        assert!(!r.is_stale("") && !r.is_stale(&sealed));
        assert_eq!(key_id(&sealed), Some(r.current_id()));
    }

    #[test]
    fn a_new_key_reads_the_old_ones_values_and_marks_them_stale() {
        let installation = Secret::from_bytes([1; 32]);
        let code = "TG20261201-7F3K";
        let first = Keyring::new(&installation, None, &[]);
        let old_value = first
            .seal(Field::SubmissionEmail, code, "li@example.com")
            .unwrap();
        let new_key = Secret::from_bytes([9; 32]);
        let rotated = Keyring::new(&installation, Some(&new_key), &[]);
        assert_ne!(rotated.current_id(), first.current_id());
        assert_eq!(
            rotated
                .open(Field::SubmissionEmail, code, &old_value)
                .as_deref(),
            Some("li@example.com"),
            "the derived key stays readable"
        );
        assert!(rotated.is_stale(&old_value));
        let newer = Secret::from_bytes([10; 32]);
        let again = Keyring::new(&installation, Some(&newer), std::slice::from_ref(&new_key));
        let v = rotated
            .seal(Field::SubmissionEmail, code, "li@example.com")
            .unwrap();
        assert_eq!(
            again.open(Field::SubmissionEmail, code, &v).as_deref(),
            Some("li@example.com")
        );
        let dropped = Keyring::new(&installation, Some(&newer), &[]);
        assert_eq!(dropped.open(Field::SubmissionEmail, code, &v), None);
    }

    #[test]
    fn masks_keep_only_what_tells_two_readers_apart() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("12345"), "****45");
        assert_eq!(mask_phone(""), "");
        assert_eq!(mask_email("li@example.com"), "l***@example.com");
        assert_eq!(mask_email("张三@例子.cn"), "张***@例子.cn");
        assert_eq!(mask_email(UNREADABLE), UNREADABLE);
        assert_eq!(mask_contact("", "li@example.com"), "l***@example.com");
        assert_eq!(mask_contact("13812345678", "li@example.com"), "138****5678");
    }

    #[test]
    fn the_cutoff_counts_calendar_months() {
        let now = DateTime::parse_from_rfc3339("2026-03-31T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(cutoff(0, now), None);
        assert_eq!(
            cutoff(1, now).unwrap().to_rfc3339(),
            "2026-02-28T12:00:00+00:00"
        );
        assert_eq!(
            cutoff(24, now).unwrap().to_rfc3339(),
            "2024-03-31T12:00:00+00:00"
        );
    }
}
