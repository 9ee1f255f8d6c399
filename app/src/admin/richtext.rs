//! A rich-text field for plain forms (single pages, notices): a `contenteditable` box that
//! keeps a hidden textarea in step, so the form posts as usual. Without script the textarea
//! itself is shown and the HTML can be edited directly.

use leptos::html;
use leptos::prelude::*;

use super::editor_html::exec;

// Readers' pages load the reader bundle, built without `full`: there this is a plain component
// (never called in the browser), so its code, data and bindings are not in what they download.
// The server and the full bundle (`frontend-full`) have the island.
#[cfg_attr(any(feature = "ssr", feature = "full"), island(lazy))]
#[cfg_attr(not(any(feature = "ssr", feature = "full")), component)]
pub fn RichTextField(name: String, initial: String) -> impl IntoView {
    let live = RwSignal::new(false);
    let body = NodeRef::<html::Div>::new();
    let raw = NodeRef::<html::Textarea>::new();
    let start = initial.clone();
    Effect::new(move |_| {
        if let Some(b) = body.get() {
            b.set_inner_html(&start);
            live.set(true);
        }
    });
    let sync = move || {
        if let (Some(b), Some(t)) = (body.get_untracked(), raw.get_untracked()) {
            t.set_value(&b.inner_html());
        }
    };
    let tool = move |label: &'static str,
                     title: &'static str,
                     command: &'static str,
                     value: &'static str| {
        view! {
            <button
                type="button"
                class="tool"
                title=title
                aria-label=title
                on:mousedown=|e| e.prevent_default()
                on:click=move |_| {
                    exec(command, value);
                    sync();
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="richtext">
            <div class="toolbar" role="toolbar" aria-label="格式" hidden=move || !live.get()>
                {tool("B", "加粗", "bold", "")}
                {tool("小标题", "小标题", "formatBlock", "h3")}
                {tool("正文", "正文段落", "formatBlock", "p")}
                {tool("• 列表", "项目列表", "insertUnorderedList", "")}
                {tool("1. 列表", "编号列表", "insertOrderedList", "")}
                {tool("清除格式", "清除格式", "removeFormat", "")}
            </div>
            <div
                class="body-editor prose small"
                contenteditable="true"
                role="textbox"
                aria-multiline="true"
                aria-label="正文"
                node_ref=body
                hidden=move || !live.get()
                on:input=move |_| sync()
                on:blur=move |_| sync()
            ></div>
            <textarea name=name node_ref=raw rows="14" class="raw-html" hidden=move || live.get()>
                {crate::components::textarea_text(&initial)}
            </textarea>
        </div>
    }
}
