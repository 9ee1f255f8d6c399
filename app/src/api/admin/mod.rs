//! Server functions of the back office. Every one lives under `/api/admin/`: the system
//! administrator's under `/api/admin/sys/`, the security administrator's under
//! `/api/admin/security/`, the auditor's under `/api/admin/audit/`, everyone's own under
//! `/api/admin/account/`. The guard layer refuses requests without a session, the right
//! duty or the CSRF token; each function also checks the duty itself.

pub mod account;
pub mod account_2fa;
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
pub mod security;
pub mod submissions;
pub mod sys;

#[cfg(feature = "ssr")]
mod convert;
#[cfg(feature = "ssr")]
mod editor;
#[cfg(feature = "ssr")]
pub mod form;
