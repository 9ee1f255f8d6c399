use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    ParentId,
    Name,
    Slug,
    Kind,
    Description,
    SortOrder,
    ShowInNav,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Images {
    Table,
    Id,
    Path,
    Alt,
    Caption,
    Credit,
    Width,
    Height,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    CategoryId,
    Title,
    Subtitle,
    Slug,
    Source,
    Author,
    Summary,
    Body,
    CoverImageId,
    IsHeadline,
    IsRecommended,
    IsSlideshow,
    Status,
    PublishedAt,
    Hits,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    Title,
    Body,
    IsPublished,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LinkGroups {
    Table,
    Id,
    Name,
    SortOrder,
}

#[derive(DeriveIden)]
enum Links {
    Table,
    Id,
    GroupId,
    Name,
    Url,
    SortOrder,
}

#[derive(DeriveIden)]
enum SiteSettings {
    Table,
    Key,
    Value,
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
                    .table(Categories::Table)
                    .if_not_exists()
                    .col(pk_auto(Categories::Id))
                    .col(integer_null(Categories::ParentId))
                    .col(string_len(Categories::Name, 100))
                    .col(string_len_uniq(Categories::Slug, 100))
                    .col(string_len(Categories::Kind, 16).default("list"))
                    .col(text(Categories::Description).default(""))
                    .col(integer(Categories::SortOrder).default(0))
                    .col(boolean(Categories::ShowInNav).default(true))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .col(timestamp_with_time_zone(Categories::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_categories_parent")
                            .from(Categories::Table, Categories::ParentId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_categories_parent_sort",
                Categories::Table,
                &["parent_id", "sort_order"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Images::Table)
                    .if_not_exists()
                    .col(pk_auto(Images::Id))
                    .col(string_len_uniq(Images::Path, 255))
                    .col(string_len(Images::Alt, 255).default(""))
                    .col(string_len(Images::Caption, 255).default(""))
                    .col(string_len(Images::Credit, 100).default(""))
                    .col(integer(Images::Width).default(0))
                    .col(integer(Images::Height).default(0))
                    .col(timestamp_with_time_zone(Images::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Articles::Table)
                    .if_not_exists()
                    .col(pk_auto(Articles::Id))
                    .col(integer(Articles::CategoryId))
                    .col(string_len(Articles::Title, 200))
                    .col(string_len(Articles::Subtitle, 200).default(""))
                    .col(string_len_null(Articles::Slug, 120).unique_key())
                    .col(string_len(Articles::Source, 100).default(""))
                    .col(string_len(Articles::Author, 100).default(""))
                    .col(text(Articles::Summary).default(""))
                    .col(text(Articles::Body))
                    .col(integer_null(Articles::CoverImageId))
                    .col(boolean(Articles::IsHeadline).default(false))
                    .col(boolean(Articles::IsRecommended).default(false))
                    .col(boolean(Articles::IsSlideshow).default(false))
                    .col(string_len(Articles::Status, 16).default("draft"))
                    .col(timestamp_with_time_zone_null(Articles::PublishedAt))
                    .col(big_integer(Articles::Hits).default(0))
                    .col(timestamp_with_time_zone(Articles::CreatedAt))
                    .col(timestamp_with_time_zone(Articles::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_articles_category")
                            .from(Articles::Table, Articles::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_articles_cover_image")
                            .from(Articles::Table, Articles::CoverImageId)
                            .to(Images::Table, Images::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // Column lists and prev/next: published articles of one column, newest first.
        manager
            .create_index(index(
                "idx_articles_category_status_published",
                Articles::Table,
                &["category_id", "status", "published_at", "id"],
            ))
            .await?;
        // Site-wide latest lists, favorites look-ups and the scheduler.
        manager
            .create_index(index(
                "idx_articles_status_published",
                Articles::Table,
                &["status", "published_at", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .if_not_exists()
                    .col(pk_auto(Notices::Id))
                    .col(string_len(Notices::Title, 200))
                    .col(text(Notices::Body))
                    .col(boolean(Notices::IsPublished).default(true))
                    .col(timestamp_with_time_zone(Notices::PublishedAt))
                    .col(timestamp_with_time_zone(Notices::CreatedAt))
                    .col(timestamp_with_time_zone(Notices::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notices_published",
                Notices::Table,
                &["is_published", "published_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LinkGroups::Table)
                    .if_not_exists()
                    .col(pk_auto(LinkGroups::Id))
                    .col(string_len(LinkGroups::Name, 100))
                    .col(integer(LinkGroups::SortOrder).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Links::Table)
                    .if_not_exists()
                    .col(pk_auto(Links::Id))
                    .col(integer(Links::GroupId))
                    .col(string_len(Links::Name, 100))
                    .col(string_len(Links::Url, 500))
                    .col(integer(Links::SortOrder).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_links_group")
                            .from(Links::Table, Links::GroupId)
                            .to(LinkGroups::Table, LinkGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_links_group_sort",
                Links::Table,
                &["group_id", "sort_order"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SiteSettings::Table)
                    .if_not_exists()
                    .col(string_len(SiteSettings::Key, 64).primary_key())
                    .col(text(SiteSettings::Value))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Alias::new("site_settings"),
            Alias::new("links"),
            Alias::new("link_groups"),
            Alias::new("notices"),
            Alias::new("articles"),
            Alias::new("images"),
            Alias::new("categories"),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
