//! Small checks shared by the back-office forms: trimmed, clipped, required text.

use crate::{Error, Result};

/// The trimmed text, cut to `max` characters.
pub(crate) fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// The trimmed text; an error naming `field` when it is empty or longer than `max` characters.
pub(crate) fn required(field: &str, s: &str, max: usize) -> Result<String> {
    let v = s.trim();
    if v.is_empty() {
        return Err(Error::Invalid(format!("{field}不能为空")));
    }
    if v.chars().count() > max {
        return Err(Error::Invalid(format!("{field}不能超过{max}个字")));
    }
    Ok(v.to_owned())
}
