//! Readers' contact details encrypted at rest (`service::security::personal`): the phone and
//! e-mail columns of `messages` and `submissions` become long enough for ciphertext. A site
//! that already holds messages or manuscripts keeps them until its 安全管理员 sets a retention
//! period (new sites start with 24 months).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Messages {
    Table,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
}

const COLUMNS: [(&str, &str); 4] = [
    ("messages", "phone"),
    ("messages", "email"),
    ("submissions", "phone"),
    ("submissions", "email"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut holds_any = false;
        for table in [Messages::Table.into_iden(), Submissions::Table.into_iden()] {
            holds_any |= db
                .query_one(
                    &Query::select()
                        .expr(Expr::val(1))
                        .from(table)
                        .limit(1)
                        .to_owned(),
                )
                .await?
                .is_some();
        }
        if holds_any {
            db.execute_unprepared(
                "INSERT INTO site_settings (key, value) VALUES ('security.retention_months', '0')",
            )
            .await?;
        }
        // SQLite does not enforce a text column's length; PostgreSQL does.
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            for (table, column) in COLUMNS {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Code from before encryption would show ciphertext as contact details: refused
        // while any value is encrypted. The columns stay TEXT.
        let db = manager.get_connection();
        for (table, column) in COLUMNS {
            let encrypted = db
                .query_one_raw(sea_orm::Statement::from_string(
                    manager.get_database_backend(),
                    format!("SELECT 1 AS one FROM {table} WHERE {column} LIKE 'pd1.%' LIMIT 1"),
                ))
                .await?
                .is_some();
            if encrypted {
                return Err(DbErr::Migration(format!(
                    "{table}.{column} holds encrypted contact details; versions before \
                     encryption cannot read them"
                )));
            }
        }
        db.execute_unprepared("DELETE FROM site_settings WHERE key = 'security.retention_months'")
            .await?;
        Ok(())
    }
}
