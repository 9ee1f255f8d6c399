//! The reviewers' decisions: 通过 (at one or two levels) and 退回修改.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use entity::article_review::{self, ReviewState};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
};

use super::{MAX_REASON, Workflow, of_article, proposal};
use crate::audit::{self, Actor};
use crate::db::Db;
use crate::editorial::{self, ArticleInput, Recording};
use crate::{Error, Result};

/// What an approval did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approved {
    /// 初审通过: now waiting for 终审.
    Passed,
    /// Online now.
    Published,
    /// Approved to go online at its time.
    Scheduled,
}

/// Approves the review of article `id` at `level` (the level the reviewer saw, so that two
/// reviewers clicking at once approve it once: the second is told it was handled). At the
/// last level the proposal goes online now, or at `at` when that is in the future.
pub async fn approve(
    db: &Db,
    actor: &Actor,
    id: i32,
    level: i16,
    at: Option<DateTime<Utc>>,
) -> Result<Approved> {
    actor.require_reviewer()?;
    let workflow = Workflow::load(db).await?;
    let txn = db.begin().await?;
    let a = editorial::get(&txn, id).await?;
    let review = pending(&txn, id, level).await?;
    if review.submitted_by == Some(actor.id()) {
        return Err(Error::Forbidden("不能审核自己提交的稿件".into()));
    }
    if level == 2 && review.first_reviewer_id == Some(actor.id()) {
        return Err(Error::Forbidden("终审须由初审以外的编辑进行".into()));
    }
    let proposal = proposal(&a, Some(&review))?;
    if level < workflow.levels {
        let claimed = article_review::Entity::update_many()
            .col_expr(article_review::Column::Level, Expr::value(level + 1))
            .col_expr(
                article_review::Column::FirstReviewerId,
                Expr::value(Some(actor.id())),
            )
            .col_expr(
                article_review::Column::FirstReviewer,
                Expr::value(actor.name.chars().take(100).collect::<String>()),
            )
            .col_expr(article_review::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(article_review::Column::Id.eq(review.id))
            .filter(article_review::Column::State.eq(ReviewState::Pending))
            .filter(article_review::Column::Level.eq(level))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(handled());
        }
        editorial::record_revision(&txn, actor, id, &proposal, "初审通过").await?;
        audit::record(
            &txn,
            actor,
            "article.review",
            "article",
            id,
            format!("《{}》初审通过，待终审", proposal.title),
        )
        .await?;
        txn.commit().await?;
        return Ok(Approved::Passed);
    }
    // The conditional delete is the claim: of two reviewers at once, one deletes the row.
    let claimed = article_review::Entity::delete_many()
        .filter(article_review::Column::Id.eq(review.id))
        .filter(article_review::Column::State.eq(ReviewState::Pending))
        .filter(article_review::Column::Level.eq(level))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(handled());
    }
    let label = if workflow.levels == 2 {
        "终审通过"
    } else {
        "审核通过"
    };
    let saved = publish(&txn, actor, &a, None, proposal, at, label).await?;
    txn.commit().await?;
    Ok(if saved.status == ArticleStatus::Scheduled {
        Approved::Scheduled
    } else {
        Approved::Published
    })
}

fn handled() -> Error {
    Error::Conflict("这篇稿件刚被其他审核人处理，请刷新后查看".into())
}

/// The pending review of article `id` at `level`.
async fn pending(txn: &impl ConnectionTrait, id: i32, level: i16) -> Result<article_review::Model> {
    match of_article(txn, id).await? {
        Some(r) if r.state == ReviewState::Pending && r.level == level => Ok(r),
        Some(_) | None => Err(handled()),
    }
}

/// Puts `proposal` online: now, keeping a live article's first publication time, or at `at`
/// when that is in the future. Deletes the review (when still there).
pub(super) async fn publish(
    txn: &DatabaseTransaction,
    actor: &Actor,
    a: &article::Model,
    review: Option<article_review::Model>,
    proposal: ArticleInput,
    at: Option<DateTime<Utc>>,
    label: &str,
) -> Result<article::Model> {
    if let Some(r) = review {
        article_review::Entity::delete_by_id(r.id).exec(txn).await?;
    }
    let now = Utc::now();
    // A live article keeps its date; a scheduled one its time (unless the reviewer sets one).
    let (status, published_at) = match (at, a.status) {
        (Some(at), _) if at > now => (ArticleStatus::Scheduled, Some(at)),
        (_, ArticleStatus::Published) => (ArticleStatus::Published, a.published_at.or(Some(now))),
        (None, ArticleStatus::Scheduled) if a.published_at.is_some_and(|t| t > now) => {
            (ArticleStatus::Scheduled, a.published_at)
        }
        _ => (ArticleStatus::Published, Some(now)),
    };
    let input = ArticleInput {
        status,
        published_at,
        ..proposal
    };
    let label = match status {
        ArticleStatus::Scheduled => format!("{label}，定时发布"),
        _ => format!("{label}并发布"),
    };
    editorial::save_in(
        txn,
        actor,
        Some(a.id),
        input,
        Recording {
            owner: None,
            label,
            action: Some("article.approve"),
            draft_key: None,
        },
    )
    .await
}

/// Returns the review of article `id` at `level` to its writer (退回修改) with `reason`,
/// which the writer sees. The live article, if any, is not touched.
pub async fn send_back(db: &Db, actor: &Actor, id: i32, level: i16, reason: &str) -> Result<()> {
    actor.require_reviewer()?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid("请填写退回原因，撰稿人会看到它".into()));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::Invalid(format!("退回原因不能超过{MAX_REASON}个字")));
    }
    let txn = db.begin().await?;
    let a = editorial::get(&txn, id).await?;
    let review = pending(&txn, id, level).await?;
    if review.submitted_by == Some(actor.id()) {
        return Err(Error::Forbidden("不能审核自己提交的稿件".into()));
    }
    let claimed = article_review::Entity::update_many()
        .col_expr(
            article_review::Column::State,
            Expr::value(ReviewState::Returned),
        )
        .col_expr(article_review::Column::Level, Expr::value(1_i16))
        .col_expr(article_review::Column::Note, Expr::value(reason.to_owned()))
        .col_expr(
            article_review::Column::FirstReviewerId,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(article_review::Column::FirstReviewer, Expr::value(""))
        .col_expr(article_review::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(article_review::Column::Id.eq(review.id))
        .filter(article_review::Column::State.eq(ReviewState::Pending))
        .filter(article_review::Column::Level.eq(level))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(handled());
    }
    let proposal = proposal(&a, Some(&review))?;
    let label = format!("退回修改：{reason}");
    editorial::record_revision(&txn, actor, id, &proposal, &label).await?;
    audit::record(
        &txn,
        actor,
        "article.return",
        "article",
        id,
        format!("《{}》退回修改：{reason}", proposal.title),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
