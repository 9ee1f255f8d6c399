//! The site's cookies: one reader for `Cookie:` headers (used by the reader preferences, the
//! staff session and the one-time message), and the one-time message (flash) itself, which the
//! back office leaves for the next page after a plain form post.

/// Every `name=value` pair in the values of a request's `Cookie:` headers (a client may send
/// several), names and values trimmed.
pub fn pairs<'a>(
    headers: impl IntoIterator<Item = &'a str>,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    headers
        .into_iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
}

/// The value of cookie `name` (the first sent), if it is there and not empty.
pub fn find<'a>(headers: impl IntoIterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    pairs(headers)
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The one-time message's cookie.
pub const FLASH: &str = "portico_flash";

/// Longest message kept: once percent-encoded a longer one would not fit in a cookie, the
/// browser would drop it, and the editor would see nothing.
const FLASH_CHARS: usize = 300;

/// A message cut to fit the flash cookie.
pub fn clipped(message: &str) -> String {
    if message.chars().count() <= FLASH_CHARS {
        message.to_owned()
    } else {
        message.chars().take(FLASH_CHARS - 1).chain(['…']).collect()
    }
}

/// The `Set-Cookie` value leaving a one-time message (`ok|…` or `error|…`) for 60 seconds.
pub fn set_flash(ok: bool, message: &str, secure: bool) -> String {
    let kind = if ok { "ok" } else { "error" };
    let value = crate::query::encode(&format!("{kind}|{}", clipped(message)));
    let secure = if secure { "; Secure" } else { "" };
    format!("{FLASH}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60{secure}")
}

/// The `Set-Cookie` value removing the message once shown.
pub const CLEAR_FLASH: &str = "portico_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";

/// The message of a flash cookie's value: whether it reports success, and its text.
pub fn read_flash(raw: &str) -> Option<(bool, String)> {
    let decoded = crate::query::decode(raw)?;
    let (kind, message) = decoded.split_once('|')?;
    Some((kind == "ok", message.chars().take(FLASH_CHARS).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others_and_across_headers() {
        let headers = [
            "a=1; portico_session=abc ",
            "portico_flash=ok%7C%E5%B7%B2%E4%BF%9D%E5%AD%98",
        ];
        assert_eq!(find(headers, "portico_session"), Some("abc"));
        assert_eq!(find(headers, "session"), None);
        assert_eq!(find(["x=; y=2"], "x"), None);
        let raw = find(headers, FLASH).unwrap_or_default();
        assert_eq!(read_flash(raw), Some((true, "已保存".to_owned())));
    }

    #[test]
    fn the_flash_round_trips_and_fits() {
        let long = "很长的消息".repeat(200);
        let set = set_flash(false, &long, true);
        assert!(set.ends_with("Max-Age=60; Secure"), "{set}");
        let value = set
            .strip_prefix("portico_flash=")
            .and_then(|v| v.split(';').next())
            .unwrap_or_default();
        assert!(value.len() < 4000, "{}", value.len());
        let (ok, text) = read_flash(value).unwrap_or_default();
        assert!(!ok);
        assert_eq!(text.chars().count(), 300);
        assert!(text.ends_with('…'));
    }
}
