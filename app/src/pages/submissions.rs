//! `/submit` (在线投稿): the manuscript form, with up to five attachments; `/submit/track`:
//! a submission by receipt code and contact. Plain multipart posts that work without script;
//! a refused post comes back as this page with the reader's text and the reasons next to
//! the fields (files must be chosen again: browsers never let a page fill them in).

use leptos::prelude::*;

use super::form_fields::{
    Challenge, Consent, ContactPair, FieldError, FormGuards, FormNotice, InputField, TrackTexts,
    TrackedItem, described, invalid, track_page,
};
use super::{PageView, SitePage};
use crate::api::submissions::{get_submission_page, get_submission_track};
use crate::components::reader_form::{FileLimits, ReaderFormHelper};
use crate::components::seo::Seo;
use crate::models::{SubmissionFormState, SubmissionPage as Page, TrackedSubmission};

#[component]
pub fn SubmissionFormPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_submission_page());
    view! { <SitePage data render=render /> }
}

fn render(p: Page) -> PageView {
    PageView {
        active: "/columns/submit".into(),
        content: view! { <SubmitView p /> }.into_any(),
    }
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

/// The form: what the reader wrote and where it goes, the files, the question when one is
/// asked, and the consent; problems shown beside their fields.
#[component]
fn SubmitForm(p: Page) -> impl IntoView {
    let f = p.form.clone();
    let err = |field: &str| f.status.problem(field);
    let has_problems = f.status.refused();
    let limits = FileLimits {
        max_files: p.max_files,
        max_file_mb: p.max_file_mb,
        max_total_mb: p.max_total_mb,
    };
    view! {
        <section class="message-form-panel submit-panel" aria-labelledby="submit-form-title">
            <h2 id="submit-form-title">"稿件信息"</h2>
            <FormNotice
                notice=f.status.notice.clone()
                has_problems
                fallback="稿件还没有提交，请按提示修改后再提交。您填写的文字都还在。"
                files_again=f.files_to_choose_again.clone()
            />
            <form
                method="post"
                action="/submit"
                enctype="multipart/form-data"
                class="reader-form"
                accept-charset="utf-8"
                id="submit-form"
            >
                <FormGuards token=f.status.token.clone() />
                <ContactFields f=f.clone() />
                <InputField
                    id="sub-title"
                    name="title"
                    label="稿件标题"
                    value=f.title.clone()
                    max=200
                    required=true
                    problem=err("title")
                />
                <ColumnField p=p.clone() />
                <ContentFields p=p.clone() />
                <Challenge prefix="sub" question=f.status.question.clone() problem=err("answer") />
                <Consent
                    prefix="sub"
                    checked=f.consent
                    privacy_href=p.privacy_href.clone()
                    pledge="，并保证稿件为本人原创"
                    problem=err("consent")
                />
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

/// The column the reader suggests (or 由编辑部决定).
#[component]
fn ColumnField(p: Page) -> impl IntoView {
    let problem = p.form.status.problem("column");
    let selected = p.form.column.clone();
    view! {
        <div class="field">
            <label for="sub-column">"建议栏目"</label>
            <select
                id="sub-column"
                name="column"
                aria-invalid=invalid(&problem)
                aria-describedby=described(&problem, "sub-column-error", "")
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
            <FieldError id="sub-column-error".into() message=problem />
        </div>
    }
}

/// The text of the manuscript and its files.
#[component]
fn ContentFields(p: Page) -> impl IntoView {
    let (content_err, files_err) = (
        p.form.status.problem("content"),
        p.form.status.problem("files"),
    );
    let max = p.max_content;
    let files_hint = format!(
        "可选。支持 doc、docx、wps、pdf、jpg、png，最多{}个，每个不超过{} MB，合计不超过{} MB。附带 Word 文档（.docx）时，编辑可直接导入其中的标题、表格和图片。",
        p.max_files, p.max_file_mb, p.max_total_mb
    );
    view! {
        <div class="field">
            <label for="sub-content">"正文"</label>
            <textarea
                id="sub-content"
                name="content"
                rows="14"
                maxlength=max.to_string()
                aria-invalid=invalid(&content_err)
                aria-describedby=described(&content_err, "sub-content-error", "sub-content-hint")
            >
                {crate::components::textarea_text(&p.form.content)}
            </textarea>
            <p class="hint" id="sub-content-hint">
                {format!(
                    "可直接粘贴稿件正文（最多{max}字），也可只上传附件。",
                )}
            </p>
            <FieldError id="sub-content-error".into() message=content_err />
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
            <FieldError id="sub-files-error".into() message=files_err />
        </div>
    }
}

/// The author and how to reach them (phone or e-mail, at least one).
#[component]
fn ContactFields(f: SubmissionFormState) -> impl IntoView {
    let err = |field: &str| f.status.problem(field);
    view! {
        <div class="field-row">
            <InputField
                id="sub-name"
                name="name"
                label="作者姓名"
                value=f.name.clone()
                max=50
                required=true
                autocomplete="name"
                problem=err("name")
            />
            <InputField
                id="sub-org"
                name="organization"
                label="工作单位"
                value=f.organization.clone()
                max=100
                autocomplete="organization"
                problem=err("organization")
            />
        </div>
        <ContactPair
            ids=["sub-phone", "sub-email", "sub-contact-hint"]
            phone=f.phone.clone()
            email=f.email.clone()
            problems=[err("phone"), err("email")]
            purpose="仅用于联系作者和查询，不会公开。"
        />
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
pub fn SubmissionTrackPage() -> impl IntoView {
    track_page(get_submission_track, &TRACK, |s: TrackedSubmission| {
        view! { <Tracked s /> }.into_any()
    })
}

const TRACK: TrackTexts = TrackTexts {
    title: "投稿查询",
    lead: "请输入受理编号和投稿时填写的电话或电子邮箱，查询稿件的审阅结果。",
    receipt: "稿件已提交，感谢您的投稿！",
    receipt_hint: "请记下这个编号。编辑部审阅后，您可以在本页凭编号和联系方式查看结果。",
    action: "/submit/track",
    placeholder: "TG20261201-XXXX",
    back_href: "/submit",
    back_label: "我要投稿",
    active: "/columns/submit",
};

/// What tracking found of a manuscript.
#[component]
fn Tracked(s: TrackedSubmission) -> impl IntoView {
    view! {
        <TrackedItem
            title=s.title
            code=s.code
            sent=("投稿时间", s.sent_at)
            state=("审阅状态", s.status)
            more=vec![("附件", s.files.join("、"))]
        >
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
        </TrackedItem>
    }
}
