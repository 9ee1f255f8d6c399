//! Staff accounts, passwords (argon2id), database sessions and login throttling.

use std::time::Duration as StdDuration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::user::{self, Role};
use entity::{login_throttle, session};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor};
use crate::{Error, Result};

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: StdDuration,
    /// Signed out this long after signing in, active or not.
    pub absolute: StdDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: StdDuration::from_secs(2 * 3600),
            absolute: StdDuration::from_secs(12 * 3600),
        }
    }
}

/// Failed logins allowed per account name, and per address, within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES_PER_ACCOUNT: i32 = 5;
pub const MAX_FAILURES_PER_IP: i32 = 20;
/// The window failures are counted in, and how long a lock lasts.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
pub const LOCK_TIME: Duration = Duration::minutes(15);

/// A valid user name: 3 to 50 letters, digits, `_`, `-`, `.`; stored lower-case.
pub fn parse_username(raw: &str) -> Result<String> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=50).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if ok {
        Ok(name)
    } else {
        Err(Error::Invalid(
            "用户名需为 3 到 50 个字符，只能包含英文字母、数字、下划线、连字符和点".into(),
        ))
    }
}

/// A password good enough to keep: 10 to 128 characters, not one repeated character.
pub fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < 10 {
        return Err(Error::Invalid("密码至少需要 10 个字符".into()));
    }
    if n > 128 {
        return Err(Error::Invalid("密码不能超过 128 个字符".into()));
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(Error::Invalid("密码过于简单，请换一个".into()));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| Error::Invalid(format!("password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Invalid(format!("password hashing failed: {e}")))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// At most this many password checks run at once: each takes ~19 MiB and a core's worth of
/// time, so a flood of logins waits here instead of exhausting memory or the runtime.
const PASSWORD_WORKERS: usize = 2;

/// [`verify_password`] on a blocking thread, so pages keep being served while it runs.
pub async fn verify_password_async(hash: String, password: String) -> bool {
    static LIMIT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PASSWORD_WORKERS);
    let Ok(_permit) = LIMIT.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .unwrap_or(false)
}

/// A hash to check against when the account does not exist, so that the answer takes as
/// long as for a real account.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password at all").unwrap_or_default())
}

/// A fresh random token (256 bits), URL-safe.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The session id stored for a cookie token.
pub fn session_id(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn user_count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(db).await?)
}

/// Creates an account.
pub async fn create_user(
    db: &DatabaseConnection,
    actor: &Actor,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
) -> Result<user::Model> {
    let username = parse_username(username)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let txn = db.begin().await?;
    if user::Entity::find()
        .filter(user::Column::Username.eq(username.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(Error::Invalid("该用户名已被使用".into()));
    }
    let now = Utc::now();
    let display: String = display_name.trim().chars().take(50).collect();
    let created = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(if display.is_empty() {
            username.clone()
        } else {
            display
        }),
        password_hash: Set(hash),
        role: Set(role),
        is_active: Set(true),
        last_login_at: Set(None),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "user.create",
        "user",
        created.id,
        format!("创建用户 {}（{}）", created.username, role_label(role)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "管理员",
        Role::Editor => "编辑",
    }
}

/// Why a login failed. Unknown accounts and wrong passwords look the same.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    Invalid,
    /// Too many failures: try again after this long.
    Throttled(Duration),
    Db(String),
}

impl From<Error> for LoginError {
    fn from(e: Error) -> Self {
        LoginError::Db(e.to_string())
    }
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoginError::Db(e.to_string())
    }
}

/// The wait as readers read it: `3 分钟` or `40 秒`.
pub fn wait_label(wait: Duration) -> String {
    let secs = wait.num_seconds().max(1);
    if secs >= 60 {
        format!("{}分钟", (secs + 59) / 60)
    } else {
        format!("{secs}秒")
    }
}

/// A new session: the token goes into the cookie, the CSRF token into pages.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

fn throttle_keys(username: &str, ip: &str) -> [(String, i32); 2] {
    [
        (
            format!("user:{}", username.trim().to_lowercase()),
            MAX_FAILURES_PER_ACCOUNT,
        ),
        (format!("ip:{ip}"), MAX_FAILURES_PER_IP),
    ]
}

async fn locked_for(
    db: &impl ConnectionTrait,
    keys: &[(String, i32)],
    now: DateTime<Utc>,
) -> Result<Option<Duration>> {
    let mut wait = None;
    for (key, _) in keys {
        if let Some(t) = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
            && let Some(until) = t.locked_until
            && until > now
        {
            let w = until - now;
            wait = Some(wait.map_or(w, |x: Duration| x.max(w)));
        }
    }
    Ok(wait)
}

async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &[(String, i32)],
    now: DateTime<Utc>,
) -> Result<()> {
    // Every step is one statement on the row, so failures arriving at the same time (on any
    // number of servers) are all counted.
    for (key, max) in keys {
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(0),
            first_failure_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict_do_nothing_on([login_throttle::Column::Key])
        .exec(db)
        .await?;
        // A count older than the window starts again.
        login_throttle::Entity::update_many()
            .col_expr(login_throttle::Column::Failures, Expr::value(0))
            .col_expr(login_throttle::Column::FirstFailureAt, Expr::value(now))
            .col_expr(
                login_throttle::Column::LockedUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(login_throttle::Column::Key.eq(key.clone()))
            .filter(login_throttle::Column::FirstFailureAt.lt(now - THROTTLE_WINDOW))
            .exec(db)
            .await?;
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                sea_orm::ExprTrait::add(Expr::col(login_throttle::Column::Failures), 1),
            )
            .filter(login_throttle::Column::Key.eq(key.clone()))
            .exec(db)
            .await?;
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::LockedUntil,
                Expr::value(Some(now + LOCK_TIME)),
            )
            .filter(login_throttle::Column::Key.eq(key.clone()))
            .filter(login_throttle::Column::Failures.gte(*max))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Signs in: checks the throttles, the password, then opens a session.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(user::Model, NewSession), LoginError> {
    let now = Utc::now();
    let keys = throttle_keys(username, ip);
    if let Some(wait) = locked_for(db, &keys, now).await? {
        return Err(LoginError::Throttled(wait));
    }
    let name = username.trim().to_lowercase();
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(name))
        .one(db)
        .await?;
    let ok = match &found {
        Some(u) => {
            verify_password_async(u.password_hash.clone(), password.to_owned()).await && u.is_active
        }
        None => {
            let _ = verify_password_async(dummy_hash().to_owned(), password.to_owned()).await;
            false
        }
    };
    let txn = db.begin().await?;
    let Some(user) = found.filter(|_| ok) else {
        record_failure(&txn, &keys, now).await?;
        audit::record(
            &txn,
            &Actor {
                user_id: None,
                username: username.trim().chars().take(50).collect(),
                ip: ip.to_owned(),
            },
            "login.failed",
            "user",
            "",
            "登录失败",
        )
        .await?;
        txn.commit().await?;
        return Err(LoginError::Invalid);
    };
    // A success clears the account's count only: signing in to one's own account must not
    // wipe the failures an address has piled up against others.
    login_throttle::Entity::delete_by_id(keys[0].0.clone())
        .exec(&txn)
        .await?;
    let new = NewSession {
        token: random_token()?,
        csrf_token: random_token()?,
    };
    session::Entity::insert(session::ActiveModel {
        id: Set(session_id(&new.token)),
        user_id: Set(user.id),
        csrf_token: Set(new.csrf_token.clone()),
        ip: Set(ip.chars().take(64).collect()),
        user_agent: Set(user_agent.chars().take(255).collect()),
        created_at: Set(now),
        last_seen_at: Set(now),
    })
    .exec(&txn)
    .await?;
    let mut m: user::ActiveModel = user.clone().into();
    m.last_login_at = Set(Some(now));
    let user = m.update(&txn).await?;
    audit::record(
        &txn,
        &Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            ip: ip.to_owned(),
        },
        "login",
        "user",
        user.id,
        "登录成功",
    )
    .await?;
    txn.commit().await?;
    Ok((user, new))
}

/// The signed-in session of a cookie token, if it is still valid. Expired sessions are
/// deleted; an active one is marked as seen (at most once a minute).
pub async fn session_of(
    db: &DatabaseConnection,
    token: &str,
    policy: SessionPolicy,
) -> Result<Option<(session::Model, user::Model)>> {
    let now = Utc::now();
    let Some(s) = session::Entity::find_by_id(session_id(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let idle = Duration::from_std(policy.idle).unwrap_or(Duration::hours(2));
    let absolute = Duration::from_std(policy.absolute).unwrap_or(Duration::hours(12));
    let user = user::Entity::find_by_id(s.user_id).one(db).await?;
    let valid = now - s.last_seen_at < idle
        && now - s.created_at < absolute
        && user
            .as_ref()
            .is_some_and(|u| u.is_active && u.password_changed_at <= s.created_at);
    let Some(user) = user.filter(|_| valid) else {
        session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    };
    if now - s.last_seen_at > Duration::minutes(1) {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::Id.eq(s.id.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some((s, user)))
}

/// Ends a session.
pub async fn logout(db: &DatabaseConnection, token: &str, actor: &Actor) -> Result<()> {
    let txn = db.begin().await?;
    session::Entity::delete_by_id(session_id(token))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "logout",
        "user",
        actor.user_id.unwrap_or(0),
        "退出登录",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes a password after checking the current one; every other session of the account
/// ends. Returns a fresh session for the current browser.
pub async fn change_password(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i32,
    current: &str,
    new_password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<NewSession> {
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if !verify_password_async(user.password_hash.clone(), current.to_owned()).await {
        return Err(Error::Invalid("当前密码不正确".into()));
    }
    check_password(new_password)?;
    if current == new_password {
        return Err(Error::Invalid("新密码不能与当前密码相同".into()));
    }
    let hash = hash_password(new_password)?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut m: user::ActiveModel = user.into();
    m.password_hash = Set(hash);
    m.password_changed_at = Set(now);
    m.updated_at = Set(now);
    m.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let new = NewSession {
        token: random_token()?,
        csrf_token: random_token()?,
    };
    session::Entity::insert(session::ActiveModel {
        id: Set(session_id(&new.token)),
        user_id: Set(user_id),
        csrf_token: Set(new.csrf_token.clone()),
        ip: Set(ip.chars().take(64).collect()),
        user_agent: Set(user_agent.chars().take(255).collect()),
        created_at: Set(now),
        last_seen_at: Set(now),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "user.password",
        "user",
        user_id,
        "修改密码（其他会话已退出）",
    )
    .await?;
    txn.commit().await?;
    Ok(new)
}

/// Deletes sessions past their idle or absolute time, and old throttle rows.
pub async fn prune(db: &DatabaseConnection, policy: SessionPolicy) -> Result<u64> {
    let now = Utc::now();
    let idle = Duration::from_std(policy.idle).unwrap_or(Duration::hours(2));
    let absolute = Duration::from_std(policy.absolute).unwrap_or(Duration::hours(12));
    let gone = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::LastSeenAt.lt(now - idle))
                .add(session::Column::CreatedAt.lt(now - absolute)),
        )
        .exec(db)
        .await?
        .rows_affected;
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::FirstFailureAt.lt(now - THROTTLE_WINDOW - LOCK_TIME))
        .exec(db)
        .await?;
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_plain_and_lower_case() {
        assert_eq!(parse_username(" Editor_01 ").unwrap(), "editor_01");
        assert!(parse_username("ab").is_err());
        assert!(parse_username("张三").is_err());
        assert!(parse_username("a b c").is_err());
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("aaaaaaaaaaaa").is_err());
        assert!(check_password("开发区协会2026年度").is_ok());
    }

    #[test]
    fn passwords_round_trip_through_argon2id() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "wrong horse battery"));
        assert!(!verify_password("garbage", "x"));
    }

    #[test]
    fn session_ids_are_hashes_of_tokens() {
        let t = random_token().unwrap();
        assert_eq!(t.len(), 43);
        assert_ne!(random_token().unwrap(), t);
        assert_eq!(session_id(&t).len(), 64);
        assert_ne!(session_id(&t), t);
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_label(Duration::seconds(40)), "40秒");
        assert_eq!(wait_label(Duration::seconds(61)), "2分钟");
        assert_eq!(wait_label(Duration::minutes(15)), "15分钟");
    }
}
