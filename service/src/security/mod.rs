//! The security policy (等保 2.0 第三级): who may do what (the separation of duties), the
//! password rules, session lifetimes and sign-in throttling. Every control is a setting the
//! 安全管理员 edits in the back office and an operator can show an assessor; the defaults
//! meet level 3.
//!
//! Stored in `site_settings` under `security.*`; each server keeps a copy for a few seconds
//! ([`PolicyCache`]), so a change reaches every server of a cluster within that time.

use std::sync::{Arc, RwLock};
use std::time::{Duration as StdDuration, Instant};

use entity::site_setting;
use entity::user::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::audit::{self, Actor};
use crate::{Error, Result};

pub mod check;
pub mod passwords;
pub mod personal;
pub mod second_factor;
pub mod totp;

/// What a staff member's role lets them do. Writers are editors limited to their own
/// articles (see the back office's guard).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duties {
    /// Articles, columns' content, notices, the magazine, messages, 投稿, review.
    pub content: bool,
    /// Users and roles, site settings, columns, storage, moving a site in.
    pub system: bool,
    /// The security policy, unlocking accounts, resetting second factors.
    pub security: bool,
    /// Reading, searching, exporting and verifying the audit log.
    pub audit: bool,
}

impl Duties {
    /// The duties of `role`. With the separation of duties on (三权分立), an old-style
    /// 管理员 keeps only the system administrator's.
    pub fn of(role: Role, separation: bool) -> Duties {
        match role {
            Role::Admin => Duties {
                content: true,
                system: true,
                security: !separation,
                audit: !separation,
            },
            Role::SysAdmin => Duties {
                content: true,
                system: true,
                ..Duties::default()
            },
            Role::SecAdmin => Duties {
                security: true,
                ..Duties::default()
            },
            Role::Auditor => Duties {
                audit: true,
                ..Duties::default()
            },
            Role::Editor | Role::Writer => Duties {
                content: true,
                ..Duties::default()
            },
        }
    }
}

/// The Chinese name of a role.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "管理员",
        Role::SysAdmin => "系统管理员",
        Role::SecAdmin => "安全管理员",
        Role::Auditor => "审计管理员",
        Role::Editor => "编辑",
        Role::Writer => "撰稿人",
    }
}

/// A role's code as forms and the command line write it.
pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::SysAdmin => "sysadmin",
        Role::SecAdmin => "secadmin",
        Role::Auditor => "auditor",
        Role::Editor => "editor",
        Role::Writer => "writer",
    }
}

/// The role of a code (see [`role_code`]).
pub fn parse_role(code: &str) -> Option<Role> {
    [
        Role::Admin,
        Role::SysAdmin,
        Role::SecAdmin,
        Role::Auditor,
        Role::Editor,
        Role::Writer,
    ]
    .into_iter()
    .find(|r| role_code(*r) == code.trim())
}

/// The security policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// 三权分立: system, security and audit administrators are three people.
    pub separation: bool,
    /// Passwords: at least this many characters …
    pub password_min_len: u32,
    /// … from at least this many of the four classes (lower case, upper case, digits, others).
    pub password_classes: u32,
    /// A new password may not be one of the last this many.
    pub password_history: u32,
    /// Days a password may be used before it must be changed (0: no limit).
    pub password_max_age_days: u32,
    /// Minutes without a request before a session ends.
    pub idle_minutes: u32,
    /// Hours after signing in before a session ends, however active.
    pub session_hours: u32,
    /// Failed sign-ins of one account from one address before that pair is locked.
    pub lock_account_failures: u32,
    /// Failed sign-ins from one address (any accounts) before the address is locked.
    pub lock_address_failures: u32,
    /// How long a lock lasts, and the window failures are counted in (minutes).
    pub lock_minutes: u32,
    /// Failures of one account from everywhere after which each attempt waits (never a lock).
    pub slow_after: u32,
    /// Days audit rows are kept before they may be archived (at least 180).
    pub audit_keep_days: u32,
    /// Months readers' messages and manuscripts are kept (then deleted with their
    /// attachments; a published message loses its reader's name and contact details);
    /// 0: kept until someone deletes them.
    pub retention_months: u32,
    /// A second factor (TOTP) is required of administrators (all four kinds) …
    pub totp_admins: bool,
    /// … of editors …
    pub totp_editors: bool,
    /// … and of writers.
    pub totp_writers: bool,
    /// Addresses and ranges the back office answers (one per line or separated by commas);
    /// empty: every address. Anyone else gets a 404 there; the public site is unaffected.
    pub admin_allow: String,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            separation: true,
            password_min_len: 10,
            password_classes: 3,
            password_history: 5,
            password_max_age_days: 90,
            idle_minutes: 30,
            session_hours: 12,
            lock_account_failures: 5,
            lock_address_failures: 20,
            lock_minutes: 15,
            slow_after: 5,
            audit_keep_days: 180,
            retention_months: 24,
            totp_admins: true,
            totp_editors: true,
            totp_writers: true,
            admin_allow: String::new(),
        }
    }
}

/// The key of the back office's address allow-list (text, not a number like the others).
pub const ADMIN_ALLOW: &str = "security.admin_allow";
/// The longest allow-list kept.
pub const ADMIN_ALLOW_MAX: usize = 2000;

/// One setting: its key, its Chinese name, and the range it may take.
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub min: u32,
    pub max: u32,
    get: fn(&Policy) -> u32,
    set: fn(&mut Policy, u32),
}

impl Field {
    /// This setting's value in `p`.
    pub fn value(&self, p: &Policy) -> u32 {
        (self.get)(p)
    }
}

/// Every setting of the policy, in the order the page shows them.
pub fn fields() -> &'static [Field] {
    FIELDS
}

const FIELDS: &[Field] = &[
    Field {
        key: "security.separation",
        label: "三权分立",
        min: 0,
        max: 1,
        get: |p| u32::from(p.separation),
        set: |p, v| p.separation = v == 1,
    },
    Field {
        key: "security.totp_admins",
        label: "管理员须使用双因素认证",
        min: 0,
        max: 1,
        get: |p| u32::from(p.totp_admins),
        set: |p, v| p.totp_admins = v == 1,
    },
    Field {
        key: "security.totp_editors",
        label: "编辑须使用双因素认证",
        min: 0,
        max: 1,
        get: |p| u32::from(p.totp_editors),
        set: |p, v| p.totp_editors = v == 1,
    },
    Field {
        key: "security.totp_writers",
        label: "撰稿人须使用双因素认证",
        min: 0,
        max: 1,
        get: |p| u32::from(p.totp_writers),
        set: |p, v| p.totp_writers = v == 1,
    },
    Field {
        key: "security.password_min_len",
        label: "密码最短长度",
        min: 8,
        max: 64,
        get: |p| p.password_min_len,
        set: |p, v| p.password_min_len = v,
    },
    Field {
        key: "security.password_classes",
        label: "密码字符种类",
        min: 1,
        max: 4,
        get: |p| p.password_classes,
        set: |p, v| p.password_classes = v,
    },
    Field {
        key: "security.password_history",
        label: "不得重复最近密码个数",
        min: 0,
        max: 24,
        get: |p| p.password_history,
        set: |p, v| p.password_history = v,
    },
    Field {
        key: "security.password_max_age_days",
        label: "密码有效期（天）",
        min: 0,
        max: 3650,
        get: |p| p.password_max_age_days,
        set: |p, v| p.password_max_age_days = v,
    },
    Field {
        key: "security.idle_minutes",
        label: "无操作自动退出（分钟）",
        min: 1,
        max: 1440,
        get: |p| p.idle_minutes,
        set: |p, v| p.idle_minutes = v,
    },
    Field {
        key: "security.session_hours",
        label: "登录最长有效（小时）",
        min: 1,
        max: 720,
        get: |p| p.session_hours,
        set: |p, v| p.session_hours = v,
    },
    Field {
        key: "security.lock_account_failures",
        label: "同一账号同一地址失败锁定次数",
        min: 3,
        max: 100,
        get: |p| p.lock_account_failures,
        set: |p, v| p.lock_account_failures = v,
    },
    Field {
        key: "security.lock_address_failures",
        label: "同一地址失败锁定次数",
        min: 5,
        max: 1000,
        get: |p| p.lock_address_failures,
        set: |p, v| p.lock_address_failures = v,
    },
    Field {
        key: "security.lock_minutes",
        label: "锁定时长（分钟）",
        min: 1,
        max: 1440,
        get: |p| p.lock_minutes,
        set: |p, v| p.lock_minutes = v,
    },
    Field {
        key: "security.slow_after",
        label: "账号失败后开始延时的次数",
        min: 1,
        max: 100,
        get: |p| p.slow_after,
        set: |p, v| p.slow_after = v,
    },
    Field {
        key: "security.audit_keep_days",
        label: "审计记录保留天数",
        min: 180,
        max: 36500,
        get: |p| p.audit_keep_days,
        set: |p, v| p.audit_keep_days = v,
    },
    Field {
        key: RETENTION_MONTHS,
        label: "留言与投稿保留期（月，0 为不限）",
        min: 0,
        max: 600,
        get: |p| p.retention_months,
        set: |p, v| p.retention_months = v,
    },
];

/// The key of the retention period of readers' messages and manuscripts.
pub const RETENTION_MONTHS: &str = "security.retention_months";

impl Policy {
    /// Every setting as (key, Chinese name, value).
    pub fn entries(&self) -> Vec<(&'static str, &'static str, u32)> {
        FIELDS
            .iter()
            .map(|f| (f.key, f.label, (f.get)(self)))
            .collect()
    }

    /// Sets one setting from text, checking its range; `Ok(false)` for a key that is not a
    /// security setting. (The allow-list's entries are checked as addresses by the caller,
    /// which knows how; here only its length and characters.)
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        if key == ADMIN_ALLOW {
            let list: Vec<&str> = value
                .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .collect();
            let joined = list.join(", ");
            let shaped = joined
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '/' | ',' | ' '));
            if joined.len() > ADMIN_ALLOW_MAX || !shaped {
                return Err(Error::Invalid(
                    "后台地址白名单只能填写 IP 地址或网段（如 10.0.0.0/8），用逗号或换行分隔"
                        .into(),
                ));
            }
            self.admin_allow = joined;
            return Ok(true);
        }
        let Some(f) = FIELDS.iter().find(|f| f.key == key) else {
            return Ok(false);
        };
        match value.trim().parse::<u32>() {
            Ok(v) if (f.min..=f.max).contains(&v) => {
                (f.set)(self, v);
                Ok(true)
            }
            _ => Err(Error::Invalid(format!(
                "{}应为 {} 到 {} 之间的整数",
                f.label, f.min, f.max
            ))),
        }
    }

    /// The session lifetimes.
    pub fn idle(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.idle_minutes))
    }

    pub fn absolute(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.session_hours))
    }

    pub fn lock_time(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.lock_minutes))
    }
}

/// Reads the policy; missing settings keep their defaults, and a stored value out of range
/// (written past the application) is replaced by the default.
pub async fn policy(db: &impl ConnectionTrait) -> Result<Policy> {
    let rows = site_setting::Entity::find()
        .filter(site_setting::Column::Key.starts_with("security."))
        .all(db)
        .await?;
    let mut p = Policy::default();
    for row in rows {
        if p.set(&row.key, &row.value).is_err() {
            tracing::warn!(key = %row.key, "a stored security setting is out of range; using the default");
        }
    }
    Ok(p)
}

/// Saves the policy (the 安全管理员's, or an old-style 管理员's before the separation of
/// duties), recording what changed. Switching the separation of duties on needs an active
/// 安全管理员 and 审计管理员 to hand those duties to.
pub async fn save_policy(db: &crate::db::Db, actor: &Actor, new: &Policy) -> Result<()> {
    let txn = db.begin().await?;
    let old = policy(&txn).await?;
    if new.separation && !old.separation {
        use entity::user;
        for (role, label) in [
            (Role::SecAdmin, "安全管理员"),
            (Role::Auditor, "审计管理员"),
        ] {
            let n = user::Entity::find()
                .filter(user::Column::Role.eq(role))
                .filter(user::Column::IsActive.eq(true))
                .one(&txn)
                .await?;
            if n.is_none() {
                return Err(Error::Invalid(format!(
                    "开启三权分立前，请先在“用户”中创建一位{label}"
                )));
            }
        }
    }
    let mut changed = Vec::new();
    let mut rows: Vec<(&str, String)> = Vec::new();
    if old.admin_allow != new.admin_allow {
        changed.push(format!(
            "后台地址白名单 “{}” → “{}”",
            old.admin_allow, new.admin_allow
        ));
        rows.push((ADMIN_ALLOW, new.admin_allow.clone()));
    }
    for ((key, label, before), (_, _, after)) in old.entries().into_iter().zip(new.entries()) {
        if before == after {
            continue;
        }
        changed.push(format!("{label} {before} → {after}"));
        rows.push((key, after.to_string()));
    }
    for (key, value) in rows {
        let row = site_setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
        };
        site_setting::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(site_setting::Column::Key)
                    .update_column(site_setting::Column::Value)
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        actor,
        "security.update",
        "security",
        "",
        if changed.is_empty() {
            "没有修改".to_owned()
        } else {
            changed.join("；")
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The policy as one server keeps it: read again after [`PolicyCache::MAX_AGE`], or at once
/// after this server saved a change.
pub struct PolicyCache {
    slot: RwLock<Option<(Instant, Arc<Policy>)>>,
}

impl Default for PolicyCache {
    fn default() -> Self {
        PolicyCache {
            slot: RwLock::new(None),
        }
    }
}

impl PolicyCache {
    /// How stale a server's copy may be: a change made on another server takes effect here
    /// within this time.
    pub const MAX_AGE: StdDuration = StdDuration::from_secs(5);

    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<Arc<Policy>> {
        if let Ok(slot) = self.slot.read()
            && let Some((at, p)) = slot.as_ref()
            && at.elapsed() < Self::MAX_AGE
        {
            return Ok(p.clone());
        }
        let p = Arc::new(policy(db).await?);
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some((Instant::now(), p.clone()));
        }
        Ok(p)
    }

    pub fn forget(&self) {
        if let Ok(mut slot) = self.slot.write() {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_administrator_has_one_duty_when_they_are_separated() {
        let sys = Duties::of(Role::SysAdmin, true);
        assert!(sys.system && sys.content && !sys.security && !sys.audit);
        let sec = Duties::of(Role::SecAdmin, true);
        assert!(sec.security && !sec.system && !sec.content && !sec.audit);
        let aud = Duties::of(Role::Auditor, true);
        assert!(aud.audit && !aud.system && !aud.content && !aud.security);
        assert_eq!(Duties::of(Role::Admin, true), sys);
        let all = Duties::of(Role::Admin, false);
        assert!(all.system && all.security && all.audit && all.content);
        for role in [Role::Editor, Role::Writer] {
            let d = Duties::of(role, false);
            assert!(d.content && !d.system && !d.security && !d.audit);
        }
        for code in [
            "admin", "sysadmin", "secadmin", "auditor", "editor", "writer",
        ] {
            assert_eq!(role_code(parse_role(code).unwrap()), code);
        }
        assert_eq!(parse_role("root"), None);
    }

    #[test]
    fn settings_are_checked_against_their_ranges() {
        let mut p = Policy::default();
        assert!(p.set("security.idle_minutes", "45").unwrap());
        assert_eq!(p.idle_minutes, 45);
        assert!(!p.set("site_name", "x").unwrap());
        let e = p.set("security.audit_keep_days", "30").unwrap_err();
        assert_eq!(
            e.reader_message(),
            "审计记录保留天数应为 180 到 36500 之间的整数"
        );
        assert!(p.set("security.password_min_len", "abc").is_err());
        assert!(p.set("security.separation", "0").unwrap());
        assert!(!p.separation);
        assert_eq!(p.entries().len(), FIELDS.len());
    }
}
