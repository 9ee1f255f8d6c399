//! The magazine 《中国开发区》: issues, covers and tables of contents.

mod edit;
pub use edit::*;

use chrono::{DateTime, Utc};
use entity::{image, magazine_issue, magazine_issue_article};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::article::{ArticleLink, published_links};
use crate::{Error, Result};

/// An issue with its cover image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub issue: magazine_issue::Model,
    pub cover: Option<image::Model>,
}

/// One line of a table of contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TocEntry {
    pub section: String,
    pub article: ArticleLink,
}

async fn with_covers(
    db: &impl ConnectionTrait,
    issues: Vec<magazine_issue::Model>,
) -> Result<Vec<Issue>> {
    let ids: Vec<i32> = issues.iter().filter_map(|i| i.cover_image_id).collect();
    let covers = if ids.is_empty() {
        Vec::new()
    } else {
        image::Entity::find()
            .filter(image::Column::Id.is_in(ids))
            .all(db)
            .await?
    };
    Ok(issues
        .into_iter()
        .map(|issue| Issue {
            cover: issue
                .cover_image_id
                .and_then(|c| covers.iter().find(|i| i.id == c).cloned()),
            issue,
        })
        .collect())
}

/// Every issue `site` has published, newest first.
pub async fn issues(
    db: &impl ConnectionTrait,
    site: i32,
    now: DateTime<Utc>,
) -> Result<Vec<Issue>> {
    let issues = magazine_issue::Entity::find()
        .filter(magazine_issue::Column::SiteId.eq(site))
        .filter(magazine_issue::Column::PublishedAt.lte(now))
        .order_by_desc(magazine_issue::Column::Year)
        .order_by_desc(magazine_issue::Column::Number)
        .all(db)
        .await?;
    with_covers(db, issues).await
}

/// Issue `number` of `year` with its table of contents (published articles only).
pub async fn issue(
    db: &impl ConnectionTrait,
    site: i32,
    year: i32,
    number: i32,
    now: DateTime<Utc>,
) -> Result<(Issue, Vec<TocEntry>)> {
    let found = magazine_issue::Entity::find()
        .filter(magazine_issue::Column::SiteId.eq(site))
        .filter(magazine_issue::Column::Year.eq(year))
        .filter(magazine_issue::Column::Number.eq(number))
        .filter(magazine_issue::Column::PublishedAt.lte(now))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let lines = magazine_issue_article::Entity::find()
        .filter(magazine_issue_article::Column::IssueId.eq(found.id))
        .order_by_asc(magazine_issue_article::Column::SortOrder)
        .order_by_asc(magazine_issue_article::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = lines.iter().map(|l| l.article_id).collect();
    let links = published_links(db, site, &ids, now).await?;
    let toc = lines
        .into_iter()
        .filter_map(|l| {
            links
                .iter()
                .find(|a| a.id == l.article_id)
                .map(|a| TocEntry {
                    section: l.section,
                    article: a.clone(),
                })
        })
        .collect();
    let mut issue = with_covers(db, vec![found]).await?;
    let issue = issue.pop().ok_or(Error::NotFound)?;
    Ok((issue, toc))
}
