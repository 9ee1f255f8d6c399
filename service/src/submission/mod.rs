//! 投稿: manuscripts readers send to the association, with up to five attached files, and the
//! editors' handling of them (see [`queue`]).
//!
//! A submission goes through the same steps as a message (see [`crate::form`]); its files
//! are written to the private store and flushed to disk before the transaction that records
//! them commits, and removed again if it does not, so a receipt always means the text and
//! every file are stored, and a refusal leaves nothing behind.

use chrono::Utc;
use entity::submission::{self, SubmissionStatus};
use entity::submission_file;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::form::{self, Admitted, Context, FieldError, Outcome, field_error};
use crate::security::personal::{self, Field};
use crate::storage::Store;
use crate::{Error, Result};

pub mod content;
mod files;
pub mod queue;

pub use content::Content;
pub use files::{
    FileKind, MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, clean_name, sniff, sniff_in,
};

/// The name of the form, in its tokens and counters.
pub const FORM: &str = "submission";
/// Receipt codes start with this: 投稿.
pub const CODE_PREFIX: &str = "TG";

pub const MAX_NAME: usize = 50;
pub const MAX_ORGANIZATION: usize = 100;
pub const MAX_TITLE: usize = 200;
pub const MAX_CONTENT: usize = 20_000;

/// A file as it arrived.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upload {
    /// The name the sender's computer gave it.
    pub name: String,
    pub content: Content,
    /// The sender sent more than [`MAX_FILE_BYTES`]; `content` holds only the start.
    pub too_large: bool,
}

/// What a reader sent, as it arrived (nothing trimmed yet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub organization: String,
    pub phone: String,
    pub email: String,
    pub title: String,
    /// The suggested column's id as the form sent it (empty: none).
    pub column: String,
    pub content: String,
    pub consent: bool,
    pub answer: String,
    pub files: Vec<Upload>,
}

/// A file that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFile {
    pub name: String,
    pub kind: FileKind,
    pub content: Content,
}

/// A submission that passed every check, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    pub organization: String,
    pub phone: String,
    pub email: String,
    pub title: String,
    pub column_id: Option<i32>,
    pub content: String,
    pub files: Vec<CheckedFile>,
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1048576.0)
}

/// What each upload is ([`sniff`]), in order. Reading a Word document's package costs CPU:
/// [`sniffed`] does it off the async threads.
pub fn sniff_files(uploads: &[Upload]) -> Vec<Option<FileKind>> {
    uploads
        .iter()
        .map(|u| {
            if u.too_large || u.content.is_empty() || u.content.len() > MAX_FILE_BYTES {
                None
            } else {
                let mut source = u.content.reader().ok()?;
                sniff_in(&u.name, &mut source)
            }
        })
        .collect()
}

/// [`sniff_files`] as heavy work ([`crate::work::heavy`]).
pub async fn sniffed(uploads: &[Upload]) -> Result<Vec<Option<FileKind>>> {
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let uploads = uploads.to_vec();
    crate::work::heavy(move || sniff_files(&uploads)).await
}

/// Checks the files: how many, how large, and what they are (`kinds`, from [`sniff_files`]).
fn check_files(
    uploads: &[Upload],
    kinds: &[Option<FileKind>],
    errors: &mut Vec<FieldError>,
) -> Vec<CheckedFile> {
    let uploads: Vec<(&Upload, Option<FileKind>)> = uploads
        .iter()
        .zip(kinds.iter().copied().chain(std::iter::repeat(None)))
        .filter(|(u, _)| !(u.content.is_empty() && u.name.trim().is_empty()))
        .collect();
    if uploads.len() > MAX_FILES {
        errors.push(field_error(
            "files",
            format!("最多上传{MAX_FILES}个附件（现在{}个）", uploads.len()),
        ));
        return Vec::new();
    }
    let mut checked = Vec::new();
    let mut total = 0usize;
    for (u, kind) in uploads {
        let shown = form::one_line(&u.name);
        let shown = if shown.is_empty() {
            "附件".into()
        } else {
            shown
        };
        total = total.saturating_add(u.content.len());
        if u.too_large || u.content.len() > MAX_FILE_BYTES {
            errors.push(field_error(
                "files",
                format!(
                    "附件“{shown}”超过{}，单个附件不能超过{}",
                    mb(MAX_FILE_BYTES),
                    mb(MAX_FILE_BYTES)
                ),
            ));
            continue;
        }
        if u.content.is_empty() {
            errors.push(field_error("files", format!("附件“{shown}”是空文件")));
            continue;
        }
        match kind {
            Some(kind) => checked.push(CheckedFile {
                name: clean_name(&u.name, kind),
                kind,
                content: u.content.clone(),
            }),
            None => errors.push(field_error(
                "files",
                format!("附件“{shown}”不是可接受的格式：只接受 doc、docx、wps、pdf、jpg、png 文件（按文件内容识别，改扩展名无效）"),
            )),
        }
    }
    if total > MAX_TOTAL_BYTES {
        errors.push(field_error(
            "files",
            format!("附件合计{}，超过了{}的上限", mb(total), mb(MAX_TOTAL_BYTES)),
        ));
    }
    checked
}

/// Checks every field and file; all problems are reported at once. `columns` are the ids
/// of the columns a submission may suggest.
pub fn check(
    draft: &Draft,
    rules: &form::ContentRules,
    columns: &[i32],
) -> std::result::Result<Checked, Vec<FieldError>> {
    check_sniffed(draft, rules, columns, &sniff_files(&draft.files))
}

/// [`check`] with the files' kinds already known.
pub fn check_sniffed(
    draft: &Draft,
    rules: &form::ContentRules,
    columns: &[i32],
    kinds: &[Option<FileKind>],
) -> std::result::Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form::required_line(&draft.name, MAX_NAME, "name", "作者姓名", &mut errors);
    let organization = form::one_line(&draft.organization);
    if organization.chars().count() > MAX_ORGANIZATION {
        errors.push(field_error(
            "organization",
            format!("单位名称不能超过{MAX_ORGANIZATION}个字"),
        ));
    }
    let (phone, email) = form::contact(&draft.phone, &draft.email, &mut errors);
    let title = form::required_line(&draft.title, MAX_TITLE, "title", "稿件标题", &mut errors);
    let column_id = match draft.column.trim() {
        "" => None,
        s => match s.parse::<i32>() {
            Ok(id) if columns.contains(&id) => Some(id),
            _ => {
                errors.push(field_error("column", "请从列表中选择建议栏目"));
                None
            }
        },
    };
    let content = form::clean_text(&draft.content);
    let length = content.chars().count();
    if length > MAX_CONTENT {
        errors.push(field_error(
            "content",
            format!("正文不能超过{MAX_CONTENT}个字（现在{length}个字），较长的稿件请作为附件上传"),
        ));
    }
    let files = check_files(&draft.files, kinds, &mut errors);
    if content.is_empty() && draft.files.iter().all(|f| f.content.is_empty()) {
        errors.push(field_error("content", "请填写正文，或上传稿件附件"));
    }
    form::content_rules(
        &format!("{name}\n{organization}\n{title}\n{content}"),
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
        organization,
        phone,
        email,
        title,
        column_id,
        content,
        files,
    })
}

/// Takes a reader's submission through every check and stores it with its files.
/// `private` is the store attachments go to.
pub async fn receive(
    db: &Db,
    private: &Store,
    cx: &Context<'_>,
    token: &str,
    honeypot: &str,
    draft: &Draft,
) -> Result<Outcome> {
    // What the post says, files by name and size (hashing them waits until they are known
    // to be worth it).
    let files: Vec<String> = draft
        .files
        .iter()
        .map(|f| format!("{}:{}", f.name, f.content.len()))
        .collect();
    let fingerprint = form::content_hash(&[
        &draft.name,
        &draft.phone,
        &draft.email,
        &draft.title,
        &draft.content,
        &files.join("\n"),
    ]);
    let admitted = match form::admit(db, cx, FORM, token, honeypot, &fingerprint).await? {
        Ok(a) => a,
        Err(outcome) => return Ok(outcome),
    };
    let columns: Vec<i32> = suggestable_columns(db, cx.site)
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect();
    // What the files are (Word packages are unpacked to check them): only for posts past
    // the token and the limit, a few at a time, off the async threads.
    let kinds = sniffed(&draft.files).await?;
    let checked = match check_sniffed(draft, cx.rules, &columns, &kinds) {
        Ok(c) => c,
        Err(errors) => return Ok(admitted.refused(errors)),
    };
    let text = format!("{}\n{}", checked.title, checked.content);
    if let Some(refusal) = form::question(cx, &admitted, &text, &draft.answer) {
        return Ok(Outcome::Refused(refusal));
    }
    store(db, private, cx, &admitted, checked).await
}

/// The columns a submission may suggest (news and service lists), as `(id, name)`.
pub async fn suggestable_columns(
    db: &impl ConnectionTrait,
    site: i32,
) -> Result<Vec<(i32, String)>> {
    Ok(crate::column::all(db, site)
        .await?
        .into_iter()
        .filter(|c| c.kind.takes_articles())
        .map(|c| (c.id, c.name))
        .collect())
}

/// The hash a submission is recognized by: its text and its files' bytes (read in pieces;
/// blocking for spooled files).
fn hash_of(m: &Checked) -> Result<String> {
    let mut files = Vec::new();
    for f in &m.files {
        let mut hasher = Sha256::new();
        let mut source = f.content.reader()?;
        std::io::copy(&mut source, &mut hasher)?;
        files.push(
            hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        );
    }
    let files = files.join(",");
    Ok(form::content_hash(&[&m.title, &m.content, &files]))
}

/// Files being copied into the private store at once (each is read into memory for it, up
/// to [`MAX_FILE_BYTES`]).
static STORING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Writes the files to the private store (durably), returning their paths.
async fn write_files(private: &Store, files: &[CheckedFile]) -> Result<Vec<String>> {
    let now = Utc::now();
    let mut planned = Vec::new();
    for f in files {
        planned.push((
            format!(
                "submissions/{}/{}.{}",
                now.format("%Y/%m"),
                crate::storage::stem()?,
                f.kind.ext()
            ),
            f.content.clone(),
        ));
    }
    let mut written: Vec<String> = Vec::new();
    for (path, content) in planned {
        let _slot = STORING
            .acquire()
            .await
            .map_err(|_| Error::Io(std::io::Error::other("the store queue is closed")))?;
        let put = async {
            let bytes = match content {
                Content::Memory(b) => b,
                spooled => tokio::task::spawn_blocking(move || spooled.bytes())
                    .await
                    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??,
            };
            private.put(&path, bytes).await
        };
        if let Err(e) = put.await {
            for p in &written {
                private.remove(p).await;
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(written)
}

/// Stores a checked submission: the files first (durably), then one transaction with the
/// counter, the duplicate check, the row and the file rows. Files of a submission that is
/// not committed are removed again.
async fn store(
    db: &Db,
    private: &Store,
    cx: &Context<'_>,
    admitted: &Admitted,
    m: Checked,
) -> Result<Outcome> {
    let hash = {
        let m = m.clone();
        crate::work::heavy(move || hash_of(&m)).await??
    };
    let paths = write_files(private, &m.files).await?;
    let result = record(db, cx, admitted, &m, &hash, &paths).await;
    if !matches!(result, Ok(Outcome::Stored { .. })) {
        for p in &paths {
            private.remove(p).await;
        }
    }
    result
}

async fn record(
    db: &Db,
    cx: &Context<'_>,
    admitted: &Admitted,
    m: &Checked,
    hash: &str,
    paths: &[String],
) -> Result<Outcome> {
    let item = NewSubmission {
        m,
        hash,
        paths,
        client_key: cx.keys.client_key(cx.client),
        now: cx.now,
    };
    form::store_once(db, cx, admitted, hash, (&m.phone, &m.email), &item).await
}

/// A checked manuscript, its files already written to `paths`, on its way into the tables.
struct NewSubmission<'a> {
    m: &'a Checked,
    hash: &'a str,
    paths: &'a [String],
    client_key: String,
    now: chrono::DateTime<Utc>,
}

impl form::ReaderItem for NewSubmission<'_> {
    const CODE_PREFIX: &'static str = CODE_PREFIX;
    const WHAT: &'static str = "稿件";

    type Entity = submission::Entity;
    const COLUMNS: [submission::Column; 5] = [
        submission::Column::ContentHash,
        submission::Column::CreatedAt,
        submission::Column::Id,
        submission::Column::Code,
        submission::Column::SiteId,
    ];

    fn earlier(row: submission::Model) -> form::Earlier {
        let row = personal::open_submission(row);
        form::Earlier {
            code: row.code,
            phone: row.phone,
            email: row.email,
        }
    }

    async fn insert(&self, txn: &DatabaseTransaction, site: i32, code: &str) -> Result<()> {
        let (m, paths) = (self.m, self.paths);
        let saved = submission::ActiveModel {
            site_id: Set(site),
            code: Set(code.to_owned()),
            name: Set(m.name.clone()),
            organization: Set(m.organization.clone()),
            phone: Set(personal::seal(Field::SubmissionPhone, code, &m.phone)?),
            email: Set(personal::seal(Field::SubmissionEmail, code, &m.email)?),
            title: Set(m.title.clone()),
            column_id: Set(m.column_id),
            content: Set(m.content.clone()),
            status: Set(SubmissionStatus::New),
            reason: Set(String::new()),
            article_id: Set(None),
            handled_by: Set(String::new()),
            handled_at: Set(None),
            content_hash: Set(self.hash.to_owned()),
            client_key: Set(self.client_key.clone()),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (f, path) in m.files.iter().zip(paths) {
            submission_file::ActiveModel {
                submission_id: Set(saved.id),
                name: Set(f.name.clone()),
                path: Set(path.clone()),
                kind: Set(f.kind.ext().to_owned()),
                mime: Set(f.kind.mime().to_owned()),
                size_bytes: Set(i64::try_from(f.content.len()).unwrap_or(i64::MAX)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    }
}

/// The submission with receipt `code` whose phone or e-mail is `contact`; `None` when either
/// does not match (the reader is told the same in both cases).
pub async fn track(
    db: &impl ConnectionTrait,
    site: i32,
    code: &str,
    contact: &str,
) -> Result<Option<submission::Model>> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 24 || contact.trim().is_empty() {
        return Ok(None);
    }
    let Some(s) = submission::Entity::find()
        .filter(submission::Column::Code.eq(code))
        .filter(submission::Column::SiteId.eq(site))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let s = personal::open_submission(s);
    Ok(form::contact_matches(&s.phone, &s.email, contact).then_some(s))
}

/// What the author is told of their submission's state.
pub fn status_for_author(s: &submission::Model) -> &'static str {
    match s.status {
        SubmissionStatus::New | SubmissionStatus::Spam => "已收到，待审阅",
        SubmissionStatus::Accepted => "已采用，编辑正在编排",
        SubmissionStatus::Rejected => "未采用",
    }
}

#[cfg(test)]
#[path = "submission_test.rs"]
mod tests;
