//! The one application error: it knows its HTTP status and the message a reader sees, and it
//! never carries internal error text to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在")]
    NotFound,
    /// The page lives at another URL (the canonical one): answered with a 301.
    #[error("页面已移动")]
    Moved(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("请先登录")]
    Unauthorized,
    #[error("没有权限执行此操作")]
    Forbidden,
    /// Forbidden, with the reason (e.g. 撰稿人不能发布文章): 403.
    #[error("{0}")]
    Refused(String),
    /// Someone else changed it first, or it is locked: 409.
    #[error("{0}")]
    Conflict(String),
    /// The form's security token is missing or stale (CSRF): 403.
    #[error("页面已过期，请刷新页面后重新提交")]
    Expired,
    /// The request body is larger than this route accepts: 413.
    #[error("{0}")]
    TooLarge(String),
    /// Too much of one kind of work is waiting (password checks): 503, try again shortly.
    #[error("访问人数较多，请稍等几秒后再试")]
    Busy,
    #[error("网站正在维护，请稍后再试")]
    Unavailable,
    #[error("服务器出现问题，请稍后再试")]
    Internal,
    /// Failures of the server-function transport itself (network down, bad response).
    #[error("网络连接出现问题，请稍后再试")]
    Transport,
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Moved(_) => 301,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Refused(_) | AppError::Expired => 403,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Internal | AppError::Transport => 500,
        }
    }

    /// The heading of the error page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "页面不存在",
            AppError::Moved(_) => "页面已移动",
            AppError::BadRequest(_) => "请求有误",
            AppError::Unauthorized => "请先登录",
            AppError::Forbidden | AppError::Refused(_) => "没有权限",
            AppError::Conflict(_) => "内容已有变化",
            AppError::Expired => "页面已过期",
            AppError::TooLarge(_) => "提交的内容过大",
            AppError::Unavailable => "网站暂时无法访问",
            AppError::Busy => "请稍后再试",
            AppError::Internal | AppError::Transport => "出错了",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the caller's mistake (a 400), whatever the
            // encoding (URL-encoded forms report `Args`, JSON bodies `Deserialization`).
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest("请求参数有误".into()),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Transport,
            _ => AppError::Internal,
        }
    }

    /// Encodes the error for the browser, and gives the server function's response the
    /// error's own status (on the server; nothing happens in the browser build).
    fn ser(&self) -> leptos::server_fn::Bytes {
        crate::response::set_status(self.status_code());
        <Self::Encoder as leptos::server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(b"\"Internal\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_real_http_statuses() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Unavailable.status_code(), 503);
        assert_eq!(AppError::Forbidden.status_code(), 403);
    }

    #[test]
    fn transport_errors_never_expose_their_text() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"articles\" does not exist".into(),
        ));
        assert_eq!(err, AppError::Internal);
        assert!(!err.to_string().contains("articles"));
    }
}
