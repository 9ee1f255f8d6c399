//! 站群: the sites one installation serves and the host names that reach them. Everything
//! that exists already is site 1 (code `main`), which is reached by the public address and by
//! the machine's own names; nothing else is scoped yet.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
    Code,
    Name,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SiteHosts {
    Table,
    Host,
    SiteId,
    IsPrimary,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sites::Table)
                    .col(pk_auto(Sites::Id))
                    .col(string_len(Sites::Code, 32).unique_key())
                    .col(string_len(Sites::Name, 100))
                    .col(string_len(Sites::Status, 16).default("preparing"))
                    .col(timestamp_with_time_zone(Sites::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SiteHosts::Table)
                    .col(string_len(SiteHosts::Host, 253).primary_key())
                    .col(integer(SiteHosts::SiteId))
                    .col(boolean(SiteHosts::IsPrimary).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SiteHosts::Table, SiteHosts::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_site_hosts_site")
                    .table(SiteHosts::Table)
                    .col(SiteHosts::SiteId)
                    .to_owned(),
            )
            .await?;
        // Site 1 is what there is, named as the site calls itself.
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO sites (id, code, name, status, created_at) \
             SELECT 1, 'main', COALESCE((SELECT value FROM site_settings \
             WHERE key = 'site_name'), '中国开发区协会'), 'active', CURRENT_TIMESTAMP",
        )
        .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            db.execute_unprepared("SELECT setval(pg_get_serial_sequence('sites', 'id'), 1)")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SiteHosts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Sites::Table).to_owned())
            .await
    }
}
