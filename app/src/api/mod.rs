//! Server functions, grouped by domain. Each is thin: authorize, call the service layer,
//! convert to a wire type. The bodies run only on the server; the browser gets a stub that
//! calls the endpoint.

pub mod admin;
pub mod articles;
pub mod messages;
pub mod portal;
pub mod search;
pub mod site;
pub mod submissions;

#[cfg(feature = "ssr")]
mod column;
#[cfg(feature = "ssr")]
pub(crate) mod convert;
#[cfg(feature = "ssr")]
mod home;
