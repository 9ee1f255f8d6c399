//! Query-string helpers shared by the server and browser builds: optional parameters and percent-encoding.

/// Whether a checkbox was ticked, from its submitted value: present, not empty, and not
/// `0` or `false` (the values a script may send for "off"). The one rule for every form: the
/// server functions' and the plain form routes'.
pub fn is_checked(value: Option<&str>) -> bool {
    value.is_some_and(|s| !s.is_empty() && s != "0" && s != "false")
}

/// An optional parameter as a plain string (empty when absent).
pub fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// The address of `path` with the parameters that have a value (`?k=v&…`, encoded), in the
/// order given; `path` alone when none has.
pub fn address(path: &str, params: &[(&str, &str)]) -> String {
    let kept: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a percent-encoded value (`+` is left alone); `None` for bad escapes or text that is
/// not UTF-8.
pub fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
