//! Database migrations. They describe tables with their own identifiers and never import the
//! `entity` crate, so an old migration keeps meaning what it meant when it was written.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_init;
mod m20261127_000002_portal;
mod m20261127_000003_admin;
mod m20261201_000004_messages;
mod m20261201_000005_submissions;
mod m20261204_000006_search;
pub mod m20261205_000007_search_grams;
mod m20261206_000008_review;
mod m20261207_000009_form_tokens;
mod m20261208_000010_move_in;
mod m20261209_000011_security;
mod m20261210_000012_personal_data;
mod m20261211_000013_sites;
mod m20261212_000014_site_scope;
mod m20261213_000015_cache_sites;
mod m20261214_000016_site_unique;
mod m20261215_000017_site_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_init::Migration),
            Box::new(m20261127_000002_portal::Migration),
            Box::new(m20261127_000003_admin::Migration),
            Box::new(m20261201_000004_messages::Migration),
            Box::new(m20261201_000005_submissions::Migration),
            Box::new(m20261204_000006_search::Migration),
            Box::new(m20261205_000007_search_grams::Migration),
            Box::new(m20261206_000008_review::Migration),
            Box::new(m20261207_000009_form_tokens::Migration),
            Box::new(m20261208_000010_move_in::Migration),
            Box::new(m20261209_000011_security::Migration),
            Box::new(m20261210_000012_personal_data::Migration),
            Box::new(m20261211_000013_sites::Migration),
            Box::new(m20261212_000014_site_scope::Migration),
            Box::new(m20261213_000015_cache_sites::Migration),
            Box::new(m20261214_000016_site_unique::Migration),
            Box::new(m20261215_000017_site_indexes::Migration),
        ]
    }
}
