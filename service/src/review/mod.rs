//! 先审后发: who may put what online. Writers (撰稿人) write and submit; editors review and
//! publish; a live article changes only when its edit is approved.
//!
//! Every staff request that changes an article comes through here ([`save`], [`bulk`],
//! [`restore`], [`send_for_review`], [`approve`], [`send_back`]) with the person's role, and is
//! refused here when the role does not allow it, whatever the caller checked before.
//!
//! An article that readers can see (published or scheduled) keeps its row untouched while an
//! edit of it waits: the edit lives in its review (`article_reviews.data`). An article that has
//! never been online is its own proposal: its row is edited directly, and the review only
//! records where it stands.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use entity::article_review::{self, ReviewState};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::Db;
use crate::editorial::{self, ArticleInput, Bulk, Recording};
use crate::{Error, Result};

mod decide;
mod people;
mod queue;

pub use decide::*;
pub use people::*;
pub use queue::*;

/// The longest reason for a return.
pub const MAX_REASON: usize = 1000;

/// Readers can see it now, or it is approved to go online at its time.
pub fn is_live(a: &article::Model) -> bool {
    matches!(
        a.status,
        ArticleStatus::Published | ArticleStatus::Scheduled
    )
}

/// The open review of article `id`, if any.
pub async fn of_article(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<article_review::Model>> {
    Ok(article_review::Entity::find()
        .filter(article_review::Column::ArticleId.eq(id))
        .one(db)
        .await?)
}

/// The version waiting in a review: the edit of a live article, or the article itself.
pub fn proposal(a: &article::Model, r: Option<&article_review::Model>) -> Result<ArticleInput> {
    match r.and_then(|r| r.data.as_deref()) {
        Some(data) => serde_json::from_str(data)
            .map_err(|_| Error::Invalid("待审核版本的数据无法读取".into())),
        None => Ok(ArticleInput::from_model(a)),
    }
}

/// Writers may only touch their own articles.
fn require_owner(actor: &Actor, a: &article::Model) -> Result<()> {
    if actor.is_writer() && a.owner_id != Some(actor.id()) {
        return Err(Error::Forbidden("撰稿人只能修改自己的稿件".into()));
    }
    Ok(())
}

/// A new review of article `article_id`: an edit being written (编辑中), nothing submitted.
fn fresh(article_id: i32, now: DateTime<Utc>) -> article_review::ActiveModel {
    article_review::ActiveModel {
        article_id: Set(article_id),
        state: Set(ReviewState::Editing),
        level: Set(1),
        data: Set(None),
        note: Set(String::new()),
        submitted_by: Set(None),
        submitter: Set(String::new()),
        first_reviewer_id: Set(None),
        first_reviewer: Set(String::new()),
        submitted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// `m` submitted now by `by` (a staff member; none for a reader's 投稿) shown as `submitter`:
/// waiting for the first level, an earlier return reason and 初审 cleared.
fn submitted(
    mut m: article_review::ActiveModel,
    by: Option<i32>,
    submitter: &str,
    now: DateTime<Utc>,
) -> article_review::ActiveModel {
    m.state = Set(ReviewState::Pending);
    m.level = Set(1);
    m.note = Set(String::new());
    m.submitted_by = Set(by);
    m.submitter = Set(submitter.chars().take(100).collect());
    m.first_reviewer_id = Set(None);
    m.first_reviewer = Set(String::new());
    m.submitted_at = Set(Some(now));
    m.updated_at = Set(now);
    m
}

fn locked() -> Error {
    Error::Conflict("这篇稿件正在审核中，审核结束前不能修改".into())
}

/// What a save did.
#[derive(Clone, Debug)]
pub struct Saved {
    pub article: article::Model,
    /// The article's open review after the save.
    pub review: Option<article_review::Model>,
    /// The save changed the article's row (otherwise it went into the waiting edit).
    pub direct: bool,
    /// The site's review levels (1 or 2), for showing the review's step.
    pub levels: i16,
}

/// Saves what the editor sent, as `actor` may: directly for editors who publish
/// themselves; for writers (and editors under peer review) as a draft, or, on a live
/// article, as the edit that waits for review while the live version stays.
///
/// One transaction does all of it, removing the unsaved copy of the editor's page
/// `draft_key` (when the save comes from one), and the answer carries what the editor's page
/// shows next.
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    draft_key: Option<&str>,
    input: ArticleInput,
) -> Result<Saved> {
    let draft_key = draft_key.map(editorial::parse_draft_key).transpose()?;
    let workflow = Workflow::load(db).await?;
    let txn = db.begin().await?;
    let before = match id {
        Some(id) => Some(editorial::get(&txn, id).await?),
        None => None,
    };
    if let Some(b) = &before {
        require_owner(actor, b)?;
    }
    let review = match &before {
        Some(b) => of_article(&txn, b.id).await?,
        None => None,
    };
    let recording = Recording {
        owner: Some(actor.id()).filter(|&id| id > 0),
        draft_key: draft_key.map(str::to_owned),
        ..Default::default()
    };
    let levels = workflow.levels;
    if !workflow.reviews_of(actor) {
        let article = editorial::save_in(&txn, actor, id, input, recording).await?;
        // An editor who publishes a waiting draft directly has decided its review.
        let review = match review {
            Some(r) if r.data.is_none() && is_live(&article) => {
                article_review::Entity::delete_by_id(r.id)
                    .exec(&txn)
                    .await?;
                None
            }
            other => other,
        };
        txn.commit().await?;
        return Ok(Saved {
            review,
            article,
            direct: true,
            levels,
        });
    }
    if review
        .as_ref()
        .is_some_and(|r| r.state == ReviewState::Pending)
    {
        return Err(locked());
    }
    check_reviewed_input(actor, before.as_ref(), &input)?;
    match &before {
        Some(b) if is_live(b) => {
            let mut input = input.validate(Utc::now())?;
            input.body = crate::html::clean(std::mem::take(&mut input.body)).await?;
            let review = keep_edit(&txn, actor, b, review, &input).await?;
            editorial::forget_autosave(&txn, actor.id(), b.id, draft_key).await?;
            txn.commit().await?;
            Ok(Saved {
                article: b.clone(),
                review: Some(review),
                direct: false,
                levels,
            })
        }
        _ => {
            let article = editorial::save_in(&txn, actor, id, input, recording).await?;
            txn.commit().await?;
            Ok(Saved {
                article,
                review,
                direct: true,
                levels,
            })
        }
    }
}

/// What someone under review may send: the status the article has (a draft stays a draft,
/// a live article stays live), its time, and for writers its flags.
fn check_reviewed_input(
    actor: &Actor,
    before: Option<&article::Model>,
    input: &ArticleInput,
) -> Result<()> {
    let status = before.map_or(ArticleStatus::Draft, |b| b.status);
    if input.status != status {
        return Err(Error::Forbidden(if actor.is_writer() {
            "撰稿人不能发布、定时发布、撤下或归档文章，请提交审核".into()
        } else {
            "本站要求编辑的稿件也经其他编辑审核后发布，请提交审核".into()
        }));
    }
    let published_at = before.and_then(|b| b.published_at);
    if input.status == ArticleStatus::Draft
        && input.published_at.is_some_and(|t| Some(t) != published_at)
    {
        return Err(Error::Forbidden("发布时间由审核人决定".into()));
    }
    if actor.is_writer() {
        let flags = |h: bool, r: bool, s: bool| (h, r, s);
        let was = before.map_or((false, false, false), |b| {
            flags(b.is_headline, b.is_recommended, b.is_slideshow)
        });
        if flags(input.is_headline, input.is_recommended, input.is_slideshow) != was {
            return Err(Error::Forbidden(
                "撰稿人不能设置头条、推荐或幻灯，请在提交时向审核人说明".into(),
            ));
        }
    }
    Ok(())
}

/// Keeps `input` as the waiting edit of live article `a` (its review in state 编辑中, or
/// still 退回修改), with a revision labelled as such. The live row is not touched.
async fn keep_edit(
    txn: &DatabaseTransaction,
    actor: &Actor,
    a: &article::Model,
    review: Option<article_review::Model>,
    input: &ArticleInput,
) -> Result<article_review::Model> {
    let now = Utc::now();
    let data = serde_json::to_string(input).map_err(|e| Error::Invalid(e.to_string()))?;
    let saved = match review {
        Some(r) => {
            let mut m: article_review::ActiveModel = r.into();
            m.data = Set(Some(data));
            m.updated_at = Set(now);
            m.update(txn).await?
        }
        None => {
            let mut m = fresh(a.id, now);
            m.data = Set(Some(data));
            m.insert(txn).await?
        }
    };
    editorial::record_revision(txn, actor, a.id, input, "修改稿（未发布）").await?;
    audit::record(
        txn,
        actor,
        "article.edit",
        "article",
        a.id,
        format!(
            "修改已发布的《{}》（待提交审核，网站上的版本不变）",
            a.title
        ),
    )
    .await?;
    Ok(saved)
}

/// What a submission did.
#[derive(Clone, Debug)]
pub struct SentForReview {
    pub review: Option<article_review::Model>,
    /// Blocked words found in the submitted version (shown, never blocking).
    pub flagged: Vec<String>,
    /// The site does not review writers: it went online at once.
    pub published: bool,
}

/// Submits article `id` for review (提交审核): its draft, or the waiting edit of a live
/// article. Locks it for its writer until a reviewer decides.
pub async fn send_for_review(db: &Db, actor: &Actor, id: i32) -> Result<SentForReview> {
    let settings = crate::site::settings(db).await?;
    let workflow = settings.review;
    let rules = crate::form::ContentRules::from_settings(&settings);
    let txn = db.begin().await?;
    let a = editorial::get(&txn, id).await?;
    require_owner(actor, &a)?;
    let review = of_article(&txn, id).await?;
    if review
        .as_ref()
        .is_some_and(|r| r.state == ReviewState::Pending)
    {
        return Err(Error::Conflict("这篇稿件已提交审核，请等待审核结果".into()));
    }
    if is_live(&a) && review.as_ref().and_then(|r| r.data.as_ref()).is_none() {
        return Err(Error::Invalid(
            "这篇文章已发布，没有需要提交的修改。请先修改并保存，再提交审核".into(),
        ));
    }
    let proposal = proposal(&a, review.as_ref())?;
    let flagged = rules.blocked_in(&words_of(&proposal));
    if !workflow.reviews_of(actor) || (actor.is_writer() && !workflow.writers) {
        // Nothing to wait for: it goes online as a reviewer would approve it.
        let label = "提交即发布（本站未要求审核）";
        decide::publish(&txn, actor, &a, review, proposal, None, label).await?;
        txn.commit().await?;
        return Ok(SentForReview {
            review: None,
            flagged,
            published: true,
        });
    }
    let now = Utc::now();
    let (is_new, m) = match review {
        Some(r) => (false, r.into()),
        None => (true, fresh(a.id, now)),
    };
    let m = submitted(m, Some(actor.id()), &actor.name, now);
    let saved = if is_new {
        m.insert(&txn).await?
    } else {
        m.update(&txn).await?
    };
    editorial::record_revision(&txn, actor, a.id, &proposal, "提交审核").await?;
    let mut summary = format!("《{}》提交审核", proposal.title);
    if !flagged.is_empty() {
        summary.push_str(&format!("（含敏感词：{}）", flagged.join("、")));
    }
    audit::record(&txn, actor, "article.submit", "article", a.id, summary).await?;
    txn.commit().await?;
    Ok(SentForReview {
        review: Some(saved),
        flagged,
        published: false,
    })
}

/// Puts draft `article_id`, written by someone outside the staff (a reader's 投稿), into the
/// queue as submitted by `submitter`; `actor` is the editor who accepted it (any editor may
/// review it, that one included).
pub async fn enter(
    txn: &DatabaseTransaction,
    actor: &Actor,
    article_id: i32,
    submitter: &str,
) -> Result<()> {
    let now = Utc::now();
    submitted(fresh(article_id, now), None, submitter, now)
        .insert(txn)
        .await?;
    let a = editorial::get(txn, article_id).await?;
    editorial::record_revision(
        txn,
        actor,
        article_id,
        &ArticleInput::from_model(&a),
        "提交审核",
    )
    .await?;
    Ok(())
}

/// Everything of a version a blocked word can hide in.
pub fn words_of(input: &ArticleInput) -> String {
    [
        input.title.as_str(),
        &input.subtitle,
        &input.summary,
        &input.author,
        &input.source,
        &crate::html::to_text(&input.body),
    ]
    .join("\n")
}

/// The bulk actions of the article list, as `actor` may: writers none; editors under peer
/// review may take articles down but not put them online.
pub async fn bulk(db: &Db, actor: &Actor, ids: &[i32], action: Bulk) -> Result<usize> {
    actor.require_reviewer()?;
    if action == Bulk::Publish && Workflow::load(db).await?.reviews_of(actor) {
        return Err(Error::Forbidden(
            "本站要求编辑的稿件也经其他编辑审核后发布，不能批量发布".into(),
        ));
    }
    editorial::bulk(db, actor, ids, action).await
}

/// Restores article content from revision `revision_id`, as `actor` may: like a save of that
/// content (so under review it becomes the waiting edit).
pub async fn restore(db: &Db, actor: &Actor, revision_id: i32) -> Result<Saved> {
    let (rev, input) = editorial::revision(db, revision_id).await?;
    let current = editorial::get(db, rev.article_id).await?;
    require_owner(actor, &current)?;
    let mut restored = ArticleInput {
        status: current.status,
        published_at: current.published_at,
        ..input
    };
    if actor.is_writer() {
        // Flags are the reviewers' to set.
        restored.is_headline = current.is_headline;
        restored.is_recommended = current.is_recommended;
        restored.is_slideshow = current.is_slideshow;
    }
    let saved = save(db, actor, Some(rev.article_id), None, restored).await?;
    audit::record(
        db,
        actor,
        "article.restore",
        "article",
        rev.article_id,
        format!("《{}》恢复到版本 #{}", saved.article.title, revision_id),
    )
    .await?;
    Ok(saved)
}

/// Article `id` for `actor`'s editor: writers only their own.
pub async fn get_for(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> Result<article::Model> {
    let a = editorial::get(db, id).await?;
    require_owner(actor, &a)?;
    Ok(a)
}

#[cfg(test)]
mod tests;
