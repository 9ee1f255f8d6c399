//! The editor's side panel: the review state, the save bar, publishing (status, time,
//! column), details (flags, source, author, summary), the cover, and the autosave offer.

use leptos::html;
use leptos::prelude::*;

use super::{Editor, actions, incoming, text_field};
use crate::models::admin::{ArticleStatus, ColumnOption, EditorForm, ReviewInfo};

/// Offers the autosave found on opening: 恢复 or 丢弃.
#[component]
pub(super) fn AutosaveOffer(ed: Editor) -> impl IntoView {
    move || {
        ed.offer.get().map(|saved| {
            view! {
                <div class="flash flash-warn" role="alert">
                    {format!("发现 {} 自动保存的未保存内容。", saved.saved_at)}
                    <button type="button" class="button" on:click=move |_| actions::restore(ed)>
                        "恢复"
                    </button>
                    <button
                        type="button"
                        class="button subtle"
                        on:click=move |_| actions::discard(ed)
                    >
                        "丢弃"
                    </button>
                </div>
            }
        })
    }
}

/// Where the article stands in review, above the editor's buttons: the state, the reason of a
/// return, and the lock while a reviewer decides.
#[component]
pub(super) fn ReviewNotice(review: RwSignal<Option<ReviewInfo>>) -> impl IntoView {
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
                    {r
                        .locked
                        .then(|| {
                            view! {
                                <p>"已提交审核，审核结果出来前不能修改。"</p>
                            }
                        })}
                    {(!r.note.is_empty())
                        .then(|| view! { <p>{format!("退回原因：{}", r.note)}</p> })}
                    {r
                        .editing_live
                        .then(|| {
                            view! {
                                <p>
                                    "这里是已发布文章的修改稿；审核通过前，网站上仍显示原来的版本。"
                                </p>
                            }
                        })}
                    {r
                        .review_href
                        .clone()
                        .map(|h| {
                            view! {
                                <p>
                                    <a href=h>"去审核"</a>
                                </p>
                            }
                        })}
                </div>
            }
        })
    }
}

/// 保存 (or 保存草稿 and 提交审核 under review), 查看, 历史版本.
#[component]
pub(super) fn SaveBar(ed: Editor, reviewed: bool, revisions: usize) -> impl IntoView {
    let blocked = move || !ed.live.get() || ed.saving.get() || ed.locked();
    view! {
        <div class="side-actions">
            <button type="submit" class="button" class:primary=!reviewed disabled=blocked>
                {move || {
                    if ed.saving.get() {
                        "正在保存…"
                    } else if reviewed {
                        "保存草稿"
                    } else {
                        "保存"
                    }
                }}
            </button>
            {reviewed
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button primary"
                            disabled=blocked
                            on:click=move |_| actions::save(ed, true)
                        >
                            "提交审核"
                        </button>
                    }
                })}
            {move || {
                ed.public
                    .get()
                    .map(|href| {
                        view! {
                            <a class="button" href=href target="_blank" rel="noopener">
                                "查看"
                            </a>
                        }
                    })
            }}
            {move || {
                ed.form
                    .with(|f| f.id)
                    .map(|id| {
                        view! {
                            <a class="button subtle" href=format!("/admin/articles/{id}/revisions")>
                                {format!("历史版本（{}）", revisions)}
                            </a>
                        }
                    })
            }}
        </div>
    }
}

/// The status and publication time (or, under review, where the article stands), and the column.
#[component]
pub(super) fn Publishing(ed: Editor, reviewed: bool, columns: Vec<ColumnOption>) -> impl IntoView {
    let status_label = move || ed.form.with(|f| f.status.label());
    view! {
        {reviewed
            .then(|| {
                view! {
                    <p class="hint">
                        {move || format!("状态：{}", status_label())} <br />
                        "本站实行先审后发：保存后提交审核，由编辑审核通过后发布，发布时间由审核人决定。"
                    </p>
                }
            })}
        <label hidden=reviewed>
            "状态"
            <select on:change=move |e| {
                if let Some(v) = ArticleStatus::from_code(&event_target_value(&e)) {
                    ed.edit(|f| f.status = v);
                }
            }>
                {ArticleStatus::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <option value=s.code() selected=move || ed.form.with(|f| f.status == s)>
                                {s.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        <label hidden=reviewed>
            "发布时间"
            <input
                type="datetime-local"
                step="1"
                value=ed.form.with_untracked(|f| f.published_at.clone())
                prop:value=move || ed.form.with(|f| f.published_at.clone())
                on:input=move |e| {
                    let v = event_target_value(&e);
                    ed.edit(|f| f.published_at = v);
                }
            />
            <span class="hint">
                "定时发布：选择“定时发布”并填写将来的时间，到时自动上线。"
            </span>
        </label>
        <label>
            "栏目"
            <select on:change=move |e| {
                if let Ok(v) = event_target_value(&e).parse() {
                    ed.edit(|f| f.column_id = v);
                }
            }>
                {columns
                    .into_iter()
                    .map(|c| {
                        let id = c.id;
                        view! {
                            <option
                                value=c.id
                                disabled=!c.takes_articles
                                selected=move || ed.form.with(|f| f.column_id == id)
                            >
                                {c.label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A checkbox bound to one flag of the form.
fn flag(
    ed: Editor,
    label: &'static str,
    get: fn(&EditorForm) -> bool,
    set: fn(&mut EditorForm, bool),
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                checked=ed.form.with_untracked(get)
                prop:checked=move || ed.form.with(get)
                on:change=move |e| {
                    let v = event_target_checked(&e);
                    ed.edit(|f| set(f, v));
                }
            />
            {label}
        </label>
    }
}

/// The flags (not for writers), source, author and summary.
#[component]
pub(super) fn Details(ed: Editor, is_writer: bool) -> impl IntoView {
    view! {
        <fieldset class="flags" hidden=is_writer>
            <legend>"标记"</legend>
            {flag(ed, "头条", |f| f.is_headline, |f, v| f.is_headline = v)}
            {flag(ed, "推荐", |f| f.is_recommended, |f, v| f.is_recommended = v)}
            {flag(ed, "幻灯（需要封面）", |f| f.is_slideshow, |f, v| f.is_slideshow = v)}
        </fieldset>
        {text_field(ed, "来源", |f| f.source.clone(), |f, v| f.source = v, 100)}
        {text_field(ed, "作者", |f| f.author.clone(), |f, v| f.author = v, 100)}
        {text_field(
            ed,
            "关键词（用逗号分隔）",
            |f| f.keywords.clone(),
            |f, v| f.keywords = v,
            255,
        )}
        <label>
            "摘要"
            <textarea
                maxlength="500"
                rows="4"
                prop:value=move || ed.form.with(|f| f.summary.clone())
                on:input=move |e| {
                    let v = event_target_value(&e);
                    ed.edit(|f| f.summary = v);
                }
            >
                {ed.form.with_untracked(|f| crate::components::textarea_text(&f.summary))}
            </textarea>
        </label>
    }
}

/// The cover picture: shown, uploaded, removed.
#[component]
pub(super) fn Cover(ed: Editor) -> impl IntoView {
    let cover_input = NodeRef::<html::Input>::new();
    view! {
        <div class="cover">
            <span class="label">"封面图片"</span>
            {move || {
                ed.form
                    .with(|f| f.cover_src.clone())
                    .map(|src| view! { <img src=src alt="封面" /> })
            }}
            <div class="cover-actions">
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        if let Some(i) = cover_input.get_untracked() {
                            i.click();
                        }
                    }
                >
                    "上传封面"
                </button>
                {move || {
                    ed.form
                        .with(|f| f.cover_image_id.is_some())
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button subtle"
                                    on:click=move |_| {
                                        ed.edit(|f| {
                                            f.cover_image_id = None;
                                            f.cover_src = None;
                                        });
                                    }
                                >
                                    "移除"
                                </button>
                            }
                        })
                }}
            </div>
            <input
                type="file"
                accept="image/jpeg,image/png,image/webp,image/gif"
                hidden
                node_ref=cover_input
                on:change=move |_| {
                    if let Some(file) = incoming::chosen(cover_input) {
                        incoming::upload_cover(ed, file);
                    }
                }
            />
        </div>
    }
}
