//! Articles in the back office.

use serde::{Deserialize, Serialize};

/// Where an article is in its life (the wire twin of the entity's status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Scheduled,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Draft, Status::Scheduled, Status::Published, Status::Archived];

    /// 草稿 / 定时发布 / 已发布 / 已归档
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Scheduled => "定时发布",
            Status::Published => "已发布",
            Status::Archived => "已归档",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}
