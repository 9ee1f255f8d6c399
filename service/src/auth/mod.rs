//! Staff accounts, passwords (argon2id), database sessions and login throttling.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::user::{self, Role};
use entity::{login_throttle, session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Outcome};
use crate::db::Db;
use crate::password::Passwords;
pub use crate::security::role_label;
use crate::security::{Policy, passwords as rules};
use crate::{Error, Result};

mod sign_in;
mod throttle;

pub use sign_in::{SignIn, login, login_second_factor};
pub use throttle::{MAX_ACCOUNT_DELAY, account_delay};

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

/// An argon2id hash made by the argon2 crate's own hasher, as older versions stored them
/// (new hashes come from [`Passwords`]); tests check both still verify.
#[cfg(test)]
pub fn hash_password(password: &str) -> Result<String> {
    use argon2::Argon2;
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| Error::Invalid(format!("password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Invalid(format!("password hashing failed: {e}")))
}

/// A fresh random token (256 bits), URL-safe.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The characters of setup codes: no 0/O, 1/I/L or other look-alikes.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// `len` random characters from [`CODE_ALPHABET`] (about 5 bits each).
pub fn random_code(len: usize) -> Result<String> {
    let n = CODE_ALPHABET.len();
    // The largest multiple of n that fits in a byte: bytes above it are drawn again, so
    // every character is equally likely.
    let limit = 256 - 256 % n;
    let mut chars = String::with_capacity(len);
    let mut count = 0;
    while count < len {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        for b in bytes {
            let b = usize::from(b);
            if b < limit && count < len {
                chars.push(char::from(CODE_ALPHABET[b % n]));
                count += 1;
            }
        }
    }
    Ok(chars)
}

/// A first-time setup code: 12 random characters from [`CODE_ALPHABET`] (about 59 bits),
/// grouped in fours for reading: `7KQF-M3XP-9TWA`.
pub fn setup_code() -> Result<String> {
    let code = random_code(12)?;
    Ok(format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]))
}

/// The session id stored for a cookie token.
pub fn session_id(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn user_count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(user::Entity::find().count(db).await?)
}

/// A new account.
#[derive(Clone, Copy, Debug)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
    /// Someone else chose the password (an administrator for a colleague): the person must
    /// choose their own at the first sign-in.
    pub must_change_password: bool,
}

/// Creates an account, its password checked against the policy.
pub async fn create_user(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    account: NewAccount<'_>,
) -> Result<user::Model> {
    let NewAccount {
        username,
        display_name,
        password,
        role,
        must_change_password,
    } = account;
    let username = parse_username(username)?;
    let policy = crate::security::policy(db).await?;
    rules::check(&policy, &username, password)?;
    let hash = passwords.hash(password).await?;
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
        must_change_password: Set(must_change_password),
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

/// Why a login failed. Unknown accounts and wrong passwords look the same.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    Invalid,
    /// Too many failures: try again after this long.
    Throttled(Duration),
    /// Too many sign-ins are being checked right now: try again in a moment.
    Busy,
    Db(String),
}

impl From<Error> for LoginError {
    fn from(e: Error) -> Self {
        match e {
            Error::Busy => LoginError::Busy,
            e => LoginError::Db(e.to_string()),
        }
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

/// The signed-in session of a cookie token, if it is still valid. Expired sessions are
/// deleted; an active one is marked as seen (at most once a minute).
pub async fn session_of(
    db: &Db,
    token: &str,
    policy: &Policy,
) -> Result<Option<(session::Model, user::Model)>> {
    let now = Utc::now();
    let Some(s) = session::Entity::find_by_id(session_id(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let (idle, absolute) = (policy.idle(), policy.absolute());
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
pub async fn logout(db: &Db, token: &str, actor: &Actor) -> Result<()> {
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

/// Changes a password after checking the current one and the policy (not one of the last
/// few); every other session of the account ends. Returns a fresh session for the current
/// browser.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    db: &Db,
    passwords: &Passwords,
    policy: &Policy,
    actor: &Actor,
    user_id: i32,
    current: &str,
    new_password: &str,
    user_agent: &str,
) -> Result<NewSession> {
    let ip = actor.ip.as_str();
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if !passwords.verify(Some(&user.password_hash), current).await? {
        audit::record_outcome(
            db,
            actor,
            Outcome::Failed,
            "user.password",
            "user",
            user_id,
            "修改密码：当前密码不正确",
        )
        .await?;
        return Err(Error::Invalid("当前密码不正确".into()));
    }
    rules::check(policy, &user.username, new_password)?;
    if current == new_password {
        return Err(Error::Invalid("新密码不能与当前密码相同".into()));
    }
    rules::check_not_recent(db, passwords, policy, &user, new_password).await?;
    let hash = passwords.hash(new_password).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    rules::remember(&txn, user_id, &user.password_hash, now).await?;
    let mut m: user::ActiveModel = user.into();
    m.password_hash = Set(hash);
    m.password_changed_at = Set(now);
    m.must_change_password = Set(false);
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

/// The sessions of an account, newest first.
pub async fn sessions_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<session::Model>> {
    use sea_orm::QueryOrder;
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_desc(session::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Ends sessions of the actor's own account: the one given (by its id, as the sessions
/// list shows it), or every one but `keep` when `which` is `None`. Returns how many ended.
pub async fn end_sessions(db: &Db, actor: &Actor, which: Option<&str>, keep: &str) -> Result<u64> {
    let Some(user_id) = actor.user_id else {
        return Err(Error::NotFound);
    };
    let txn = db.begin().await?;
    let mut q = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep.to_owned()));
    if let Some(id) = which {
        q = q.filter(session::Column::Id.eq(id.to_owned()));
    }
    let ended = q.exec(&txn).await?.rows_affected;
    if which.is_some() && ended == 0 {
        return Err(Error::NotFound);
    }
    audit::record(
        &txn,
        actor,
        if which.is_some() {
            "session.end"
        } else {
            "session.end_others"
        },
        "user",
        user_id,
        format!("结束本账号的 {ended} 个其他会话"),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// The throttle keys that belong to an account (its name's and its second factor's).
fn account_keys(u: &user::Model) -> Condition {
    use login_throttle::Column as C;
    Condition::any()
        .add(C::Key.eq(format!("user:{}", u.username)))
        .add(C::Key.starts_with(format!("pair:{}@", u.username)))
        .add(C::Key.eq(format!("2fa:{}", u.id)))
        .add(C::Key.starts_with(format!("2fa:{}@", u.id)))
}

/// Whether a throttle row's key is one of `u`'s (the same keys as [`account_keys`]).
fn is_account_key(key: &str, u: &user::Model) -> bool {
    let name = u.username.as_str();
    let id = u.id.to_string();
    key.strip_prefix("user:") == Some(name)
        || key
            .strip_prefix("pair:")
            .and_then(|k| k.strip_prefix(name))
            .is_some_and(|k| k.starts_with('@'))
        || key.strip_prefix("2fa:").is_some_and(|k| {
            k.strip_prefix(id.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('@'))
        })
}

/// Accounts that some address is locked out of now (too many failures from there): one
/// query for the locks in force, matched against `users`.
pub async fn locked_accounts(db: &impl ConnectionTrait, users: &[user::Model]) -> Result<Vec<i32>> {
    use login_throttle::Column as C;
    let locks: Vec<String> = login_throttle::Entity::find()
        .select_only()
        .column(C::Key)
        .filter(C::LockedUntil.gt(Utc::now()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(users
        .iter()
        .filter(|u| locks.iter().any(|k| is_account_key(k, u)))
        .map(|u| u.id)
        .collect())
}

/// Lifts every lock and count on an account (the 安全管理员's, recorded).
pub async fn unlock(db: &Db, actor: &Actor, user_id: i32) -> Result<u64> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let txn = db.begin().await?;
    let lifted = login_throttle::Entity::delete_many()
        .filter(account_keys(&u))
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        actor,
        "user.unlock",
        "user",
        user_id,
        format!("解除 {} 的登录限制", u.username),
    )
    .await?;
    txn.commit().await?;
    Ok(lifted)
}

/// Deletes sessions past their idle or absolute time, and old throttle rows.
pub async fn prune(db: &Db, policy: &Policy) -> Result<u64> {
    let now = Utc::now();
    let (idle, absolute) = (policy.idle(), policy.absolute());
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
        .filter(login_throttle::Column::FirstFailureAt.lt(now - policy.lock_time() * 2))
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
    fn session_ids_are_hashes_of_tokens() {
        let t = random_token().unwrap();
        assert_eq!(t.len(), 43);
        assert_ne!(random_token().unwrap(), t);
        assert_eq!(session_id(&t).len(), 64);
        assert_ne!(session_id(&t), t);
    }

    #[test]
    fn throttle_keys_belong_to_exactly_one_account() {
        let now = Utc::now();
        let u = |id: i32, name: &str| user::Model {
            id,
            username: name.into(),
            display_name: String::new(),
            password_hash: String::new(),
            role: entity::user::Role::Editor,
            is_active: true,
            email: String::new(),
            last_login_at: None,
            password_changed_at: now,
            must_change_password: false,
            totp_secret: None,
            totp_enabled_at: None,
            totp_last_step: None,
            created_at: now,
            updated_at: now,
        };
        let (a, ab) = (u(1, "a"), u(12, "ab"));
        for (key, first, second) in [
            ("user:a", true, false),
            ("user:ab", false, true),
            ("pair:a@10.0.0.1", true, false),
            ("pair:ab@10.0.0.1", false, true),
            ("2fa:1", true, false),
            ("2fa:12", false, true),
            ("2fa:1@10.0.0.1", true, false),
            ("addr:10.0.0.1", false, false),
        ] {
            assert_eq!(is_account_key(key, &a), first, "{key}");
            assert_eq!(is_account_key(key, &ab), second, "{key}");
        }
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_label(Duration::seconds(40)), "40秒");
        assert_eq!(wait_label(Duration::seconds(61)), "2分钟");
        assert_eq!(wait_label(Duration::minutes(15)), "15分钟");
    }
}
