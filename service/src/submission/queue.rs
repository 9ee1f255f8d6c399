//! The editors' side of 投稿 (article review is [`crate::review`]): the queue, reading and
//! downloading, declining with a reason the author sees, and accepting into a draft article.

use chrono::Utc;
use entity::article::ArticleStatus;
use entity::submission::{self, SubmissionStatus};
use entity::submission_file;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use super::FileKind;
use crate::audit::{self, Actor};
use crate::db::Db;
use crate::editorial::ArticleInput;
use crate::form::clean_text;
use crate::security::personal;
use crate::storage::Store;
use crate::{Error, Result};

pub const MAX_REASON: usize = 1000;

/// Which submissions the queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Filter {
    #[default]
    New,
    Accepted,
    Rejected,
    Spam,
    All,
}

impl crate::form::queue::Tab for Filter {
    type Entity = submission::Entity;
    const TABS: &'static [Filter] = &[
        Filter::New,
        Filter::Accepted,
        Filter::Rejected,
        Filter::Spam,
        Filter::All,
    ];
    const ORDER: [submission::Column; 2] = [submission::Column::CreatedAt, submission::Column::Id];

    fn code(self) -> &'static str {
        match self {
            Filter::New => "new",
            Filter::Accepted => "accepted",
            Filter::Rejected => "rejected",
            Filter::Spam => "spam",
            Filter::All => "all",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::New => "待审阅",
            Filter::Accepted => "已采用",
            Filter::Rejected => "已退回",
            Filter::Spam => "垃圾投稿",
            Filter::All => "全部",
        }
    }

    fn condition(self) -> Condition {
        use submission::Column as C;
        let status = |s: SubmissionStatus| Condition::all().add(C::Status.eq(s));
        match self {
            Filter::New => status(SubmissionStatus::New),
            Filter::Accepted => status(SubmissionStatus::Accepted),
            Filter::Rejected => status(SubmissionStatus::Rejected),
            Filter::Spam => status(SubmissionStatus::Spam),
            Filter::All => Condition::all(),
        }
    }
}

/// Page `page` (from 0) of the queue (newest first), each with how many files it carries,
/// and the total.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: Filter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<(submission::Model, u64)>, u64)> {
    let (rows, total) = crate::form::queue::page(db, filter, page, per_page).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let files = submission_file::Entity::find()
        .filter(submission_file::Column::SubmissionId.is_in(ids))
        .all(db)
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let n = files.iter().filter(|f| f.submission_id == r.id).count() as u64;
            (personal::open_submission(r), n)
        })
        .collect();
    Ok((rows, total))
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<submission::Model> {
    submission::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(personal::open_submission)
        .ok_or(Error::NotFound)
}

/// A submission's files, in the order they were sent.
pub async fn files(db: &impl ConnectionTrait, id: i32) -> Result<Vec<submission_file::Model>> {
    Ok(submission_file::Entity::find()
        .filter(submission_file::Column::SubmissionId.eq(id))
        .order_by_asc(submission_file::Column::Id)
        .all(db)
        .await?)
}

/// A file of submission `id` and its bytes, for a member of staff (recorded in the audit
/// log).
pub async fn download(
    db: &Db,
    private: &Store,
    actor: &Actor,
    id: i32,
    file_id: i32,
) -> Result<(submission_file::Model, Vec<u8>)> {
    let file = submission_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .filter(|f| f.submission_id == id)
        .ok_or(Error::NotFound)?;
    let bytes = private.get(&file.path).await?;
    audit::record(
        db,
        actor,
        "submission.download",
        "submission",
        id,
        file.name.clone(),
    )
    .await?;
    Ok((file, bytes))
}

fn summary(s: &submission::Model) -> String {
    format!(
        "{}《{}》",
        s.code,
        s.title.chars().take(40).collect::<String>()
    )
}

/// A change of state: allowed only from `from`, with more columns to set and its audit entry.
struct Move<'a> {
    from: &'a [SubmissionStatus],
    to: SubmissionStatus,
    set: Vec<(submission::Column, sea_orm::Value)>,
    action: &'a str,
    detail: String,
}

/// Moves submission `id` to another state, in one transaction with its audit entry.
async fn transition(db: &Db, actor: &Actor, id: i32, m: Move<'_>) -> Result<submission::Model> {
    let Move {
        from,
        to,
        set,
        action,
        detail,
    } = m;
    let txn = db.begin().await?;
    let s = get(&txn, id).await?;
    if !from.contains(&s.status) {
        return Err(Error::Invalid(
            "这篇投稿已被处理（可能是其他编辑刚刚处理的），请刷新后再看".into(),
        ));
    }
    let now = Utc::now();
    let mut update = submission::Entity::update_many()
        .col_expr(submission::Column::Status, Expr::value(to))
        .col_expr(submission::Column::UpdatedAt, Expr::value(now))
        .col_expr(submission::Column::HandledAt, Expr::value(Some(now)))
        .col_expr(
            submission::Column::HandledBy,
            Expr::value(actor.username.chars().take(50).collect::<String>()),
        );
    for (col, v) in set {
        update = update.col_expr(col, Expr::value(v));
    }
    let done = update
        .filter(submission::Column::Id.eq(id))
        .filter(submission::Column::Status.eq(s.status))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(Error::Busy);
    }
    audit::record(
        &txn,
        actor,
        action,
        "submission",
        id,
        format!("{}{detail}", summary(&s)),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Declines a submission with a reason the author sees when tracking.
pub async fn reject(db: &Db, actor: &Actor, id: i32, reason: &str) -> Result<submission::Model> {
    let reason = clean_text(reason);
    if reason.is_empty() {
        return Err(Error::Invalid("请填写退回原因，作者查询时可以看到".into()));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::Invalid(format!("退回原因不能超过{MAX_REASON}个字")));
    }
    transition(
        db,
        actor,
        id,
        Move {
            from: &[SubmissionStatus::New, SubmissionStatus::Spam],
            to: SubmissionStatus::Rejected,
            set: vec![(submission::Column::Reason, reason.clone().into())],
            action: "submission.reject",
            detail: format!("：{}", reason.chars().take(60).collect::<String>()),
        },
    )
    .await
}

/// Sets a submission aside as spam, or takes it back into the queue.
pub async fn set_spam(db: &Db, actor: &Actor, id: i32, spam: bool) -> Result<submission::Model> {
    if spam {
        transition(
            db,
            actor,
            id,
            Move {
                from: &[SubmissionStatus::New, SubmissionStatus::Rejected],
                to: SubmissionStatus::Spam,
                set: Vec::new(),
                action: "submission.spam",
                detail: String::new(),
            },
        )
        .await
    } else {
        transition(
            db,
            actor,
            id,
            Move {
                from: &[SubmissionStatus::Spam],
                to: SubmissionStatus::New,
                set: Vec::new(),
                action: "submission.unspam",
                detail: String::new(),
            },
        )
        .await
    }
}

/// Deletes a submission and its files for good (the audit log keeps its code and title).
pub async fn delete(db: &Db, private: &Store, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let s = get(&txn, id).await?;
    let files = files(&txn, id).await?;
    submission_file::Entity::delete_many()
        .filter(submission_file::Column::SubmissionId.eq(id))
        .exec(&txn)
        .await?;
    submission::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "submission.delete",
        "submission",
        id,
        summary(&s),
    )
    .await?;
    txn.commit().await?;
    for f in files {
        private.remove(&f.path).await;
    }
    Ok(())
}

/// The body of the draft made from plain text: one paragraph per line.
pub fn text_to_html(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("<p>{}</p>", crate::html::escape(l)))
        .collect()
}

/// What accepting made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub article_id: i32,
    /// Pictures put into the media library.
    pub images: usize,
    /// What could not be carried over (told to the editor).
    pub warnings: Vec<String>,
}

/// Accepts a submission into a draft article under `column_id`: the body is the first
/// .docx attachment (paragraphs, headings, tables and pictures; the pictures go into the
/// media library), or the text; pictures sent as files follow it. The author and the
/// organization are filled in, and the submission records the draft.
pub async fn accept(
    db: &Db,
    media: &Store,
    private: &Store,
    actor: &Actor,
    id: i32,
    column_id: i32,
) -> Result<Accepted> {
    let s = get(db, id).await?;
    if !matches!(s.status, SubmissionStatus::New | SubmissionStatus::Rejected) {
        return Err(Error::Invalid(
            "这篇投稿已被采用或已标记为垃圾投稿，不能再次采用".into(),
        ));
    }
    // Claimed first, so two editors accepting at once make one draft, not two.
    let claimed = submission::Entity::update_many()
        .col_expr(
            submission::Column::Status,
            Expr::value(SubmissionStatus::Accepted),
        )
        .filter(submission::Column::Id.eq(id))
        .filter(submission::Column::Status.eq(s.status))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(Error::Invalid(
            "这篇投稿已被其他编辑处理，请刷新后再看".into(),
        ));
    }
    match make_draft(db, media, private, actor, &s, column_id).await {
        Ok(made) => {
            let txn = db.begin().await?;
            let now = Utc::now();
            submission::Entity::update_many()
                .col_expr(
                    submission::Column::ArticleId,
                    Expr::value(Some(made.article_id)),
                )
                .col_expr(submission::Column::UpdatedAt, Expr::value(now))
                .col_expr(submission::Column::HandledAt, Expr::value(Some(now)))
                .col_expr(
                    submission::Column::HandledBy,
                    Expr::value(actor.username.chars().take(50).collect::<String>()),
                )
                .filter(submission::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            // The reader wrote it: it waits for review like a writer's submission.
            crate::review::enter(
                &txn,
                actor,
                made.article_id,
                &format!("读者投稿：{}", s.name),
            )
            .await?;
            audit::record(
                &txn,
                actor,
                "submission.accept",
                "submission",
                id,
                format!(
                    "{}，存为草稿并进入待审核（文章 {}）",
                    summary(&s),
                    made.article_id
                ),
            )
            .await?;
            txn.commit().await?;
            Ok(made)
        }
        Err(e) => {
            submission::Entity::update_many()
                .col_expr(submission::Column::Status, Expr::value(s.status))
                .filter(submission::Column::Id.eq(id))
                .exec(db)
                .await?;
            Err(e)
        }
    }
}

/// Makes the draft article of an accepted submission.
async fn make_draft(
    db: &Db,
    media: &Store,
    private: &Store,
    actor: &Actor,
    s: &submission::Model,
    column_id: i32,
) -> Result<Accepted> {
    let files = files(db, s.id).await?;
    let mut warnings = Vec::new();
    let mut images = 0;
    let docx = files
        .iter()
        .find(|f| FileKind::parse(&f.kind) == Some(FileKind::Docx));
    let mut body = String::new();
    if let Some(f) = docx {
        match crate::docx::import(db, media, actor, private.get(&f.path).await?).await {
            Ok(p) => {
                images += p.images;
                warnings.extend(p.warnings);
                body = p.html;
            }
            Err(e) => warnings.push(format!(
                "附件“{}”未能导入（{}），正文使用了投稿文字",
                f.name,
                e.reader_message()
            )),
        }
    }
    if body.trim().is_empty() {
        body = text_to_html(&s.content);
    }
    for f in files.iter().filter(|f| {
        matches!(
            FileKind::parse(&f.kind),
            Some(FileKind::Jpg | FileKind::Png)
        )
    }) {
        let details = crate::media::Details {
            alt: f
                .name
                .rsplit_once('.')
                .map(|(a, _)| a)
                .unwrap_or(&f.name)
                .to_owned(),
            credit: s.name.clone(),
            ..Default::default()
        };
        match crate::media::store(db, media, actor, &private.get(&f.path).await?, details).await {
            Ok(img) => {
                images += 1;
                body.push_str(&format!(
                    "<figure><img src=\"/media/{}\" alt=\"{}\"></figure>",
                    crate::html::escape(&img.path),
                    crate::html::escape(&img.alt)
                ));
            }
            Err(e) => warnings.push(format!(
                "图片“{}”未能放入媒体库：{}",
                f.name,
                e.reader_message()
            )),
        }
    }
    let input = ArticleInput {
        column_id,
        title: s.title.chars().take(200).collect(),
        subtitle: String::new(),
        source: s.organization.clone(),
        author: s.name.clone(),
        summary: String::new(),
        body,
        cover_image_id: None,
        is_headline: false,
        is_recommended: false,
        is_slideshow: false,
        status: ArticleStatus::Draft,
        published_at: None,
        keywords: None,
    };
    let article = crate::editorial::save(db, actor, None, input).await?;
    Ok(Accepted {
        article_id: article.id,
        images,
        warnings,
    })
}

/// The submission a draft was made from, if any (shown in the editor).
pub async fn for_article(
    db: &impl ConnectionTrait,
    article_id: i32,
) -> Result<Option<submission::Model>> {
    Ok(submission::Entity::find()
        .filter(submission::Column::ArticleId.eq(article_id))
        .one(db)
        .await?
        .map(personal::open_submission))
}

/// The Chinese name of a submission's state, for staff.
pub fn status_label(s: &submission::Model) -> &'static str {
    match s.status {
        SubmissionStatus::New => "待审阅",
        SubmissionStatus::Accepted => "已采用",
        SubmissionStatus::Rejected => "已退回",
        SubmissionStatus::Spam => "垃圾投稿",
    }
}
