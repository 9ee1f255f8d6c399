//! Routes that are not pages.

pub mod audit_export;
pub mod body_limit;
pub mod errors;
pub mod feeds;
pub mod headers;
pub mod health;
pub mod hits;
pub mod media;
pub mod paste;
pub mod prefs;
pub mod reader_forms;
pub mod redirects;
pub mod security;
pub mod site;
pub mod sitemap;
pub mod staff_files;
pub mod upload;
pub mod views;
