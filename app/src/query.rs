//! Query-string helpers shared by the server and browser builds: optional parameters and percent-encoding.

/// An optional parameter as a plain string (empty when absent).
pub fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
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
