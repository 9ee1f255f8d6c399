//! `/admin/submissions` (the 投稿 review queue) and `/admin/submissions/{id}` (one
//! submission: read, download its files, accept into a draft, decline, spam, delete).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::queue::{ActionButton, LeadCells, Queue, filter_and_page, item};
use super::{AdminPage, AdminView, ContactDetails, CsrfField};
use crate::api::admin::submissions::{
    AcceptSubmission, DeleteSubmission, RejectSubmission, SpamSubmission, get_submission,
    get_submission_queue,
};
use crate::models::admin::{SubmissionDetail, SubmissionQueue, SubmissionRow};

#[component]
pub fn SubmissionQueuePage() -> impl IntoView {
    let data = Resource::new_blocking(filter_and_page(), |(filter, page)| {
        get_submission_queue(filter, page)
    });
    view! {
        <AdminPage
            data
            render={|q: SubmissionQueue| AdminView {
                title: "投稿".into(),
                content: view! {
                    <Queue
                        tabs=q.tabs
                        base="/admin/submissions"
                        label="投稿分类"
                        headers=&[
                            "受理编号",
                            "标题",
                            "作者",
                            "单位",
                            "附件",
                            "收到时间",
                            "状态",
                        ]
                        rows=q.rows.into_iter().map(queue_row).collect()
                        pager=q.pager
                        empty="这里没有投稿。"
                    />
                }
                    .into_any(),
            }}
        />
    }
}

/// One row of the queue.
fn queue_row(r: SubmissionRow) -> AnyView {
    let href = format!("/admin/submissions/{}", r.id);
    view! {
        <tr>
            <LeadCells href code=r.code title=r.title name=r.name contact=r.contact />
            <td>{r.organization}</td>
            <td>{if r.files == 0 { "—".to_owned() } else { format!("{} 个", r.files) }}</td>
            <td class="nowrap">{r.received_at}</td>
            <td>{r.status}</td>
        </tr>
    }
    .into_any()
}

#[component]
pub fn SubmissionPage() -> impl IntoView {
    let data = item(get_submission);
    view! {
        <AdminPage
            data
            render={|s: SubmissionDetail| AdminView {
                title: format!("投稿 {}", s.code),
                content: view! { <SubmissionView s /> }.into_any(),
            }}
        />
    }
}

#[component]
fn SubmissionView(s: SubmissionDetail) -> impl IntoView {
    view! {
        <p>
            <a href="/admin/submissions">"‹ 返回投稿列表"</a>
        </p>
        <section class="panel stack" aria-labelledby="submission-title">
            <h2 id="submission-title">{s.title.clone()}</h2>
            <SubmissionFacts s=s.clone() />
            <Attachments s=s.clone() />
            {(!s.content.is_empty())
                .then(|| {
                    view! {
                        <h3>"正文"</h3>
                        <div class="plain-text">{s.content.clone()}</div>
                    }
                })}
        </section>
        <Decisions s />
    }
}

/// Who sent it, how to reach them, where it stands.
#[component]
fn SubmissionFacts(s: SubmissionDetail) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"受理编号"</dt>
            <dd>{s.code.clone()}</dd>
            <dt>"作者"</dt>
            <dd>{s.name.clone()}</dd>
            <dt>"单位"</dt>
            <dd>
                {if s.organization.is_empty() { "—".to_owned() } else { s.organization.clone() }}
            </dd>
            <dt>"联系方式"</dt>
            <dd>
                <ContactDetails contact=s.contact.clone() />
            </dd>
            <dt>"建议栏目"</dt>
            <dd>
                {s
                    .suggested_column
                    .as_ref()
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| "由编辑部决定".into())}
            </dd>
            <dt>"收到时间"</dt>
            <dd>{s.received_at.clone()}</dd>
            <dt>"状态"</dt>
            <dd>
                <strong>{s.status.clone()}</strong>
            </dd>
            {(!s.handled.is_empty())
                .then(|| {
                    view! {
                        <dt>"处理"</dt>
                        <dd>{s.handled.clone()}</dd>
                    }
                })}
            {(!s.reason.is_empty())
                .then(|| {
                    view! {
                        <dt>"退回原因"</dt>
                        <dd>{s.reason.clone()}</dd>
                    }
                })}
            {s
                .article_href
                .clone()
                .map(|href| {
                    view! {
                        <dt>"草稿"</dt>
                        <dd>
                            <a href=href>"打开采用后的草稿"</a>
                        </dd>
                    }
                })}
        </dl>
    }
}

/// The files that came with it, for download.
#[component]
fn Attachments(s: SubmissionDetail) -> impl IntoView {
    {
        if s.files.is_empty() {
            view! { <p class="hint">"没有附件。"</p> }.into_any()
        } else {
            view! {
                <h3>"附件"</h3>
                <ul class="file-list">
                    {s
                        .files
                        .iter()
                        .map(|f| {
                            view! {
                                <li>
                                    <a href=f.href.clone() download>
                                        {f.name.clone()}
                                    </a>
                                    <span class="meta">{format!("{} · {}", f.kind, f.size)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

/// 采用, 退回, 垃圾投稿 and 删除.
#[component]
fn Decisions(s: SubmissionDetail) -> impl IntoView {
    let id = s.id;
    let suggested = s.suggested_column.as_ref().map(|c| c.id);
    view! {
        {s
            .can_accept
            .then(|| {
                view! {
                    <form method="post" action=AcceptSubmission::PATH class="panel stack">
                        <CsrfField />
                        <input type="hidden" name="id" value=id />
                        <h3>"采用"</h3>
                        <p class="hint">
                            "采用后生成一篇草稿：附带 .docx 时导入其标题、段落、表格和图片（图片放入媒体库），否则使用投稿正文；作者和单位自动填入。"
                        </p>
                        <label>
                            "存入栏目" <select name="column" required>
                                {s
                                    .columns
                                    .iter()
                                    .map(|c| {
                                        view! {
                                            <option value=c.id selected=suggested == Some(c.id)>
                                                {c.name.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <div class="actions">
                            <button type="submit" class="button primary">
                                "采用并生成草稿"
                            </button>
                        </div>
                    </form>
                }
            })}
        {s
            .can_reject
            .then(|| {
                view! {
                    <form method="post" action=RejectSubmission::PATH class="panel stack">
                        <CsrfField />
                        <input type="hidden" name="id" value=id />
                        <label>
                            "退回原因（作者查询时可见）"
                            <textarea name="reason" rows="4" required maxlength="1000"></textarea>
                        </label>
                        <div class="actions">
                            <button type="submit" class="button">
                                "退回"
                            </button>
                        </div>
                    </form>
                }
            })}
        <div class="panel actions">
            {if s.is_spam {
                view! {
                    <ActionButton
                        action=SpamSubmission::PATH
                        id
                        name="spam"
                        value="0"
                        label="不是垃圾投稿"
                    />
                }
                    .into_any()
            } else if s.can_accept {
                view! {
                    <ActionButton
                        action=SpamSubmission::PATH
                        id
                        name="spam"
                        value="1"
                        label="标记为垃圾投稿"
                    />
                }
                    .into_any()
            } else {
                ().into_any()
            }}
            <ActionButton
                action=DeleteSubmission::PATH
                id
                name=""
                value=""
                label="删除"
                class="danger"
                confirm="确定删除这篇投稿及其附件吗？删除后无法恢复。"
            />
        </div>
    }
}
