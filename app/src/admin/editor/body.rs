//! The editor's main column: title, subtitle, the 编辑/预览 tabs, the formatting toolbar, the
//! body itself, the preview, and the status, error and warning messages.

use leptos::html;
use leptos::prelude::*;

use super::{Editor, actions, incoming, text_field};
use crate::admin::editor_html::exec;

#[component]
pub(super) fn MainColumn(ed: Editor) -> impl IntoView {
    let editing = move || ed.preview.with(Option::is_none);
    view! {
        <div class="editor-main">
            <label class="title-field">
                <span class="visually-hidden">"标题"</span>
                <input
                    class="title-input"
                    placeholder="文章标题"
                    required
                    maxlength="200"
                    value=ed.form.with_untracked(|f| f.title.clone())
                    prop:value=move || ed.form.with(|f| f.title.clone())
                    on:input=move |e| {
                        let v = event_target_value(&e);
                        ed.edit(|f| f.title = v);
                    }
                />
            </label>
            {text_field(ed, "副标题", |f| f.subtitle.clone(), |f, v| f.subtitle = v, 200)}
            <div class="tabs-bar">
                <button
                    type="button"
                    class="tab"
                    class:current=editing
                    on:click=move |_| ed.preview.set(None)
                >
                    "编辑"
                </button>
                <button
                    type="button"
                    class="tab"
                    class:current=move || !editing()
                    on:click=move |_| actions::show_preview(ed)
                >
                    "预览"
                </button>
            </div>
            <Toolbar ed />
            <div
                class="body-editor prose"
                contenteditable=move || if ed.locked() { "false" } else { "true" }
                role="textbox"
                aria-multiline="true"
                aria-label="正文"
                node_ref=ed.body
                inner_html=ed.form.with_untracked(|f| f.body.clone())
                hidden=move || !editing()
                on:input=move |_| ed.touched()
                on:paste=move |e| incoming::paste(ed, e)
                on:keyup=move |_| incoming::remember_selection(ed)
                on:mouseup=move |_| incoming::remember_selection(ed)
                on:blur=move |_| incoming::remember_selection(ed)
            ></div>
            {move || {
                ed.preview
                    .get()
                    .map(|html| view! { <div class="preview prose" inner_html=html></div> })
            }}
            <Messages ed />
        </div>
    }
}

/// One formatting button: runs a document command on the selection.
fn tool(
    ed: Editor,
    label: &'static str,
    title: &'static str,
    command: &'static str,
    value: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="tool"
            title=title
            aria-label=title
            on:mousedown=|e| e.prevent_default()
            on:click=move |_| {
                exec(command, value);
                ed.touched();
            }
        >
            {label}
        </button>
    }
}

/// Asks for an address and links the selection to it.
fn link_selection(ed: Editor) {
    let url = web_sys::window()
        .and_then(|w| {
            w.prompt_with_message("链接地址（以 http:// 或 https:// 开头）")
                .ok()
                .flatten()
        })
        .unwrap_or_default();
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/') {
        exec("createLink", &url);
        ed.touched();
    } else if !url.is_empty() {
        ed.error
            .set("链接地址需以 http://、https:// 或 / 开头".into());
    }
}

#[component]
fn Toolbar(ed: Editor) -> impl IntoView {
    let file_input = NodeRef::<html::Input>::new();
    let docx_input = NodeRef::<html::Input>::new();
    let pick = move |input: NodeRef<html::Input>| {
        incoming::remember_selection(ed);
        if let Some(i) = input.get_untracked() {
            i.click();
        }
    };
    view! {
        <div
            class="toolbar"
            role="toolbar"
            aria-label="正文格式"
            hidden=move || ed.preview.with(Option::is_some)
        >
            {tool(ed, "B", "加粗", "bold", "")}
            {tool(ed, "I", "斜体", "italic", "")}
            {tool(ed, "小标题", "小标题", "formatBlock", "h3")}
            {tool(ed, "正文", "正文段落", "formatBlock", "p")}
            {tool(ed, "引用", "引用", "formatBlock", "blockquote")}
            {tool(ed, "• 列表", "项目列表", "insertUnorderedList", "")}
            {tool(ed, "1. 列表", "编号列表", "insertOrderedList", "")}
            <button
                type="button"
                class="tool"
                title="链接"
                on:mousedown=|e| e.prevent_default()
                on:click=move |_| link_selection(ed)
            >
                "链接"
            </button>
            <button
                type="button"
                class="tool"
                title="插入图片"
                on:mousedown=|e| e.prevent_default()
                on:click=move |_| pick(file_input)
            >
                "插入图片"
            </button>
            <button
                type="button"
                class="tool"
                title="导入 Word 文档（.docx）的标题、段落、表格和图片"
                on:mousedown=|e| e.prevent_default()
                on:click=move |_| pick(docx_input)
            >
                "导入 Word"
            </button>
            {tool(ed, "清除格式", "清除格式", "removeFormat", "")}
            {tool(ed, "↶", "撤销", "undo", "")}
            {tool(ed, "↷", "重做", "redo", "")}
            <input
                type="file"
                accept="image/jpeg,image/png,image/webp,image/gif"
                hidden
                node_ref=file_input
                on:change=move |_| {
                    if let Some(file) = incoming::chosen(file_input) {
                        incoming::insert_picture(ed, file);
                    }
                }
            />
            <input
                type="file"
                accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                hidden
                node_ref=docx_input
                on:change=move |_| {
                    if let Some(file) = incoming::chosen(docx_input) {
                        incoming::import_docx(ed, file);
                    }
                }
            />
        </div>
    }
}

/// The status line, the error box and the warnings of the last paste or import.
#[component]
fn Messages(ed: Editor) -> impl IntoView {
    view! {
        <div class="editor-status" role="status" aria-live="polite">
            {move || ed.status.get()}
        </div>
        {move || {
            let e = ed.error.get();
            (!e.is_empty())
                .then(|| {
                    view! {
                        <div class="flash flash-error" role="alert">
                            {e}
                        </div>
                    }
                })
        }}
        {move || {
            let w = ed.warnings.get();
            (!w.is_empty())
                .then(|| {
                    view! {
                        <ul class="flash flash-warn">
                            {w.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}
                        </ul>
                    }
                })
        }}
    }
}
