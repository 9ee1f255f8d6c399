//! The audit log as a hash chain. Row n carries `seq = n` and
//! `hash = HMAC(key, prev_hash ‖ the row's fields)`, the key derived from the installation
//! secret ([`crate::secret`]), which the database never holds. Changing a row breaks its
//! hash; removing one leaves a gap in `seq` or a row whose `prev` no longer matches; removing
//! the newest ones leaves the chain short of the head (`audit_head`), which every sealing
//! updates. The database refuses updates and deletes of sealed rows too (triggers), but the
//! chain is what proves it to someone who does not trust the database.
//!
//! Sealing takes the head row first (an `UPDATE`), so writers of audit rows on every server
//! queue one after another for the rest of their transaction: audit rows are written last.

use chrono::{DateTime, SubsecRound, Utc};
use entity::{audit_head, audit_log};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use sha2::Sha256;

use super::Outcome;
use crate::secret::{self, hex};
use crate::{Error, Result};

/// The fields of a row to be written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub user_id: Option<i32>,
    pub username: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub summary: String,
    pub ip: String,
    pub outcome: Outcome,
}

/// The key rows are sealed with.
pub fn key() -> Result<[u8; 32]> {
    Ok(secret::installed()?.derive("audit-chain-v1"))
}

/// What a row's hash covers, in one unambiguous encoding (a JSON array).
#[allow(clippy::too_many_arguments)]
fn canonical(
    seq: i64,
    created_at: DateTime<Utc>,
    user_id: Option<i32>,
    username: &str,
    action: &str,
    object_type: &str,
    object_id: &str,
    summary: &str,
    ip: &str,
    outcome: &str,
) -> Vec<u8> {
    let at = created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    serde_json::to_vec(&(
        seq,
        at,
        user_id,
        username,
        action,
        object_type,
        object_id,
        summary,
        ip,
        outcome,
    ))
    .unwrap_or_default()
}

fn seal(key: &[u8; 32], prev: &str, fields: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(prev.as_bytes());
    mac.update(b"\n");
    mac.update(fields);
    hex(&mac.finalize().into_bytes())
}

/// The hash a stored row should carry after `prev`.
pub fn expected_hash(key: &[u8; 32], prev: &str, row: &audit_log::Model) -> Option<String> {
    let seq = row.seq?;
    Some(seal(
        key,
        prev,
        &canonical(
            seq,
            row.created_at,
            row.user_id,
            &row.username,
            &row.action,
            &row.object_type,
            &row.object_id,
            &row.summary,
            &row.ip,
            &row.outcome,
        ),
    ))
}

/// The refusal of a server whose installation key is not the one the chain is sealed with.
fn other_key(ours: &str, theirs: &str) -> Error {
    Error::Io(std::io::Error::other(format!(
        "this server's installation key ({ours}) is not the one the audit log is sealed with \
         ({theirs}): give every server the same key ([security] key-file or PORTICO_SECRET_KEY)"
    )))
}

/// Takes the head (queuing behind any other writer of audit rows until it commits) and
/// returns it with `seq` already moved on by `n`. Refused when the chain is sealed with
/// another installation key; the first sealing notes this one's.
async fn take_head(txn: &impl ConnectionTrait, n: i64) -> Result<audit_head::Model> {
    let moved = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(n),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(Error::Io(std::io::Error::other(
            "the audit chain has no head row (audit_head)",
        )));
    }
    let head = audit_head::Entity::find_by_id(1)
        .one(txn)
        .await?
        .ok_or(Error::NotFound)?;
    let ours = secret::installed()?.fingerprint();
    if head.key_id.is_empty() {
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::KeyId, Expr::value(ours.clone()))
            .filter(audit_head::Column::Id.eq(1))
            .exec(txn)
            .await?;
        return Ok(audit_head::Model {
            key_id: ours,
            ..head
        });
    }
    if head.key_id != ours {
        return Err(other_key(&ours, &head.key_id));
    }
    Ok(head)
}

async fn set_head_hash(txn: &impl ConnectionTrait, hash: &str) -> Result<()> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash.to_owned()))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(())
}

/// Writes one row at the end of the chain, in the caller's transaction when there is one.
pub async fn append<C: ConnectionTrait + TransactionTrait>(db: &C, e: Entry) -> Result<()> {
    let key = key()?;
    // Microseconds: what both databases keep, so the hash is computed on what is read back.
    let now = Utc::now().trunc_subsecs(6);
    let txn = db.begin().await?;
    let head = take_head(&txn, 1).await?;
    let seq = head.seq;
    let hash = seal(
        &key,
        &head.hash,
        &canonical(
            seq,
            now,
            e.user_id,
            &e.username,
            &e.action,
            &e.object_type,
            &e.object_id,
            &e.summary,
            &e.ip,
            e.outcome.code(),
        ),
    );
    audit_log::Entity::insert(audit_log::ActiveModel {
        user_id: Set(e.user_id),
        username: Set(e.username),
        action: Set(e.action),
        object_type: Set(e.object_type),
        object_id: Set(e.object_id),
        summary: Set(e.summary),
        ip: Set(e.ip),
        created_at: Set(now),
        outcome: Set(e.outcome.code().to_owned()),
        seq: Set(Some(seq)),
        hash: Set(hash.clone()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    set_head_hash(&txn, &hash).await?;
    txn.commit().await?;
    Ok(())
}

/// Seals the rows written before the chain existed (at the first start after the upgrade),
/// oldest first. Once the chain has begun, an unsealed row can only have been written past
/// the application, and is left for [`verify`] to report. Returns how many were sealed.
pub async fn seal_earlier_rows<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<u64> {
    let key = key()?;
    let mut sealed = 0;
    loop {
        let txn = db.begin().await?;
        let head = take_head(&txn, 0).await?;
        if head.seq != sealed as i64 || head.archived_seq != 0 {
            // The chain has begun: nothing of this kind to do.
            txn.rollback().await?;
            return Ok(sealed);
        }
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.is_null())
            .order_by_asc(audit_log::Column::Id)
            .limit(500)
            .all(&txn)
            .await?;
        if rows.is_empty() {
            txn.rollback().await?;
            return Ok(sealed);
        }
        let mut prev = head.hash;
        let mut seq = head.seq;
        for row in rows {
            seq += 1;
            let at = row.created_at.trunc_subsecs(6);
            let placed = audit_log::Model {
                seq: Some(seq),
                created_at: at,
                ..row.clone()
            };
            let hash = expected_hash(&key, &prev, &placed).unwrap_or_default();
            let mut m: audit_log::ActiveModel = row.into();
            m.seq = Set(Some(seq));
            m.created_at = Set(at);
            m.hash = Set(hash.clone());
            m.update(&txn).await?;
            prev = hash;
            sealed += 1;
        }
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::Seq, Expr::value(seq))
            .col_expr(audit_head::Column::Hash, Expr::value(prev))
            .filter(audit_head::Column::Id.eq(1))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
}

/// What [`restart_after_lost_key`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restart {
    /// The lost key's fingerprint, and this installation's.
    pub old_key: String,
    pub new_key: String,
    /// The old chain's last row, and how many of its rows stay unverifiable.
    pub through_seq: i64,
    pub stranded: i64,
}

/// The action of the row that starts a new chain.
pub const RESTART: &str = "audit.restart";

/// When the installation key is lost, the rows it sealed can never be verified again, and
/// no server starts (they refuse to write rows that would never verify). This starts a new
/// chain sealed with this installation's key: the head marks the old chain's last row as the
/// start (its rows stay in the database, unverifiable), and the first row of the new chain
/// records the restart with the lost key's fingerprint, the rows left behind and `reason`.
/// [`verify`] names every restart, so it cannot be done quietly. Refused while the chain is
/// sealed with this key (nothing is lost).
pub async fn restart_after_lost_key<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    reason: &str,
) -> Result<Restart> {
    let txn = db.begin().await?;
    let head = take_head_any_key(&txn).await?;
    let ours = secret::installed()?.fingerprint();
    if head.key_id.is_empty() || head.key_id == ours {
        return Err(Error::Invalid(
            "审计日志正是用本机的安装密钥封存的：密钥没有丢失，不能重新开始".into(),
        ));
    }
    let reason: String = reason.trim().chars().take(200).collect();
    if reason.is_empty() {
        return Err(Error::Invalid("请说明原因（--reason）".into()));
    }
    let restart = Restart {
        old_key: head.key_id.clone(),
        new_key: ours.clone(),
        through_seq: head.seq,
        stranded: head.seq - head.archived_seq,
    };
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::ArchivedSeq, Expr::value(head.seq))
        .col_expr(
            audit_head::Column::ArchivedHash,
            Expr::value(head.hash.clone()),
        )
        .col_expr(audit_head::Column::KeyId, Expr::value(ours.clone()))
        .filter(audit_head::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    append(
        &txn,
        Entry {
            user_id: None,
            username: "command-line".into(),
            action: RESTART.into(),
            object_type: "audit".into(),
            object_id: (head.seq + 1).to_string(),
            summary: format!(
                "原安装密钥（{}）丢失：第 {} 至 {} 条记录（{} 条）无法再校验；自第 {} 条起以新密钥（{ours}）封存。原因：{reason}",
                restart.old_key,
                head.archived_seq + 1,
                head.seq,
                restart.stranded,
                head.seq + 1
            ),
            ip: String::new(),
            outcome: Outcome::Ok,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(restart)
}

/// The head, locked, whatever key sealed it.
async fn take_head_any_key(txn: &impl ConnectionTrait) -> Result<audit_head::Model> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    audit_head::Entity::find_by_id(1)
        .one(txn)
        .await?
        .ok_or(Error::NotFound)
}

/// Where the chain first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The place in the chain (`None` for a row without one).
    pub seq: Option<i64>,
    /// The row's id, when there is a row.
    pub id: Option<i64>,
    /// What is wrong, in Chinese.
    pub what: String,
}

/// What checking the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Rows checked.
    pub checked: u64,
    /// The first row still in the database (after the archived ones) and the last.
    pub first_seq: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub archived_seq: i64,
    pub archived_hash: String,
    /// The first break, if any.
    pub broken: Option<Break>,
    /// Every restart of the chain after a lost key (what its first row says), oldest first.
    pub restarts: Vec<String>,
}

impl Verdict {
    pub fn intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Checks every row of the chain against its hash, its place and the head; reads in pages,
/// so memory stays flat however long the log is.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verdict> {
    let key = key()?;
    let Some(head) = audit_head::Entity::find_by_id(1).one(db).await? else {
        return Ok(Verdict {
            checked: 0,
            first_seq: 0,
            head_seq: 0,
            head_hash: String::new(),
            archived_seq: 0,
            archived_hash: String::new(),
            broken: Some(Break {
                seq: None,
                id: None,
                what: "链头记录（audit_head）被删除".into(),
            }),
            restarts: Vec::new(),
        });
    };
    let ours = secret::installed()?.fingerprint();
    let mut verdict = Verdict {
        checked: 0,
        first_seq: head.archived_seq + 1,
        head_seq: head.seq,
        head_hash: head.hash.clone(),
        archived_seq: head.archived_seq,
        archived_hash: head.archived_hash.clone(),
        broken: None,
        restarts: audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(RESTART))
            .order_by_asc(audit_log::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| format!("第 {} 条：{}", r.seq.unwrap_or_default(), r.summary))
            .collect(),
    };
    if !head.key_id.is_empty() && head.key_id != ours {
        verdict.broken = Some(Break {
            seq: None,
            id: None,
            what: format!(
                "本机的安装密钥（{ours}）不是封存审计日志的密钥（{}），无法校验：请使用同一密钥",
                head.key_id
            ),
        });
        return Ok(verdict);
    }
    let unsealed = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.is_null())
        .order_by_asc(audit_log::Column::Id)
        .one(db)
        .await?;
    if let Some(row) = unsealed {
        let n = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.is_null())
            .count(db)
            .await?;
        verdict.broken = Some(Break {
            seq: None,
            id: Some(row.id),
            what: format!(
                "有 {n} 条记录不在链中（绕过系统直接写入数据库），第一条 id 为 {}",
                row.id
            ),
        });
        return Ok(verdict);
    }
    let mut prev = head.archived_hash.clone();
    let mut expected = head.archived_seq + 1;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(expected))
            .order_by_asc(audit_log::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let seq = row.seq.unwrap_or_default();
            if seq != expected {
                let what = if expected > head.seq {
                    format!("第 {seq} 条记录在链尾（第 {} 条）之后", head.seq)
                } else {
                    format!(
                        "第 {expected} 条{}记录缺失（已被删除）",
                        if seq > expected + 1 {
                            format!("至第 {} 条", seq - 1)
                        } else {
                            String::new()
                        }
                    )
                };
                verdict.broken = Some(Break {
                    seq: Some(expected),
                    id: None,
                    what,
                });
                return Ok(verdict);
            }
            if expected_hash(&key, &prev, &row).as_deref() != Some(row.hash.as_str()) {
                verdict.broken = Some(Break {
                    seq: Some(seq),
                    id: Some(row.id),
                    what: format!("第 {seq} 条记录（id {}）的内容被改动过", row.id),
                });
                return Ok(verdict);
            }
            prev = row.hash;
            expected += 1;
            verdict.checked += 1;
        }
    }
    if expected - 1 != head.seq {
        verdict.broken = Some(Break {
            seq: Some(expected),
            id: None,
            what: format!("链尾缺少第 {expected} 至第 {} 条记录（已被删除）", head.seq),
        });
    } else if prev != head.hash {
        verdict.broken = Some(Break {
            seq: Some(head.seq),
            id: None,
            what: "链尾记录与链头登记的不一致".into(),
        });
    }
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let key = [1u8; 32];
        let at = Utc::now().trunc_subsecs(6);
        let row = audit_log::Model {
            id: 1,
            user_id: Some(3),
            username: "editor".into(),
            action: "article.update".into(),
            object_type: "article".into(),
            object_id: "9".into(),
            summary: "改了标题".into(),
            ip: "10.0.0.1".into(),
            created_at: at,
            outcome: "ok".into(),
            seq: Some(5),
            hash: String::new(),
        };
        let h = expected_hash(&key, "prev", &row).unwrap();
        assert_eq!(h.len(), 64);
        assert_ne!(expected_hash(&key, "other", &row).unwrap(), h);
        assert_ne!(expected_hash(&[2u8; 32], "prev", &row).unwrap(), h);
        let changes: Vec<audit_log::Model> = vec![
            audit_log::Model {
                user_id: Some(4),
                ..row.clone()
            },
            audit_log::Model {
                username: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                action: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                object_type: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                object_id: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                summary: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                ip: "x".into(),
                ..row.clone()
            },
            audit_log::Model {
                outcome: "failed".into(),
                ..row.clone()
            },
            audit_log::Model {
                seq: Some(6),
                ..row.clone()
            },
            audit_log::Model {
                created_at: at + chrono::Duration::microseconds(1),
                ..row.clone()
            },
        ];
        for changed in changes {
            assert_ne!(
                expected_hash(&key, "prev", &changed).unwrap(),
                h,
                "{changed:?}"
            );
        }
        // The row id is not covered: a restored backup may number rows anew.
        assert_eq!(
            expected_hash(
                &key,
                "prev",
                &audit_log::Model {
                    id: 77,
                    ..row.clone()
                }
            )
            .unwrap(),
            h
        );
    }
}
