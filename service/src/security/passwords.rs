//! The password rules of the policy: length, character classes, not the user name, not one
//! of the last few, and a maximum age.

use chrono::{DateTime, Utc};
use entity::{password_history, user};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::Policy;
use crate::password::Passwords;
use crate::{Error, Result};

/// The longest password accepted (argon2 works on any length; this bounds its cost).
pub const MAX_LEN: usize = 128;
/// Earlier passwords kept per account (the policy may ask for up to this many).
pub const HISTORY_KEPT: u64 = 24;

/// How many of the four classes (lower case, upper case, digits, anything else) `p` uses.
pub fn classes(p: &str) -> u32 {
    let mut seen = [false; 4];
    for c in p.chars() {
        let i = if c.is_ascii_lowercase() {
            0
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        };
        seen[i] = true;
    }
    seen.iter().filter(|s| **s).count() as u32
}

/// The rules in one sentence, for the forms that ask for a new password.
pub fn rule_text(policy: &Policy) -> String {
    let mut s = format!("至少 {} 个字符", policy.password_min_len);
    if policy.password_classes > 1 {
        s.push_str(&format!(
            "，包含小写字母、大写字母、数字、其他符号中的至少 {} 种",
            policy.password_classes
        ));
    }
    s.push_str("，不能包含用户名");
    if policy.password_history > 0 {
        s.push_str(&format!(
            "，不能与最近 {} 个密码相同",
            policy.password_history
        ));
    }
    s
}

/// Checks a new password against the rules that need nothing stored.
pub fn check(policy: &Policy, username: &str, password: &str) -> Result<()> {
    let n = password.chars().count();
    let min = policy.password_min_len as usize;
    if n < min {
        return Err(Error::Invalid(format!("密码至少需要 {min} 个字符")));
    }
    if n > MAX_LEN {
        return Err(Error::Invalid(format!("密码不能超过 {MAX_LEN} 个字符")));
    }
    if classes(password) < policy.password_classes {
        return Err(Error::Invalid(format!(
            "密码需包含小写字母、大写字母、数字、其他符号中的至少 {} 种",
            policy.password_classes
        )));
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(Error::Invalid("密码过于简单，请换一个".into()));
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 {
        let lower = password.to_lowercase();
        let reversed: String = name.chars().rev().collect();
        if lower.contains(&name) || lower.contains(&reversed) {
            return Err(Error::Invalid("密码不能包含用户名".into()));
        }
    }
    Ok(())
}

/// Refuses `password` when it is the account's current one or one of the earlier ones the
/// policy remembers (the current counts as the first of them).
pub async fn check_not_recent(
    db: &impl ConnectionTrait,
    passwords: &Passwords,
    policy: &Policy,
    account: &user::Model,
    password: &str,
) -> Result<()> {
    let remembered = u64::from(policy.password_history);
    if remembered == 0 {
        return Ok(());
    }
    let mut hashes = vec![account.password_hash.clone()];
    if remembered > 1 {
        let earlier: Vec<String> = password_history::Entity::find()
            .select_only()
            .column(password_history::Column::PasswordHash)
            .filter(password_history::Column::UserId.eq(account.id))
            .order_by_desc(password_history::Column::Id)
            .limit(remembered - 1)
            .into_tuple()
            .all(db)
            .await?;
        hashes.extend(earlier);
    }
    for hash in &hashes {
        if passwords.verify(Some(hash), password).await? {
            return Err(Error::Invalid(format!(
                "新密码不能与最近使用过的 {remembered} 个密码相同"
            )));
        }
    }
    Ok(())
}

/// Keeps the password being replaced, and forgets the oldest beyond [`HISTORY_KEPT`].
pub async fn remember(
    db: &impl ConnectionTrait,
    user_id: i32,
    old_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    password_history::Entity::insert(password_history::ActiveModel {
        user_id: Set(user_id),
        password_hash: Set(old_hash.to_owned()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let keep: Vec<i32> = password_history::Entity::find()
        .select_only()
        .column(password_history::Column::Id)
        .filter(password_history::Column::UserId.eq(user_id))
        .order_by_desc(password_history::Column::Id)
        .limit(HISTORY_KEPT)
        .into_tuple()
        .all(db)
        .await?;
    if let Some(oldest_kept) = keep.last() {
        password_history::Entity::delete_many()
            .filter(password_history::Column::UserId.eq(user_id))
            .filter(password_history::Column::Id.lt(*oldest_kept))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether the account must choose a new password before doing anything else, and why.
pub fn change_due(
    policy: &Policy,
    account: &user::Model,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    if account.must_change_password {
        return Some("这是他人为您设置的密码，请先设置您自己的密码");
    }
    if policy.password_max_age_days > 0
        && now - account.password_changed_at
            > chrono::Duration::days(i64::from(policy.password_max_age_days))
    {
        return Some("您的密码已过期，请设置新密码");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_policy() {
        let p = Policy::default();
        assert_eq!(classes("abc"), 1);
        assert_eq!(classes("aB3-"), 4);
        assert_eq!(classes("开发区协会2026"), 2);
        let refused = |pw: &str| check(&p, "zhangsan", pw).unwrap_err().reader_message();
        assert_eq!(refused("Ab3-short"), "密码至少需要 10 个字符");
        assert_eq!(
            refused("onlylowercase2026"),
            "密码需包含小写字母、大写字母、数字、其他符号中的至少 3 种"
        );
        assert_eq!(refused("Hi-ZhangSan-2026"), "密码不能包含用户名");
        assert_eq!(refused("Hi-nasgnahz-2026"), "密码不能包含用户名");
        assert_eq!(refused(&"Aa1".repeat(50)), "密码不能超过 128 个字符");
        assert!(check(&p, "zhangsan", "开发区协会-Test-2026").is_ok());
        assert!(check(&p, "zhangsan", "Correct-horse-9").is_ok());
        let loose = Policy {
            password_classes: 1,
            password_min_len: 8,
            ..Policy::default()
        };
        assert!(check(&loose, "zhangsan", "aaaaaaaaaaab").is_ok());
        assert!(check(&loose, "zhangsan", "aaaaaaaaaaaa").is_err());
    }

    #[test]
    fn passwords_expire_by_the_policy() {
        let now = Utc::now();
        let account = user::Model {
            id: 1,
            username: "a".into(),
            display_name: "a".into(),
            password_hash: String::new(),
            role: entity::user::Role::Editor,
            is_active: true,
            email: String::new(),
            last_login_at: None,
            password_changed_at: now - chrono::Duration::days(91),
            must_change_password: false,
            totp_secret: None,
            totp_enabled_at: None,
            totp_last_step: None,
            created_at: now,
            updated_at: now,
        };
        let p = Policy::default();
        assert!(change_due(&p, &account, now).is_some());
        let off = Policy {
            password_max_age_days: 0,
            ..Policy::default()
        };
        assert!(change_due(&off, &account, now).is_none());
        let fresh = user::Model {
            password_changed_at: now,
            ..account.clone()
        };
        assert!(change_due(&p, &fresh, now).is_none());
        let forced = user::Model {
            must_change_password: true,
            ..fresh
        };
        assert!(change_due(&off, &forced, now).is_some());
    }
}
