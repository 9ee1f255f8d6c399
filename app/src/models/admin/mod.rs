//! Wire types of the back office: what its server functions hand to its pages and islands.
//! Plain data, serde only; times arrive already formatted in the site's time zone.

use crate::models::ColumnChoice;
use crate::models::Pager;
pub use vocab::{ArticleStatus, ColumnKind};

mod articles;
mod audit;
mod chrome;
mod columns;
mod dashboard;
mod links;
mod magazine;
mod media;
mod messages;
mod notices;
mod pages;
mod redirects;
mod review;
mod security;
mod submissions;
mod sys;

pub use articles::*;
pub use audit::*;
pub use chrome::*;
pub use columns::*;
pub use dashboard::*;
pub use links::*;
pub use magazine::*;
pub use media::*;
pub use messages::*;
pub use notices::*;
pub use pages::*;
pub use redirects::*;
pub use review::*;
pub use security::*;
pub use submissions::*;
pub use sys::*;
