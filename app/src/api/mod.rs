//! Server functions, grouped by domain. Each is thin: authorize, call the service layer,
//! convert to a wire type. The bodies run only on the server; the browser gets a stub that
//! calls the endpoint.
//!
//! One place for a server function's body: the `#[server]` function itself, in the file of
//! its domain. What it needs beyond a few lines (building a whole page's wire type) is in a
//! server-only child module of that same file (`messages::load`, `portal::column`), never in
//! another domain's file; what several domains share is in a module of its own (`convert`,
//! and `admin::editor` for articles and their review).

pub mod admin;
pub mod articles;
pub mod messages;
pub mod portal;
pub mod search;
pub mod site;
pub mod submissions;

#[cfg(feature = "ssr")]
pub(crate) mod convert;
