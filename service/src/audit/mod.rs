//! The audit log: who did what, when, from where, and how it ended. Written by the service
//! functions that make a change, inside the same transaction, and sealed into a hash chain
//! ([`chain`]) that shows any later change or removal of a row. Rows leave the database only
//! through a signed archive ([`archive`]).

pub mod archive;
pub mod chain;

use chrono::{DateTime, Utc};
use entity::audit_log;
use entity::user::Role;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use crate::Result;

/// Who is acting: a staff member (with the role that decides what they may do), someone
/// not yet signed in, or the system itself. The one type for the acting person: the audit
/// log records it, the review rules check it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub username: String,
    /// The name shown to others (a staff member's display name).
    pub name: String,
    /// A staff member's role; `None` for anyone else.
    pub role: Option<Role>,
    pub ip: String,
}

impl Actor {
    /// Staff member `user`, acting from `ip`.
    pub fn staff(user: &entity::user::Model, ip: &str) -> Actor {
        Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            name: user.display_name.clone(),
            role: Some(user.role),
            ip: ip.to_owned(),
        }
    }

    /// Someone who is not (yet) a staff member, by the name they gave: a sign-in attempt,
    /// the first-run set-up.
    pub fn unknown(username: &str, ip: &str) -> Actor {
        Actor {
            user_id: None,
            username: username.to_owned(),
            name: username.to_owned(),
            role: None,
            ip: ip.to_owned(),
        }
    }

    /// The system itself (scheduler, command line).
    pub fn system(what: &str) -> Actor {
        Actor::unknown(what, "")
    }
}

/// The Chinese name of an action code, for the audit page (unknown codes show as they are).
pub fn action_label(code: &str) -> &str {
    match code {
        "login" => "登录",
        "audit.restart" => "审计链重新开始（原密钥丢失）",
        "personal.reveal" => "查看读者完整联系方式",
        "personal.retention" => "按保留期限删除读者信息",
        "personal.rotate" => "更换读者信息加密密钥",
        "login.failed" => "登录失败",
        "logout" => "退出",
        "article.create" => "新建文章",
        "article.update" => "修改文章",
        "article.status" => "改变文章状态",
        "article.publish" => "定时发布上线",
        "article.restore" => "恢复文章版本",
        "article.edit" => "修改已发布文章（待审核）",
        "article.submit" => "提交审核",
        "article.review" => "初审通过",
        "article.approve" => "审核通过",
        "article.return" => "退回修改",
        "column.create" => "新建栏目",
        "column.update" => "修改栏目",
        "column.delete" => "删除栏目",
        "page.update" => "修改单页",
        "notice.create" => "新建通知",
        "notice.update" => "修改通知",
        "notice.delete" => "删除通知",
        "issue.create" => "新建期刊",
        "issue.update" => "修改期刊",
        "issue.delete" => "删除期刊",
        "issue.toc.add" => "加入期刊目录",
        "issue.toc.remove" => "移出期刊目录",
        "links.group" => "保存链接分组",
        "links.group.delete" => "删除链接分组",
        "links.link" => "保存链接",
        "links.link.delete" => "删除链接",
        "redirect.create" => "新建旧地址跳转",
        "redirect.update" => "修改旧地址跳转",
        "redirect.delete" => "删除旧地址跳转",
        "site.import" => "导入旧站内容",
        "site.add" => "新建站点",
        "site.host_add" => "增加站点主机名",
        "site.host_remove" => "删除站点主机名",
        "media.upload" => "上传图片",
        "media.update" => "修改图片说明",
        "media.delete" => "删除图片",
        "settings.update" => "修改网站设置",
        "message.reply" => "答复留言",
        "message.reply.update" => "修改留言答复",
        "message.publish" => "公开留言",
        "message.unpublish" => "取消公开留言",
        "message.spam" => "标记垃圾留言",
        "message.unspam" => "移出垃圾留言",
        "message.delete" => "删除留言",
        "submission.accept" => "采用投稿",
        "submission.reject" => "退回投稿",
        "submission.spam" => "标记垃圾投稿",
        "submission.unspam" => "移出垃圾投稿",
        "submission.delete" => "删除投稿",
        "submission.download" => "下载投稿附件",
        "user.create" => "新建用户",
        "user.update" => "修改用户",
        "user.password" => "修改密码",
        "user.unlock" => "解除登录锁定",
        "login.throttled" => "登录被限制",
        "login.password" => "密码验证通过",
        "login.2fa.failed" => "动态口令错误",
        "access.denied" => "越权访问被拒绝",
        "session.end" => "退出一处登录",
        "session.end_others" => "退出其他登录",
        "security.update" => "修改安全策略",
        "totp.begin" => "开始设置双因素认证",
        "totp.enable" => "启用双因素认证",
        "totp.codes" => "重新生成恢复码",
        "totp.reset" => "重置双因素认证",
        "audit.verify" => "校验审计日志",
        "audit.export" => "导出审计日志",
        "audit.archive" => "归档审计日志",
        other => other,
    }
}

/// The Chinese name of an object type (unknown types show as they are).
pub fn object_label(code: &str) -> &str {
    match code {
        "article" => "文章",
        "column" => "栏目",
        "page" => "单页",
        "notice" => "通知",
        "issue" => "期刊",
        "link_group" => "链接分组",
        "link" => "链接",
        "redirect" => "旧地址跳转",
        "site" => "网站",
        "image" => "图片",
        "message" => "留言",
        "personal" => "读者个人信息",
        "submission" => "投稿",
        "settings" => "网站设置",
        "user" => "用户",
        "security" => "安全策略",
        "audit" => "审计日志",
        "path" => "后台地址",
        other => other,
    }
}

/// The Chinese name of the system's own actors (staff usernames show as they are).
pub fn actor_label(username: &str) -> &str {
    match username {
        "command-line" => "命令行",
        "scheduler" => "定时发布",
        "session-rotation" => "系统",
        "setup" => "初始设置",
        other => other,
    }
}

/// How an audited attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Ok,
    /// Tried and failed: a wrong password or code.
    Failed,
    /// Not allowed: the person has no right to it (a 403), or a policy refused it.
    Refused,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
        }
    }

    pub fn label(code: &str) -> &str {
        match code {
            "ok" => "成功",
            "failed" => "失败",
            "refused" => "拒绝",
            other => other,
        }
    }
}

/// Records one change that was made.
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
    summary: impl Into<String>,
) -> Result<()> {
    record_outcome(
        db,
        actor,
        Outcome::Ok,
        action,
        object_type,
        object_id,
        summary,
    )
    .await
}

/// Records one attempt and how it ended, sealed into the chain (see [`chain`]).
pub async fn record_outcome<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    outcome: Outcome,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
    summary: impl Into<String>,
) -> Result<()> {
    chain::append(
        db,
        chain::Entry {
            user_id: actor.user_id,
            username: actor.username.chars().take(50).collect(),
            action: action.chars().take(60).collect(),
            object_type: object_type.chars().take(40).collect(),
            object_id: object_id.to_string().chars().take(50).collect(),
            summary: summary.into(),
            ip: actor.ip.chars().take(64).collect(),
            outcome,
        },
    )
    .await
}

/// What to show of the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Text within the summary.
    pub text: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

fn condition(f: &Filter) -> Condition {
    let mut c = Condition::all();
    if let Some(u) = &f.username {
        c = c.add(audit_log::Column::Username.eq(u.clone()));
    }
    if let Some(a) = &f.action {
        c = c.add(audit_log::Column::Action.eq(a.clone()));
    }
    if let Some(t) = &f.object_type {
        c = c.add(audit_log::Column::ObjectType.eq(t.clone()));
    }
    if let Some(id) = &f.object_id {
        c = c.add(audit_log::Column::ObjectId.eq(id.clone()));
    }
    if let Some(t) = &f.text {
        c = c.add(audit_log::Column::Summary.contains(t.clone()));
    }
    if let Some(s) = f.since {
        c = c.add(audit_log::Column::CreatedAt.gte(s));
    }
    if let Some(u) = f.until {
        c = c.add(audit_log::Column::CreatedAt.lt(u));
    }
    c
}

/// Page `page` (from 0) of the log, newest first, and how many entries match.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<audit_log::Model>, u64)> {
    let total = audit_log::Entity::find()
        .filter(condition(filter))
        .count(db)
        .await?;
    let rows = audit_log::Entity::find()
        .filter(condition(filter))
        .order_by_desc(audit_log::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// The actions and object types that occur, for filter menus.
pub async fn kinds(db: &impl ConnectionTrait) -> Result<(Vec<String>, Vec<String>)> {
    let actions: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let types: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::ObjectType)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok((actions, types))
}
