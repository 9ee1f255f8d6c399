//! What `sitemap.xml` lists. Articles are split into chunks by id so that no sitemap file
//! holds more than [`URLS_PER_FILE`] URLs.

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;

/// The sitemap protocol's limit per file.
pub const URLS_PER_FILE: i64 = 50_000;

/// The largest id of an article `site` has published (0 when there is none).
pub async fn max_published_id(
    db: &impl ConnectionTrait,
    site: i32,
    now: DateTime<Utc>,
) -> Result<i32> {
    let id: Option<i32> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::SiteId.eq(site))
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::PublishedAt.lte(now))
        .order_by_desc(article::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// The article sitemap files `site` has (from 0), in order. Ids are numbered across every
/// site, so a site's files may skip numbers: only those with an article of the site are
/// listed.
pub async fn article_files(
    db: &impl ConnectionTrait,
    site: i32,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    use sea_orm::ExprTrait;
    let mut files: Vec<i64> = article::Entity::find()
        .select_only()
        .column_as(
            Expr::col(article::Column::Id)
                .sub(1)
                .div(Expr::val(URLS_PER_FILE)),
            "file",
        )
        .distinct()
        .filter(article::Column::SiteId.eq(site))
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::PublishedAt.lte(now))
        .into_tuple()
        .all(db)
        .await?;
    files.sort_unstable();
    Ok(files)
}

/// The articles `site` has published in file `n` (from 0): ids in
/// `n*50000+1 ..= (n+1)*50000`, with the time each last changed.
pub async fn article_file(
    db: &impl ConnectionTrait,
    site: i32,
    n: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, DateTime<Utc>)>> {
    let first = n.saturating_mul(URLS_PER_FILE).saturating_add(1);
    let last = first.saturating_add(URLS_PER_FILE - 1);
    let (Ok(first), Ok(last)) = (
        i32::try_from(first),
        i32::try_from(last.min(i64::from(i32::MAX))),
    ) else {
        return Ok(Vec::new());
    };
    Ok(article::Entity::find()
        .select_only()
        .columns([article::Column::Id, article::Column::UpdatedAt])
        .filter(article::Column::SiteId.eq(site))
        .filter(article::Column::Id.between(first, last))
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::PublishedAt.lte(now))
        .order_by_asc(article::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
