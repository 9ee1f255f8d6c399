//! 等保 level 3: the audit log becomes a hash chain that only grows (each row sealed with the
//! previous row's hash; rows cannot be changed, and deleted only once archived), accounts get
//! a second factor, a password history and a forced change, and an existing site keeps its
//! single 管理员 (the separation of duties is for new sites, or switched on later).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Outcome,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
    ArchivedSeq,
    ArchivedHash,
    KeyId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum PasswordHistory {
    Table,
    Id,
    UserId,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

/// Sealed rows never change; rows are deleted only up to the last archived one.
const PG_TRIGGERS: &[&str] = &[
    r#"CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NOT NULL THEN
      RAISE EXCEPTION 'audit_log rows cannot be changed';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.seq IS NULL OR OLD.seq > COALESCE((SELECT archived_seq FROM audit_head WHERE id = 1), 0) THEN
    RAISE EXCEPTION 'audit_log rows can only be removed by archiving them';
  END IF;
  RETURN OLD;
END
$$ LANGUAGE plpgsql"#,
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
];

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log \
     WHEN OLD.seq IS NOT NULL \
     BEGIN SELECT RAISE(ABORT, 'audit_log rows cannot be changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log \
     WHEN OLD.seq IS NULL OR OLD.seq > COALESCE((SELECT archived_seq FROM audit_head WHERE id = 1), 0) \
     BEGIN SELECT RAISE(ABORT, 'audit_log rows can only be removed by archiving them'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // An existing site keeps its single 管理员 until an administrator switches the
        // separation of duties on (new sites start with it on).
        let has_users = db
            .query_one(
                &Query::select()
                    .expr(Expr::val(1))
                    .from(Users::Table)
                    .limit(1)
                    .to_owned(),
            )
            .await?
            .is_some();
        if has_users {
            db.execute_unprepared(
                "INSERT INTO site_settings (key, value) VALUES ('security.separation', '0')",
            )
            .await?;
        }
        for col in [
            string_len(AuditLog::Outcome, 16).default("ok").to_owned(),
            big_integer_null(AuditLog::Seq).to_owned(),
            string_len(AuditLog::Hash, 64).default("").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_seq")
                    .table(AuditLog::Table)
                    .col(AuditLog::Seq)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .if_not_exists()
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq).default(0))
                    .col(string_len(AuditHead::Hash, 64).default(""))
                    .col(big_integer(AuditHead::ArchivedSeq).default(0))
                    .col(string_len(AuditHead::ArchivedHash, 64).default(""))
                    .col(string_len(AuditHead::KeyId, 16).default(""))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "INSERT INTO audit_head (id, seq, hash, archived_seq, archived_hash) \
             VALUES (1, 0, '', 0, '')",
        )
        .await?;
        let triggers = match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => PG_TRIGGERS,
            _ => SQLITE_TRIGGERS,
        };
        for sql in triggers {
            db.execute_unprepared(sql).await?;
        }
        for col in [
            boolean(Users::MustChangePassword).default(false).to_owned(),
            text_null(Users::TotpSecret).to_owned(),
            timestamp_with_time_zone_null(Users::TotpEnabledAt).to_owned(),
            big_integer_null(Users::TotpLastStep).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(PasswordHistory::Table)
                    .if_not_exists()
                    .col(pk_auto(PasswordHistory::Id))
                    .col(integer(PasswordHistory::UserId))
                    .col(string_len(PasswordHistory::PasswordHash, 255))
                    .col(timestamp_with_time_zone(PasswordHistory::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_history_user")
                    .table(PasswordHistory::Table)
                    .col(PasswordHistory::UserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .if_not_exists()
                    .col(pk_auto(RecoveryCodes::Id))
                    .col(integer(RecoveryCodes::UserId))
                    .col(string_len(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recovery_codes_user")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_no_update")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_no_delete")
                    .await?;
            }
        }
        for t in [
            RecoveryCodes::Table.into_iden(),
            PasswordHistory::Table.into_iden(),
            AuditHead::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        for c in [
            Users::MustChangePassword.into_iden(),
            Users::TotpSecret.into_iden(),
            Users::TotpEnabledAt.into_iden(),
            Users::TotpLastStep.into_iden(),
        ] {
            manager
                .alter_table(Table::alter().table(Users::Table).drop_column(c).to_owned())
                .await?;
        }
        manager
            .drop_index(Index::drop().name("idx_audit_log_seq").to_owned())
            .await?;
        for c in [
            AuditLog::Outcome.into_iden(),
            AuditLog::Seq.into_iden(),
            AuditLog::Hash.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        db.execute_unprepared("DELETE FROM site_settings WHERE key = 'security.separation'")
            .await?;
        Ok(())
    }
}
