//! Optional e-mail notices (`[mail]` in the configuration): staff hear of each new 留言 and
//! 投稿, readers who gave an e-mail address receive the association's reply or decision.
//! Without `[mail]` nothing is sent and nothing fails; a failed send is logged, never shown
//! to the reader, and never undoes what was stored.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS (usually port 587).
    StartTls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl Security {
    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::StartTls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

/// `[mail]`: where and as whom notices are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: String,
    /// The sender, e.g. `中国开发区协会 <noreply@example.org>`.
    pub from: String,
    /// Staff addresses that hear of new messages and submissions.
    pub notify: Vec<String>,
}

/// Sends notices; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    notify: Vec<Mailbox>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// Checks the configuration and builds the transport (nothing is connected yet).
    pub fn new(c: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = c
            .from
            .parse()
            .map_err(|e| format!("[mail] from {:?}: {e}", c.from))?;
        let notify = c
            .notify
            .iter()
            .map(|a| a.parse().map_err(|e| format!("[mail] notify {a:?}: {e}")))
            .collect::<Result<Vec<Mailbox>, String>>()?;
        let tls = || {
            TlsParameters::new(c.host.clone())
                .map_err(|e| format!("[mail] TLS for {}: {e}", c.host))
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host)
            .port(c.port)
            .timeout(Some(std::time::Duration::from_secs(20)));
        b = match c.security {
            Security::Tls => b.tls(Tls::Wrapper(tls()?)),
            Security::StartTls => b.tls(Tls::Required(tls()?)),
            Security::None => b.tls(Tls::None),
        };
        if !c.user.is_empty() {
            b = b.credentials(Credentials::new(c.user.clone(), c.password.clone()));
        }
        Ok(Mailer {
            transport: b.build(),
            from,
            notify,
        })
    }

    /// Sends one message; the log names the recipient only as [`log_name`] shows it.
    async fn send(&self, to: Mailbox, subject: &str, body: String) {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body);
        let result = match message {
            Ok(m) => self
                .transport
                .send(m)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(()) => tracing::info!(to = %log_name(&to), "notice sent"),
            Err(e) => {
                tracing::warn!(to = %log_name(&to), error = %e, "a notice could not be sent")
            }
        }
    }

    /// Tells staff that something arrived (sent in the background).
    pub fn notify_staff(&self, subject: String, body: String) {
        for to in self.notify.clone() {
            let me = self.clone();
            let (subject, body) = (subject.clone(), body.clone());
            tokio::spawn(async move { me.send(to, &subject, body).await });
        }
    }

    /// Writes to a staff member at `address` (review notices), like [`Mailer::tell_reader`].
    pub fn tell_staff_member(&self, address: &str, subject: String, body: String) {
        self.tell_reader(address, subject, body);
    }

    /// Writes to a reader at `address` (sent in the background); a malformed address is
    /// skipped with a log line.
    pub fn tell_reader(&self, address: &str, subject: String, body: String) {
        let Ok(to) = address.parse::<Mailbox>() else {
            tracing::warn!("a reader's e-mail address could not be used");
            return;
        };
        let me = self.clone();
        tokio::spawn(async move { me.send(to, &subject, body).await });
    }
}

/// A recipient as the log shows it: the first character of the mailbox and the domain
/// (`l…@example.com`), never the whole address of a reader. Subjects are not logged either:
/// they carry readers' names and titles.
pub fn log_name(to: &Mailbox) -> String {
    let user = to.email.user();
    let first: String = user.chars().take(1).collect();
    format!("{first}…@{}", to.email.domain())
}

/// The notice to staff of a new message.
pub fn new_message(
    code: &str,
    name: &str,
    subject: &str,
    content: &str,
    link: &str,
) -> (String, String) {
    (
        format!("【新留言】{subject}（{code}）"),
        format!(
            "{name} 在留言箱留言（受理编号 {code}）：\n\n主题：{subject}\n\n{content}\n\n请登录后台答复：{link}\n"
        ),
    )
}

/// The notice to staff of a new submission.
pub fn new_submission(
    code: &str,
    name: &str,
    organization: &str,
    title: &str,
    files: usize,
    link: &str,
) -> (String, String) {
    (
        format!("【新投稿】{title}（{code}）"),
        format!(
            "{name}（{}）投稿（受理编号 {code}）：\n\n标题：{title}\n附件：{files} 个\n\n请登录后台审阅：{link}\n",
            if organization.is_empty() {
                "未填单位"
            } else {
                organization
            }
        ),
    )
}

/// The association's reply, to the reader who left a message.
pub fn reply_to_reader(code: &str, subject: &str, reply: &str, link: &str) -> (String, String) {
    (
        format!("您的留言已答复（{code}）"),
        format!(
            "您好！\n\n您在留言箱的留言“{subject}”（受理编号 {code}）已有答复：\n\n{reply}\n\n查询：{link}\n\n此邮件由系统自动发送，请勿直接回复。\n"
        ),
    )
}

/// The editors' decision, to the author of a submission.
pub fn decision_to_author(
    code: &str,
    title: &str,
    accepted: bool,
    reason: &str,
    link: &str,
) -> (String, String) {
    let what = if accepted {
        "已被采用，编辑正在编排，刊发后即可在网站上看到。".to_owned()
    } else {
        format!("未被采用。编辑部意见：\n\n{reason}")
    };
    (
        format!("您的投稿有了审阅结果（{code}）"),
        format!(
            "您好！\n\n您的投稿《{title}》（受理编号 {code}）{what}\n\n查询：{link}\n\n感谢您对协会工作的支持。此邮件由系统自动发送，请勿直接回复。\n"
        ),
    )
}

/// The notice to the editors that an article waits for review.
pub fn review_submitted(title: &str, submitter: &str, link: &str) -> (String, String) {
    (
        format!("【待审核】{title}"),
        format!("{submitter} 提交了稿件《{title}》，等待审核。\n\n请登录后台审核：{link}\n"),
    )
}

/// The reviewer's decision, to whoever submitted the article.
pub fn review_decided(title: &str, approved: bool, reason: &str, link: &str) -> (String, String) {
    if approved {
        (
            format!("【已通过】{title}"),
            format!("您提交的稿件《{title}》已审核通过。\n\n查看：{link}\n"),
        )
    } else {
        (
            format!("【退回修改】{title}"),
            format!(
                "您提交的稿件《{title}》被退回修改。退回原因：\n\n{reason}\n\n请登录后台修改后重新提交：{link}\n"
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_never_holds_a_readers_address() {
        let to: Mailbox = "王小明 <wangxiaoming@example.com>".parse().unwrap();
        let shown = log_name(&to);
        assert_eq!(shown, "w…@example.com");
        assert!(!shown.contains("wangxiaoming"));
    }
}
