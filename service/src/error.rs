use sea_orm::{DbErr, RuntimeErr};

/// What a service function can fail with. Callers decide what the reader sees; the
/// database's own text is only ever logged.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The person may not do this (a writer publishing, a reviewer approving their own
    /// work); the message says why, in Chinese.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The thing changed under the caller (someone else reviewed it first, it is locked in
    /// review); the message says what to do.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached (connection refused, pool exhausted, timed out).
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("database error: {0}")]
    Db(DbErr),
    /// The file store (a directory or an S3 bucket) cannot be reached or did not answer in
    /// time: a 503 for what needs it.
    #[error("file storage unavailable: {0}")]
    StorageUnavailable(String),
    /// Too much of one kind of work is waiting (password checks): try again shortly.
    #[error("busy")]
    Busy,
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What a reader or an editor may be told about this error, in Chinese: the message of a
    /// refusal as it was written, and a general sentence for anything internal (whose text is
    /// only ever logged).
    pub fn reader_message(&self) -> String {
        match self {
            Error::Invalid(m) | Error::Forbidden(m) | Error::Conflict(m) => m.clone(),
            Error::NotFound => "没有找到".into(),
            Error::Busy => "服务器繁忙，请稍后再试".into(),
            Error::Unavailable(_) | Error::StorageUnavailable(_) => {
                "服务暂时不可用，请稍后再试".into()
            }
            Error::Db(_) | Error::Io(_) => {
                tracing::warn!(error = %self, "an internal error was told to a person in general words");
                "处理时出现内部错误，请稍后再试".into()
            }
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            Error::Unavailable(err)
        } else {
            Error::Db(err)
        }
    }
}

/// True when the error means "the database is not there right now" rather than "this query
/// is wrong": the page then answers 503 instead of 500.
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(
                e.as_ref(),
                sea_orm::sqlx::Error::Io(_)
                    | sea_orm::sqlx::Error::PoolTimedOut
                    | sea_orm::sqlx::Error::PoolClosed
                    | sea_orm::sqlx::Error::Tls(_)
            )
        }
        _ => false,
    }
}
