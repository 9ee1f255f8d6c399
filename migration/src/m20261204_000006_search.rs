//! Search: one row per searchable document (article, notice, single page) and its index, in
//! the main database. The tokens are made by the application (Han bigrams and trigrams, Latin
//! and digit words), so each backend only stores and intersects them: SQLite in an FTS5 table
//! (contentless, token lists per column), PostgreSQL in `tsvector` columns with GIN indexes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `key` orders documents by their date (microseconds since 1970, made unique), so "newest
/// first" is the order of the primary key, and in SQLite the FTS rowid.
const DOCS: &str = "CREATE TABLE IF NOT EXISTS search_docs (
    key BIGINT NOT NULL PRIMARY KEY,
    kind SMALLINT NOT NULL,
    ref_id INTEGER NOT NULL,
    category_id INTEGER NULL,
    public BOOLEAN NOT NULL,
    title TEXT NOT NULL
)";

const SQLITE: &[&str] = &[
    DOCS,
    "CREATE UNIQUE INDEX IF NOT EXISTS idx_search_docs_ref ON search_docs (kind, ref_id)",
    // Column-level detail: which column holds a token, no positions (the tokens already
    // encode order), so the index stays small and every query is a plain intersection.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, lead, body, chars,
        tokenize = 'ascii', detail = 'column', content = '', contentless_delete = 1
    )",
];

const POSTGRES: &[&str] = &[
    DOCS,
    "CREATE UNIQUE INDEX IF NOT EXISTS idx_search_docs_ref ON search_docs (kind, ref_id)",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS title_tsv tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS lead_tsv tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS all_tsv tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS chars_tsv tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS idx_search_title ON search_docs USING gin (title_tsv)",
    "CREATE INDEX IF NOT EXISTS idx_search_lead ON search_docs USING gin (lead_tsv)",
    "CREATE INDEX IF NOT EXISTS idx_search_all ON search_docs USING gin (all_tsv)",
    "CREATE INDEX IF NOT EXISTS idx_search_chars ON search_docs USING gin (chars_tsv)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE,
            _ => POSTGRES,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE IF EXISTS search_fts")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS search_docs")
            .await?;
        Ok(())
    }
}
