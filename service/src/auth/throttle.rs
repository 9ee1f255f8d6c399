//! Sign-in throttles: failures counted per account and address, per address, and per
//! account from everywhere, before any password or code is checked.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use entity::login_throttle;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use crate::Result;
use crate::db::Db;
use crate::security::Policy;

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

/// What one throttle does when its count is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Limit {
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
pub(super) fn throttle_keys(username: &str, ip: &str, policy: &Policy) -> [(String, Limit); 3] {
    let name = username.trim().to_lowercase();
    let name: String = name.chars().take(60).collect();
    let net = crate::net::limit_key(ip);
    [
        (
            format!("pair:{name}@{net}"),
            Limit::Lock(policy.lock_account_failures as i32),
        ),
        (
            format!("ip:{net}"),
            Limit::Lock(policy.lock_address_failures as i32),
        ),
        (format!("user:{name}"), Limit::Slow),
    ]
}

/// What counting an attempt decided.
pub(super) enum Counted {
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
pub(super) async fn count_attempt(
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
pub(super) async fn uncount_attempt(
    db: &impl ConnectionTrait,
    keys: &[(String, Limit)],
) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
