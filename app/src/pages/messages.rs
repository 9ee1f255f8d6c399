//! `/messages` (留言箱): the association's answered public messages and the form to leave
//! one; `/messages/track`: a reader's message by receipt code and contact. Both forms are
//! plain posts that work without script; a refused post comes back as this page with the
//! reader's text and the reason next to the field.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::column::{PageParam, parse_page};
use super::{PageView, SitePage};
use crate::api::messages::{get_messages, get_track};
use crate::components::pager::Pagination;
use crate::components::reader_form::ReaderFormHelper;
use crate::components::seo::Seo;
use crate::error::AppError;
use crate::models::{MessageFormState, MessagesPage as Page, PublicMessage, TrackPage as Track};

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

/// The reason next to a field, and the attributes that tie it to the field.
fn problem_of(form: &MessageFormState, field: &str) -> (Option<String>, Option<&'static str>) {
    let p = form.problem(field);
    let invalid = p.as_ref().map(|_| "true");
    (p, invalid)
}

#[component]
pub(crate) fn FieldError(id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <p class="field-error" id=id>
                {m}
            </p>
        }
    })
}

#[component]
fn MessagesView(p: Page) -> impl IntoView {
    let f = p.form.clone();
    let (name_err, name_inv) = problem_of(&f, "name");
    let (phone_err, phone_inv) = problem_of(&f, "phone");
    let (email_err, email_inv) = problem_of(&f, "email");
    let (subject_err, subject_inv) = problem_of(&f, "subject");
    let (content_err, content_inv) = problem_of(&f, "content");
    let (consent_err, consent_inv) = problem_of(&f, "consent");
    let (answer_err, answer_inv) = problem_of(&f, "answer");
    let described = |err: &Option<String>, id: &'static str, hint: &'static str| {
        if err.is_some() {
            format!("{id} {hint}").trim().to_owned()
        } else {
            hint.to_owned()
        }
    };
    let has_problems = f.notice.is_some() || !f.problems.is_empty();
    let max = p.max_content;
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
                <section
                    class="message-form-panel"
                    aria-labelledby="message-form-title"
                    id="leave-message"
                >
                    <h2 id="message-form-title">"我要留言"</h2>
                    {has_problems
                        .then(|| {
                            view! {
                                <div class="form-notice" role="alert">
                                    <p>
                                        {f
                                            .notice
                                            .clone()
                                            .unwrap_or_else(|| {
                                                "留言还没有提交，请按提示修改后再提交。您填写的内容都还在。"
                                                    .into()
                                            })}
                                    </p>
                                </div>
                            }
                        })}
                    <form
                        method="post"
                        action="/messages"
                        class="reader-form"
                        accept-charset="utf-8"
                        id="message-form"
                    >
                        <input type="hidden" name="token" value=f.token.clone() />
                        <div class="hp" aria-hidden="true">
                            <label>
                                "请勿填写此项"
                                <input name="website" tabindex="-1" autocomplete="off" />
                            </label>
                        </div>
                        <div class="field">
                            <label for="msg-name">
                                "姓名或称呼"<span class="req" aria-hidden="true">
                                    "*"
                                </span>
                            </label>
                            <input
                                id="msg-name"
                                name="name"
                                value=f.name.clone()
                                required
                                maxlength="50"
                                autocomplete="name"
                                aria-invalid=name_inv
                                aria-describedby=name_err.as_ref().map(|_| "msg-name-error")
                            />
                            <FieldError id="msg-name-error".into() message=name_err />
                        </div>
                        <div class="field-row">
                            <div class="field">
                                <label for="msg-phone">"联系电话"</label>
                                <input
                                    id="msg-phone"
                                    name="phone"
                                    type="tel"
                                    value=f.phone.clone()
                                    maxlength="30"
                                    autocomplete="tel"
                                    inputmode="tel"
                                    aria-invalid=phone_inv
                                    aria-describedby=described(
                                        &phone_err,
                                        "msg-phone-error",
                                        "msg-contact-hint",
                                    )
                                />
                                <FieldError id="msg-phone-error".into() message=phone_err.clone() />
                            </div>
                            <div class="field">
                                <label for="msg-email">"电子邮箱"</label>
                                <input
                                    id="msg-email"
                                    name="email"
                                    type="email"
                                    value=f.email.clone()
                                    maxlength="100"
                                    autocomplete="email"
                                    aria-invalid=email_inv
                                    aria-describedby=described(
                                        &email_err,
                                        "msg-email-error",
                                        "msg-contact-hint",
                                    )
                                />
                                <FieldError id="msg-email-error".into() message=email_err />
                            </div>
                        </div>
                        <p class="hint" id="msg-contact-hint">
                            "电话和电子邮箱至少填写一项，仅用于答复和查询，不会公开。"
                        </p>
                        <div class="field">
                            <label for="msg-subject">
                                "主题"<span class="req" aria-hidden="true">
                                    "*"
                                </span>
                            </label>
                            <input
                                id="msg-subject"
                                name="subject"
                                value=f.subject.clone()
                                required
                                maxlength="100"
                                aria-invalid=subject_inv
                                aria-describedby=subject_err.as_ref().map(|_| "msg-subject-error")
                            />
                            <FieldError id="msg-subject-error".into() message=subject_err />
                        </div>
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
                                aria-invalid=content_inv
                                aria-describedby=described(
                                    &content_err,
                                    "msg-content-error",
                                    "msg-content-hint",
                                )
                            >
                                {crate::components::textarea_text(&f.content)}
                            </textarea>
                            <p class="hint" id="msg-content-hint">
                                {format!("最多{max}字。")}
                            </p>
                            <FieldError id="msg-content-error".into() message=content_err />
                        </div>
                        <div class="field check">
                            <label>
                                <input
                                    type="checkbox"
                                    name="public"
                                    value="yes"
                                    checked=f.wants_public
                                />
                                <span>
                                    "答复后可以公开我的留言和答复（只显示称呼，不显示联系方式）"
                                </span>
                            </label>
                        </div>
                        {f
                            .question
                            .clone()
                            .map(|q| {
                                view! {
                                    <div class="field challenge">
                                        <label for="msg-answer">
                                            {format!("验证问题：{q}")}
                                            <span class="req" aria-hidden="true">
                                                "*"
                                            </span>
                                        </label>
                                        <input
                                            id="msg-answer"
                                            name="answer"
                                            required
                                            maxlength="4"
                                            inputmode="numeric"
                                            autocomplete="off"
                                            class="short"
                                            aria-invalid=answer_inv
                                            aria-describedby=answer_err
                                                .as_ref()
                                                .map(|_| "msg-answer-error")
                                        />
                                        <FieldError
                                            id="msg-answer-error".into()
                                            message=answer_err.clone()
                                        />
                                    </div>
                                }
                            })}
                        <div class="field check">
                            <label>
                                <input
                                    type="checkbox"
                                    id="msg-consent"
                                    name="consent"
                                    value="yes"
                                    required
                                    checked=f.consent
                                    aria-invalid=consent_inv
                                    aria-describedby=consent_err
                                        .as_ref()
                                        .map(|_| "msg-consent-error")
                                />
                                <span>
                                    "我已阅读并同意"
                                    <a href=p.privacy_href.clone() target="_blank">
                                        "《个人信息保护说明》"
                                    </a>
                                </span>
                            </label>
                            <FieldError id="msg-consent-error".into() message=consent_err />
                        </div>
                        <ReaderFormHelper form_id="message-form".into() />
                        <div class="form-actions">
                            <button type="submit" class="button primary">
                                "提交留言"
                            </button>
                            <a href="/messages/track">"已留言？查询办理进度"</a>
                        </div>
                    </form>
                </section>
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
pub fn TrackPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (q.get("code").unwrap_or_default(), q.get("new").is_some())
        },
        |(code, is_new)| get_track(code, is_new),
    );
    view! { <SitePage data render=render_track /> }
}

fn render_track(t: Track) -> PageView {
    PageView {
        active: String::new(),
        content: view! { <TrackView t /> }.into_any(),
    }
}

#[component]
fn TrackView(t: Track) -> impl IntoView {
    let found = t.found.clone();
    view! {
        <Seo seo=t.seo.clone() />
        <div class="messages-page track-page">
            <header class="page-header">
                <h1>"留言查询"</h1>
                <p class="lead">
                    "请输入受理编号和留言时填写的电话或电子邮箱，查询办理情况和答复。"
                </p>
            </header>
            {t
                .is_new
                .then(|| {
                    view! {
                        <div class="receipt" role="status">
                            <p class="receipt-title">"留言已提交，感谢您的来信！"</p>
                            <p>
                                "您的受理编号是 "
                                <strong class="receipt-code">{t.code.clone()}</strong>
                            </p>
                            <p class="hint">
                                "请记下这个编号。协会答复后，您可以在本页凭编号和联系方式查看答复。"
                            </p>
                        </div>
                    }
                })}
            {t
                .notice
                .clone()
                .map(|n| {
                    view! {
                        <div class="form-notice" role="alert">
                            <p>{n}</p>
                        </div>
                    }
                })}
            {found
                .map(|m| {
                    view! {
                        <section class="tracked" aria-labelledby="tracked-title">
                            <h2 id="tracked-title">{m.subject}</h2>
                            <dl class="tracked-meta">
                                <dt>"受理编号"</dt>
                                <dd>{m.code}</dd>
                                <dt>"留言时间"</dt>
                                <dd>{m.asked_at}</dd>
                                <dt>"办理状态"</dt>
                                <dd>
                                    <strong>{m.status}</strong>
                                </dd>
                            </dl>
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
                        </section>
                    }
                })}
            <TrackForm
                action="/messages/track"
                code=t.code.clone()
                contact=t.contact.clone()
                placeholder="LY20261201-XXXX"
                back_href="/messages"
                back_label="返回留言箱"
            />
        </div>
    }
    .into_any()
}

/// The tracking form of a reader's form: receipt code and contact, posted to `action`.
#[component]
pub(crate) fn TrackForm(
    action: &'static str,
    code: String,
    contact: String,
    placeholder: &'static str,
    back_href: &'static str,
    back_label: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="reader-form track-form" accept-charset="utf-8">
            <div class="field-row">
                <div class="field">
                    <label for="track-code">"受理编号"</label>
                    <input
                        id="track-code"
                        name="code"
                        value=code
                        required
                        maxlength="24"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        placeholder=placeholder
                    />
                </div>
                <div class="field">
                    <label for="track-contact">"电话或电子邮箱"</label>
                    <input
                        id="track-contact"
                        name="contact"
                        value=contact
                        required
                        maxlength="100"
                        autocomplete="email"
                    />
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">
                    "查询"
                </button>
                <a href=back_href>{back_label}</a>
            </div>
        </form>
    }
}
