//! Form tokens already used: each showing of a public form may be sent back once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FormTokens {
    Table,
    Key,
    UsedAt,
    Fingerprint,
    Code,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormTokens::Table)
                    .if_not_exists()
                    .col(string_len(FormTokens::Key, 80).primary_key())
                    .col(timestamp_with_time_zone(FormTokens::UsedAt))
                    .col(string_len(FormTokens::Fingerprint, 64))
                    .col(string_len_null(FormTokens::Code, 24))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_form_tokens_used_at")
                    .table(FormTokens::Table)
                    .col(FormTokens::UsedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormTokens::Table).to_owned())
            .await
    }
}
