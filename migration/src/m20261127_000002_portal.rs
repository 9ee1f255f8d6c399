//! The portal: single pages, the magazine, notice attachments, the column listings that keep
//! list pages fast at any size, and the page-cache invalidation log shared by all servers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
    CategoryId,
    Title,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MagazineIssues {
    Table,
    Id,
    Year,
    Number,
    TotalNumber,
    Title,
    Summary,
    CoverImageId,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MagazineIssueArticles {
    Table,
    Id,
    IssueId,
    ArticleId,
    Section,
    SortOrder,
}

#[derive(DeriveIden)]
enum NoticeAttachments {
    Table,
    Id,
    NoticeId,
    Title,
    Path,
    SizeBytes,
}

#[derive(DeriveIden)]
enum ArticleListings {
    Table,
    CategoryId,
    ArticleId,
    PublishedAt,
}

#[derive(DeriveIden)]
enum CacheInvalidations {
    Table,
    Id,
    Tag,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    ListedCount,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Images {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notices {
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
                    .table(Pages::Table)
                    .if_not_exists()
                    .col(pk_auto(Pages::Id))
                    .col(integer_uniq(Pages::CategoryId))
                    .col(string_len(Pages::Title, 200))
                    .col(text(Pages::Body))
                    .col(timestamp_with_time_zone(Pages::CreatedAt))
                    .col(timestamp_with_time_zone(Pages::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pages_category")
                            .from(Pages::Table, Pages::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MagazineIssues::Table)
                    .if_not_exists()
                    .col(pk_auto(MagazineIssues::Id))
                    .col(integer(MagazineIssues::Year))
                    .col(integer(MagazineIssues::Number))
                    .col(integer(MagazineIssues::TotalNumber).default(0))
                    .col(string_len(MagazineIssues::Title, 200).default(""))
                    .col(text(MagazineIssues::Summary).default(""))
                    .col(integer_null(MagazineIssues::CoverImageId))
                    .col(timestamp_with_time_zone(MagazineIssues::PublishedAt))
                    .col(timestamp_with_time_zone(MagazineIssues::CreatedAt))
                    .col(timestamp_with_time_zone(MagazineIssues::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_magazine_issues_cover")
                            .from(MagazineIssues::Table, MagazineIssues::CoverImageId)
                            .to(Images::Table, Images::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_magazine_issues_year_number",
                    MagazineIssues::Table,
                    &["year", "number"],
                )
                .unique()
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MagazineIssueArticles::Table)
                    .if_not_exists()
                    .col(pk_auto(MagazineIssueArticles::Id))
                    .col(integer(MagazineIssueArticles::IssueId))
                    .col(integer(MagazineIssueArticles::ArticleId))
                    .col(string_len(MagazineIssueArticles::Section, 50).default(""))
                    .col(integer(MagazineIssueArticles::SortOrder).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_issue_articles_issue")
                            .from(MagazineIssueArticles::Table, MagazineIssueArticles::IssueId)
                            .to(MagazineIssues::Table, MagazineIssues::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_issue_articles_article")
                            .from(
                                MagazineIssueArticles::Table,
                                MagazineIssueArticles::ArticleId,
                            )
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_issue_articles_issue_sort",
                MagazineIssueArticles::Table,
                &["issue_id", "sort_order"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_issue_articles_article",
                MagazineIssueArticles::Table,
                &["article_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NoticeAttachments::Table)
                    .if_not_exists()
                    .col(pk_auto(NoticeAttachments::Id))
                    .col(integer(NoticeAttachments::NoticeId))
                    .col(string_len(NoticeAttachments::Title, 200))
                    .col(string_len(NoticeAttachments::Path, 255))
                    .col(big_integer(NoticeAttachments::SizeBytes).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notice_attachments_notice")
                            .from(NoticeAttachments::Table, NoticeAttachments::NoticeId)
                            .to(Notices::Table, Notices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notice_attachments_notice",
                NoticeAttachments::Table,
                &["notice_id"],
            ))
            .await?;

        // One row per (column, published article) for the column and every ancestor of it,
        // so that a section lists its whole subtree straight from one index range.
        manager
            .create_table(
                Table::create()
                    .table(ArticleListings::Table)
                    .if_not_exists()
                    .col(integer(ArticleListings::CategoryId))
                    .col(integer(ArticleListings::ArticleId))
                    .col(timestamp_with_time_zone(ArticleListings::PublishedAt))
                    .primary_key(
                        Index::create()
                            .col(ArticleListings::CategoryId)
                            .col(ArticleListings::ArticleId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_listings_article")
                            .from(ArticleListings::Table, ArticleListings::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_listings_category_published",
                ArticleListings::Table,
                &["category_id", "published_at", "article_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_listings_article",
                ArticleListings::Table,
                &["article_id"],
            ))
            .await?;

        // The home page's 幻灯 and 头条 blocks: flagged articles, newest first.
        for (name, flag) in [
            ("idx_articles_slideshow", "is_slideshow"),
            ("idx_articles_headline", "is_headline"),
            ("idx_articles_recommended", "is_recommended"),
        ] {
            manager
                .create_index(index(
                    name,
                    Articles::Table,
                    &[flag, "status", "published_at"],
                ))
                .await?;
        }

        // How many published articles a column lists (its whole subtree): page counts without
        // counting rows on every request.
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .add_column(integer(Categories::ListedCount).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CacheInvalidations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CacheInvalidations::Id))
                    .col(string_len(CacheInvalidations::Tag, 100))
                    .col(timestamp_with_time_zone(CacheInvalidations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_cache_invalidations_created",
                CacheInvalidations::Table,
                &["created_at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "cache_invalidations",
            "article_listings",
            "notice_attachments",
            "magazine_issue_articles",
            "magazine_issues",
            "pages",
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
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .drop_column(Categories::ListedCount)
                    .to_owned(),
            )
            .await
    }
}
