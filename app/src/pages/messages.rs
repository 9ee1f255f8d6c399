//! `/messages` (留言箱): the association's answered public messages and the form to leave
//! one; `/messages/track`: a reader's message by receipt code and contact. Both forms are
//! plain posts that work without script; a refused post comes back as this page with the
//! reader's text and the reason next to the field.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::column::{PageParam, parse_page};
use super::form_fields::{
    Challenge, Consent, ContactPair, FieldError, FormGuards, FormNotice, InputField, TrackTexts,
    TrackedItem, described, invalid, track_page,
};
use super::{PageView, SitePage};
use crate::api::messages::{get_messages, get_track};
use crate::components::pager::Pagination;
use crate::components::reader_form::ReaderFormHelper;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{MessagesPage as Page, PublicMessage, TrackedMessage};

#[component]
pub fn MessagesPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || query.read().get("page"),
        |page| async move {
            match parse_page(page.as_deref()) {
                PageParam::Page(n) => get_messages(n).await,
                PageParam::ToFirst => Err(AppError::Moved("/messages".into())),
            }
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(p: Page) -> PageView {
    PageView {
        active: String::new(),
        content: view! { <MessagesView p /> }.into_any(),
    }
}

#[component]
fn MessagesView(p: Page) -> impl IntoView {
    let items = p.items.clone();
    view! {
        <Seo seo=p.seo.clone() />
        <div class="messages-page">
            <header class="page-header">
                <h1>"留言箱"</h1>
                <p class="lead">
                    "欢迎就开发区建设、协会工作和会员服务提出咨询、意见和建议。协会将及时答复，经您同意公开的留言，答复后展示在本页。"
                </p>
            </header>
            <div class="messages-layout">
                <MessageForm p=p.clone() />
                <section class="message-list" aria-labelledby="answered-title">
                    <h2 id="answered-title">"留言答复"</h2>
                    {if items.is_empty() {
                        view! {
                            <p class="empty-state">"暂时还没有公开的留言答复。"</p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <ol class="answered">
                                {items
                                    .into_iter()
                                    .map(|m| view! { <AnsweredMessage m /> })
                                    .collect_view()}
                            </ol>
                            <Pagination pager=p.pager.clone() />
                        }
                            .into_any()
                    }}
                </section>
            </div>
        </div>
    }
    .into_any()
}

/// The form to leave a message, with the reader's text and the problems of a refused post.
#[component]
fn MessageForm(p: Page) -> impl IntoView {
    let f = p.form.clone();
    let err = |field: &str| f.status.problem(field);
    let content_err = err("content");
    let has_problems = f.status.refused();
    let max = p.max_content;
    view! {
        <section class="message-form-panel" aria-labelledby="message-form-title" id="leave-message">
            <h2 id="message-form-title">"我要留言"</h2>
            <FormNotice
                notice=f.status.notice.clone()
                has_problems
                fallback="留言还没有提交，请按提示修改后再提交。您填写的内容都还在。"
            />
            <form
                method="post"
                action="/messages"
                class="reader-form"
                accept-charset="utf-8"
                id="message-form"
            >
                <FormGuards token=f.status.token.clone() />
                <InputField
                    id="msg-name"
                    name="name"
                    label="姓名或称呼"
                    value=f.name.clone()
                    max=50
                    required=true
                    autocomplete="name"
                    problem=err("name")
                />
                <ContactPair
                    ids=["msg-phone", "msg-email", "msg-contact-hint"]
                    phone=f.phone.clone()
                    email=f.email.clone()
                    problems=[err("phone"), err("email")]
                    purpose="仅用于答复和查询，不会公开。"
                />
                <InputField
                    id="msg-subject"
                    name="subject"
                    label="主题"
                    value=f.subject.clone()
                    max=100
                    required=true
                    problem=err("subject")
                />
                <MessageText
                    content=f.content.clone()
                    wants_public=f.wants_public
                    max
                    problem=content_err
                />
                <Challenge prefix="msg" question=f.status.question.clone() problem=err("answer") />
                <Consent
                    prefix="msg"
                    checked=f.consent
                    privacy_href=p.privacy_href.clone()
                    problem=err("consent")
                />
                <ReaderFormHelper form_id="message-form".into() />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        "提交留言"
                    </button>
                    <a href="/messages/track">"已留言？查询办理进度"</a>
                </div>
            </form>
        </section>
    }
}

/// The message itself, and whether it may be shown once answered.
#[component]
fn MessageText(
    content: String,
    wants_public: bool,
    max: usize,
    problem: Option<String>,
) -> impl IntoView {
    let content_err = problem;
    view! {
        <div class="field">
            <label for="msg-content">
                "留言内容"<span class="req" aria-hidden="true">
                    "*"
                </span>
            </label>
            <textarea
                id="msg-content"
                name="content"
                rows="8"
                required
                maxlength=max.to_string()
                aria-invalid=invalid(&content_err)
                aria-describedby=described(&content_err, "msg-content-error", "msg-content-hint")
            >
                {crate::components::textarea_text(&content)}
            </textarea>
            <p class="hint" id="msg-content-hint">
                {format!("最多{max}字。")}
            </p>
            <FieldError id="msg-content-error".into() message=content_err />
        </div>
        <div class="field check">
            <label>
                <input type="checkbox" name="public" value="yes" checked=wants_public />
                <span>
                    "答复后可以公开我的留言和答复（只显示称呼，不显示联系方式）"
                </span>
            </label>
        </div>
    }
}

#[component]
fn AnsweredMessage(m: PublicMessage) -> impl IntoView {
    view! {
        <li class="answered-item">
            <article>
                <h3>{m.subject}</h3>
                <p class="meta">
                    <span>{format!("留言人：{}", m.name)}</span>
                    <span>{m.asked_at}</span>
                </p>
                <p class="question-text">{m.content}</p>
                <div class="reply">
                    <p class="reply-label">
                        "协会答复"<span class="meta">{m.replied_at}</span>
                    </p>
                    <p class="reply-text">{m.reply}</p>
                </div>
            </article>
        </li>
    }
}

#[component]
pub fn MessageTrackPage() -> impl IntoView {
    track_page(get_track, &TRACK, |m: TrackedMessage| {
        view! { <Tracked m /> }.into_any()
    })
}

const TRACK: TrackTexts = TrackTexts {
    title: "留言查询",
    lead: "请输入受理编号和留言时填写的电话或电子邮箱，查询办理情况和答复。",
    receipt: "留言已提交，感谢您的来信！",
    receipt_hint: "请记下这个编号。协会答复后，您可以在本页凭编号和联系方式查看答复。",
    action: "/messages/track",
    placeholder: "LY20261201-XXXX",
    back_href: "/messages",
    back_label: "返回留言箱",
    active: "",
};

/// What tracking found of a message.
#[component]
fn Tracked(m: TrackedMessage) -> impl IntoView {
    view! {
        <TrackedItem
            title=m.subject
            code=m.code
            sent=("留言时间", m.asked_at)
            state=("办理状态", m.status)
        >
            <p class="question-text">{m.content}</p>
            {m
                .reply
                .map(|r| {
                    view! {
                        <div class="reply">
                            <p class="reply-label">
                                "协会答复"
                                <span class="meta">{m.replied_at.unwrap_or_default()}</span>
                            </p>
                            <p class="reply-text">{r}</p>
                            {m
                                .is_published
                                .then(|| {
                                    view! {
                                        <p class="hint">
                                            "这条留言和答复已在"
                                            <a href="/messages">"留言箱"</a>"公开。"
                                        </p>
                                    }
                                })}
                        </div>
                    }
                })}
        </TrackedItem>
    }
}
