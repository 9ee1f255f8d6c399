//! What comes into the body from outside: pasted content (cleaned on the server, pictures
//! uploaded), chosen pictures, Word documents, and the cover picture. Insertions land where
//! the caret last was.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::Editor;
use crate::admin::editor_html::{exec, figure, paragraphs};
use crate::api::admin::articles::{DOCX_URL, PASTE_URL};
use crate::components::browser::{post_json, upload_file, upload_image};
use crate::models::admin::{PasteRequest, PasteResult};

// The caret is kept on the editor element itself (a browser object, not Rust state), so that
// insertions after an upload or a dialog land where the editor left off.
const RANGE_KEY: &str = "__porticoRange";

pub(super) fn remember_selection(ed: Editor) {
    if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten())
        && sel.range_count() > 0
        && let Ok(range) = sel.get_range_at(0)
        && let Some(b) = ed.body.get_untracked()
    {
        let _ = js_sys::Reflect::set(&b, &RANGE_KEY.into(), &range);
    }
}

fn insert_html(ed: Editor, html: &str) {
    if let Some(b) = ed.body.get_untracked() {
        let _ = b.focus();
        let range = js_sys::Reflect::get(&b, &RANGE_KEY.into())
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::Range>().ok());
        if let (Some(range), Some(sel)) = (
            range,
            web_sys::window().and_then(|w| w.get_selection().ok().flatten()),
        ) {
            let _ = sel.remove_all_ranges();
            let _ = sel.add_range(&range);
        }
        exec("insertHTML", html);
        ed.touched();
    }
}

/// Pasting: pictures alone are uploaded; HTML (Word, WPS, web pages) is cleaned on the server,
/// its pictures put into the media library; plain text becomes paragraphs.
pub(super) fn paste(ed: Editor, e: web_sys::ClipboardEvent) {
    let Some(data) = e.clipboard_data() else {
        return;
    };
    e.prevent_default();
    remember_selection(ed);
    let html = data.get_data("text/html").unwrap_or_default();
    let rtf = data.get_data("text/rtf").unwrap_or_default();
    let files: Vec<web_sys::File> = data
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    if html.trim().is_empty() && !files.is_empty() {
        ed.status.set("正在上传粘贴的图片…".into());
        spawn_local(async move {
            for file in files.iter().filter(|f| f.type_().starts_with("image/")) {
                match upload_image(file, &ed.csrf.get_value()).await {
                    Ok(img) => insert_html(ed, &figure(&img.src, img.width, img.height)),
                    Err(e) => ed.error.set(e),
                }
            }
            ed.status.set("图片已上传".into());
        });
    } else if !html.trim().is_empty() {
        ed.status.set("正在整理粘贴的内容…".into());
        let args = PasteRequest { html, rtf };
        spawn_local(async move {
            match post_json::<_, PasteResult>(PASTE_URL, &args, &ed.csrf.get_value(), false).await {
                Ok(p) => {
                    insert_html(ed, &p.html);
                    ed.warnings.set(p.warnings);
                    ed.status.set(if p.images > 0 {
                        format!("已粘贴，{} 张图片已上传到媒体库", p.images)
                    } else {
                        "已粘贴".to_owned()
                    });
                }
                Err(e) => ed.error.set(e),
            }
        });
    } else {
        let text = data.get_data("text/plain").unwrap_or_default();
        insert_html(ed, &paragraphs(&text));
    }
}

/// The file chosen in a hidden file input, which is emptied for the next choice.
pub(super) fn chosen(input: NodeRef<html::Input>) -> Option<web_sys::File> {
    let input = input.get_untracked()?;
    let file = input.files().and_then(|l| l.get(0))?;
    input.set_value("");
    Some(file)
}

/// Uploads a picture and inserts it at the caret.
pub(super) fn insert_picture(ed: Editor, file: web_sys::File) {
    ed.status.set("正在上传图片…".into());
    spawn_local(async move {
        match upload_image(&file, &ed.csrf.get_value()).await {
            Ok(img) => {
                insert_html(ed, &figure(&img.src, img.width, img.height));
                ed.status.set("图片已插入".into());
            }
            Err(e) => ed.failed(e),
        }
    });
}

/// Imports a Word document (.docx) at the caret: headings, paragraphs, tables and pictures.
pub(super) fn import_docx(ed: Editor, file: web_sys::File) {
    ed.status.set("正在导入 Word 文档…".into());
    spawn_local(async move {
        match upload_file::<PasteResult>(DOCX_URL, &file, &ed.csrf.get_value()).await {
            Ok(p) => {
                insert_html(ed, &p.html);
                ed.warnings.set(p.warnings);
                ed.status
                    .set(format!("已导入 Word 文档，{} 张图片已放入媒体库", p.images));
            }
            Err(e) => ed.failed(e),
        }
    });
}

/// Uploads the cover picture.
pub(super) fn upload_cover(ed: Editor, file: web_sys::File) {
    ed.status.set("正在上传封面…".into());
    spawn_local(async move {
        match upload_image(&file, &ed.csrf.get_value()).await {
            Ok(img) => {
                ed.edit(|f| {
                    f.cover_image_id = Some(img.id);
                    f.cover_src = Some(img.src.clone());
                });
                ed.status.set("封面已上传".into());
            }
            Err(e) => ed.failed(e),
        }
    });
}
