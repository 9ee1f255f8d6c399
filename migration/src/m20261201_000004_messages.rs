//! Readers write back: the 留言箱 message box, and the per-client counters of public forms.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    Code,
    Name,
    Phone,
    Email,
    Subject,
    Content,
    WantsPublic,
    Status,
    IsPublished,
    Reply,
    RepliedAt,
    RepliedBy,
    ContentHash,
    ClientKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FormCounters {
    Table,
    Key,
    Count,
    WindowStart,
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
                    .table(Messages::Table)
                    .if_not_exists()
                    .col(pk_auto(Messages::Id))
                    .col(string_len_uniq(Messages::Code, 24))
                    .col(string_len(Messages::Name, 50))
                    .col(string_len(Messages::Phone, 30).default(""))
                    .col(string_len(Messages::Email, 100).default(""))
                    .col(string_len(Messages::Subject, 100))
                    .col(text(Messages::Content))
                    .col(boolean(Messages::WantsPublic).default(false))
                    .col(string_len(Messages::Status, 16))
                    .col(boolean(Messages::IsPublished).default(false))
                    .col(text(Messages::Reply).default(""))
                    .col(timestamp_with_time_zone_null(Messages::RepliedAt))
                    .col(string_len(Messages::RepliedBy, 50).default(""))
                    .col(string_len(Messages::ContentHash, 64))
                    .col(string_len(Messages::ClientKey, 64).default(""))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    .col(timestamp_with_time_zone(Messages::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // The public list (published, newest first), the back-office queue by status, and the
        // "same text within the hour" check.
        manager
            .create_index(index(
                "idx_messages_published",
                Messages::Table,
                &["is_published", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_messages_status",
                Messages::Table,
                &["status", "created_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_messages_hash",
                Messages::Table,
                &["content_hash", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FormCounters::Table)
                    .if_not_exists()
                    .col(string_len(FormCounters::Key, 120).primary_key())
                    .col(integer(FormCounters::Count).default(0))
                    .col(timestamp_with_time_zone(FormCounters::WindowStart))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormCounters::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Messages::Table).to_owned())
            .await
    }
}
