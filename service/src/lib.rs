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
pub mod form;
pub mod html;
pub mod import;
mod input;
pub mod link;
pub mod listing;
pub mod magazine;
pub mod mail;
pub mod media;
pub mod message;
pub mod net;
pub mod notice;
pub mod page;
pub mod password;
pub mod paste;
pub mod redirect;
pub mod review;
pub mod search;
pub mod secret;
pub mod security;
pub mod seed;
pub mod site;
pub mod sitemap;
pub mod statistics;
pub mod storage;
pub mod submission;
pub mod synth;
pub mod time;
pub mod user;
pub mod view_count;
pub mod work;

pub use error::{Error, Result};
