//! Articles as editors handle them: saving (with revisions, audit and cache invalidation in
//! one transaction), status changes, revisions, autosaves, search, and the scheduler that
//! publishes scheduled articles on time.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use entity::{article_autosave, article_revision};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::article::neighbours;
use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};
pub mod compare;
mod history;

pub use history::*;

/// Everything an editor sets on an article. Built from a form, checked by
/// [`ArticleInput::validate`]; stored whole in every revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub column_id: i32,
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub summary: String,
    /// HTML; sanitized when saved.
    pub body: String,
    #[serde(default)]
    pub cover_image_id: Option<i32>,
    #[serde(default)]
    pub is_headline: bool,
    #[serde(default)]
    pub is_recommended: bool,
    #[serde(default)]
    pub is_slideshow: bool,
    pub status: ArticleStatus,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// 关键词, comma-separated. `None` leaves an article's as they are (inputs saved before
    /// the field existed, forms that do not show it).
    #[serde(default)]
    pub keywords: Option<String>,
}

impl ArticleInput {
    /// The input of an existing article, to change a few fields of.
    pub fn from_model(a: &article::Model) -> ArticleInput {
        ArticleInput {
            column_id: a.column_id,
            title: a.title.clone(),
            subtitle: a.subtitle.clone(),
            source: a.source.clone(),
            author: a.author.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            cover_image_id: a.cover_image_id,
            is_headline: a.is_headline,
            is_recommended: a.is_recommended,
            is_slideshow: a.is_slideshow,
            status: a.status,
            published_at: a.published_at,
            keywords: Some(a.keywords.clone()),
        }
    }

    /// Trims and checks the fields; messages are for editors, in Chinese. A "published"
    /// article dated in the future becomes scheduled; a scheduled one needs a future time.
    pub fn validate(mut self, now: DateTime<Utc>) -> Result<ArticleInput> {
        fn limit(field: &str, value: &mut String, max: usize) -> Result<()> {
            *value = value.trim().to_owned();
            if value.chars().count() > max {
                return Err(Error::Invalid(format!("{field}不能超过{max}个字")));
            }
            Ok(())
        }
        limit("标题", &mut self.title, 200)?;
        if self.title.is_empty() {
            return Err(Error::Invalid("标题不能为空".into()));
        }
        limit("副标题", &mut self.subtitle, 200)?;
        limit("来源", &mut self.source, 100)?;
        limit("作者", &mut self.author, 100)?;
        limit("摘要", &mut self.summary, 500)?;
        if let Some(k) = &mut self.keywords {
            *k = normalize_keywords(k);
            if k.chars().count() > 255 {
                return Err(Error::Invalid("关键词不能超过255个字".into()));
            }
        }
        if self.body.len() > 2 * 1024 * 1024 {
            return Err(Error::Invalid(
                "正文过长（超过 2 MB），请拆分为多篇文章".into(),
            ));
        }
        match self.status {
            ArticleStatus::Published => match self.published_at {
                None => self.published_at = Some(now),
                Some(at) if at > now + chrono::Duration::seconds(1) => {
                    self.status = ArticleStatus::Scheduled;
                }
                Some(_) => {}
            },
            ArticleStatus::Scheduled => match self.published_at {
                None => return Err(Error::Invalid("定时发布需要填写发布时间".into())),
                Some(at) if at <= now => {
                    return Err(Error::Invalid("定时发布的时间必须晚于当前时间".into()));
                }
                Some(_) => {}
            },
            ArticleStatus::Draft | ArticleStatus::Archived => {}
        }
        Ok(self)
    }
}

/// 关键词 as they are stored: separated by commas (full-width commas, 、 and ； read as
/// commas too), each trimmed, empty and repeated ones left out.
pub fn normalize_keywords(raw: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    raw.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|k| !k.is_empty() && seen.insert(*k))
        .collect::<Vec<_>>()
        .join(",")
}

/// The cache tags of the pages that show `a`: its own page, its neighbours' pages, the
/// lists of its column and the column's ancestors.
async fn showing(
    db: &impl ConnectionTrait,
    a: &article::Model,
    columns: &[entity::column::Model],
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let mut tags = vec![tag::article(a.id)];
    tags.extend(
        crate::column::with_ancestors(columns, a.column_id)
            .into_iter()
            .map(tag::list),
    );
    let (prev, next) = neighbours(db, a, now).await?;
    tags.extend(prev.into_iter().chain(next).map(|l| tag::article(l.id)));
    Ok(tags)
}

/// Tags every article change makes stale besides the pages showing the article.
fn site_tags() -> Vec<String> {
    [tag::HOME, tag::FEED, tag::SITEMAP, tag::MAGAZINE]
        .into_iter()
        .map(String::from)
        .collect()
}

/// Stores a revision of article `article_id` holding `data`, labelled with the review step
/// that made it (empty for a plain save).
pub(crate) async fn record_revision(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    article_id: i32,
    data: &ArticleInput,
    label: &str,
) -> Result<()> {
    article_revision::Entity::insert(article_revision::ActiveModel {
        article_id: Set(article_id),
        user_id: Set(actor.user_id),
        username: Set(actor.username.clone()),
        data: Set(serde_json::to_string(data).unwrap_or_default()),
        label: Set(label.chars().take(200).collect()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// Writes `model`'s new state: listings, search index, invalidations (before and after), a
/// revision (labelled `label`) when asked, and the audit entry. Runs inside the caller's
/// transaction.
#[allow(clippy::too_many_arguments)]
async fn apply(
    txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    before: Option<&article::Model>,
    after: &article::Model,
    revision: Option<&str>,
    action: &str,
    summary: String,
) -> Result<()> {
    let now = Utc::now();
    let columns = crate::column::all(txn, after.site_id).await?;
    let mut tags = site_tags();
    if let Some(b) = before {
        tags.extend(showing(txn, b, &columns, now).await?);
    }
    crate::listing::sync(txn, after, &columns).await?;
    if before.is_none_or(|b| crate::search::article_changed(b, after)) {
        crate::search::index_article(txn, after).await?;
    }
    tags.extend(showing(txn, after, &columns, now).await?);
    match before {
        // An article moved to another site's column: both sites' pages.
        Some(b) if b.site_id != after.site_id => cache::invalidate(txn, tags).await?,
        _ => cache::invalidate_site(txn, after.site_id, tags).await?,
    }
    if let Some(label) = revision {
        record_revision(
            txn,
            actor,
            after.id,
            &ArticleInput::from_model(after),
            label,
        )
        .await?;
    }
    audit::record(txn, actor, action, "article", after.id, summary).await
}

/// How a save is recorded, beyond the article itself.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    /// Who owns a new article (the staff member creating it).
    pub owner: Option<i32>,
    /// The revision's label: empty for a plain save, the review step otherwise.
    pub label: String,
    /// The audit action, instead of `article.create` / `article.update`.
    pub action: Option<&'static str>,
    /// The editor's page that sent the save (its unsaved copy is removed with the save,
    /// also for a new article, whose copy has no article id yet).
    pub draft_key: Option<String>,
}

/// Creates (`id` = None) or updates an article in one transaction: the row, its listings,
/// a revision, the audit entry, and the page-cache invalidations of every page that showed
/// it before or shows it after. The trusted path (command line, review approvals, editors
/// who publish directly): staff requests go through [`crate::review::save`], which decides.
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    input: ArticleInput,
) -> Result<article::Model> {
    let txn = db.begin().await?;
    let saved = save_in(&txn, actor, id, input, Recording::default()).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes `user_id`'s unsaved copies of article `article_id`, and the one of the editor's
/// page `draft_key` (a new article's copy has no article id): the save has them now.
pub(crate) async fn forget_autosave(
    txn: &impl ConnectionTrait,
    user_id: i32,
    article_id: i32,
    draft_key: Option<&str>,
) -> Result<()> {
    let mut which = Condition::any().add(article_autosave::Column::ArticleId.eq(article_id));
    if let Some(key) = draft_key {
        which = which.add(article_autosave::Column::DraftKey.eq(key));
    }
    article_autosave::Entity::delete_many()
        .filter(article_autosave::Column::UserId.eq(user_id))
        .filter(which)
        .exec(txn)
        .await?;
    Ok(())
}

/// [`save`] inside the caller's transaction.
pub(crate) async fn save_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Option<i32>,
    input: ArticleInput,
    recording: Recording,
) -> Result<article::Model> {
    let now = Utc::now();
    let mut input = input.validate(now)?;
    input.body = crate::html::clean(std::mem::take(&mut input.body)).await?;
    // The article belongs to its column's site.
    let Some(column) = entity::column::Entity::find_by_id(input.column_id)
        .one(txn)
        .await?
    else {
        return Err(Error::Invalid("所选栏目不存在".into()));
    };
    let before = match id {
        Some(id) => Some(
            article::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut model: article::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => article::ActiveModel {
            hits: Set(0),
            slug: Set(None),
            owner_id: Set(recording.owner),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.column_id = Set(input.column_id);
    model.site_id = Set(column.site_id);
    model.title = Set(input.title.clone());
    model.subtitle = Set(input.subtitle);
    model.source = Set(input.source);
    model.author = Set(input.author);
    model.summary = Set(input.summary);
    model.body = Set(input.body);
    model.cover_image_id = Set(input.cover_image_id);
    model.is_headline = Set(input.is_headline);
    model.is_recommended = Set(input.is_recommended);
    model.is_slideshow = Set(input.is_slideshow);
    model.status = Set(input.status);
    model.published_at = Set(input.published_at);
    if let Some(k) = input.keywords {
        model.keywords = Set(k);
    }
    model.updated_at = Set(now);
    let saved = match &before {
        Some(_) => model.update(txn).await?,
        None => model.insert(txn).await?,
    };
    let summary = match &before {
        None => format!("新建《{}》（{}）", saved.title, saved.status.label()),
        Some(b) => {
            let mut changes = Vec::new();
            if b.title != saved.title {
                changes.push(format!("标题：《{}》→《{}》", b.title, saved.title));
            }
            if b.status != saved.status {
                changes.push(format!(
                    "状态：{} → {}",
                    b.status.label(),
                    saved.status.label()
                ));
            }
            if b.body != saved.body {
                changes.push(format!(
                    "正文：{} → {} 字节",
                    b.body.len(),
                    saved.body.len()
                ));
            }
            if b.column_id != saved.column_id {
                changes.push(format!("栏目：{} → {}", b.column_id, saved.column_id));
            }
            if b.published_at != saved.published_at {
                changes.push("发布时间已修改".to_owned());
            }
            if changes.is_empty() {
                changes.push("其他字段已修改".to_owned());
            }
            format!("《{}》：{}", saved.title, changes.join("；"))
        }
    };
    let action = match (recording.action, &before) {
        (Some(action), _) => action,
        (None, Some(_)) => "article.update",
        (None, None) => "article.create",
    };
    let summary = match recording.label.as_str() {
        "" => summary,
        label => format!("{label}：{summary}"),
    };
    apply(
        txn,
        actor,
        before.as_ref(),
        &saved,
        Some(&recording.label),
        action,
        summary,
    )
    .await?;
    forget_autosave(
        txn,
        actor.user_id.unwrap_or(0),
        saved.id,
        recording.draft_key.as_deref(),
    )
    .await?;
    Ok(saved)
}

/// The bulk actions of the article list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bulk {
    Publish,
    Unpublish,
    Archive,
}

/// Applies a bulk action to `ids`; returns how many articles changed.
pub async fn bulk(db: &Db, actor: &Actor, ids: &[i32], action: Bulk) -> Result<usize> {
    if ids.is_empty() {
        return Err(Error::Invalid("请先勾选文章".into()));
    }
    if ids.len() > 500 {
        return Err(Error::Invalid("一次最多处理 500 篇文章".into()));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let rows = article::Entity::find()
        .filter(article::Column::Id.is_in(ids.to_vec()))
        .all(&txn)
        .await?;
    let mut changed = 0;
    for before in rows {
        let target = match action {
            Bulk::Publish => ArticleStatus::Published,
            Bulk::Unpublish => ArticleStatus::Draft,
            Bulk::Archive => ArticleStatus::Archived,
        };
        if before.status == target {
            continue;
        }
        let mut m: article::ActiveModel = before.clone().into();
        m.status = Set(target);
        if target == ArticleStatus::Published && before.published_at.is_none_or(|at| at > now) {
            m.published_at = Set(Some(now));
        }
        m.updated_at = Set(now);
        let after = m.update(&txn).await?;
        let summary = format!(
            "批量操作《{}》：{} → {}",
            after.title,
            before.status.label(),
            after.status.label()
        );
        apply(
            &txn,
            actor,
            Some(&before),
            &after,
            Some(""),
            "article.status",
            summary,
        )
        .await?;
        changed += 1;
    }
    txn.commit().await?;
    Ok(changed)
}

/// Publishes every scheduled article whose time has come. Each goes live exactly once even
/// with several servers running this: only the transaction whose conditional update changes
/// the row goes on to list, invalidate and log it. Returns the ids published here.
pub async fn publish_due(db: &Db) -> Result<Vec<i32>> {
    let now = Utc::now();
    let due: Vec<i32> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::Status.eq(ArticleStatus::Scheduled))
        .filter(article::Column::PublishedAt.lte(now))
        .order_by_asc(article::Column::PublishedAt)
        .limit(100)
        .into_tuple()
        .all(db)
        .await?;
    let mut published = Vec::new();
    for id in due {
        let txn = db.begin().await?;
        let res = article::Entity::update_many()
            .col_expr(
                article::Column::Status,
                sea_orm::sea_query::Expr::value(ArticleStatus::Published),
            )
            .filter(article::Column::Id.eq(id))
            .filter(article::Column::Status.eq(ArticleStatus::Scheduled))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            txn.rollback().await?;
            continue;
        }
        let Some(after) = article::Entity::find_by_id(id).one(&txn).await? else {
            txn.rollback().await?;
            continue;
        };
        let summary = format!("定时发布《{}》", after.title);
        apply(
            &txn,
            &Actor::system("scheduler"),
            None,
            &after,
            None,
            "article.publish",
            summary,
        )
        .await?;
        txn.commit().await?;
        published.push(id);
    }
    Ok(published)
}

/// What the article list can be filtered by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    /// A column (its whole subtree).
    pub column_id: Option<i32>,
    pub status: Option<ArticleStatus>,
    /// `headline`, `recommended` or `slideshow`.
    pub flag: Option<String>,
    pub author: Option<String>,
    /// Words searched for in the title, summary and text (the readers' search).
    pub text: Option<String>,
    /// Only the articles this staff member created (a writer's list).
    pub owner: Option<i32>,
    /// Only articles whose review is in this state (待审核, 退回修改, 修改待提交).
    pub review: Option<entity::article_review::ReviewState>,
}

/// Page `page` (from 0) of articles matching `search`, newest change first.
pub async fn search(
    db: &crate::db::Db,
    s: &Search,
    page: u64,
    per_page: u64,
) -> Result<(Vec<article::Model>, u64)> {
    // Words go through the search index, which PostgreSQL must read through its GIN index.
    if s.text.is_some()
        && let Some(txn) = crate::search::search_transaction(db).await?
    {
        let out = search_in(&txn, s, page, per_page).await?;
        txn.commit().await?;
        return Ok(out);
    }
    search_in(db, s, page, per_page).await
}

async fn search_in(
    db: &impl ConnectionTrait,
    s: &Search,
    page: u64,
    per_page: u64,
) -> Result<(Vec<article::Model>, u64)> {
    let mut cond = Condition::all();
    if let Some(c) = s.column_id {
        let all = crate::column::all(db, crate::site::MAIN).await?;
        let ids = crate::column::with_descendants(&all, c);
        cond = cond.add(article::Column::ColumnId.is_in(ids));
    }
    if let Some(st) = s.status {
        cond = cond.add(article::Column::Status.eq(st));
    }
    match s.flag.as_deref() {
        Some("headline") => cond = cond.add(article::Column::IsHeadline.eq(true)),
        Some("recommended") => cond = cond.add(article::Column::IsRecommended.eq(true)),
        Some("slideshow") => cond = cond.add(article::Column::IsSlideshow.eq(true)),
        _ => {}
    }
    if let Some(a) = s.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        cond = cond.add(article::Column::Author.contains(a));
    }
    if let Some(owner) = s.owner {
        cond = cond.add(article::Column::OwnerId.eq(owner));
    }
    if let Some(state) = s.review {
        use entity::article_review;
        cond = cond.add(
            article::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(article_review::Column::ArticleId)
                    .from(article_review::Entity)
                    .and_where(article_review::Column::State.eq(state))
                    .to_owned(),
            ),
        );
    }
    if let Some(t) = s.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // The readers' search, over every status: words anywhere in the title, summary or
        // text; a text without any word (punctuation only) matches nothing.
        cond = cond.add(
            match crate::search::article_ids_sql(db.get_database_backend(), t) {
                Some(ids) => sea_orm::sea_query::Expr::cust(format!("articles.id IN ({ids})")),
                None => sea_orm::sea_query::Expr::cust("1 = 0"),
            },
        );
    }
    let total = article::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    let rows = article::Entity::find()
        .filter(cond)
        .order_by_desc(article::Column::UpdatedAt)
        .order_by_desc(article::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// An article for the editor (any status).
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<article::Model> {
    article::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(status: ArticleStatus, at: Option<DateTime<Utc>>) -> ArticleInput {
        ArticleInput {
            column_id: 1,
            title: "  标题  ".into(),
            subtitle: String::new(),
            source: String::new(),
            author: String::new(),
            summary: String::new(),
            body: "<p>正文</p>".into(),
            cover_image_id: None,
            is_headline: false,
            is_recommended: false,
            is_slideshow: false,
            status,
            published_at: at,
            keywords: None,
        }
    }

    #[test]
    fn status_and_time_are_made_consistent() {
        let now = Utc::now();
        let later = now + chrono::Duration::hours(2);
        let v = input(ArticleStatus::Published, None).validate(now).unwrap();
        assert_eq!(v.published_at, Some(now));
        assert_eq!(v.title, "标题");
        let v = input(ArticleStatus::Published, Some(later))
            .validate(now)
            .unwrap();
        assert_eq!(v.status, ArticleStatus::Scheduled);
        assert!(input(ArticleStatus::Scheduled, None).validate(now).is_err());
        assert!(
            input(
                ArticleStatus::Scheduled,
                Some(now - chrono::Duration::minutes(1))
            )
            .validate(now)
            .is_err()
        );
        assert!(input(ArticleStatus::Draft, None).validate(now).is_ok());
        let mut empty = input(ArticleStatus::Draft, None);
        empty.title = "   ".into();
        assert!(empty.validate(now).is_err());
    }
}
