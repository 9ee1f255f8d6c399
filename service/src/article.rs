//! Articles as readers see them: only published ones whose time has come.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{Error, Result};

/// The most ids one favorites look-up accepts.
pub const MAX_IDS_PER_LOOKUP: usize = 200;

/// A link to another article: enough for 上一篇 / 下一篇 and lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleLink {
    pub id: i32,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

fn visible(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(article::Column::Status.eq(ArticleStatus::Published))
        .add(article::Column::PublishedAt.lte(now))
}

/// The published article `id`, or `NotFound` for a missing, draft or not-yet-due one.
pub async fn find_published(
    db: &impl ConnectionTrait,
    id: i32,
    now: DateTime<Utc>,
) -> Result<article::Model> {
    article::Entity::find_by_id(id)
        .filter(visible(now))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// The previous (older) and next (newer) published article in the same column.
pub async fn neighbours(
    db: &impl ConnectionTrait,
    of: &article::Model,
    now: DateTime<Utc>,
) -> Result<(Option<ArticleLink>, Option<ArticleLink>)> {
    let Some(at) = of.published_at else {
        return Ok((None, None));
    };
    let same_column = visible(now).add(article::Column::CategoryId.eq(of.category_id));
    let older = Condition::any()
        .add(article::Column::PublishedAt.lt(at))
        .add(
            Condition::all()
                .add(article::Column::PublishedAt.eq(at))
                .add(article::Column::Id.lt(of.id)),
        );
    let newer = Condition::any()
        .add(article::Column::PublishedAt.gt(at))
        .add(
            Condition::all()
                .add(article::Column::PublishedAt.eq(at))
                .add(article::Column::Id.gt(of.id)),
        );
    let prev = link_query(same_column.clone().add(older))
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .one(db)
        .await?;
    let next = link_query(same_column.add(newer))
        .order_by_asc(article::Column::PublishedAt)
        .order_by_asc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .one(db)
        .await?;
    Ok((prev.and_then(to_link), next.and_then(to_link)))
}

fn link_query(cond: Condition) -> sea_orm::Select<article::Entity> {
    article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::PublishedAt,
        ])
        .filter(cond)
        .limit(1)
}

fn to_link((id, title, at): (i32, String, Option<DateTime<Utc>>)) -> Option<ArticleLink> {
    Some(ArticleLink {
        id,
        title,
        published_at: at?,
    })
}

/// The published articles among `ids` (unknown and unpublished ids are skipped), in the
/// order the ids were given. At most [`MAX_IDS_PER_LOOKUP`] ids are looked at.
pub async fn published_links(
    db: &impl ConnectionTrait,
    ids: &[i32],
    now: DateTime<Utc>,
) -> Result<Vec<ArticleLink>> {
    let ids: Vec<i32> = ids.iter().copied().take(MAX_IDS_PER_LOOKUP).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::PublishedAt,
        ])
        .filter(visible(now))
        .filter(article::Column::Id.is_in(ids.clone()))
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .all(db)
        .await?;
    let mut links: Vec<ArticleLink> = rows.into_iter().filter_map(to_link).collect();
    links.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    Ok(links)
}

/// The newest published articles, site-wide.
pub async fn latest(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<ArticleLink>> {
    let rows = link_query(visible(now))
        .limit(limit)
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .into_tuple::<(i32, String, Option<DateTime<Utc>>)>()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(to_link).collect())
}

/// Adds `by` to an article's stored hit count; false when there is no such article.
pub async fn add_hits(db: &impl ConnectionTrait, id: i32, by: u64) -> Result<bool> {
    let by = i64::try_from(by).map_err(|_| Error::Invalid("hit count overflow".into()))?;
    let res = article::Entity::update_many()
        .col_expr(
            article::Column::Hits,
            Expr::col(article::Column::Hits).add(by),
        )
        .filter(article::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// An article as lists show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub id: i32,
    pub category_id: i32,
    pub title: String,
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub cover: Option<entity::image::Model>,
}

/// The list items of `ids`, in the order given (unknown ids are skipped), with their covers.
pub async fn list_items(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<ListItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    type Row = (i32, i32, String, String, Option<DateTime<Utc>>, Option<i32>);
    let rows: Vec<Row> = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::CategoryId,
            article::Column::Title,
            article::Column::Summary,
            article::Column::PublishedAt,
            article::Column::CoverImageId,
        ])
        .filter(article::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let cover_ids: Vec<i32> = rows.iter().filter_map(|r| r.5).collect();
    let covers = if cover_ids.is_empty() {
        Vec::new()
    } else {
        entity::image::Entity::find()
            .filter(entity::image::Column::Id.is_in(cover_ids))
            .all(db)
            .await?
    };
    let mut items: Vec<ListItem> = rows
        .into_iter()
        .filter_map(|(id, category_id, title, summary, at, cover_id)| {
            Some(ListItem {
                id,
                category_id,
                title,
                summary,
                published_at: at?,
                cover: cover_id.and_then(|c| covers.iter().find(|i| i.id == c).cloned()),
            })
        })
        .collect();
    items.sort_by_key(|i| ids.iter().position(|id| *id == i.id));
    Ok(items)
}

/// The article flags the home page shows blocks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// 头条
    Headline,
    /// 推荐
    Recommended,
    /// 幻灯
    Slideshow,
}

/// The newest published articles carrying `flag` (only those with a cover if `with_cover`).
pub async fn flagged(
    db: &impl ConnectionTrait,
    flag: Flag,
    limit: u64,
    with_cover: bool,
    now: DateTime<Utc>,
) -> Result<Vec<ListItem>> {
    let column = match flag {
        Flag::Headline => article::Column::IsHeadline,
        Flag::Recommended => article::Column::IsRecommended,
        Flag::Slideshow => article::Column::IsSlideshow,
    };
    let mut query = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(column.eq(true))
        .filter(visible(now));
    if with_cover {
        query = query.filter(article::Column::CoverImageId.is_not_null());
    }
    let ids: Vec<i32> = query
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    list_items(db, &ids).await
}

/// Everything an editor sets on an article. Built from a form, checked by [`ArticleInput::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleInput {
    pub category_id: i32,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub summary: String,
    /// HTML; sanitized when saved.
    pub body: String,
    pub cover_image_id: Option<i32>,
    pub is_headline: bool,
    pub is_recommended: bool,
    pub is_slideshow: bool,
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
}

impl ArticleInput {
    /// The input of an existing article, to change a few fields of.
    pub fn from_model(a: &article::Model) -> ArticleInput {
        ArticleInput {
            category_id: a.category_id,
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
        }
    }

    /// Trims the text fields and checks lengths; messages are for editors, in Chinese.
    pub fn validate(mut self) -> Result<ArticleInput> {
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
        if self.status == ArticleStatus::Published && self.published_at.is_none() {
            self.published_at = Some(Utc::now());
        }
        Ok(self)
    }
}

/// The cache tags of the pages that show `a`: its own page, its neighbours' pages, and the
/// lists of its column and the column's ancestors.
async fn showing(
    db: &impl ConnectionTrait,
    a: &article::Model,
    categories: &[entity::category::Model],
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    use crate::cache::tag;
    let mut tags = vec![tag::article(a.id)];
    tags.extend(
        crate::category::with_ancestors(categories, a.category_id)
            .into_iter()
            .map(tag::list),
    );
    let (prev, next) = neighbours(db, a, now).await?;
    tags.extend(prev.into_iter().chain(next).map(|l| tag::article(l.id)));
    Ok(tags)
}

/// Creates (`id` = None) or updates an article in one transaction: the row, its column
/// listings, and the page-cache invalidations of every page that showed it before or shows
/// it after.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    id: Option<i32>,
    input: ArticleInput,
) -> Result<article::Model> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};
    let input = input.validate()?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let categories = crate::category::all(&txn).await?;
    if !categories.iter().any(|c| c.id == input.category_id) {
        return Err(Error::Invalid("所选栏目不存在".into()));
    }
    let before = match id {
        Some(id) => Some(
            article::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut tags: Vec<String> = vec![
        crate::cache::tag::HOME.into(),
        crate::cache::tag::FEED.into(),
        crate::cache::tag::SITEMAP.into(),
        crate::cache::tag::MAGAZINE.into(),
    ];
    if let Some(b) = &before {
        tags.extend(showing(&txn, b, &categories, now).await?);
    }
    let mut model: article::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => article::ActiveModel {
            hits: Set(0),
            slug: Set(None),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.category_id = Set(input.category_id);
    model.title = Set(input.title);
    model.subtitle = Set(input.subtitle);
    model.source = Set(input.source);
    model.author = Set(input.author);
    model.summary = Set(input.summary);
    model.body = Set(crate::html::sanitize(&input.body));
    model.cover_image_id = Set(input.cover_image_id);
    model.is_headline = Set(input.is_headline);
    model.is_recommended = Set(input.is_recommended);
    model.is_slideshow = Set(input.is_slideshow);
    model.status = Set(input.status);
    model.published_at = Set(input.published_at);
    model.updated_at = Set(now);
    let saved = match before {
        Some(_) => model.update(&txn).await?,
        None => model.insert(&txn).await?,
    };
    crate::listing::sync(&txn, &saved, &categories).await?;
    tags.extend(showing(&txn, &saved, &categories, now).await?);
    crate::cache::invalidate(&txn, tags).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The cover image of `a`, if it has one.
pub async fn cover(
    db: &impl ConnectionTrait,
    a: &article::Model,
) -> Result<Option<entity::image::Model>> {
    match a.cover_image_id {
        Some(id) => Ok(entity::image::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// The stored hit count of a published article.
pub async fn stored_hits(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<i64> {
    article::Entity::find_by_id(id)
        .select_only()
        .column(article::Column::Hits)
        .filter(visible(now))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// The newest published articles as list items (for the site feed).
pub async fn latest_items(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<ListItem>> {
    let ids: Vec<i32> = latest(db, limit, now).await?.iter().map(|l| l.id).collect();
    list_items(db, &ids).await
}
