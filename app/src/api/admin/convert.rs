//! Between entity types and the back office's wire types.

use entity::article::ArticleStatus;

use super::articles::Status;

impl From<ArticleStatus> for Status {
    fn from(s: ArticleStatus) -> Self {
        match s {
            ArticleStatus::Draft => Status::Draft,
            ArticleStatus::Scheduled => Status::Scheduled,
            ArticleStatus::Published => Status::Published,
            ArticleStatus::Archived => Status::Archived,
        }
    }
}

impl From<Status> for ArticleStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Draft => ArticleStatus::Draft,
            Status::Scheduled => ArticleStatus::Scheduled,
            Status::Published => ArticleStatus::Published,
            Status::Archived => ArticleStatus::Archived,
        }
    }
}
