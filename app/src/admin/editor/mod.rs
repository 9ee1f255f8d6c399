//! The article editor: a lazy island (readers never load it). Rich text in a
//! `contenteditable` body with a small toolbar; pasting from Word, WPS or web pages keeps
//! paragraphs and uploads pictures; a preview uses the public renderer; unsaved work is
//! autosaved every few seconds and when the tab is hidden or closed.
//!
//! The island holds one [`Editor`] (its signals, `Copy`) and hands it to its parts: the main
//! column (`body`: title, toolbar, body, preview, messages), the side panel (`side`: review
//! state, save bar, status, time, column, flags, summary, cover), the save and autosave
//! actions (`actions`) and what arrives from outside (`incoming`: paste, pictures, Word).

mod actions;
mod body;
mod incoming;
mod side;

use leptos::html;
use leptos::prelude::*;

use crate::models::admin::{Autosaved, EditorData, EditorForm, ReviewInfo};

/// The editor's state, shared by its parts. Every field is a signal or a node reference, so
/// the whole is `Copy` and moves into any event handler.
#[derive(Clone, Copy)]
struct Editor {
    form: RwSignal<EditorForm>,
    /// The autosave key: `new:…` until the first save, then `article:{id}`.
    key: RwSignal<String>,
    csrf: StoredValue<String>,
    review: RwSignal<Option<ReviewInfo>>,
    body: NodeRef<html::Div>,
    /// The status line (`role=status`), the error box and the paste/import warnings.
    status: RwSignal<String>,
    error: RwSignal<String>,
    warnings: RwSignal<Vec<String>>,
    /// Changed since the last save / since the last autosave.
    dirty: RwSignal<bool>,
    unsaved_since_autosave: RwSignal<bool>,
    saving: RwSignal<bool>,
    /// The body is in place and the editor answers (JavaScript running).
    live: RwSignal<bool>,
    preview: RwSignal<Option<String>>,
    /// The article's public address once it is visible to readers.
    public: RwSignal<Option<String>>,
    /// An autosave found on opening, offered for restoring.
    offer: RwSignal<Option<Autosaved>>,
}

impl Editor {
    fn new(data: &EditorData, csrf: String) -> Editor {
        Editor {
            form: RwSignal::new(data.form.clone()),
            key: RwSignal::new(data.draft_key.clone()),
            csrf: StoredValue::new(csrf),
            review: RwSignal::new(data.review.clone()),
            body: NodeRef::new(),
            status: RwSignal::new(String::new()),
            error: RwSignal::new(String::new()),
            warnings: RwSignal::new(Vec::new()),
            dirty: RwSignal::new(false),
            unsaved_since_autosave: RwSignal::new(false),
            saving: RwSignal::new(false),
            live: RwSignal::new(false),
            preview: RwSignal::new(None),
            public: RwSignal::new(data.public_href.clone()),
            offer: RwSignal::new(data.autosaved.clone()),
        }
    }

    /// Waiting for a reviewer: nothing may change.
    fn locked(self) -> bool {
        self.review.with(|r| r.as_ref().is_some_and(|r| r.locked))
    }

    fn body_html(self) -> String {
        self.body
            .get_untracked()
            .map(|b| b.inner_html())
            .unwrap_or_default()
    }

    /// The form as it stands, with the body from the page.
    fn current(self) -> EditorForm {
        let mut f = self.form.get_untracked();
        f.body = self.body_html();
        f
    }

    /// Marks a change: unsaved, and due for the next autosave.
    fn touched(self) {
        self.dirty.set(true);
        self.unsaved_since_autosave.set(true);
    }

    /// A failed action: the message in the error box, the status line cleared.
    fn failed(self, message: String) {
        self.status.set(String::new());
        self.error.set(message);
    }

    /// Changes one field of the form and marks the change.
    fn edit(self, change: impl FnOnce(&mut EditorForm)) {
        self.form.update(change);
        self.touched();
    }
}

// Readers' pages load the reader bundle, built without `full`: there this is a plain component
// (never called in the browser), so its code, data and bindings are not in what they download.
// The server and the full bundle (`frontend-full`) have the island.
#[cfg_attr(any(feature = "ssr", feature = "full"), island(lazy))]
#[cfg_attr(not(any(feature = "ssr", feature = "full")), component)]
pub fn ArticleEditor(data: EditorData, csrf: String) -> impl IntoView {
    let ed = Editor::new(&data, csrf);
    let initial_body = data.form.body.clone();
    // Start: put the body in, then autosave and watch for leaving with unsaved work.
    Effect::new(move |_| {
        if let Some(b) = ed.body.get() {
            b.set_inner_html(&initial_body);
            ed.live.set(true);
        }
    });
    actions::keep_autosaving(ed);
    let EditorData {
        columns,
        revisions,
        reviewed,
        is_writer,
        ..
    } = data;
    let save = move || actions::save(ed, false);

    view! {
        <div class="editor" class:live=move || ed.live.get()>
            <side::AutosaveOffer ed />
            <form
                class="editor-grid"
                on:submit=move |e| {
                    e.prevent_default();
                    save();
                }
                on:keydown=move |e| {
                    if (e.ctrl_key() || e.meta_key()) && e.key() == "s" {
                        e.prevent_default();
                        save();
                    }
                }
            >
                <body::MainColumn ed />
                <aside class="editor-side">
                    <side::ReviewNotice review=ed.review />
                    <side::SaveBar ed reviewed revisions />
                    <side::Publishing ed reviewed columns />
                    <side::Details ed is_writer />
                    <side::Cover ed />
                </aside>
            </form>
            <p class="loading" hidden=move || ed.live.get()>
                "正在加载编辑器…（编辑文章需要浏览器启用 JavaScript）"
            </p>
        </div>
    }
}

/// A one-line text field bound to a field of the form.
fn text_field(
    ed: Editor,
    label: &'static str,
    get: fn(&EditorForm) -> String,
    set: fn(&mut EditorForm, String),
    max: u32,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <input
                maxlength=max
                value=ed.form.with_untracked(get)
                prop:value=move || ed.form.with(get)
                on:input=move |e| {
                    let v = event_target_value(&e);
                    ed.edit(|f| set(f, v));
                }
            />
        </label>
    }
}
