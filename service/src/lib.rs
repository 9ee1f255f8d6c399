//! Portico's business logic over the database: plain async functions grouped by domain.
//! Functions that make a change of several rows take the [`db::Db`] handle and open their own
//! transaction (on SQLite it queues writers on one connection); the others take `&impl
//! ConnectionTrait`, so they also run inside a caller's transaction. No web framework code
//! lives here.

pub mod article;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cache;
pub mod column;
pub mod db;
pub mod docx;
pub mod editorial;
pub mod error;
pub mod forms;
pub mod hits;
pub mod html;
pub mod import;
mod input;
pub mod links;
pub mod listing;
pub mod magazine;
pub mod mail;
pub mod media;
pub mod messages;
pub mod net;
pub mod notice;
pub mod page;
pub mod passwords;
pub mod paste;
pub mod redirect;
pub mod review;
pub mod search;
pub mod secret;
pub mod security;
pub mod seed;
pub mod site;
pub mod sitemap;
pub mod stats;
pub mod storage;
pub mod submissions;
pub mod synth;
pub mod time;
pub mod users;
pub mod work;

pub use error::{Error, Result};
