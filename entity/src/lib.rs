//! sea-orm entities of Portico. Server-only: never compiled to wasm.

pub mod article;
pub mod article_listing;
pub mod cache_invalidation;
pub mod category;
pub mod image;
pub mod link;
pub mod link_group;
pub mod magazine_issue;
pub mod magazine_issue_article;
pub mod notice;
pub mod notice_attachment;
pub mod page;
pub mod site_setting;

pub mod prelude {
    pub use super::article::{ArticleStatus, Entity as Article};
    pub use super::category::Entity as Category;
    pub use super::image::Entity as Image;
    pub use super::link::Entity as Link;
    pub use super::link_group::Entity as LinkGroup;
    pub use super::notice::Entity as Notice;
    pub use super::site_setting::Entity as SiteSetting;
}
