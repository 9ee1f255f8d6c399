//! Routes that are not pages.

pub mod api_errors;
pub mod body_limit;
pub mod feeds;
pub mod headers;
pub mod health;
pub mod hits;
pub mod media;
pub mod prefs;
pub mod sitemap;
pub mod upload;
pub mod views;
