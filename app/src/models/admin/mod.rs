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

use serde::{Deserialize, Serialize};

/// A reader's phone and e-mail as the back office shows them: masked (`138****5678`) unless
/// `full`, which the server records in the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: String,
    pub email: String,
    pub full: bool,
}
