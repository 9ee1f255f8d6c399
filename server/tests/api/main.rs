#![allow(clippy::unwrap_used)] // tests fail loudly by design
//! API tests: each spawns the real application on port 0 with its own database (a SQLite
//! file, and a fresh PostgreSQL database when one answers — always in CI) and talks HTTP.

mod admin;
mod article;
mod audit_chain;
mod backup;
mod cache;
mod content_admin;
mod duties;
mod editing;
mod errors;
mod favorites;
mod feeds;
mod guards;
mod helpers;
mod hits;
mod import_dede;
mod import_php;
mod import_wordpress;
mod keywords;
mod mail;
mod message_limits;
mod messages;
mod monitoring;
mod password_policy;
mod personal_data;
mod portal;
mod prefs;
mod redirects;
mod review;
mod search;
mod second_factor;
mod security;
mod sites;
mod sites_reader;
mod storage;
mod submissions;
mod uploads;
mod writes;
