//! The article editor: a lazy island (readers never load it). Rich text in a
//! `contenteditable` body with a small toolbar; pasting from Word, WPS or web pages keeps
//! paragraphs and uploads pictures; a preview uses the public renderer; unsaved work is
//! autosaved every few seconds and when the tab is hidden or closed.

use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::editor_html::{exec, figure, paragraphs};
use crate::api::admin::articles::{
    AutosaveArticle, DOCX_URL, DiscardAutosave, PASTE_URL, PreviewBody, SaveArticle, SubmitArticle,
};
use crate::components::browser::{document, post_json, upload_file, upload_image};
use crate::models::admin::{
    ArticleStatus, EditorData, EditorForm, PasteRequest, PasteResult, ReviewInfo, SaveResult,
    SubmitResult,
};

/// How often unsaved changes are autosaved.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

// Readers' pages load the reader bundle, built without `full`: there this is a plain component
// (never called in the browser), so its code, data and bindings are not in what they download.
// The server and the full bundle (`frontend-full`) have the island.
#[cfg_attr(any(feature = "ssr", feature = "full"), island(lazy))]
#[cfg_attr(not(any(feature = "ssr", feature = "full")), component)]
pub fn ArticleEditor(data: EditorData, csrf: String) -> impl IntoView {
    let EditorData {
        form: initial,
        columns,
        draft_key,
        autosaved,
        revisions,
        public_href,
        submission: _,
        review,
        reviewed,
        is_writer,
    } = data;
    let review = RwSignal::new(review);
    let locked = move || review.with(|r| r.as_ref().is_some_and(|r| r.locked));
    let form = RwSignal::new(initial.clone());
    let key = RwSignal::new(draft_key);
    let csrf = StoredValue::new(csrf);
    let body = NodeRef::<html::Div>::new();
    let file_input = NodeRef::<html::Input>::new();
    let docx_input = NodeRef::<html::Input>::new();
    let cover_input = NodeRef::<html::Input>::new();
    let status = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let warnings = RwSignal::new(Vec::<String>::new());
    let dirty = RwSignal::new(false);
    let unsaved_since_autosave = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let live = RwSignal::new(false);
    let preview = RwSignal::new(None::<String>);
    let public = RwSignal::new(public_href);
    let offer = RwSignal::new(autosaved);

    let body_html = move || {
        body.get_untracked()
            .map(|b| b.inner_html())
            .unwrap_or_default()
    };
    let current = move || {
        let mut f = form.get_untracked();
        f.body = body_html();
        f
    };
    let touched = move || {
        dirty.set(true);
        unsaved_since_autosave.set(true);
    };

    // Start: put the body in, then watch for leaving with unsaved work.
    Effect::new(move |_| {
        if let Some(b) = body.get() {
            b.set_inner_html(&initial.body);
            live.set(true);
        }
    });
    let autosave = move |keepalive: bool| {
        if !unsaved_since_autosave.get_untracked() || saving.get_untracked() {
            return;
        }
        unsaved_since_autosave.set(false);
        let args = AutosaveArticle {
            draft_key: key.get_untracked(),
            form: current(),
        };
        spawn_local(async move {
            match post_json::<_, String>(AutosaveArticle::PATH, &args, &csrf.get_value(), keepalive)
                .await
            {
                Ok(at) => status.set(format!("已自动保存草稿 {at}")),
                Err(e) => {
                    unsaved_since_autosave.set(true);
                    status.set(format!("自动保存失败：{e}"));
                }
            }
        });
    };
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || autosave(false), AUTOSAVE_EVERY) {
            on_cleanup(move || handle.clear());
        }
        let hide = window_event_listener(ev::visibilitychange, move |_| {
            if document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
            {
                autosave(true);
            }
        });
        let leave = window_event_listener(ev::beforeunload, move |e| {
            if dirty.get_untracked() {
                autosave(true);
                e.prevent_default();
                e.set_return_value("有未保存的修改");
            }
        });
        on_cleanup(move || {
            hide.remove();
            leave.remove();
        });
    });

    // The caret is kept on the editor element itself (a browser object, not Rust state), so
    // that insertions after an upload or a dialog land where the editor left off.
    const RANGE_KEY: &str = "__porticoRange";
    let remember_selection = move || {
        if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten())
            && sel.range_count() > 0
            && let Ok(range) = sel.get_range_at(0)
            && let Some(b) = body.get_untracked()
        {
            let _ = js_sys::Reflect::set(&b, &RANGE_KEY.into(), &range);
        }
    };
    let insert_html = move |html: &str| {
        if let Some(b) = body.get_untracked() {
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
            touched();
        }
    };

    // Sends the saved article to the reviewers (after saving what is unsaved).
    let submit_saved = move |id: i32| {
        spawn_local(async move {
            let args = SubmitArticle { id };
            match post_json::<_, SubmitResult>(SubmitArticle::PATH, &args, &csrf.get_value(), false)
                .await
            {
                Ok(r) => {
                    review.set(r.review);
                    public.set(r.public_href);
                    status.set(r.message);
                }
                Err(e) => {
                    status.set(String::new());
                    error.set(e);
                }
            }
            saving.set(false);
        });
    };
    let save_then = move |and_submit: bool| {
        if saving.get_untracked() || locked() {
            return;
        }
        saving.set(true);
        error.set(String::new());
        status.set("正在保存…".into());
        let args = SaveArticle {
            draft_key: key.get_untracked(),
            form: current(),
        };
        let was_new = args.form.id.is_none();
        spawn_local(async move {
            match post_json::<_, SaveResult>(SaveArticle::PATH, &args, &csrf.get_value(), false)
                .await
            {
                Ok(r) => {
                    form.update(|f| {
                        f.id = Some(r.id);
                        f.status = r.status.clone();
                        f.published_at = r.published_at.clone();
                    });
                    public.set(r.public_href.clone());
                    review.set(r.review.clone());
                    key.set(format!("article:{}", r.id));
                    dirty.set(false);
                    unsaved_since_autosave.set(false);
                    offer.set(None);
                    status.set(r.message);
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
                Err(e) => {
                    status.set(String::new());
                    error.set(e);
                    saving.set(false);
                    return;
                }
            }
            match form.with_untracked(|f| f.id) {
                Some(id) if and_submit => {
                    status.set("正在提交审核…".into());
                    submit_saved(id);
                }
                _ => saving.set(false),
            }
        });
    };
    let save = move || save_then(false);

    let on_paste = move |e: web_sys::ClipboardEvent| {
        let Some(data) = e.clipboard_data() else {
            return;
        };
        e.prevent_default();
        remember_selection();
        let html = data.get_data("text/html").unwrap_or_default();
        let rtf = data.get_data("text/rtf").unwrap_or_default();
        let files: Vec<web_sys::File> = data
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        if html.trim().is_empty() && !files.is_empty() {
            status.set("正在上传粘贴的图片…".into());
            spawn_local(async move {
                for file in files.iter().filter(|f| f.type_().starts_with("image/")) {
                    match upload_image(file, &csrf.get_value()).await {
                        Ok(img) => insert_html(&figure(&img.src, img.width, img.height)),
                        Err(e) => error.set(e),
                    }
                }
                status.set("图片已上传".into());
            });
        } else if !html.trim().is_empty() {
            status.set("正在整理粘贴的内容…".into());
            let args = PasteRequest { html, rtf };
            spawn_local(async move {
                match post_json::<_, PasteResult>(PASTE_URL, &args, &csrf.get_value(), false).await
                {
                    Ok(p) => {
                        insert_html(&p.html);
                        warnings.set(p.warnings);
                        status.set(if p.images > 0 {
                            format!("已粘贴，{} 张图片已上传到媒体库", p.images)
                        } else {
                            "已粘贴".to_owned()
                        });
                    }
                    Err(e) => error.set(e),
                }
            });
        } else {
            let text = data.get_data("text/plain").unwrap_or_default();
            insert_html(&paragraphs(&text));
        }
    };

    let pick_image = move |_| {
        remember_selection();
        if let Some(i) = file_input.get_untracked() {
            i.click();
        }
    };
    let image_chosen = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        status.set("正在上传图片…".into());
        spawn_local(async move {
            match upload_image(&file, &csrf.get_value()).await {
                Ok(img) => {
                    insert_html(&figure(&img.src, img.width, img.height));
                    status.set("图片已插入".into());
                }
                Err(e) => {
                    status.set(String::new());
                    error.set(e);
                }
            }
        });
    };
    let pick_docx = move |_| {
        remember_selection();
        if let Some(i) = docx_input.get_untracked() {
            i.click();
        }
    };
    let docx_chosen = move |_| {
        let Some(input) = docx_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        status.set("正在导入 Word 文档…".into());
        spawn_local(async move {
            match upload_file::<PasteResult>(DOCX_URL, &file, &csrf.get_value()).await {
                Ok(p) => {
                    insert_html(&p.html);
                    warnings.set(p.warnings);
                    status.set(format!("已导入 Word 文档，{} 张图片已放入媒体库", p.images));
                }
                Err(e) => {
                    status.set(String::new());
                    error.set(e);
                }
            }
        });
    };
    let cover_chosen = move |_| {
        let Some(input) = cover_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        status.set("正在上传封面…".into());
        spawn_local(async move {
            match upload_image(&file, &csrf.get_value()).await {
                Ok(img) => {
                    form.update(|f| {
                        f.cover_image_id = Some(img.id);
                        f.cover_src = Some(img.src.clone());
                    });
                    touched();
                    status.set("封面已上传".into());
                }
                Err(e) => {
                    status.set(String::new());
                    error.set(e);
                }
            }
        });
    };
    let show_preview = move |_| {
        let args = PreviewBody { body: body_html() };
        spawn_local(async move {
            match post_json::<_, String>(PreviewBody::PATH, &args, &csrf.get_value(), false).await {
                Ok(html) => preview.set(Some(html)),
                Err(e) => error.set(e),
            }
        });
    };
    let restore = move |_| {
        if let Some(saved) = offer.get_untracked() {
            key.set(saved.draft_key.clone());
            if let Some(b) = body.get_untracked() {
                b.set_inner_html(&saved.form.body);
            }
            let id = form.get_untracked().id;
            form.set(EditorForm {
                id: id.or(saved.form.id),
                ..saved.form
            });
            touched();
            offer.set(None);
            status.set("已恢复未保存的内容，请检查后保存".into());
        }
    };
    let discard = move |_| {
        if let Some(saved) = offer.get_untracked() {
            let args = DiscardAutosave {
                draft_key: saved.draft_key,
            };
            spawn_local(async move {
                let _ = post_json::<_, ()>(DiscardAutosave::PATH, &args, &csrf.get_value(), false)
                    .await;
            });
            offer.set(None);
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
                    touched();
                }
            >
                {label}
            </button>
        }
    };
    let link_tool = move |_| {
        let url = web_sys::window()
            .and_then(|w| {
                w.prompt_with_message("链接地址（以 http:// 或 https:// 开头）")
                    .ok()
                    .flatten()
            })
            .unwrap_or_default();
        if url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/') {
            exec("createLink", &url);
            touched();
        } else if !url.is_empty() {
            error.set("链接地址需以 http://、https:// 或 / 开头".into());
        }
    };

    let text_field = move |label: &'static str,
                           get: fn(&EditorForm) -> String,
                           set: fn(&mut EditorForm, String),
                           max: u32| {
        view! {
            <label>
                {label}
                <input
                    maxlength=max
                    value=form.with_untracked(get)
                    prop:value=move || form.with(get)
                    on:input=move |e| {
                        let v = event_target_value(&e);
                        form.update(|f| set(f, v));
                        touched();
                    }
                />
            </label>
        }
    };
    let flag =
        move |label: &'static str, get: fn(&EditorForm) -> bool, set: fn(&mut EditorForm, bool)| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        checked=form.with_untracked(get)
                        prop:checked=move || form.with(get)
                        on:change=move |e| {
                            let v = event_target_checked(&e);
                            form.update(|f| set(f, v));
                            touched();
                        }
                    />
                    {label}
                </label>
            }
        };

    view! {
        <div class="editor" class:live=move || live.get()>
            {move || offer.get().map(|saved| view! {
                <div class="flash flash-warn" role="alert">
                    {format!("发现 {} 自动保存的未保存内容。", saved.saved_at)}
                    <button type="button" class="button" on:click=restore>"恢复"</button>
                    <button type="button" class="button subtle" on:click=discard>"丢弃"</button>
                </div>
            })}
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
                <div class="editor-main">
                    <label class="title-field">
                        <span class="visually-hidden">"标题"</span>
                        <input
                            class="title-input"
                            placeholder="文章标题"
                            required
                            maxlength="200"
                            value=form.with_untracked(|f| f.title.clone())
                            prop:value=move || form.with(|f| f.title.clone())
                            on:input=move |e| {
                                let v = event_target_value(&e);
                                form.update(|f| f.title = v);
                                touched();
                            }
                        />
                    </label>
                    {text_field("副标题", |f| f.subtitle.clone(), |f, v| f.subtitle = v, 200)}
                    <div class="tabs-bar">
                        <button type="button" class="tab" class:current=move || preview.get().is_none() on:click=move |_| preview.set(None)>"编辑"</button>
                        <button type="button" class="tab" class:current=move || preview.get().is_some() on:click=show_preview>"预览"</button>
                    </div>
                    <div class="toolbar" role="toolbar" aria-label="正文格式" hidden=move || preview.get().is_some()>
                        {tool("B", "加粗", "bold", "")}
                        {tool("I", "斜体", "italic", "")}
                        {tool("小标题", "小标题", "formatBlock", "h3")}
                        {tool("正文", "正文段落", "formatBlock", "p")}
                        {tool("引用", "引用", "formatBlock", "blockquote")}
                        {tool("• 列表", "项目列表", "insertUnorderedList", "")}
                        {tool("1. 列表", "编号列表", "insertOrderedList", "")}
                        <button type="button" class="tool" title="链接" on:mousedown=|e| e.prevent_default() on:click=link_tool>"链接"</button>
                        <button type="button" class="tool" title="插入图片" on:mousedown=|e| e.prevent_default() on:click=pick_image>"插入图片"</button>
                        <button type="button" class="tool" title="导入 Word 文档（.docx）的标题、段落、表格和图片" on:mousedown=|e| e.prevent_default() on:click=pick_docx>"导入 Word"</button>
                        {tool("清除格式", "清除格式", "removeFormat", "")}
                        {tool("↶", "撤销", "undo", "")}
                        {tool("↷", "重做", "redo", "")}
                        <input type="file" accept="image/jpeg,image/png,image/webp,image/gif" hidden node_ref=file_input on:change=image_chosen />
                        <input type="file" accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" hidden node_ref=docx_input on:change=docx_chosen />
                    </div>
                    <div
                        class="body-editor prose"
                        contenteditable=move || if locked() { "false" } else { "true" }
                        role="textbox"
                        aria-multiline="true"
                        aria-label="正文"
                        node_ref=body
                        inner_html=form.with_untracked(|f| f.body.clone())
                        hidden=move || preview.get().is_some()
                        on:input=move |_| touched()
                        on:paste=on_paste
                        on:keyup=move |_| remember_selection()
                        on:mouseup=move |_| remember_selection()
                        on:blur=move |_| remember_selection()
                    ></div>
                    {move || preview.get().map(|html| view! { <div class="preview prose" inner_html=html></div> })}
                    <div class="editor-status" role="status" aria-live="polite">{move || status.get()}</div>
                    {move || (!error.get().is_empty()).then(|| view! { <div class="flash flash-error" role="alert">{error.get()}</div> })}
                    {move || {
                        let w = warnings.get();
                        (!w.is_empty()).then(|| view! { <ul class="flash flash-warn">{w.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul> })
                    }}
                </div>
                <aside class="editor-side">
                    <ReviewNotice review />
                    <div class="side-actions">
                        <button type="submit" class="button" class:primary=!reviewed disabled=move || !live.get() || saving.get() || locked()>
                            {move || if saving.get() { "正在保存…" } else if reviewed { "保存草稿" } else { "保存" }}
                        </button>
                        {reviewed.then(|| view! {
                            <button
                                type="button"
                                class="button primary"
                                disabled=move || !live.get() || saving.get() || locked()
                                on:click=move |_| save_then(true)
                            >"提交审核"</button>
                        })}
                        {move || public.get().map(|href| view! { <a class="button" href=href target="_blank" rel="noopener">"查看"</a> })}
                        {move || form.with(|f| f.id).map(|id| view! {
                            <a class="button subtle" href=format!("/admin/articles/{id}/revisions")>{format!("历史版本（{}）", revisions)}</a>
                        })}
                    </div>
                    {reviewed.then(|| view! {
                        <p class="hint">
                            {move || format!("状态：{}", ArticleStatus::from_code(&form.with(|f| f.status.clone())).map(ArticleStatus::label).unwrap_or("草稿"))}
                            <br />
                            "本站实行先审后发：保存后提交审核，由编辑审核通过后发布，发布时间由审核人决定。"
                        </p>
                    })}
                    <label hidden=reviewed>
                        "状态"
                        <select on:change=move |e| {
                            let v = event_target_value(&e);
                            form.update(|f| f.status = v);
                            touched();
                        }>
                            {ArticleStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.code() selected=move || form.with(|f| f.status == s.code())>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label hidden=reviewed>
                        "发布时间"
                        <input
                            type="datetime-local"
                            step="1"
                            value=form.with_untracked(|f| f.published_at.clone())
                            prop:value=move || form.with(|f| f.published_at.clone())
                            on:input=move |e| {
                                let v = event_target_value(&e);
                                form.update(|f| f.published_at = v);
                                touched();
                            }
                        />
                        <span class="hint">"定时发布：选择“定时发布”并填写将来的时间，到时自动上线。"</span>
                    </label>
                    <label>
                        "栏目"
                        <select on:change=move |e| {
                            if let Ok(v) = event_target_value(&e).parse() {
                                form.update(|f| f.column_id = v);
                                touched();
                            }
                        }>
                            {columns.into_iter().map(|c| {
                                let id = c.id;
                                view! {
                                    <option value=c.id disabled=!c.takes_articles selected=move || form.with(|f| f.column_id == id)>{c.label}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <fieldset class="flags" hidden=is_writer>
                        <legend>"标记"</legend>
                        {flag("头条", |f| f.is_headline, |f, v| f.is_headline = v)}
                        {flag("推荐", |f| f.is_recommended, |f, v| f.is_recommended = v)}
                        {flag("幻灯（需要封面）", |f| f.is_slideshow, |f, v| f.is_slideshow = v)}
                    </fieldset>
                    {text_field("来源", |f| f.source.clone(), |f, v| f.source = v, 100)}
                    {text_field("作者", |f| f.author.clone(), |f, v| f.author = v, 100)}
                    <label>
                        "摘要"
                        <textarea
                            maxlength="500"
                            rows="4"
                            prop:value=move || form.with(|f| f.summary.clone())
                            on:input=move |e| {
                                let v = event_target_value(&e);
                                form.update(|f| f.summary = v);
                                touched();
                            }
                        >{form.with_untracked(|f| crate::components::textarea_text(&f.summary))}</textarea>
                    </label>
                    <div class="cover">
                        <span class="label">"封面图片"</span>
                        {move || form.with(|f| f.cover_src.clone()).map(|src| view! { <img src=src alt="封面" /> })}
                        <div class="cover-actions">
                            <button type="button" class="button" on:click=move |_| { if let Some(i) = cover_input.get_untracked() { i.click(); } }>"上传封面"</button>
                            {move || form.with(|f| f.cover_image_id.is_some()).then(|| view! {
                                <button type="button" class="button subtle" on:click=move |_| {
                                    form.update(|f| { f.cover_image_id = None; f.cover_src = None; });
                                    touched();
                                }>"移除"</button>
                            })}
                        </div>
                        <input type="file" accept="image/jpeg,image/png,image/webp,image/gif" hidden node_ref=cover_input on:change=cover_chosen />
                    </div>
                </aside>
            </form>
            <p class="loading" hidden=move || live.get()>"正在加载编辑器…（编辑文章需要浏览器启用 JavaScript）"</p>
        </div>
    }
}

/// Where the article stands in review, above the editor's buttons: the state, the reason of a
/// return, and the lock while a reviewer decides.
#[component]
fn ReviewNotice(review: RwSignal<Option<ReviewInfo>>) -> impl IntoView {
    move || {
        review.get().map(|r| {
            let class = if r.note.is_empty() {
                "review-notice"
            } else {
                "review-notice returned"
            };
            view! {
                <div class=class role="status">
                    <strong>{r.label.clone()}</strong>
                    {r.locked.then(|| view! { <p>"已提交审核，审核结果出来前不能修改。"</p> })}
                    {(!r.note.is_empty()).then(|| view! { <p>{format!("退回原因：{}", r.note)}</p> })}
                    {r.editing_live.then(|| view! { <p>"这里是已发布文章的修改稿；审核通过前，网站上仍显示原来的版本。"</p> })}
                    {r.review_href.clone().map(|h| view! { <p><a href=h>"去审核"</a></p> })}
                </div>
            }
        })
    }
}
