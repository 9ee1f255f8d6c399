//! Readers write back, part two: 投稿 submissions and their attached files.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    Code,
    Name,
    Organization,
    Phone,
    Email,
    Title,
    ColumnId,
    Content,
    Status,
    Reason,
    ArticleId,
    HandledBy,
    HandledAt,
    ContentHash,
    ClientKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubmissionFiles {
    Table,
    Id,
    SubmissionId,
    Name,
    Path,
    Kind,
    Mime,
    SizeBytes,
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
                    .table(Submissions::Table)
                    .if_not_exists()
                    .col(pk_auto(Submissions::Id))
                    .col(string_len_uniq(Submissions::Code, 24))
                    .col(string_len(Submissions::Name, 50))
                    .col(string_len(Submissions::Organization, 100).default(""))
                    .col(string_len(Submissions::Phone, 30).default(""))
                    .col(string_len(Submissions::Email, 100).default(""))
                    .col(string_len(Submissions::Title, 200))
                    .col(integer_null(Submissions::ColumnId))
                    .col(text(Submissions::Content))
                    .col(string_len(Submissions::Status, 16))
                    .col(text(Submissions::Reason).default(""))
                    .col(integer_null(Submissions::ArticleId))
                    .col(string_len(Submissions::HandledBy, 50).default(""))
                    .col(timestamp_with_time_zone_null(Submissions::HandledAt))
                    .col(string_len(Submissions::ContentHash, 64))
                    .col(string_len(Submissions::ClientKey, 64).default(""))
                    .col(timestamp_with_time_zone(Submissions::CreatedAt))
                    .col(timestamp_with_time_zone(Submissions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // The review queue by state, the "same text within the hour" check, and the draft an
        // accepted submission became.
        manager
            .create_index(index(
                "idx_submissions_status",
                Submissions::Table,
                &["status", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_submissions_hash",
                Submissions::Table,
                &["content_hash", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_submissions_article",
                Submissions::Table,
                &["article_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubmissionFiles::Table)
                    .if_not_exists()
                    .col(pk_auto(SubmissionFiles::Id))
                    .col(integer(SubmissionFiles::SubmissionId))
                    .col(string_len(SubmissionFiles::Name, 255))
                    .col(string_len(SubmissionFiles::Path, 255))
                    .col(string_len(SubmissionFiles::Kind, 8))
                    .col(string_len(SubmissionFiles::Mime, 100))
                    .col(big_integer(SubmissionFiles::SizeBytes))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_submission_files_submission")
                            .from(SubmissionFiles::Table, SubmissionFiles::SubmissionId)
                            .to(Submissions::Table, Submissions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_submission_files_submission",
                SubmissionFiles::Table,
                &["submission_id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SubmissionFiles::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Submissions::Table).to_owned())
            .await
    }
}
