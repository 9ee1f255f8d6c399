//! 先审后发: who owns an article, the labels of revisions, and the review of an article (one
//! open review per article, kept until it is approved).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    OwnerId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Email,
}

#[derive(DeriveIden)]
enum ArticleRevisions {
    Table,
    Label,
}

#[derive(DeriveIden)]
enum ArticleReviews {
    Table,
    Id,
    ArticleId,
    State,
    Level,
    Data,
    Note,
    SubmittedBy,
    Submitter,
    FirstReviewerId,
    FirstReviewer,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Articles::Table)
                    .add_column(integer_null(Articles::OwnerId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_articles_owner")
                    .table(Articles::Table)
                    .col(Articles::OwnerId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ArticleRevisions::Table)
                    .add_column(string_len(ArticleRevisions::Label, 200).default(""))
                    .to_owned(),
            )
            .await?;
        // Where review notices reach a staff member (optional).
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len(Users::Email, 100).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleReviews::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleReviews::Id))
                    .col(integer_uniq(ArticleReviews::ArticleId))
                    .col(string_len(ArticleReviews::State, 16))
                    .col(small_integer(ArticleReviews::Level).default(1))
                    .col(text_null(ArticleReviews::Data))
                    .col(text(ArticleReviews::Note).default(""))
                    .col(integer_null(ArticleReviews::SubmittedBy))
                    .col(string_len(ArticleReviews::Submitter, 100).default(""))
                    .col(integer_null(ArticleReviews::FirstReviewerId))
                    .col(string_len(ArticleReviews::FirstReviewer, 100).default(""))
                    .col(timestamp_with_time_zone_null(ArticleReviews::SubmittedAt))
                    .col(timestamp_with_time_zone(ArticleReviews::CreatedAt))
                    .col(timestamp_with_time_zone(ArticleReviews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_reviews_article")
                            .from(ArticleReviews::Table, ArticleReviews::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The queue: pending reviews, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_article_reviews_state")
                    .table(ArticleReviews::Table)
                    .col(ArticleReviews::State)
                    .col(ArticleReviews::SubmittedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_reviews_submitter")
                    .table(ArticleReviews::Table)
                    .col(ArticleReviews::SubmittedBy)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ArticleReviews::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_articles_owner")
                    .table(Articles::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ArticleRevisions::Table)
                    .drop_column(ArticleRevisions::Label)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Articles::Table)
                    .drop_column(Articles::OwnerId)
                    .to_owned(),
            )
            .await
    }
}
