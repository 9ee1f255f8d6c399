//! Building blocks of pages. Plain components render on the server only; the `#[island]`s
//! (popover, menu, font size, 无障碍 toolbar, share actions, favorites) are the only code readers download.

pub mod access;
pub mod browser;
pub mod favorite;
pub mod font_size;
pub mod hit_count;
pub mod layout;
pub mod menu;
pub mod pager;
pub mod popover;
pub mod reader_form;
pub mod seo;
pub mod share;
pub mod slideshow;

/// Text escaped for HTML element content or a double-quoted attribute. (The server's own
/// copy is `service::html::escape`; this one is also in the browser build, which has no
/// service layer.)
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

/// The text of a `<textarea>` as its child in a view: Leptos writes textarea children without
/// escaping them, so a reader's `</textarea><script>` would end the element. Escaped here, the
/// browser decodes it back to exactly the text.
pub fn textarea_text(s: &str) -> String {
    escape_html(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn textarea_text_cannot_end_its_element() {
        assert_eq!(
            super::textarea_text("a</textarea><b>&amp;"),
            "a&lt;/textarea&gt;&lt;b&gt;&amp;amp;"
        );
    }
}
