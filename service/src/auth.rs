//! Staff accounts, passwords (argon2id), database sessions and login throttling.

use std::time::Duration as StdDuration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::user::{self, Role};
use entity::{login_throttle, session};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Outcome};
use crate::db::Db;
use crate::passwords::Passwords;
pub use crate::security::role_label;
use crate::security::{Policy, passwords as rules};
use crate::{Error, Result};

/// Most an attempt on an account under attack waits (see [`account_delay`]).
pub const MAX_ACCOUNT_DELAY: StdDuration = StdDuration::from_secs(10);

/// How long an attempt on an account with `failures` recent failures (from all addresses
/// together) waits: nothing below the policy's `slow_after`, then 1 s, 2 s, 4 s … up to
/// [`MAX_ACCOUNT_DELAY`]. Never a lock, so nobody can keep the real person out by guessing
/// from elsewhere; but guesses spread over many addresses are slowed down.
pub fn account_delay(failures: i32, slow_after: i32) -> StdDuration {
    if failures < slow_after {
        return StdDuration::ZERO;
    }
    let doublings = (failures - slow_after).min(16) as u32;
    StdDuration::from_secs(1u64 << doublings).min(MAX_ACCOUNT_DELAY)
}

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

/// What one throttle does when its count is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Limit {
    /// Refuse attempts for the policy's lock time once this many failures are counted.
    Lock(i32),
    /// Never refuse; the count makes attempts wait (see [`account_delay`]).
    Slow,
}

impl Limit {
    /// The count from which a lock holds (never, for a slow-down).
    fn max(self) -> i32 {
        match self {
            Limit::Lock(max) => max,
            Limit::Slow => i32::MAX,
        }
    }
}

/// The throttles a sign-in attempt counts against: the account from this address, the
/// address, and the account from everywhere.
fn throttle_keys(username: &str, ip: &str, policy: &Policy) -> [(String, Limit); 3] {
    let name = username.trim().to_lowercase();
    let name: String = name.chars().take(60).collect();
    let net = crate::net::limit_key(ip);
    [
        (
            format!("pair:{name}@{net}"),
            Limit::Lock(policy.lock_account_failures as i32),
        ),
        (format!("ip:{net}"), Limit::Lock(policy.lock_address_failures as i32)),
        (format!("user:{name}"), Limit::Slow),
    ]
}

/// What counting an attempt decided.
enum Counted {
    /// A lock holds: try again after this long (nothing was counted).
    Refused(Duration),
    /// Go on, after waiting this long.
    Go(StdDuration),
}

/// Counts a sign-in attempt against the throttles *before* its password is checked, in one
/// write transaction, so that however many guesses arrive at once (on any number of
/// servers) at most a lock's limit of them is ever checked. The attempt that reaches a limit
/// sets the lock. When a lock already holds, the attempt is not counted and no password is
/// checked.
async fn count_attempt(
    db: &Db,
    keys: &[(String, Limit)],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Counted> {
    let window = policy.lock_time();
    use login_throttle::Column as C;
    use sea_orm::ExprTrait as _;
    let txn = db.begin().await?;
    let unlocked = || {
        Condition::any()
            .add(C::LockedUntil.is_null())
            .add(C::LockedUntil.lte(now))
    };
    let mut wait = StdDuration::ZERO;
    for (key, limit) in keys {
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(0),
            first_failure_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict_do_nothing_on([C::Key])
        .exec(&txn)
        .await?;
        // A lock that has ended, or a count older than the window, starts again.
        login_throttle::Entity::update_many()
            .col_expr(C::Failures, Expr::value(0))
            .col_expr(C::FirstFailureAt, Expr::value(now))
            .col_expr(C::LockedUntil, Expr::value(None::<DateTime<Utc>>))
            .filter(C::Key.eq(key.clone()))
            .filter(
                Condition::any().add(C::LockedUntil.lte(now)).add(
                    Condition::all()
                        .add(C::LockedUntil.is_null())
                        .add(C::FirstFailureAt.lt(now - window)),
                ),
            )
            .exec(&txn)
            .await?;
        let lock = Expr::case(
            Expr::col(C::Failures).add(1).gte(limit.max()),
            Expr::value(Some(now + window)),
        )
        .finally(Expr::col(C::LockedUntil));
        let counted = login_throttle::Entity::update_many()
            .col_expr(C::Failures, Expr::col(C::Failures).add(1))
            .col_expr(C::LockedUntil, lock.into())
            .filter(C::Key.eq(key.clone()))
            .filter(unlocked())
            .exec(&txn)
            .await?
            .rows_affected;
        let row = login_throttle::Entity::find_by_id(key.clone())
            .one(&txn)
            .await?;
        if counted == 0 {
            let until = row.and_then(|t| t.locked_until).unwrap_or(now + window);
            // Nothing of this attempt is counted.
            txn.rollback().await?;
            return Ok(Counted::Refused((until - now).max(Duration::seconds(1))));
        }
        if *limit == Limit::Slow {
            // The failures before this attempt decide its wait.
            let before = row.map_or(0, |t| t.failures - 1);
            wait = wait.max(account_delay(before, policy.slow_after as i32));
        }
    }
    txn.commit().await?;
    Ok(Counted::Go(wait))
}

/// Takes back the count of an attempt that turned out not to be a failure (a success, or
/// one refused as busy before its password was checked), lifting a lock it set.
async fn uncount_attempt(db: &impl ConnectionTrait, keys: &[(String, Limit)]) -> Result<()> {
    use login_throttle::Column as C;
    use sea_orm::ExprTrait as _;
    for (key, limit) in keys {
        let keep_lock = Expr::case(
            Expr::col(C::Failures).sub(1).gte(limit.max()),
            Expr::col(C::LockedUntil),
        )
        .finally(Expr::value(None::<DateTime<Utc>>));
        login_throttle::Entity::update_many()
            .col_expr(C::Failures, Expr::col(C::Failures).sub(1))
            .col_expr(C::LockedUntil, keep_lock.into())
            .filter(C::Key.eq(key.clone()))
            .filter(C::Failures.gt(0))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Signs in: counts the attempt against the throttles, checks the password, then opens a
/// session.
pub async fn login(
    db: &Db,
    passwords: &Passwords,
    policy: &Policy,
    username: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(user::Model, NewSession), LoginError> {
    let now = Utc::now();
    let keys = throttle_keys(username, ip, policy);
    let attempt = Actor {
        user_id: None,
        username: username.trim().chars().take(50).collect(),
        ip: ip.to_owned(),
    };
    match count_attempt(db, &keys, policy, now).await? {
        Counted::Refused(wait) => {
            audit::record_outcome(
                db,
                &attempt,
                Outcome::Refused,
                "login.throttled",
                "user",
                "",
                format!("登录尝试过多，{}内不再受理", wait_label(wait)),
            )
            .await?;
            return Err(LoginError::Throttled(wait));
        }
        Counted::Go(wait) if !wait.is_zero() => tokio::time::sleep(wait).await,
        Counted::Go(_) => {}
    }
    let name = username.trim().to_lowercase();
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(name))
        .one(db)
        .await?;
    let checked = passwords
        .verify(found.as_ref().map(|u| u.password_hash.as_str()), password)
        .await;
    let ok = match checked {
        Ok(ok) => ok && found.as_ref().is_some_and(|u| u.is_active),
        Err(Error::Busy) => {
            uncount_attempt(db, &keys).await?;
            return Err(LoginError::Busy);
        }
        Err(e) => return Err(e.into()),
    };
    // A hash made with older settings is replaced now that the password is known (made
    // before the transaction: the writer is not held while argon2 works; if the worker is
    // busy it waits for the next sign-in).
    let rehashed = match &found {
        Some(u) if ok && crate::passwords::needs_rehash(&u.password_hash) => {
            passwords.hash(password).await.ok()
        }
        _ => None,
    };
    let txn = db.begin().await?;
    let Some(user) = found.filter(|_| ok) else {
        audit::record_outcome(
            &txn,
            &attempt,
            Outcome::Failed,
            "login.failed",
            "user",
            "",
            "用户名或密码错误，或账号已停用",
        )
        .await?;
        txn.commit().await?;
        return Err(LoginError::Invalid);
    };
    // A success clears the account's counts (from this address and from everywhere), and
    // takes this attempt back from the address's count (the failures an address piled up
    // against other accounts stay).
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in([keys[0].0.clone(), keys[2].0.clone()]))
        .exec(&txn)
        .await?;
    uncount_attempt(&txn, &keys[1..2]).await?;
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
    if let Some(hash) = rehashed {
        m.password_hash = Set(hash);
    }
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
pub async fn end_sessions(
    db: &Db,
    actor: &Actor,
    which: Option<&str>,
    keep: &str,
) -> Result<u64> {
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
    fn an_account_under_attack_slows_down_but_never_locks() {
        assert_eq!(account_delay(0, 5), StdDuration::ZERO);
        assert_eq!(account_delay(4, 5), StdDuration::ZERO);
        assert_eq!(account_delay(5, 5), StdDuration::from_secs(1));
        assert_eq!(account_delay(7, 5), StdDuration::from_secs(4));
        assert_eq!(account_delay(10_000, 5), MAX_ACCOUNT_DELAY);
        let keys = throttle_keys(" Editor1 ", "2001:db8:1:2::9", &Policy::default());
        assert_eq!(keys[0].0, "pair:editor1@2001:db8:1:2::/64");
        assert_eq!(keys[1].0, "ip:2001:db8:1:2::/64");
        assert_eq!(keys[2], ("user:editor1".to_owned(), Limit::Slow));
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_label(Duration::seconds(40)), "40秒");
        assert_eq!(wait_label(Duration::seconds(61)), "2分钟");
        assert_eq!(wait_label(Duration::minutes(15)), "15分钟");
    }
}
