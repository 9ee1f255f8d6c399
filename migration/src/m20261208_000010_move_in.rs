//! Moving an existing site in: where each imported row came from (so a second run updates
//! instead of duplicating), the old site's addresses answered with a redirect, the addresses
//! readers asked for and did not find, and the articles' keywords.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Articles {
    Table,
    Keywords,
}

#[derive(DeriveIden)]
enum Redirects {
    Table,
    Id,
    FromPath,
    ToPath,
    Origin,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotFound {
    Table,
    Path,
    Hits,
    FirstSeen,
    LastSeen,
}

#[derive(DeriveIden)]
enum ImportRecords {
    Table,
    System,
    Kind,
    SourceId,
    TargetId,
    Digest,
    PendingLinks,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Articles::Table)
                    .add_column(string_len(Articles::Keywords, 255).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Redirects::Table)
                    .if_not_exists()
                    .col(pk_auto(Redirects::Id))
                    .col(string_len(Redirects::FromPath, 1000).unique_key())
                    .col(string_len(Redirects::ToPath, 1000))
                    .col(string_len(Redirects::Origin, 40).default(""))
                    .col(timestamp_with_time_zone(Redirects::CreatedAt))
                    .col(timestamp_with_time_zone(Redirects::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_redirects_to_path")
                    .table(Redirects::Table)
                    .col(Redirects::ToPath)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotFound::Table)
                    .if_not_exists()
                    .col(string_len(NotFound::Path, 1000).primary_key())
                    .col(big_integer(NotFound::Hits).default(0))
                    .col(timestamp_with_time_zone(NotFound::FirstSeen))
                    .col(timestamp_with_time_zone(NotFound::LastSeen))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_not_found_hits")
                    .table(NotFound::Table)
                    .col(NotFound::Hits)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportRecords::Table)
                    .if_not_exists()
                    .col(string_len(ImportRecords::System, 20))
                    .col(string_len(ImportRecords::Kind, 20))
                    .col(string_len(ImportRecords::SourceId, 200))
                    .col(integer(ImportRecords::TargetId))
                    .col(string_len(ImportRecords::Digest, 64))
                    .col(boolean(ImportRecords::PendingLinks).default(false))
                    .col(timestamp_with_time_zone(ImportRecords::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ImportRecords::System)
                            .col(ImportRecords::Kind)
                            .col(ImportRecords::SourceId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ImportRecords::Table.into_iden(),
            NotFound::Table.into_iden(),
            Redirects::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Articles::Table)
                    .drop_column(Articles::Keywords)
                    .to_owned(),
            )
            .await
    }
}
