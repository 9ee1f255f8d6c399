//! Saving, submitting for review, autosaving, the preview, and the autosave offer.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;

use super::Editor;
use crate::api::admin::articles::{
    AutosaveArticle, DiscardAutosave, PreviewBody, SaveArticle, SendForReview,
};
use crate::components::browser::{document, post_json};
use crate::models::admin::{EditorForm, SaveResult, SentForReview};

/// How often unsaved changes are autosaved.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// Saves a copy of unsaved work beside the article (not the article itself).
fn autosave(ed: Editor, keepalive: bool) {
    if !ed.unsaved_since_autosave.get_untracked() || ed.saving.get_untracked() {
        return;
    }
    ed.unsaved_since_autosave.set(false);
    let args = AutosaveArticle {
        draft_key: ed.key.get_untracked(),
        form: ed.current(),
    };
    spawn_local(async move {
        let csrf = ed.csrf.get_value();
        match post_json::<_, String>(AutosaveArticle::PATH, &args, &csrf, keepalive).await {
            Ok(at) => ed.status.set(format!("已自动保存草稿 {at}")),
            Err(e) => {
                ed.unsaved_since_autosave.set(true);
                ed.status.set(format!("自动保存失败：{e}"));
            }
        }
    });
}

/// Autosaves every few seconds, when the tab is hidden, and when the page is left with unsaved
/// work (asking the reader to stay).
pub(super) fn keep_autosaving(ed: Editor) {
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || autosave(ed, false), AUTOSAVE_EVERY) {
            on_cleanup(move || handle.clear());
        }
        let hide = window_event_listener(ev::visibilitychange, move |_| {
            if document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
            {
                autosave(ed, true);
            }
        });
        let leave = window_event_listener(ev::beforeunload, move |e| {
            if ed.dirty.get_untracked() {
                autosave(ed, true);
                e.prevent_default();
                e.set_return_value("有未保存的修改");
            }
        });
        on_cleanup(move || {
            hide.remove();
            leave.remove();
        });
    });
}

/// Saves the article; with `and_submit`, sends it to the reviewers once saved.
pub(super) fn save(ed: Editor, and_submit: bool) {
    if ed.saving.get_untracked() || ed.locked() {
        return;
    }
    ed.saving.set(true);
    ed.error.set(String::new());
    ed.status.set("正在保存…".into());
    let args = SaveArticle {
        draft_key: ed.key.get_untracked(),
        form: ed.current(),
    };
    let was_new = args.form.id.is_none();
    spawn_local(async move {
        match post_json::<_, SaveResult>(SaveArticle::PATH, &args, &ed.csrf.get_value(), false)
            .await
        {
            Ok(r) => saved(ed, r, was_new),
            Err(e) => {
                ed.failed(e);
                ed.saving.set(false);
                return;
            }
        }
        match ed.form.with_untracked(|f| f.id) {
            Some(id) if and_submit => {
                ed.status.set("正在提交审核…".into());
                send_for_review(ed, id).await;
            }
            _ => {}
        }
        ed.saving.set(false);
    });
}

/// Takes in what the server answered to a save; a new article's address replaces `/new`.
fn saved(ed: Editor, r: SaveResult, was_new: bool) {
    ed.form.update(|f| {
        f.id = Some(r.id);
        f.status = r.status;
        f.published_at = r.published_at.clone();
    });
    ed.public.set(r.public_href.clone());
    ed.review.set(r.review.clone());
    ed.key.set(format!("article:{}", r.id));
    ed.dirty.set(false);
    ed.unsaved_since_autosave.set(false);
    ed.offer.set(None);
    ed.status.set(r.message);
    if was_new
        && let Some(w) = web_sys::window()
        && let Ok(h) = w.history()
    {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("/admin/articles/{}", r.id)),
        );
    }
}

/// Sends the saved article to the reviewers.
async fn send_for_review(ed: Editor, id: i32) {
    let args = SendForReview { id };
    match post_json::<_, SentForReview>(SendForReview::PATH, &args, &ed.csrf.get_value(), false)
        .await
    {
        Ok(r) => {
            ed.review.set(r.review);
            ed.public.set(r.public_href);
            ed.status.set(r.message);
        }
        Err(e) => ed.failed(e),
    }
}

/// Renders the body as readers will see it.
pub(super) fn show_preview(ed: Editor) {
    let args = PreviewBody {
        body: ed.body_html(),
    };
    spawn_local(async move {
        match post_json::<_, String>(PreviewBody::PATH, &args, &ed.csrf.get_value(), false).await {
            Ok(html) => ed.preview.set(Some(html)),
            Err(e) => ed.error.set(e),
        }
    });
}

/// Puts the offered autosave into the editor (keeping the article's id).
pub(super) fn restore(ed: Editor) {
    if let Some(saved) = ed.offer.get_untracked() {
        ed.key.set(saved.draft_key.clone());
        if let Some(b) = ed.body.get_untracked() {
            b.set_inner_html(&saved.form.body);
        }
        let id = ed.form.get_untracked().id;
        ed.form.set(EditorForm {
            id: id.or(saved.form.id),
            ..saved.form
        });
        ed.touched();
        ed.offer.set(None);
        ed.status.set("已恢复未保存的内容，请检查后保存".into());
    }
}

/// Throws the offered autosave away.
pub(super) fn discard(ed: Editor) {
    if let Some(saved) = ed.offer.get_untracked() {
        let args = DiscardAutosave {
            draft_key: saved.draft_key,
        };
        spawn_local(async move {
            let _ =
                post_json::<_, ()>(DiscardAutosave::PATH, &args, &ed.csrf.get_value(), false).await;
        });
        ed.offer.set(None);
    }
}
