//! Small pieces of the article editor that work on HTML text and the document's editing
//! commands.

use wasm_bindgen::JsCast;

use crate::components::browser::document;

fn html_document() -> Option<web_sys::HtmlDocument> {
    document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
}

pub fn exec(command: &str, value: &str) {
    if let Some(doc) = html_document() {
        let _ = doc.exec_command_with_show_ui_and_value(command, false, value);
    }
}

/// Text pasted without markup: one paragraph per line.
pub fn paragraphs(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("<p>{}</p>", crate::components::escape_html(l)))
        .collect()
}

pub fn figure(src: &str, width: i32, height: i32) -> String {
    format!(
        "<figure class=\"figure\"><img src=\"{src}\" alt=\"\" width=\"{width}\" height=\"{height}\"><figcaption>图片说明</figcaption></figure><p><br></p>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(
            paragraphs("第一段 <b>\n\n  第二段 & 结尾  \n"),
            "<p>第一段 &lt;b&gt;</p><p>第二段 &amp; 结尾</p>"
        );
    }

    #[test]
    fn figures_carry_their_size() {
        let html = figure("/media/a.webp", 800, 600);
        assert!(html.contains(r#"<img src="/media/a.webp" alt="" width="800" height="600">"#));
        assert!(html.starts_with("<figure"));
    }
}
