//! 站群: an entry of the page-cache invalidation log names the site whose pages it makes
//! stale; none (NULL, and every entry from before) means every site's.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE cache_invalidations ADD COLUMN site_id INTEGER")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE cache_invalidations DROP COLUMN site_id")
            .await?;
        Ok(())
    }
}
