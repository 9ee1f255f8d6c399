//! 站群: what was unique in the installation becomes unique within a site: a column's slug
//! (every site has its `news`), a redirect's old address, a missing address, and the import
//! record of a row of another system (two members may move in from two DedeCMS sites).
//!
//! PostgreSQL swaps the constraints. SQLite cannot drop a column's `UNIQUE` or a primary
//! key, so each table is rebuilt: made again from its own stored definition with the
//! constraint changed, filled, swapped in, and its indexes made again, in one transaction with
//! foreign-key enforcement off (other tables point at `categories`) and checked before the
//! commit.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One table's change: text edits of its SQLite definition, and the PostgreSQL statements.
struct Change {
    table: &'static str,
    /// (before, after) in the `CREATE TABLE` text; the constraint added at the end comes
    /// last as `("", …)`.
    sqlite: &'static [(&'static str, &'static str)],
    pg_up: &'static str,
    pg_down: &'static str,
}

const CHANGES: [Change; 4] = [
    Change {
        table: "categories",
        sqlite: &[
            (
                "\"slug\" varchar(100) NOT NULL UNIQUE",
                "\"slug\" varchar(100) NOT NULL",
            ),
            ("", ", UNIQUE (site_id, \"slug\")"),
        ],
        pg_up: "ALTER TABLE categories DROP CONSTRAINT categories_slug_key, \
                ADD CONSTRAINT categories_site_id_slug_key UNIQUE (site_id, slug)",
        pg_down: "ALTER TABLE categories DROP CONSTRAINT categories_site_id_slug_key, \
                  ADD CONSTRAINT categories_slug_key UNIQUE (slug)",
    },
    Change {
        table: "redirects",
        sqlite: &[
            (
                "\"from_path\" varchar(1000) NOT NULL UNIQUE",
                "\"from_path\" varchar(1000) NOT NULL",
            ),
            ("", ", UNIQUE (site_id, \"from_path\")"),
        ],
        pg_up: "ALTER TABLE redirects DROP CONSTRAINT redirects_from_path_key, \
                ADD CONSTRAINT redirects_site_id_from_path_key UNIQUE (site_id, from_path)",
        pg_down: "ALTER TABLE redirects DROP CONSTRAINT redirects_site_id_from_path_key, \
                  ADD CONSTRAINT redirects_from_path_key UNIQUE (from_path)",
    },
    Change {
        table: "not_found",
        sqlite: &[
            (
                "\"path\" varchar(1000) NOT NULL PRIMARY KEY",
                "\"path\" varchar(1000) NOT NULL",
            ),
            ("", ", PRIMARY KEY (site_id, \"path\")"),
        ],
        pg_up: "ALTER TABLE not_found DROP CONSTRAINT not_found_pkey, \
                ADD PRIMARY KEY (site_id, path)",
        pg_down: "ALTER TABLE not_found DROP CONSTRAINT not_found_pkey, ADD PRIMARY KEY (path)",
    },
    Change {
        table: "import_records",
        sqlite: &[(
            "PRIMARY KEY (\"system\", \"kind\", \"source_id\")",
            "PRIMARY KEY (site_id, \"system\", \"kind\", \"source_id\")",
        )],
        pg_up: "ALTER TABLE import_records DROP CONSTRAINT import_records_pkey, \
                ADD PRIMARY KEY (site_id, system, kind, source_id)",
        pg_down: "ALTER TABLE import_records DROP CONSTRAINT import_records_pkey, \
                  ADD PRIMARY KEY (system, kind, source_id)",
    },
];

/// `sql` with the change made (`up`) or undone; an error when the definition is not the one
/// this migration knows (nothing is changed then).
fn edited(table: &str, sql: &str, edits: &[(&str, &str)], up: bool) -> Result<String, DbErr> {
    let unknown = || {
        DbErr::Migration(format!(
            "the table {table} is not defined as expected; not changed: {sql}"
        ))
    };
    let mut sql = sql.to_owned();
    for (before, after) in edits {
        let (from, to) = if up { (before, after) } else { (after, before) };
        if from.is_empty() {
            // Add the table constraint before the closing parenthesis.
            let end = sql.rfind(')').ok_or_else(unknown)?;
            sql.insert_str(end, to);
        } else if to.is_empty() {
            let at = sql.rfind(from).ok_or_else(unknown)?;
            sql.replace_range(at..at + from.len(), "");
        } else {
            if !sql.contains(from) {
                return Err(unknown());
            }
            sql = sql.replacen(from, to, 1);
        }
    }
    let head = format!("CREATE TABLE \"{table}\"");
    if !sql.starts_with(&head) {
        return Err(unknown());
    }
    Ok(sql.replacen(&head, &format!("CREATE TABLE \"{table}_rebuilt\""), 1))
}

async fn texts(db: &impl ConnectionTrait, sql: &str, table: &str) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [table.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect()
}

/// SQLite migrations run outside a transaction (sea-orm-migration wraps only PostgreSQL's),
/// so foreign keys can be switched off here; the writer is one connection, so the switch
/// holds for the transaction made next.
async fn rebuild_sqlite(manager: &SchemaManager<'_>, up: bool) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared("PRAGMA foreign_keys = OFF")
        .await?;
    let result = async {
        let txn = manager.begin().await?;
        let db = txn.get_connection();
        for change in &CHANGES {
            let t = change.table;
            let table = texts(
                db,
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                t,
            )
            .await?;
            let sql = table
                .first()
                .ok_or_else(|| DbErr::Migration(format!("the table {t} is missing")))?;
            let indexes = texts(
                db,
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
                 AND sql IS NOT NULL",
                t,
            )
            .await?;
            db.execute_unprepared(&edited(t, sql, change.sqlite, up)?)
                .await?;
            db.execute_unprepared(&format!(
                "INSERT INTO \"{t}_rebuilt\" SELECT * FROM \"{t}\""
            ))
            .await?;
            db.execute_unprepared(&format!("DROP TABLE \"{t}\""))
                .await?;
            db.execute_unprepared(&format!("ALTER TABLE \"{t}_rebuilt\" RENAME TO \"{t}\""))
                .await?;
            for index in indexes {
                db.execute_unprepared(&index).await?;
            }
        }
        let broken = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA foreign_key_check",
            ))
            .await?;
        if !broken.is_empty() {
            return Err(DbErr::Migration(format!(
                "{} rows point at rows that are not there",
                broken.len()
            )));
        }
        txn.commit().await
    }
    .await;
    manager
        .get_connection()
        .execute_unprepared("PRAGMA foreign_keys = ON")
        .await?;
    result
}

async fn change(manager: &SchemaManager<'_>, up: bool) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Sqlite {
        return rebuild_sqlite(manager, up).await;
    }
    for change in &CHANGES {
        manager
            .get_connection()
            .execute_unprepared(if up { change.pg_up } else { change.pg_down })
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        change(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        change(manager, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_edited_both_ways() {
        let before = "CREATE TABLE \"not_found\" ( \"path\" varchar(1000) NOT NULL PRIMARY KEY, \
                      \"hits\" integer NOT NULL DEFAULT 0 , site_id INTEGER NOT NULL DEFAULT 1)";
        let change = &CHANGES[2];
        let up = edited("not_found", before, change.sqlite, true).unwrap();
        assert_eq!(
            up,
            "CREATE TABLE \"not_found_rebuilt\" ( \"path\" varchar(1000) NOT NULL, \
             \"hits\" integer NOT NULL DEFAULT 0 , site_id INTEGER NOT NULL DEFAULT 1, \
             PRIMARY KEY (site_id, \"path\"))"
        );
        let back = up.replacen("not_found_rebuilt", "not_found", 1);
        let down = edited("not_found", &back, change.sqlite, false).unwrap();
        assert_eq!(down.replacen("not_found_rebuilt", "not_found", 1), before);
        // A definition this migration does not know is refused.
        assert!(
            edited(
                "not_found",
                "CREATE TABLE \"not_found\" (x)",
                change.sqlite,
                true
            )
            .is_err()
        );
    }
}
