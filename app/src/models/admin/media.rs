//! The media library.

use serde::{Deserialize, Serialize};

use crate::models::Pager;

/// An image in the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    pub id: i32,
    pub src: String,
    /// The smallest variant, for thumbnails.
    pub thumb: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: i32,
    pub height: i32,
    pub size: String,
    pub variants: usize,
    pub uploaded: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaList {
    pub items: Vec<MediaItem>,
    pub pager: Pager,
}
