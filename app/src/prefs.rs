//! Reader preferences kept in cookies, so the server renders the right page the first time.

use serde::{Deserialize, Serialize};

/// The cookie that holds the reader's font size.
pub const FONT_SIZE_COOKIE: &str = "portico_fs";

/// 字体 大 / 中 / 小.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FontSize {
    Large,
    #[default]
    Medium,
    Small,
}

impl FontSize {
    pub const ALL: [FontSize; 3] = [FontSize::Large, FontSize::Medium, FontSize::Small];

    /// The value in the cookie, the URL and the `data-fs` attribute.
    pub fn code(self) -> &'static str {
        match self {
            FontSize::Large => "l",
            FontSize::Medium => "m",
            FontSize::Small => "s",
        }
    }

    pub fn from_code(code: &str) -> Option<FontSize> {
        match code.trim() {
            "l" => Some(FontSize::Large),
            "m" => Some(FontSize::Medium),
            "s" => Some(FontSize::Small),
            _ => None,
        }
    }

    /// 大 / 中 / 小
    pub fn label(self) -> &'static str {
        match self {
            FontSize::Large => "大",
            FontSize::Medium => "中",
            FontSize::Small => "小",
        }
    }

    /// The font size read from a `Cookie:` header value; the default when absent or garbled.
    pub fn from_cookie_header(header: &str) -> FontSize {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == FONT_SIZE_COOKIE)
            .and_then(|(_, value)| FontSize::from_code(value))
            .unwrap_or_default()
    }

    /// The `Set-Cookie`/`document.cookie` value that remembers this size for a year.
    pub fn cookie(self) -> String {
        format!(
            "{FONT_SIZE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.code()
        )
    }
}

/// Where a no-JavaScript font-size link sends the reader back to: only a path on this site.
pub fn safe_return_path(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(|c| c.is_control());
    if ok { back } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cookie_among_others() {
        assert_eq!(
            FontSize::from_cookie_header("a=1; portico_fs=l; b=2"),
            FontSize::Large
        );
        assert_eq!(
            FontSize::from_cookie_header("portico_fs=s"),
            FontSize::Small
        );
        assert_eq!(
            FontSize::from_cookie_header("portico_fs=huge"),
            FontSize::Medium
        );
        assert_eq!(FontSize::from_cookie_header(""), FontSize::Medium);
        assert_eq!(
            FontSize::from_cookie_header("xportico_fs=l"),
            FontSize::Medium
        );
    }

    #[test]
    fn cookie_round_trips() {
        for size in FontSize::ALL {
            let cookie = size.cookie();
            let pair = cookie.split(';').next().unwrap();
            assert_eq!(FontSize::from_cookie_header(pair), size);
        }
    }

    #[test]
    fn return_paths_stay_on_site() {
        assert_eq!(safe_return_path("/articles/3"), "/articles/3");
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil.example"), "/");
        assert_eq!(safe_return_path("/a\r\nSet-Cookie: x"), "/");
    }
}
