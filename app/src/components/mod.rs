//! Building blocks of pages. Plain components render on the server only; the `#[island]`s
//! (popover, menu, font size, share actions, favorites) are the only code readers download.

pub mod browser;
pub mod favorite;
pub mod font_size;
pub mod hit_count;
pub mod layout;
pub mod menu;
pub mod pager;
pub mod popover;
pub mod seo;
pub mod share;
pub mod slideshow;
