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

    /// The `Set-Cookie`/`document.cookie` value that remembers this size for a year.
    pub fn cookie(self) -> String {
        format!(
            "{FONT_SIZE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.code()
        )
    }
}

/// The cookie that holds the reader's 长者模式 and 无障碍 choices, as letters (`ecp`).
pub const AIDS_COOKIE: &str = "portico_a11y";

/// One switch of the 无障碍 toolbar (长者模式 is the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Aid {
    /// 长者模式: larger text and targets, more spacing, stronger contrast, one column.
    Elder,
    /// 高对比度: white and yellow on black.
    Contrast,
    /// 大鼠标: a large pointer.
    Cursor,
    /// 十字线: a reading guide that follows the pointer or the focus.
    Guide,
}

impl Aid {
    pub const ALL: [Aid; 4] = [Aid::Elder, Aid::Contrast, Aid::Cursor, Aid::Guide];

    /// The letter in the cookie and the `/prefs/aid?aid=` value.
    pub fn code(self) -> &'static str {
        match self {
            Aid::Elder => "e",
            Aid::Contrast => "c",
            Aid::Cursor => "p",
            Aid::Guide => "g",
        }
    }

    pub fn from_code(code: &str) -> Option<Aid> {
        Aid::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    /// The `data-*` attribute the page root carries while the aid is on.
    pub fn attribute(self) -> &'static str {
        match self {
            Aid::Elder => "data-elder",
            Aid::Contrast => "data-contrast",
            Aid::Cursor => "data-cursor",
            Aid::Guide => "data-guide",
        }
    }

    /// The control's label.
    pub fn label(self) -> &'static str {
        match self {
            Aid::Elder => "长者模式",
            Aid::Contrast => "高对比度",
            Aid::Cursor => "大鼠标",
            Aid::Guide => "十字线",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Aid::Elder => 1,
            Aid::Contrast => 2,
            Aid::Cursor => 4,
            Aid::Guide => 8,
        }
    }
}

/// The aids a reader has switched on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Aids(u8);

impl Aids {
    pub fn has(self, aid: Aid) -> bool {
        self.0 & aid.bit() != 0
    }

    pub fn with(self, aid: Aid, on: bool) -> Aids {
        if on {
            Aids(self.0 | aid.bit())
        } else {
            Aids(self.0 & !aid.bit())
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The letters of the aids that are on, in a fixed order (`""` for none).
    pub fn code(self) -> String {
        Aid::ALL
            .into_iter()
            .filter(|a| self.has(*a))
            .map(Aid::code)
            .collect()
    }

    /// Unknown letters are ignored.
    pub fn from_code(code: &str) -> Aids {
        code.chars()
            .filter_map(|c| Aid::from_code(c.encode_utf8(&mut [0; 4])))
            .fold(Aids::default(), |aids, aid| aids.with(aid, true))
    }

    /// The `Set-Cookie`/`document.cookie` value that remembers these aids for a year (or
    /// forgets the cookie when none is on).
    pub fn cookie(self) -> String {
        if self.is_empty() {
            format!("{AIDS_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
        } else {
            format!(
                "{AIDS_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                self.code()
            )
        }
    }
}

/// Everything the reader chose that changes how a page is rendered: part of the page cache's
/// key, so that every combination is served exactly as it was rendered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReaderPrefs {
    pub font_size: FontSize,
    pub aids: Aids,
}

impl ReaderPrefs {
    /// The preferences in the `Cookie:` header values of a request (all of them: a client may
    /// send several). Missing or garbled cookies mean the defaults.
    pub fn from_cookie_headers<'a>(headers: impl IntoIterator<Item = &'a str>) -> ReaderPrefs {
        let mut prefs = ReaderPrefs::default();
        for (name, value) in crate::cookies::pairs(headers) {
            match name {
                FONT_SIZE_COOKIE => {
                    if let Some(size) = FontSize::from_code(value) {
                        prefs.font_size = size;
                    }
                }
                AIDS_COOKIE => prefs.aids = Aids::from_code(value),
                _ => {}
            }
        }
        prefs
    }

    /// A short name of the combination, for the page's `ETag` (`m`, `l-ec`).
    pub fn code(self) -> String {
        if self.aids.is_empty() {
            self.font_size.code().to_owned()
        } else {
            format!("{}-{}", self.font_size.code(), self.aids.code())
        }
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

    fn font_size(header: &str) -> FontSize {
        ReaderPrefs::from_cookie_headers([header]).font_size
    }

    #[test]
    fn reads_the_cookie_among_others() {
        assert_eq!(font_size("a=1; portico_fs=l; b=2"), FontSize::Large);
        assert_eq!(font_size("portico_fs=s"), FontSize::Small);
        assert_eq!(font_size("portico_fs=huge"), FontSize::Medium);
        assert_eq!(font_size(""), FontSize::Medium);
        assert_eq!(font_size("xportico_fs=l"), FontSize::Medium);
    }

    #[test]
    fn cookie_round_trips() {
        for size in FontSize::ALL {
            let cookie = size.cookie();
            let pair = cookie.split(';').next().unwrap();
            assert_eq!(font_size(pair), size);
        }
    }

    #[test]
    fn aids_round_trip_through_the_cookie() {
        let aids = Aids::default()
            .with(Aid::Elder, true)
            .with(Aid::Guide, true);
        assert_eq!(aids.code(), "eg");
        let cookie = aids.cookie();
        let pair = cookie.split(';').next().unwrap();
        let prefs = ReaderPrefs::from_cookie_headers(["a=1", pair]);
        assert_eq!(prefs.aids, aids);
        assert!(prefs.aids.has(Aid::Elder) && !prefs.aids.has(Aid::Contrast));
        assert_eq!(prefs.code(), "m-eg");
        assert_eq!(Aids::from_code("zze?c").code(), "ec");
        assert!(Aids::default().cookie().contains("Max-Age=0"));
        assert!(
            aids.with(Aid::Elder, false)
                .with(Aid::Guide, false)
                .is_empty()
        );
    }

    #[test]
    fn prefs_read_every_cookie_header() {
        let prefs = ReaderPrefs::from_cookie_headers(["portico_fs=l", "x=1; portico_a11y=cp"]);
        assert_eq!(prefs.font_size, FontSize::Large);
        assert_eq!(prefs.aids.code(), "cp");
        assert_eq!(prefs.code(), "l-cp");
        assert_eq!(
            ReaderPrefs::from_cookie_headers([""]),
            ReaderPrefs::default()
        );
        assert_eq!(ReaderPrefs::default().code(), "m");
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
