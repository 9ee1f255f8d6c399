//! `/admin/messages` (the 留言 queue) and `/admin/messages/{id}` (one message: read, reply,
//! publish, spam, delete).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::queue::{ActionButton, LeadCells, Queue, filter_and_page, item};
use super::{AdminPage, AdminView, ContactDetails, CsrfField};
use crate::api::admin::messages::{
    DeleteMessage, PublishMessage, ReplyMessage, SpamMessage, get_message, get_message_queue,
};
use crate::models::admin::{MessageDetail, MessageQueue, MessageRow};

#[component]
pub fn MessageQueuePage() -> impl IntoView {
    let data = Resource::new_blocking(filter_and_page(), |(filter, page)| {
        get_message_queue(filter, page)
    });
    view! {
        <AdminPage
            data
            render={|q: MessageQueue| AdminView {
                title: "留言".into(),
                content: view! {
                    <Queue
                        tabs=q.tabs
                        base="/admin/messages"
                        label="留言分类"
                        headers=&[
                            "受理编号",
                            "主题",
                            "留言人",
                            "收到时间",
                            "公开意愿",
                            "状态",
                        ]
                        rows=q.rows.into_iter().map(queue_row).collect()
                        pager=q.pager
                        empty="这里没有留言。"
                    />
                }
                    .into_any(),
            }}
        />
    }
}

/// One row of the queue.
fn queue_row(r: MessageRow) -> AnyView {
    let href = format!("/admin/messages/{}", r.id);
    view! {
        <tr>
            <LeadCells href code=r.code title=r.subject name=r.name contact=r.contact />
            <td class="nowrap">{r.received_at}</td>
            <td>{if r.wants_public { "可公开" } else { "不公开" }}</td>
            <td>{r.status}</td>
        </tr>
    }
    .into_any()
}

#[component]
pub fn MessagePage() -> impl IntoView {
    let data = item(get_message);
    view! {
        <AdminPage
            data
            render={|m: MessageDetail| AdminView {
                title: format!("留言 {}", m.code),
                content: view! { <MessageView m /> }.into_any(),
            }}
        />
    }
}

#[component]
fn MessageView(m: MessageDetail) -> impl IntoView {
    view! {
        <p>
            <a href="/admin/messages">"‹ 返回留言列表"</a>
        </p>
        <section class="panel stack" aria-labelledby="message-subject">
            <h2 id="message-subject">{m.subject.clone()}</h2>
            <dl class="facts">
                <dt>"受理编号"</dt>
                <dd>{m.code.clone()}</dd>
                <dt>"留言人"</dt>
                <dd>{m.name.clone()}</dd>
                <dt>"联系方式"</dt>
                <dd>
                    <ContactDetails contact=m.contact.clone() />
                </dd>
                <dt>"收到时间"</dt>
                <dd>{m.received_at.clone()}</dd>
                <dt>"公开意愿"</dt>
                <dd>
                    {if m.wants_public {
                        "同意答复后公开（不显示联系方式）"
                    } else {
                        "不公开"
                    }}
                </dd>
                <dt>"状态"</dt>
                <dd>
                    <strong>{m.status.clone()}</strong>
                </dd>
                {(!m.replied.is_empty())
                    .then(|| {
                        view! {
                            <dt>"答复"</dt>
                            <dd>{m.replied.clone()}</dd>
                        }
                    })}
            </dl>
            <div class="plain-text">{m.content.clone()}</div>
        </section>
        <ReplyForm m=m.clone() />
        <MessageActions m />
    }
}

/// The answer: written or changed, and whether it is shown in the message box.
#[component]
fn ReplyForm(m: MessageDetail) -> impl IntoView {
    view! {
        <form method="post" action=ReplyMessage::PATH class="panel stack">
            <CsrfField />
            <input type="hidden" name="id" value=m.id />
            <label>
                {if m.is_replied { "修改答复" } else { "答复" }}
                <textarea name="reply" rows="8" required maxlength="5000">
                    {crate::components::textarea_text(&m.reply)}
                </textarea>
            </label>
            {if m.wants_public {
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name="publish"
                            value="on"
                            checked=m.is_published || !m.is_replied
                        />
                        "与留言一起在留言箱公开（不显示联系方式）"
                    </label>
                }
                    .into_any()
            } else {
                view! {
                    <p class="hint">
                        "留言人选择了不公开：答复只有留言人凭受理编号查询时可见。"
                    </p>
                }
                    .into_any()
            }}
            <div class="actions">
                <button type="submit" class="button primary">
                    "保存答复"
                </button>
            </div>
        </form>
    }
}

/// 公开, 垃圾留言 and 删除.
#[component]
fn MessageActions(m: MessageDetail) -> impl IntoView {
    let id = m.id;
    view! {
        <div class="panel actions">
            {(m.is_replied && m.wants_public && !m.is_spam)
                .then(|| {
                    if m.is_published {
                        view! {
                            <ActionButton
                                action=PublishMessage::PATH
                                id
                                name="publish"
                                value="0"
                                label="取消公开"
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <ActionButton
                                action=PublishMessage::PATH
                                id
                                name="publish"
                                value="1"
                                label="在留言箱公开"
                            />
                        }
                            .into_any()
                    }
                })}
            {if m.is_spam {
                view! {
                    <ActionButton
                        action=SpamMessage::PATH
                        id
                        name="spam"
                        value="0"
                        label="不是垃圾留言"
                    />
                }
                    .into_any()
            } else {
                view! {
                    <ActionButton
                        action=SpamMessage::PATH
                        id
                        name="spam"
                        value="1"
                        label="标记为垃圾留言"
                    />
                }
                    .into_any()
            }}
            <ActionButton
                action=DeleteMessage::PATH
                id
                name=""
                value=""
                label="删除"
                class="danger"
                confirm="确定删除这条留言吗？删除后无法恢复。"
            />
        </div>
    }
}
