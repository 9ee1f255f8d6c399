//! The Portico server: configuration, start-up, and the routes that are not pages.

pub mod admin_auth;
pub mod audit_cli;
pub mod backup;
pub mod cli;
pub mod compress;
pub mod config;
pub mod form_body;
pub mod import;
pub mod markup;
pub mod metrics;
pub mod page_cache;
pub mod routes;
pub mod security_cli;
pub mod site_cli;
pub mod startup;
pub mod tasks;
pub mod telemetry;
