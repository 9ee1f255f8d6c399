//! `/submit` (在线投稿): the manuscript form, with up to five attachments; `/submit/track`:
//! a submission by receipt code and contact. Plain multipart posts that work without script;
//! a refused post comes back as this page with the reader's text and the reasons next to
//! the fields (files must be chosen again: browsers never let a page fill them in).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::messages::{FieldError, TrackForm};
use super::{PageView, SitePage};
use crate::api::submit::{get_submit, get_submit_track};
use crate::components::reader_form::{FileLimits, ReaderFormHelper};
use crate::components::seo::Seo;
use crate::models::{SubmitFormState, SubmitPage as Page, SubmitTrackPage as Track};

#[component]
pub fn SubmitPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_submit());
    view! { <SitePage data render=render /> }
}

fn render(p: Page) -> PageView {
    PageView {
        active: "/columns/submit".into(),
        content: view! { <SubmitView p /> }.into_any(),
    }
}

/// `aria-describedby` of a field: its error (when it has one) and its hint.
fn described(err: &Option<String>, id: &str, hint: &str) -> Option<String> {
    let s = match err {
        Some(_) => format!("{id} {hint}"),
        None => hint.to_owned(),
    };
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

#[component]
fn SubmitView(p: Page) -> impl IntoView {
    view! {
        <Seo seo=p.seo.clone() />
        <div class="messages-page submit-page">
            <header class="page-header">
                <h1>"在线投稿"</h1>
                <p class="lead">
                    "欢迎各开发区、会员单位和读者投稿。投稿前请阅读"
                    <a href=p.guide_href.clone()>"投稿须知"</a>
                    "；提交后您将获得受理编号，可凭编号查询审阅结果。"
                </p>
            </header>
            <div class="messages-layout submit-layout">
                <SubmitForm p=p.clone() />
                <SubmitGuide guide_href=p.guide_href.clone() />
            </div>
        </div>
    }
    .into_any()
}

/// `aria-invalid` for a field with a problem.
fn invalid(e: &Option<String>) -> Option<&'static str> {
    e.as_ref().map(|_| "true")
}

/// The form: what the reader wrote and where it goes, the files, the question when one is
/// asked, and the consent; problems shown beside their fields.
#[component]
fn SubmitForm(p: Page) -> impl IntoView {
    let f = p.form.clone();
    let err = |field: &str| f.problem(field);
    let (title_err, column_err, content_err, files_err) =
        (err("title"), err("column"), err("content"), err("files"));
    let (consent_err, answer_err) = (err("consent"), err("answer"));
    let has_problems = f.notice.is_some() || !f.problems.is_empty();
    let again = f.files_to_choose_again.clone();
    let files_hint = format!(
        "可选。支持 doc、docx、wps、pdf、jpg、png，最多{}个，每个不超过{} MB，合计不超过{} MB。附带 Word 文档（.docx）时，编辑可直接导入其中的标题、表格和图片。",
        p.max_files, p.max_file_mb, p.max_total_mb
    );
    let max = p.max_content;
    let selected = f.column.clone();
    let limits = FileLimits {
        max_files: p.max_files,
        max_file_mb: p.max_file_mb,
        max_total_mb: p.max_total_mb,
    };
    view! {
        <section class="message-form-panel submit-panel" aria-labelledby="submit-form-title">
            <h2 id="submit-form-title">"稿件信息"</h2>
            {has_problems
                .then(|| {
                    view! {
                        <div class="form-notice" role="alert">
                            <p>
                                {f
                                    .notice
                                    .clone()
                                    .unwrap_or_else(|| {
                                        "稿件还没有提交，请按提示修改后再提交。您填写的文字都还在。"
                                            .into()
                                    })}
                            </p>
                            {(!again.is_empty())
                                .then(|| {
                                    view! {
                                        <p>
                                            {format!("请重新选择附件：{}", again.join("、"))}
                                        </p>
                                    }
                                })}
                        </div>
                    }
                })}
            <form
                method="post"
                action="/submit"
                enctype="multipart/form-data"
                class="reader-form"
                accept-charset="utf-8"
                id="submit-form"
            >
                <input type="hidden" name="token" value=f.token.clone() />
                <div class="hp" aria-hidden="true">
                    <label>
                        "请勿填写此项"
                        <input name="website" tabindex="-1" autocomplete="off" />
                    </label>
                </div>
                <ContactFields f=f.clone() />
                <div class="field">
                    <label for="sub-title">
                        "稿件标题"<span class="req" aria-hidden="true">
                            "*"
                        </span>
                    </label>
                    <input
                        id="sub-title"
                        name="title"
                        value=f.title.clone()
                        required
                        maxlength="200"
                        aria-invalid=invalid(&title_err)
                        aria-describedby=described(&title_err, "sub-title-error", "")
                    />
                    <FieldError id="sub-title-error".into() message=title_err.clone() />
                </div>
                <div class="field">
                    <label for="sub-column">"建议栏目"</label>
                    <select
                        id="sub-column"
                        name="column"
                        aria-invalid=invalid(&column_err)
                        aria-describedby=described(&column_err, "sub-column-error", "")
                    >
                        <option value="" selected=selected.is_empty()>
                            "由编辑部决定"
                        </option>
                        {p
                            .columns
                            .iter()
                            .map(|c| {
                                let id = c.id.to_string();
                                let sel = id == selected;
                                view! {
                                    <option value=id selected=sel>
                                        {c.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError id="sub-column-error".into() message=column_err.clone() />
                </div>
                <div class="field">
                    <label for="sub-content">"正文"</label>
                    <textarea
                        id="sub-content"
                        name="content"
                        rows="14"
                        maxlength=max.to_string()
                        aria-invalid=invalid(&content_err)
                        aria-describedby=described(
                            &content_err,
                            "sub-content-error",
                            "sub-content-hint",
                        )
                    >
                        {crate::components::textarea_text(&f.content)}
                    </textarea>
                    <p class="hint" id="sub-content-hint">
                        {format!(
                            "可直接粘贴稿件正文（最多{max}字），也可只上传附件。",
                        )}
                    </p>
                    <FieldError id="sub-content-error".into() message=content_err.clone() />
                </div>
                <div class="field">
                    <label for="sub-files">"附件"</label>
                    <input
                        id="sub-files"
                        name="files"
                        type="file"
                        multiple
                        accept=".doc,.docx,.wps,.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        aria-invalid=invalid(&files_err)
                        aria-describedby=described(&files_err, "sub-files-error", "sub-files-hint")
                    />
                    <p class="hint" id="sub-files-hint">
                        {files_hint}
                    </p>
                    <FieldError id="sub-files-error".into() message=files_err.clone() />
                </div>
                {f
                    .question
                    .clone()
                    .map(|q| {
                        view! {
                            <div class="field challenge">
                                <label for="sub-answer">
                                    {format!("验证问题：{q}")}
                                    <span class="req" aria-hidden="true">
                                        "*"
                                    </span>
                                </label>
                                <input
                                    id="sub-answer"
                                    name="answer"
                                    required
                                    maxlength="4"
                                    inputmode="numeric"
                                    autocomplete="off"
                                    class="short"
                                    aria-invalid=invalid(&answer_err)
                                    aria-describedby=described(&answer_err, "sub-answer-error", "")
                                />
                                <FieldError
                                    id="sub-answer-error".into()
                                    message=answer_err.clone()
                                />
                            </div>
                        }
                    })}
                <div class="field check">
                    <label>
                        <input
                            type="checkbox"
                            id="sub-consent"
                            name="consent"
                            value="yes"
                            required
                            checked=f.consent
                            aria-invalid=invalid(&consent_err)
                            aria-describedby=described(&consent_err, "sub-consent-error", "")
                        />
                        <span>
                            "我已阅读并同意"<a href=p.privacy_href.clone() target="_blank">
                                "《个人信息保护说明》"
                            </a>"，并保证稿件为本人原创"
                        </span>
                    </label>
                    <FieldError id="sub-consent-error".into() message=consent_err.clone() />
                </div>
                <ReaderFormHelper form_id="submit-form".into() files=limits />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        "提交稿件"
                    </button>
                    <a href="/submit/track">"已投稿？查询审阅结果"</a>
                </div>
            </form>
        </section>
    }
}

/// The author and how to reach them (phone or e-mail, at least one).
#[component]
fn ContactFields(f: SubmitFormState) -> impl IntoView {
    let err = |field: &str| f.problem(field);
    let (name_err, org_err, phone_err, email_err) =
        (err("name"), err("organization"), err("phone"), err("email"));
    view! {
        <div class="field-row">
            <div class="field">
                <label for="sub-name">
                    "作者姓名"<span class="req" aria-hidden="true">
                        "*"
                    </span>
                </label>
                <input
                    id="sub-name"
                    name="name"
                    value=f.name.clone()
                    required
                    maxlength="50"
                    autocomplete="name"
                    aria-invalid=invalid(&name_err)
                    aria-describedby=described(&name_err, "sub-name-error", "")
                />
                <FieldError id="sub-name-error".into() message=name_err.clone() />
            </div>
            <div class="field">
                <label for="sub-org">"工作单位"</label>
                <input
                    id="sub-org"
                    name="organization"
                    value=f.organization.clone()
                    maxlength="100"
                    autocomplete="organization"
                    aria-invalid=invalid(&org_err)
                    aria-describedby=described(&org_err, "sub-org-error", "")
                />
                <FieldError id="sub-org-error".into() message=org_err.clone() />
            </div>
        </div>
        <div class="field-row">
            <div class="field">
                <label for="sub-phone">"联系电话"</label>
                <input
                    id="sub-phone"
                    name="phone"
                    type="tel"
                    value=f.phone.clone()
                    maxlength="30"
                    autocomplete="tel"
                    inputmode="tel"
                    aria-invalid=invalid(&phone_err)
                    aria-describedby=described(&phone_err, "sub-phone-error", "sub-contact-hint")
                />
                <FieldError id="sub-phone-error".into() message=phone_err.clone() />
            </div>
            <div class="field">
                <label for="sub-email">"电子邮箱"</label>
                <input
                    id="sub-email"
                    name="email"
                    type="email"
                    value=f.email.clone()
                    maxlength="100"
                    autocomplete="email"
                    aria-invalid=invalid(&email_err)
                    aria-describedby=described(&email_err, "sub-email-error", "sub-contact-hint")
                />
                <FieldError id="sub-email-error".into() message=email_err.clone() />
            </div>
        </div>
        <p class="hint" id="sub-contact-hint">
            "电话和电子邮箱至少填写一项，仅用于联系作者和查询，不会公开。"
        </p>
    }
}

/// The guidelines beside the form.
#[component]
fn SubmitGuide(guide_href: String) -> impl IntoView {
    view! {
        <aside class="submit-guide" aria-labelledby="submit-guide-title">
            <h2 id="submit-guide-title">"投稿说明"</h2>
            <ul>
                <li>"稿件须为原创，观点明确，数据准确，文责自负。"</li>
                <li>
                    "新闻稿件一般不超过1500字，研究类文章一般不超过8000字。"
                </li>
                <li>
                    "图片请提供原图，并在正文或附件中注明拍摄者和图片说明。"
                </li>
                <li>
                    "提交后获得受理编号；编辑部审阅后，可凭编号和联系方式查询结果，未采用的稿件可看到编辑部意见。"
                </li>
            </ul>
            <p>
                <a href=guide_href>"阅读完整的投稿须知"</a>
            </p>
            <p>
                <a href="/submit/track">"查询投稿结果"</a>
            </p>
        </aside>
    }
}

#[component]
pub fn SubmitTrackPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (q.get("code").unwrap_or_default(), q.get("new").is_some())
        },
        |(code, is_new)| get_submit_track(code, is_new),
    );
    view! { <SitePage data render=render_track /> }
}

fn render_track(t: Track) -> PageView {
    PageView {
        active: "/columns/submit".into(),
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
                <h1>"投稿查询"</h1>
                <p class="lead">
                    "请输入受理编号和投稿时填写的电话或电子邮箱，查询稿件的审阅结果。"
                </p>
            </header>
            {t
                .is_new
                .then(|| {
                    view! {
                        <div class="receipt" role="status">
                            <p class="receipt-title">"稿件已提交，感谢您的投稿！"</p>
                            <p>
                                "您的受理编号是 "
                                <strong class="receipt-code">{t.code.clone()}</strong>
                            </p>
                            <p class="hint">
                                "请记下这个编号。编辑部审阅后，您可以在本页凭编号和联系方式查看结果。"
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
                .map(|s| {
                    view! {
                        <section class="tracked" aria-labelledby="tracked-title">
                            <h2 id="tracked-title">{s.title}</h2>
                            <dl class="tracked-meta">
                                <dt>"受理编号"</dt>
                                <dd>{s.code}</dd>
                                <dt>"投稿时间"</dt>
                                <dd>{s.sent_at}</dd>
                                <dt>"审阅状态"</dt>
                                <dd>
                                    <strong>{s.status}</strong>
                                </dd>
                                {(!s.files.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>"附件"</dt>
                                            <dd>{s.files.join("、")}</dd>
                                        }
                                    })}
                            </dl>
                            {s
                                .reason
                                .map(|r| {
                                    view! {
                                        <div class="reply">
                                            <p class="reply-label">"编辑部意见"</p>
                                            <p class="reply-text">{r}</p>
                                        </div>
                                    }
                                })}
                        </section>
                    }
                })}
            <TrackForm
                action="/submit/track"
                code=t.code.clone()
                contact=t.contact.clone()
                placeholder="TG20261201-XXXX"
                back_href="/submit"
                back_label="我要投稿"
            />
        </div>
    }
    .into_any()
}
