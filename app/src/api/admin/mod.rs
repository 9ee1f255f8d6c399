//! Server functions of the back office. Every one lives under `/api/admin/` (admin-only ones
//! under `/api/admin/sys/`), where the guard layer refuses requests without a session, the
//! right role or the CSRF token; each also checks the role itself.

pub mod articles;
pub mod audit;
pub mod chrome;
pub mod columns;
pub mod dashboard;
pub mod links;
pub mod magazine;
pub mod media;
pub mod messages;
pub mod notices;
pub mod pages;
pub mod redirects;
pub mod review;
pub mod submissions;
pub mod sys;

#[cfg(feature = "ssr")]
mod convert;
#[cfg(feature = "ssr")]
mod editor;
#[cfg(feature = "ssr")]
pub mod form;
