//! Moving old audit rows out of the database, and exporting the log for the auditor.
//!
//! Rows are kept at least the retention period (180 days by default, 网络安全法 art. 21).
//! Older ones leave only through an archive: a JSON-lines file holding the rows as stored,
//! between a header naming where the chain picks up and a trailer naming where it ends,
//! signed with a key derived from the installation secret. The database then records the
//! archived end (`audit_head.archived_*`), so the chain still in the database starts from
//! it, and `verify` checks the files and the database as one chain.

use std::io::{BufRead, Read, Write};

use chrono::{DateTime, Duration, Utc};
use entity::{audit_head, audit_log};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{Actor, Filter, chain};
use crate::secret::{self, hex};
use crate::{Error, Result};

/// The shortest retention the law allows.
pub const MIN_KEEP_DAYS: i64 = 180;

const FORMAT: &str = "portico-audit-archive";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The first row's seq, and the hash the first row chains to.
    from_seq: i64,
    prev_hash: String,
    /// Which installation key sealed it (its fingerprint).
    key: String,
    made_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    through_seq: i64,
    last_hash: String,
    rows: u64,
    /// HMAC-SHA256 (hex) of every byte before this line.
    signature: String,
}

fn signing_key() -> Result<[u8; 32]> {
    Ok(secret::installed()?.derive("audit-archive-v1"))
}

/// What an archive holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Archived {
    pub from_seq: i64,
    pub prev_hash: String,
    pub through_seq: i64,
    pub last_hash: String,
    pub rows: u64,
}

/// A writer that also signs what passes through it.
struct Signing<W> {
    out: W,
    mac: Hmac<Sha256>,
}

impl<W: Write> Signing<W> {
    fn line(&mut self, value: &impl Serialize) -> Result<()> {
        let mut bytes = serde_json::to_vec(value).map_err(|e| Error::Invalid(e.to_string()))?;
        bytes.push(b'\n');
        self.mac.update(&bytes);
        self.out.write_all(&bytes)?;
        Ok(())
    }
}

/// What to archive: the rows older than `before`, which must lie beyond the retention
/// period counted back from `now`.
#[derive(Clone, Copy, Debug)]
pub struct Cutoff {
    pub before: DateTime<Utc>,
    pub keep_days: i64,
    pub now: DateTime<Utc>,
}

/// Archives the rows older than the cutoff into `out`, then removes them from the database.
/// Refused when the cutoff is within the retention period, or when the chain does not
/// verify (an archive must not launder a broken chain).
pub async fn archive<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    cutoff: Cutoff,
    out: impl Write,
) -> Result<Archived> {
    let Cutoff {
        before,
        keep_days,
        now,
    } = cutoff;
    let keep_days = keep_days.max(MIN_KEEP_DAYS);
    let earliest = now - Duration::days(keep_days);
    if before > earliest {
        return Err(Error::Invalid(format!(
            "审计记录至少保留 {keep_days} 天：只能归档 {} 之前的记录",
            earliest.format("%Y-%m-%d")
        )));
    }
    let verdict = chain::verify(db).await?;
    if let Some(b) = verdict.broken {
        return Err(Error::Conflict(format!(
            "审计日志校验未通过，不能归档：{}",
            b.what
        )));
    }
    // The chain's rows are in seq order; the archive ends before the first row that is not
    // old enough (rows are sealed in the order they are written, so times only rise).
    let first_kept: Option<i64> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Seq)
        .filter(audit_log::Column::CreatedAt.gte(before))
        .order_by_asc(audit_log::Column::Seq)
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    let through = first_kept.map_or(verdict.head_seq, |s| s - 1);
    if through <= verdict.archived_seq {
        return Err(Error::Invalid("没有可以归档的记录".into()));
    }
    let mut w = Signing {
        out,
        mac: <Hmac<Sha256> as Mac>::new_from_slice(&signing_key()?)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length")),
    };
    w.line(&Header {
        format: FORMAT.into(),
        version: 1,
        from_seq: verdict.archived_seq + 1,
        prev_hash: verdict.archived_hash.clone(),
        key: secret::installed()?.fingerprint(),
        made_at: now,
    })?;
    let mut next = verdict.archived_seq + 1;
    let mut last_hash = verdict.archived_hash.clone();
    let mut rows = 0u64;
    while next <= through {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(next))
            .filter(audit_log::Column::Seq.lte(through))
            .order_by_asc(audit_log::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            next = row.seq.unwrap_or(next) + 1;
            last_hash = row.hash.clone();
            rows += 1;
            w.line(&row)?;
        }
    }
    let signature = hex(&w.mac.clone().finalize().into_bytes());
    let trailer = Trailer {
        through_seq: through,
        last_hash: last_hash.clone(),
        rows,
        signature,
    };
    let mut bytes = serde_json::to_vec(&trailer).map_err(|e| Error::Invalid(e.to_string()))?;
    bytes.push(b'\n');
    w.out.write_all(&bytes)?;
    w.out.flush()?;

    let txn = db.begin().await?;
    // The archived end first: the database lets rows go only up to it.
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::ArchivedSeq, Expr::value(through))
        .col_expr(
            audit_head::Column::ArchivedHash,
            Expr::value(last_hash.clone()),
        )
        .filter(audit_head::Column::Id.eq(1))
        .filter(audit_head::Column::ArchivedSeq.eq(verdict.archived_seq))
        .exec(&txn)
        .await?;
    audit_log::Entity::delete_many()
        .filter(audit_log::Column::Seq.lte(through))
        .exec(&txn)
        .await?;
    super::record(
        &txn,
        actor,
        "audit.archive",
        "audit",
        through,
        format!(
            "归档第 {} 至第 {through} 条审计记录（{rows} 条，{} 之前）",
            verdict.archived_seq + 1,
            before.format("%Y-%m-%d")
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Archived {
        from_seq: verdict.archived_seq + 1,
        prev_hash: verdict.archived_hash,
        through_seq: through,
        last_hash,
        rows,
    })
}

fn bad(what: impl Into<String>) -> Error {
    Error::Invalid(what.into())
}

/// The longest line an archive may hold (a row is a few hundred bytes).
const MAX_LINE: u64 = 1 << 20;

/// The next line of `input` without its line end; a line longer than [`MAX_LINE`] is an
/// error before it is read whole.
fn next_line(input: &mut impl BufRead) -> Result<Option<String>> {
    let mut buf = Vec::new();
    let n = input.take(MAX_LINE + 1).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if n as u64 > MAX_LINE {
        return Err(bad("归档文件中有一行过长，不是审计日志归档文件"));
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| bad("归档文件不是 UTF-8 文本"))
}

/// Checks an archive file: its signature, and the chain of the rows inside it.
pub fn verify_file(mut input: impl BufRead) -> Result<Archived> {
    let key = chain::key()?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&signing_key()?)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    let first = next_line(&mut input)?.ok_or_else(|| bad("归档文件是空的"))?;
    let header: Header =
        serde_json::from_str(&first).map_err(|_| bad("不是审计日志归档文件（文件头无法读取）"))?;
    if header.format != FORMAT || header.version != 1 {
        return Err(bad("不是审计日志归档文件"));
    }
    mac.update(first.as_bytes());
    mac.update(b"\n");
    let mut prev = header.prev_hash.clone();
    let mut expected = header.from_seq;
    let mut rows = 0u64;
    let mut pending: Option<String> = None;
    while let Some(line) = next_line(&mut input)? {
        if let Some(row_line) = pending.replace(line) {
            let row: audit_log::Model = serde_json::from_str(&row_line)
                .map_err(|_| bad(format!("第 {expected} 条记录无法读取")))?;
            if row.seq != Some(expected) {
                return Err(bad(format!("归档中缺少第 {expected} 条记录")));
            }
            if chain::expected_hash(&key, &prev, &row).as_deref() != Some(row.hash.as_str()) {
                return Err(bad(format!("归档中第 {expected} 条记录的内容被改动过")));
            }
            mac.update(row_line.as_bytes());
            mac.update(b"\n");
            prev = row.hash;
            expected += 1;
            rows += 1;
        }
    }
    let last = pending.ok_or_else(|| bad("归档文件不完整（没有签名）"))?;
    let trailer: Trailer =
        serde_json::from_str(&last).map_err(|_| bad("归档文件不完整（签名行无法读取）"))?;
    let signature = hex(&mac.finalize().into_bytes());
    if signature != trailer.signature {
        return Err(bad(
            "归档文件的签名不符：文件被改动过，或不是本系统的密钥签名的",
        ));
    }
    if trailer.rows != rows || trailer.through_seq != expected - 1 || trailer.last_hash != prev {
        return Err(bad("归档文件的签名行与其中的记录不符"));
    }
    Ok(Archived {
        from_seq: header.from_seq,
        prev_hash: header.prev_hash,
        through_seq: trailer.through_seq,
        last_hash: trailer.last_hash,
        rows,
    })
}

/// Checks that archives (oldest first) and the database's archived end form one chain.
pub fn check_sequence(archives: &[Archived], verdict: &chain::Verdict) -> Result<()> {
    let mut prev_seq = 0;
    let mut prev_hash = String::new();
    for (i, a) in archives.iter().enumerate() {
        if a.from_seq != prev_seq + 1 || a.prev_hash != prev_hash {
            return Err(bad(format!(
                "第 {} 个归档文件（第 {} 条起）没有接上前面的记录（应从第 {} 条起）",
                i + 1,
                a.from_seq,
                prev_seq + 1
            )));
        }
        prev_seq = a.through_seq;
        prev_hash = a.last_hash.clone();
    }
    if !archives.is_empty()
        && (verdict.archived_seq != prev_seq || verdict.archived_hash != prev_hash)
    {
        return Err(bad(format!(
            "归档文件止于第 {prev_seq} 条，数据库登记的归档止于第 {} 条",
            verdict.archived_seq
        )));
    }
    Ok(())
}

/// How an export is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated, with a byte-order mark so spreadsheet programs read the Chinese.
    Csv,
    /// One JSON object per line, the rows as stored (with their seq and hash).
    JsonLines,
}

/// A CSV cell: quoted when needed, and a leading `= + - @` made plain text, so that a
/// spreadsheet never runs what someone typed into a summary.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The head of an export (CSV's header line with a byte-order mark, so spreadsheet programs
/// read the Chinese; nothing for JSON lines).
pub fn export_head(format: Format) -> &'static [u8] {
    match format {
        Format::Csv => {
            "\u{feff}序号,时间,用户,地址,事件,对象类型,对象,结果,摘要,校验值\n".as_bytes()
        }
        Format::JsonLines => b"",
    }
}

/// Rows per page of an export.
pub const EXPORT_PAGE: u64 = 1000;

/// One page of an export: the rows matching `filter` after row id `after`, oldest first,
/// written out, and the id to go on from (`None` after the last page).
pub async fn export_page(
    db: &impl ConnectionTrait,
    filter: &Filter,
    format: Format,
    tz: chrono_tz::Tz,
    after: i64,
) -> Result<(Vec<u8>, u64, Option<i64>)> {
    let page = audit_log::Entity::find()
        .filter(super::condition(filter))
        .filter(audit_log::Column::Id.gt(after))
        .order_by_asc(audit_log::Column::Id)
        .limit(EXPORT_PAGE)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(page.len() * 256);
    for row in &page {
        match format {
            Format::JsonLines => {
                serde_json::to_writer(&mut out, row)
                    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
                out.push(b'\n');
            }
            Format::Csv => {
                let cells = [
                    row.seq.map(|s| s.to_string()).unwrap_or_default(),
                    crate::time::format_datetime(row.created_at, tz),
                    row.username.clone(),
                    row.ip.clone(),
                    super::action_label(&row.action).to_owned(),
                    super::object_label(&row.object_type).to_owned(),
                    row.object_id.clone(),
                    super::Outcome::label(&row.outcome).to_owned(),
                    row.summary.clone(),
                    row.hash.clone(),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                out.extend_from_slice(line.join(",").as_bytes());
                out.push(b'\n');
            }
        }
    }
    let n = page.len() as u64;
    let next = (n == EXPORT_PAGE).then(|| page.last().map_or(after, |r| r.id));
    Ok((out, n, next))
}

/// Writes the rows matching `filter`, oldest first, a page at a time (memory stays flat);
/// returns how many.
pub async fn export(
    db: &impl ConnectionTrait,
    filter: &Filter,
    format: Format,
    tz: chrono_tz::Tz,
    out: &mut (impl Write + Send),
) -> Result<u64> {
    out.write_all(export_head(format))?;
    let mut after = i64::MIN;
    let mut total = 0;
    loop {
        let (bytes, n, next) = export_page(db, filter, format, tz, after).await?;
        out.write_all(&bytes)?;
        total += n;
        match next {
            Some(id) => after = id,
            None => return Ok(total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("两行\n文字"), "\"两行\n文字\"");
    }

    #[test]
    fn lines_are_read_within_a_bound() {
        let mut two = std::io::Cursor::new(b"first\r\nsecond".to_vec());
        assert_eq!(next_line(&mut two).unwrap().as_deref(), Some("first"));
        assert_eq!(next_line(&mut two).unwrap().as_deref(), Some("second"));
        assert_eq!(next_line(&mut two).unwrap(), None);
        // A file that is one endless line is refused once the bound is passed.
        let endless = std::io::repeat(b'x').take(10 * MAX_LINE);
        let e = verify_file(std::io::BufReader::new(endless)).unwrap_err();
        assert!(e.reader_message().contains("过长"), "{e}");
        let mut bad_text = std::io::Cursor::new(vec![0xff, 0xfe, b'\n']);
        assert!(next_line(&mut bad_text).is_err());
    }
}
