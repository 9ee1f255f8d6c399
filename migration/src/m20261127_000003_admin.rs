//! The back office: staff accounts, database sessions, login throttling, the audit log,
//! article revisions and autosaves, daily view counts, image variants.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    IsActive,
    LastLoginAt,
    PasswordChangedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CsrfToken,
    Ip,
    UserAgent,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    FirstFailureAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    UserId,
    Username,
    Action,
    ObjectType,
    ObjectId,
    Summary,
    Ip,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ArticleRevisions {
    Table,
    Id,
    ArticleId,
    UserId,
    Username,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ArticleAutosaves {
    Table,
    Id,
    UserId,
    DraftKey,
    ArticleId,
    Data,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ArticleViewsDaily {
    Table,
    ArticleId,
    Day,
    Views,
}

#[derive(DeriveIden)]
enum Images {
    Table,
    Variants,
    SizeBytes,
    Mime,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).if_not_exists();
    for col in cols {
        idx.col(Alias::new(*col));
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Username, 50))
                    .col(string_len(Users::DisplayName, 50).default(""))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::Role, 16))
                    .col(boolean(Users::IsActive).default(true))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    // The SHA-256 of the cookie's token: a copy of the table grants nothing.
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(integer(Sessions::UserId))
                    .col(string_len(Sessions::CsrfToken, 64))
                    .col(string_len(Sessions::Ip, 64).default(""))
                    .col(string_len(Sessions::UserAgent, 255).default(""))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_sessions_user", Sessions::Table, &["user_id"]))
            .await?;
        manager
            .create_index(index(
                "idx_sessions_last_seen",
                Sessions::Table,
                &["last_seen_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .if_not_exists()
                    .col(string_len(LoginThrottles::Key, 120).primary_key())
                    .col(integer(LoginThrottles::Failures).default(0))
                    .col(timestamp_with_time_zone(LoginThrottles::FirstFailureAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::LockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditLog::Id))
                    .col(integer_null(AuditLog::UserId))
                    .col(string_len(AuditLog::Username, 50).default(""))
                    .col(string_len(AuditLog::Action, 50))
                    .col(string_len(AuditLog::ObjectType, 50).default(""))
                    .col(string_len(AuditLog::ObjectId, 50).default(""))
                    .col(text(AuditLog::Summary).default(""))
                    .col(string_len(AuditLog::Ip, 64).default(""))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_audit_created", AuditLog::Table, &["created_at"]))
            .await?;
        manager
            .create_index(index(
                "idx_audit_object",
                AuditLog::Table,
                &["object_type", "object_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_audit_user",
                AuditLog::Table,
                &["user_id", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ArticleRevisions::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleRevisions::Id))
                    .col(integer(ArticleRevisions::ArticleId))
                    .col(integer_null(ArticleRevisions::UserId))
                    .col(string_len(ArticleRevisions::Username, 50).default(""))
                    .col(text(ArticleRevisions::Data))
                    .col(timestamp_with_time_zone(ArticleRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_revisions_article")
                            .from(ArticleRevisions::Table, ArticleRevisions::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_revisions_article",
                ArticleRevisions::Table,
                &["article_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ArticleAutosaves::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleAutosaves::Id))
                    .col(integer(ArticleAutosaves::UserId))
                    .col(string_len(ArticleAutosaves::DraftKey, 80))
                    .col(integer_null(ArticleAutosaves::ArticleId))
                    .col(text(ArticleAutosaves::Data))
                    .col(timestamp_with_time_zone(ArticleAutosaves::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_autosaves_user")
                            .from(ArticleAutosaves::Table, ArticleAutosaves::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_autosaves_user_key",
                    ArticleAutosaves::Table,
                    &["user_id", "draft_key"],
                )
                .unique()
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ArticleViewsDaily::Table)
                    .if_not_exists()
                    .col(integer(ArticleViewsDaily::ArticleId))
                    // The day in the site's time zone, `2026-11-27`.
                    .col(string_len(ArticleViewsDaily::Day, 10))
                    .col(big_integer(ArticleViewsDaily::Views).default(0))
                    .primary_key(
                        Index::create()
                            .col(ArticleViewsDaily::ArticleId)
                            .col(ArticleViewsDaily::Day),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_views_daily_day",
                ArticleViewsDaily::Table,
                &["day", "article_id"],
            ))
            .await?;

        for col in [
            ColumnDef::new(Images::Variants)
                .text()
                .not_null()
                .default("[]")
                .take(),
            ColumnDef::new(Images::SizeBytes)
                .big_integer()
                .not_null()
                .default(0)
                .take(),
            ColumnDef::new(Images::Mime)
                .string_len(32)
                .not_null()
                .default("")
                .take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Images::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "article_views_daily",
            "article_autosaves",
            "article_revisions",
            "audit_log",
            "login_throttles",
            "sessions",
            "users",
        ] {
            manager
                .drop_table(
                    Table::drop()
                        .table(Alias::new(table))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        for col in ["variants", "size_bytes", "mime"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("images"))
                        .drop_column(Alias::new(col))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
