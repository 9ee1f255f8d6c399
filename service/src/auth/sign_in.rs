//! Signing in: the password, then (when the account has one) the second factor, then a
//! session.

use chrono::Utc;
use entity::user;
use entity::{login_throttle, session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::throttle::{Counted, Limit, count_attempt, throttle_keys, uncount_attempt};
use super::{LoginError, NewSession, random_token, session_id, wait_label};
use crate::Error;
use crate::audit::{self, Actor, Outcome};
use crate::db::Db;
use crate::password::Passwords;
use crate::security::Policy;

/// How a sign-in with the right password goes on.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the session is open.
    Done(user::Model, NewSession),
    /// The password was right; the account's second factor is asked next (nothing is open
    /// yet).
    SecondFactor(user::Model),
}

/// The refusal of an attempt a throttle holds back, recorded.
async fn throttled(db: &Db, attempt: &Actor, wait: chrono::Duration) -> LoginError {
    let recorded = audit::record_outcome(
        db,
        attempt,
        Outcome::Refused,
        "login.throttled",
        "user",
        attempt.user_id.map(|i| i.to_string()).unwrap_or_default(),
        format!("登录尝试过多，{}内不再受理", wait_label(wait)),
    )
    .await;
    match recorded {
        Ok(()) => LoginError::Throttled(wait),
        Err(e) => e.into(),
    }
}

/// Opens a session for `user` (in the caller's transaction) and notes the sign-in.
async fn open_session(
    txn: &impl ConnectionTrait,
    user: user::Model,
    ip: &str,
    user_agent: &str,
    now: chrono::DateTime<Utc>,
    rehashed: Option<String>,
) -> Result<(user::Model, NewSession), LoginError> {
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
    .exec(txn)
    .await?;
    let mut m: user::ActiveModel = user.into();
    m.last_login_at = Set(Some(now));
    if let Some(hash) = rehashed {
        m.password_hash = Set(hash);
    }
    Ok((m.update(txn).await?, new))
}

/// Signs in: counts the attempt against the throttles, checks the password, then opens a
/// session, or (for an account with a second factor) says that the code comes next.
pub async fn login(
    db: &Db,
    passwords: &Passwords,
    policy: &Policy,
    username: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<SignIn, LoginError> {
    let now = Utc::now();
    let keys = throttle_keys(username, ip, policy);
    let name: String = username.trim().chars().take(50).collect();
    let attempt = Actor::unknown(&name, ip);
    match count_attempt(db, &keys, policy, now).await? {
        Counted::Refused(wait) => return Err(throttled(db, &attempt, wait).await),
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
        Some(u) if ok && crate::password::needs_rehash(&u.password_hash) => {
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
    let actor = Actor::staff(&user, ip);
    if user.totp_enabled_at.is_some() {
        if let Some(hash) = rehashed {
            let mut m: user::ActiveModel = user.clone().into();
            m.password_hash = Set(hash);
            m.update(&txn).await?;
        }
        audit::record(
            &txn,
            &actor,
            "login.password",
            "user",
            user.id,
            "密码正确，待验证动态口令",
        )
        .await?;
        txn.commit().await?;
        return Ok(SignIn::SecondFactor(user));
    }
    let (user, new) = open_session(&txn, user, ip, user_agent, now, rehashed).await?;
    audit::record(&txn, &actor, "login", "user", user.id, "登录成功").await?;
    txn.commit().await?;
    Ok(SignIn::Done(user, new))
}

/// The second step of signing in to an account with a second factor: a code from the
/// authenticator app, or one of the recovery codes. Throttled like passwords (per account
/// and address a lock, per account from everywhere a slow-down), every attempt recorded.
pub async fn login_second_factor(
    db: &Db,
    policy: &Policy,
    user_id: i32,
    code: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(user::Model, NewSession), LoginError> {
    let now = Utc::now();
    let net = crate::net::limit_key(ip);
    let keys = [
        (
            format!("2fa:{user_id}@{net}"),
            Limit::Lock(policy.lock_account_failures as i32),
        ),
        (format!("2fa:{user_id}"), Limit::Slow),
    ];
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.is_active)
        .ok_or(LoginError::Invalid)?;
    let actor = Actor::staff(&user, ip);
    match count_attempt(db, &keys, policy, now).await? {
        Counted::Refused(wait) => return Err(throttled(db, &actor, wait).await),
        Counted::Go(wait) if !wait.is_zero() => tokio::time::sleep(wait).await,
        Counted::Go(_) => {}
    }
    let shown = crate::security::second_factor::check(db, &user, code, now.timestamp()).await?;
    let txn = db.begin().await?;
    let Some(shown) = shown else {
        audit::record_outcome(
            &txn,
            &actor,
            Outcome::Failed,
            "login.2fa.failed",
            "user",
            user.id,
            "动态口令或恢复码不正确",
        )
        .await?;
        txn.commit().await?;
        return Err(LoginError::Invalid);
    };
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in(keys.iter().map(|k| k.0.clone())))
        .exec(&txn)
        .await?;
    let (user, new) = open_session(&txn, user, ip, user_agent, now, None).await?;
    let how = match shown {
        crate::security::second_factor::Shown::Totp => "登录成功（动态口令）".to_owned(),
        crate::security::second_factor::Shown::RecoveryCode => format!(
            "登录成功（恢复码，剩余 {} 个）",
            crate::security::second_factor::codes_left(&txn, user.id).await?
        ),
    };
    audit::record(&txn, &actor, "login", "user", user.id, how).await?;
    txn.commit().await?;
    Ok((user, new))
}
