//! 站群: the lists readers see are a site's, so the indexes behind them lead with the site:
//! the newest articles, the flagged ones (头条, 推荐, 幻灯), the notices, the answered
//! messages, and a magazine issue's year and number (unique within a site). The articles'
//! `(status, published_at, id)` index stays for the scheduler and the back office, which
//! look across sites.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (old index, its definition) → (new index, its definition).
const CHANGES: &[(&str, &str, &str, &str)] = &[
    (
        "",
        "",
        "idx_articles_site_published",
        "articles (site_id, status, published_at, id)",
    ),
    (
        "idx_articles_slideshow",
        "articles (is_slideshow, status, published_at)",
        "idx_articles_site_slideshow",
        "articles (site_id, is_slideshow, status, published_at)",
    ),
    (
        "idx_articles_headline",
        "articles (is_headline, status, published_at)",
        "idx_articles_site_headline",
        "articles (site_id, is_headline, status, published_at)",
    ),
    (
        "idx_articles_recommended",
        "articles (is_recommended, status, published_at)",
        "idx_articles_site_recommended",
        "articles (site_id, is_recommended, status, published_at)",
    ),
    (
        "idx_notices_published",
        "notices (is_published, published_at)",
        "idx_notices_site_published",
        "notices (site_id, is_published, published_at)",
    ),
    (
        "idx_messages_published",
        "messages (is_published, created_at)",
        "idx_messages_site_published",
        "messages (site_id, is_published, created_at)",
    ),
    (
        "UNIQUE idx_magazine_issues_year_number",
        "magazine_issues (year, number)",
        "UNIQUE idx_magazine_issues_site_year_number",
        "magazine_issues (site_id, year, number)",
    ),
];

/// `CREATE [UNIQUE] INDEX name ON definition`, from `"[UNIQUE ]name"`.
fn create(name: &str, definition: &str) -> String {
    match name.strip_prefix("UNIQUE ") {
        Some(name) => format!("CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {definition}"),
        None => format!("CREATE INDEX IF NOT EXISTS {name} ON {definition}"),
    }
}

fn drop(name: &str) -> String {
    format!(
        "DROP INDEX IF EXISTS {}",
        name.strip_prefix("UNIQUE ").unwrap_or(name)
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (old, _, new, definition) in CHANGES {
            db.execute_unprepared(&create(new, definition)).await?;
            if !old.is_empty() {
                db.execute_unprepared(&drop(old)).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (old, old_definition, new, _) in CHANGES {
            if !old.is_empty() {
                db.execute_unprepared(&create(old, old_definition)).await?;
            }
            db.execute_unprepared(&drop(new)).await?;
        }
        Ok(())
    }
}
