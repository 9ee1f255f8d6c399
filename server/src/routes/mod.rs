//! Routes that are not pages.

pub mod headers;
pub mod health;
pub mod media;
pub mod prefs;
pub mod views;
