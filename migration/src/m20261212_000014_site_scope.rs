//! 站群, second step: every row of a site's own content says which site it is (`site_id`,
//! 1 for everything that exists), and the settings a site has of its own (name, footer, 备案号,
//! review rules …) move from the installation's `site_settings` to `site_values`, keyed by
//! site. `site_settings` keeps what belongs to the installation: the security policy
//! (`security.*`) and the forms' signing key.
//!
//! Only columns are added here. The indexes that lead with `site_id` come with the queries
//! that filter on it, and the uniqueness rules that become per site (a column's slug, a
//! redirect's old address) with the table rebuilds SQLite needs for them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables of a site's content, each given `site_id INTEGER NOT NULL DEFAULT 1`.
pub const SCOPED: [&str; 13] = [
    "categories",
    "articles",
    "article_autosaves",
    "article_views_daily",
    "notices",
    "link_groups",
    "magazine_issues",
    "messages",
    "submissions",
    "search_docs",
    "redirects",
    "not_found",
    "import_records",
];

/// Installation settings, which stay in `site_settings`: the key prefix and the keys.
const INSTALLATION_PREFIX: &str = "security.";
const INSTALLATION_KEYS: [&str; 1] = ["forms_secret"];

fn installation_condition() -> String {
    let keys: Vec<String> = INSTALLATION_KEYS.iter().map(|k| format!("'{k}'")).collect();
    format!(
        "(key LIKE '{INSTALLATION_PREFIX}%' OR key IN ({}))",
        keys.join(", ")
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in SCOPED {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1"
            ))
            .await?;
        }
        // A picture belongs to a site; NULL will be the platform's shared library.
        db.execute_unprepared("ALTER TABLE images ADD COLUMN site_id INTEGER DEFAULT 1")
            .await?;
        db.execute_unprepared(
            "CREATE TABLE site_values (\
             site_id INTEGER NOT NULL REFERENCES sites (id), \
             key VARCHAR(64) NOT NULL, \
             value TEXT NOT NULL, \
             PRIMARY KEY (site_id, key))",
        )
        .await?;
        let installation = installation_condition();
        db.execute_unprepared(&format!(
            "INSERT INTO site_values (site_id, key, value) \
             SELECT 1, key, value FROM site_settings WHERE NOT {installation}"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "DELETE FROM site_settings WHERE NOT {installation}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO site_settings (key, value) \
             SELECT key, value FROM site_values WHERE site_id = 1",
        )
        .await?;
        db.execute_unprepared("DROP TABLE site_values").await?;
        for table in SCOPED.iter().chain(["images"].iter()) {
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN site_id"))
                .await?;
        }
        Ok(())
    }
}
