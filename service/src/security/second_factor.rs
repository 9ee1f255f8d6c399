//! Enrolling, checking and resetting a staff member's second factor (see [`super::totp`]).

use chrono::Utc;
use entity::user::{self, Role};
use entity::{recovery_code, session};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};

use super::{Policy, totp};
use crate::audit::{self, Actor, Outcome};
use crate::db::Db;
use crate::{Error, Result};

/// Whether the policy asks `role` for a second factor.
pub fn required(policy: &Policy, role: Role) -> bool {
    match role {
        Role::Writer => policy.totp_writers,
        Role::Editor => policy.totp_editors,
        Role::Admin | Role::SysAdmin | Role::SecAdmin | Role::Auditor => policy.totp_admins,
    }
}

/// What the enrolment page shows: the secret as text and as the QR code's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth: String,
}

async fn account(db: &impl ConnectionTrait, user_id: i32) -> Result<user::Model> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// The enrolment under way (a secret made and not yet confirmed), if any.
pub async fn pending(
    db: &impl ConnectionTrait,
    user_id: i32,
    issuer: &str,
) -> Result<Option<Enrolment>> {
    let u = account(db, user_id).await?;
    match (&u.totp_secret, u.totp_enabled_at) {
        (Some(sealed), None) => {
            let secret = totp::open(sealed)?;
            Ok(Some(Enrolment {
                secret: totp::base32(&secret),
                otpauth: totp::otpauth_url(issuer, &u.username, &secret),
            }))
        }
        _ => Ok(None),
    }
}

/// Starts (or starts again) an enrolment: a new secret, stored encrypted, not yet in use.
pub async fn begin(db: &Db, actor: &Actor, user_id: i32, issuer: &str) -> Result<Enrolment> {
    let u = account(db, user_id).await?;
    if u.totp_enabled_at.is_some() {
        return Err(Error::Conflict("双因素认证已经启用".into()));
    }
    let secret = totp::new_secret()?;
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Some(totp::seal(&secret)?)),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(None::<i64>))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "totp.begin",
        "user",
        user_id,
        "开始设置双因素认证",
    )
    .await?;
    txn.commit().await?;
    Ok(Enrolment {
        secret: totp::base32(&secret),
        otpauth: totp::otpauth_url(issuer, &u.username, &secret),
    })
}

async fn replace_codes(txn: &impl ConnectionTrait, user_id: i32) -> Result<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    let codes = totp::new_recovery_codes()?;
    let rows = codes
        .iter()
        .map(|c| {
            Ok(recovery_code::ActiveModel {
                user_id: Set(user_id),
                code_hash: Set(totp::recovery_hash(c)?),
                used_at: Set(None),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    recovery_code::Entity::insert_many(rows).exec(txn).await?;
    Ok(codes)
}

/// Confirms an enrolment with a first code from the app: the second factor is on from now,
/// and ten recovery codes are made (returned once; only their hashes are kept).
pub async fn confirm(
    db: &Db,
    actor: &Actor,
    user_id: i32,
    code: &str,
    now_unix: i64,
) -> Result<Vec<String>> {
    let u = account(db, user_id).await?;
    let (Some(sealed), None) = (&u.totp_secret, u.totp_enabled_at) else {
        return Err(Error::Conflict("请先开始设置双因素认证".into()));
    };
    let secret = totp::open(sealed)?;
    let txn = db.begin().await?;
    let Some(step) = totp::accepts(&secret, code, now_unix, None) else {
        audit::record_outcome(
            &txn,
            actor,
            Outcome::Failed,
            "totp.enable",
            "user",
            user_id,
            "启用双因素认证：动态口令不正确",
        )
        .await?;
        txn.commit().await?;
        return Err(Error::Invalid(
            "动态口令不正确：请核对手机时间，并输入验证器当前显示的 6 位数字".into(),
        ));
    };
    user::Entity::update_many()
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Some(Utc::now())))
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    let codes = replace_codes(&txn, user_id).await?;
    audit::record(
        &txn,
        actor,
        "totp.enable",
        "user",
        user_id,
        "启用双因素认证",
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// New recovery codes in place of the old ones (all of which stop working).
pub async fn new_codes(db: &Db, actor: &Actor, user_id: i32) -> Result<Vec<String>> {
    let u = account(db, user_id).await?;
    if u.totp_enabled_at.is_none() {
        return Err(Error::Conflict("请先启用双因素认证".into()));
    }
    let txn = db.begin().await?;
    let codes = replace_codes(&txn, user_id).await?;
    audit::record(&txn, actor, "totp.codes", "user", user_id, "重新生成恢复码").await?;
    txn.commit().await?;
    Ok(codes)
}

/// Unused recovery codes left.
pub async fn codes_left(db: &impl ConnectionTrait, user_id: i32) -> Result<u64> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// How a second factor was shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Totp,
    RecoveryCode,
}

/// Checks a code of a signed-in-with-password account: a TOTP code not used before, or an
/// unused recovery code (used up by this). `None` when it is not right.
pub async fn check(
    db: &impl ConnectionTrait,
    u: &user::Model,
    code: &str,
    now_unix: i64,
) -> Result<Option<Shown>> {
    let (Some(sealed), Some(_)) = (&u.totp_secret, u.totp_enabled_at) else {
        return Ok(None);
    };
    if totp::is_recovery_code(code) {
        let used = recovery_code::Entity::update_many()
            .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(Utc::now())))
            .filter(recovery_code::Column::UserId.eq(u.id))
            .filter(recovery_code::Column::CodeHash.eq(totp::recovery_hash(code)?))
            .filter(recovery_code::Column::UsedAt.is_null())
            .exec(db)
            .await?
            .rows_affected;
        return Ok((used == 1).then_some(Shown::RecoveryCode));
    }
    let secret = totp::open(sealed)?;
    let Some(step) = totp::accepts(&secret, code, now_unix, u.totp_last_step) else {
        return Ok(None);
    };
    // Taken only if no other request took this step (or a later one) meanwhile.
    let taken = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(u.id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok((taken == 1).then_some(Shown::Totp))
}

/// Turns a colleague's second factor off (a lost phone): the secret and recovery codes are
/// gone and their sessions end; at the next sign-in they enrol again if the policy asks.
/// For the 安全管理员; nobody resets their own this way.
pub async fn reset(db: &Db, actor: &Actor, user_id: i32) -> Result<()> {
    if actor.user_id == Some(user_id) {
        return Err(Error::Invalid(
            "不能重置自己的双因素认证：请另一位安全管理员操作".into(),
        ));
    }
    let u = account(db, user_id).await?;
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(None::<String>))
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(None::<chrono::DateTime<Utc>>),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(None::<i64>))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "totp.reset",
        "user",
        user_id,
        format!("重置 {} 的双因素认证（其登录已全部退出）", u.username),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// How long the password step of a sign-in waits for its code.
pub const PENDING_SECONDS: i64 = 300;

fn pending_mac(payload: &str) -> Result<String> {
    use hmac::{Hmac, Mac};
    let key = crate::secret::installed()?.derive("second-factor-pending-v1");
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(payload.as_bytes());
    Ok(crate::secret::hex(&mac.finalize().into_bytes()))
}

/// A token saying "this browser gave `user_id`'s password at `now`", for the cookie that
/// carries a sign-in from its password step to its code step (signed; nothing is stored).
pub fn pending_token(user_id: i32, now_unix: i64) -> Result<String> {
    let nonce = crate::auth::random_code(8)?;
    let payload = format!("{user_id}.{}.{nonce}", now_unix + PENDING_SECONDS);
    Ok(format!("{payload}.{}", pending_mac(&payload)?))
}

/// The account of a pending sign-in's token, while it is valid.
pub fn pending_user(token: &str, now_unix: i64) -> Option<i32> {
    let (payload, mac) = token.rsplit_once('.')?;
    let expected = pending_mac(payload).ok()?;
    if expected.len() != mac.len()
        || expected
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            != 0
    {
        return None;
    }
    let mut parts = payload.split('.');
    let user_id: i32 = parts.next()?.parse().ok()?;
    let expires: i64 = parts.next()?.parse().ok()?;
    (now_unix <= expires).then_some(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_sign_ins_are_signed_and_expire() {
        let t = pending_token(42, 1_000).unwrap();
        assert_eq!(pending_user(&t, 1_000), Some(42));
        assert_eq!(pending_user(&t, 1_000 + PENDING_SECONDS), Some(42));
        assert_eq!(pending_user(&t, 1_001 + PENDING_SECONDS), None);
        let forged = t.replacen("42.", "1.", 1);
        assert_eq!(pending_user(&forged, 1_000), None);
        assert_eq!(pending_user("42.9999999999.x.abc", 1_000), None);
        assert_eq!(pending_user("", 1_000), None);
    }

    #[test]
    fn the_policy_asks_each_kind_of_staff() {
        let p = Policy {
            totp_writers: false,
            ..Policy::default()
        };
        assert!(required(&p, Role::Auditor) && required(&p, Role::Editor));
        assert!(!required(&p, Role::Writer));
    }
}
