//! sea-orm entities of Portico. Server-only: never compiled to wasm.

pub mod article;
pub mod article_autosave;
pub mod article_listing;
pub mod article_review;
pub mod article_revision;
pub mod article_views_daily;
pub mod audit_head;
pub mod audit_log;
pub mod cache_invalidation;
pub mod column;
pub mod form_counter;
pub mod form_token;
pub mod image;
pub mod import_record;
pub mod link;
pub mod link_group;
pub mod login_throttle;
pub mod magazine_issue;
pub mod magazine_issue_article;
pub mod message;
pub mod not_found;
pub mod notice;
pub mod notice_attachment;
pub mod page;
pub mod password_history;
pub mod recovery_code;
pub mod redirect;
pub mod session;
pub mod site_setting;
pub mod submission;
pub mod submission_file;
pub mod user;

pub mod prelude {
    pub use super::article::{ArticleStatus, Entity as Article};
    pub use super::column::Entity as Category;
    pub use super::image::Entity as Image;
    pub use super::link::Entity as Link;
    pub use super::link_group::Entity as LinkGroup;
    pub use super::notice::Entity as Notice;
    pub use super::site_setting::Entity as SiteSetting;
}
