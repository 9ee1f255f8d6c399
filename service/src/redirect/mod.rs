//! Old addresses that keep working: a table of `from_path -> to_path` answered with a
//! permanent redirect, filled by imports and edited by staff, and the log of addresses
//! readers asked for and did not find (so staff can see which old links still arrive).
//!
//! Addresses are kept as the site sees them: a path beginning with `/`, percent-decoded
//! where that gives UTF-8, with the query when the old system used one. Hosts never count:
//! `http://www.example.org.cn/a/1.html` and `/a/1.html` are the same old address, and a
//! redirect always stays on this site.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::Utc;
use entity::{not_found, redirect};
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::Db;
use crate::{Error, Result};

/// The longest address kept, in bytes.
pub const MAX_LEN: usize = 1000;

/// How many `key=value` pairs of a query are tried one by one (`/?p=12&utm_source=x`).
const MAX_QUERY_PAIRS: usize = 8;

/// Paths only an old system can have produced: looked up before the page is rendered (the
/// home page with a query, `.php`, `.html`, ...). Other paths are looked up when the site
/// answers 404.
pub fn is_legacy_shape(path: &str, query: Option<&str>) -> bool {
    if query.is_some_and(|q| !q.is_empty()) && matches!(path, "/" | "/index.php") {
        return true;
    }
    // The site's own addresses never end in `/` (it respells them without): an old one.
    if path.len() > 1 && path.ends_with('/') {
        return true;
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("php" | "html" | "htm" | "shtml" | "asp" | "aspx" | "jsp" | "do")
    )
}

/// The site-relative form of an old address written any way an editor or an old page might
/// write it: `http://host/a/1.html#top`, `//host/a/1.html`, `/a/%E6%96%B0.html`, `a/1.html`.
/// `None` for what cannot be an address of a site (empty, a `mailto:`, control characters,
/// over [`MAX_LEN`]).
pub fn normalize(url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or_default();
    let rest = if let Some((scheme, rest)) = url.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return None;
        }
        strip_host(rest)
    } else if let Some(rest) = url.strip_prefix("//") {
        strip_host(rest)
    } else if url.contains(':') && !url.starts_with('/') && !url.contains('?') {
        // mailto:, javascript:, tel: ...
        return None;
    } else {
        url.to_owned()
    };
    let rest = if rest.starts_with('/') {
        rest
    } else {
        format!("/{rest}")
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest.as_str(), None),
    };
    let mut out = decode(path);
    // `/a//b` and `/a/./b` are the same path to a web server.
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    out = out.replace("/./", "/");
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(&decode(q));
    }
    if out.len() > MAX_LEN || out.chars().any(char::is_control) {
        return None;
    }
    Some(out)
}

fn strip_host(rest: &str) -> String {
    match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'?' => format!("/{}", &rest[i..]),
        Some(i) => rest[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// Percent-decodes `s` when that gives UTF-8 (browsers send `/a/%E6%96%B0.html` for
/// `/a/新.html`); keeps it as it is otherwise (a GBK-encoded old link).
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// The forms of a request's address that a redirect may have been made for, best first:
/// the whole address; the path with each single `key=value` of the query (old links pick up
/// tracking parameters); the path alone; the path with or without its final `/` or
/// `index.html`.
pub fn candidates(path: &str, query: Option<&str>) -> Vec<String> {
    let Some(path) = normalize(path) else {
        return Vec::new();
    };
    let path = path.split('?').next().unwrap_or_default().to_owned();
    let mut out = Vec::new();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        // `/index.php?p=12` is `/?p=12` (a site without URL rewriting).
        let dirs = match path.strip_suffix("index.php") {
            Some(dir) => vec![path.clone(), dir.to_owned()],
            None => vec![path.clone()],
        };
        for dir in &dirs {
            if let Some(whole) = normalize(&format!("{dir}?{q}")) {
                out.push(whole);
            }
            for pair in q.split('&').filter(|p| !p.is_empty()).take(MAX_QUERY_PAIRS) {
                if let Some(one) = normalize(&format!("{dir}?{pair}")) {
                    out.push(one);
                }
            }
        }
    }
    out.push(path.clone());
    if path != "/" {
        if let Some(dir) = path.strip_suffix("index.html") {
            out.push(dir.to_owned());
        } else if let Some(bare) = path.strip_suffix('/').filter(|b| !b.is_empty()) {
            out.push(bare.to_owned());
            out.push(format!("{path}index.html"));
        } else if !path.rsplit('/').next().unwrap_or_default().contains('.') {
            out.push(format!("{path}/"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.clone()));
    out
}

/// The target of the first of `candidates` that has a redirect on `site`.
pub async fn find_target(
    db: &impl ConnectionTrait,
    site: i32,
    candidates: &[String],
) -> Result<Option<String>> {
    if candidates.is_empty() {
        return Ok(None);
    }
    let rows: Vec<(String, String)> = redirect::Entity::find()
        .select_only()
        .column(redirect::Column::FromPath)
        .column(redirect::Column::ToPath)
        .filter(redirect::Column::SiteId.eq(site))
        .filter(redirect::Column::FromPath.is_in(candidates.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(candidates
        .iter()
        .find_map(|c| rows.iter().find(|(from, _)| from == c))
        .map(|(_, to)| to.clone()))
}

/// Checks where a redirect may go: a path on this site (`/articles/12`), never another host
/// (`//evil.example`, `/\evil.example`, `https://...`).
pub fn checked_target(to: &str) -> Result<String> {
    let to = to.trim();
    let bad = || Error::Invalid("新地址必须是本站的路径，以 / 开头，例如 /articles/12".into());
    if !to.starts_with('/') || to.starts_with("//") || to.starts_with("/\\") {
        return Err(bad());
    }
    if to.len() > MAX_LEN || to.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad());
    }
    Ok(to.to_owned())
}

/// What staff enter for one redirect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectInput {
    pub from: String,
    pub to: String,
}

/// Creates (`id` = None) or changes a redirect made by staff; audited.
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    input: RedirectInput,
) -> Result<redirect::Model> {
    let from = normalize(&input.from)
        .filter(|f| f != "/")
        .ok_or_else(|| Error::Invalid("请填写旧地址，例如 /a/news/2020/1229/12.html".into()))?;
    let to = checked_target(&input.to)?;
    if from == to {
        return Err(Error::Invalid("旧地址和新地址相同，会形成循环".into()));
    }
    let txn = db.begin().await?;
    let clash = redirect::Entity::find()
        .filter(redirect::Column::SiteId.eq(crate::site::directory::MAIN))
        .filter(redirect::Column::FromPath.eq(from.clone()))
        .one(&txn)
        .await?;
    if clash.as_ref().is_some_and(|c| Some(c.id) != id) {
        return Err(Error::Conflict(format!(
            "旧地址 {from} 已有跳转，请直接修改那一条"
        )));
    }
    let now = Utc::now();
    let saved = match id {
        Some(id) => {
            let row = redirect::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?;
            let mut model: redirect::ActiveModel = row.into();
            model.from_path = Set(from.clone());
            model.to_path = Set(to.clone());
            model.updated_at = Set(now);
            sea_orm::ActiveModelTrait::update(model, &txn).await?
        }
        None => {
            redirect::Entity::insert(redirect::ActiveModel {
                from_path: Set(from.clone()),
                to_path: Set(to.clone()),
                origin: Set("staff".into()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec_with_returning(&txn)
            .await?
        }
    };
    not_found::Entity::delete_by_id((crate::site::directory::MAIN, from.clone()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        if id.is_some() {
            "redirect.update"
        } else {
            "redirect.create"
        },
        "redirect",
        saved.id,
        format!("{from} → {to}"),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a redirect; audited.
pub async fn delete(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let row = redirect::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    redirect::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "redirect.delete",
        "redirect",
        id,
        format!("{} → {}", row.from_path, row.to_path),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Page `page` (from 0) of redirects, newest first, optionally those whose old or new
/// address contains `text`; with the total.
pub async fn list(
    db: &impl ConnectionTrait,
    text: &str,
    page: u64,
    per_page: u64,
) -> Result<(Vec<redirect::Model>, u64)> {
    let mut q = redirect::Entity::find();
    let text = text.trim();
    if !text.is_empty() {
        q = q.filter(
            sea_orm::Condition::any()
                .add(redirect::Column::FromPath.contains(text))
                .add(redirect::Column::ToPath.contains(text)),
        );
    }
    let pages = q
        .order_by_desc(redirect::Column::UpdatedAt)
        .order_by_desc(redirect::Column::Id)
        .paginate(db, Ord::max(per_page, 1));
    let total = pages.num_items().await?;
    Ok((pages.fetch_page(page).await?, total))
}

/// What a test of an address found: the form that matched and where it leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tested {
    pub address: String,
    pub matched: Option<redirect::Model>,
}

/// Tries an address the way a request for it would be answered.
pub async fn test(db: &impl ConnectionTrait, url: &str) -> Result<Tested> {
    let address = normalize(url).ok_or_else(|| Error::Invalid("这不是一个网址".into()))?;
    let (path, query) = match address.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (address.clone(), None),
    };
    let forms = candidates(&path, query.as_deref());
    let rows = redirect::Entity::find()
        .filter(redirect::Column::SiteId.eq(crate::site::directory::MAIN))
        .filter(redirect::Column::FromPath.is_in(forms.iter().cloned()))
        .all(db)
        .await?;
    let matched = forms
        .iter()
        .find_map(|c| rows.iter().find(|r| &r.from_path == c))
        .cloned();
    Ok(Tested { address, matched })
}

/// Adds or replaces redirects made by an import (`origin` = `import:<system>`); a redirect
/// staff made for the same address is left alone. Returns how many rows were new or changed.
pub async fn put_many(
    db: &impl ConnectionTrait,
    origin: &str,
    pairs: &[(String, String)],
) -> Result<u64> {
    if pairs.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let mut rows = Vec::new();
    // One row per address (the first pair naming it wins): an upsert may not touch a row
    // twice in one statement.
    let mut seen = std::collections::HashSet::new();
    for (from, to) in pairs {
        if !seen.insert(from.as_str()) {
            continue;
        }
        rows.push(redirect::ActiveModel {
            from_path: Set(from.clone()),
            to_path: Set(to.clone()),
            origin: Set(origin.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    // What is there already is decided by the upsert itself, not read first: a query for a
    // few hundred addresses at once was planned once, while the table was small, as a scan
    // of the whole table, and took a second a batch once it held 200,000 rows (PostgreSQL).
    // Staff's own redirects stay; one that already leads there is not touched, so the
    // count is of rows new or changed.
    let kept = Expr::col((redirect::Entity, redirect::Column::Origin))
        .ne("staff")
        .and(
            Expr::col((redirect::Entity, redirect::Column::ToPath)).ne(Expr::col((
                Alias::new("excluded"),
                redirect::Column::ToPath,
            ))),
        );
    let mut changed = 0;
    for chunk in rows.chunks(200) {
        changed += redirect::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([redirect::Column::SiteId, redirect::Column::FromPath])
                    .update_columns([
                        redirect::Column::ToPath,
                        redirect::Column::Origin,
                        redirect::Column::UpdatedAt,
                    ])
                    .action_and_where(kept.clone())
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(changed)
}

/// The most distinct addresses remembered between two flushes (over every site): a scan of
/// made-up addresses cannot grow memory beyond this.
pub const MAX_PENDING_MISSES: usize = 2_000;

/// The most addresses the log keeps for one site; the least asked-for go first.
pub const MAX_LOGGED_MISSES: u64 = 5_000;

/// Addresses that were not found, by site, counted in memory and written every few seconds.
#[derive(Default)]
pub struct Misses {
    pending: Mutex<HashMap<(i32, String), u64>>,
}

impl Misses {
    /// Counts one request to `site` for `path?query` that was answered 404.
    pub fn record(&self, site: i32, path: &str, query: Option<&str>) {
        let whole = match query.filter(|q| !q.is_empty()) {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        let Some(address) = normalize(&whole) else {
            return;
        };
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        let key = (site, address);
        if let Some(n) = pending.get_mut(&key) {
            *n += 1;
        } else if pending.len() < MAX_PENDING_MISSES {
            pending.insert(key, 1);
        }
    }

    /// Writes what was counted since the last flush, then trims the log to
    /// [`MAX_LOGGED_MISSES`] addresses.
    pub async fn flush(&self, db: &Db) -> Result<()> {
        let batch: Vec<((i32, String), u64)> = match self.pending.lock() {
            Ok(mut p) if !p.is_empty() => p.drain().collect(),
            _ => return Ok(()),
        };
        let now = Utc::now();
        let txn = db.begin().await?;
        for chunk in batch.chunks(200) {
            not_found::Entity::insert_many(chunk.iter().map(|((site, path), n)| {
                not_found::ActiveModel {
                    path: Set(path.clone()),
                    hits: Set(i64::try_from(*n).unwrap_or(i64::MAX)),
                    first_seen: Set(now),
                    last_seen: Set(now),
                    site_id: Set(*site),
                }
            }))
            .on_conflict(
                OnConflict::columns([not_found::Column::SiteId, not_found::Column::Path])
                    .value(
                        not_found::Column::Hits,
                        sea_orm::sea_query::Expr::col((not_found::Entity, not_found::Column::Hits))
                            .add(sea_orm::sea_query::Expr::col((
                                sea_orm::sea_query::Alias::new("excluded"),
                                not_found::Column::Hits,
                            ))),
                    )
                    .update_column(not_found::Column::LastSeen)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        let mut sites: Vec<i32> = batch.iter().map(|((site, _), _)| *site).collect();
        sites.sort_unstable();
        sites.dedup();
        for site in sites {
            let total = not_found::Entity::find()
                .filter(not_found::Column::SiteId.eq(site))
                .count(&txn)
                .await?;
            if total <= MAX_LOGGED_MISSES {
                continue;
            }
            let floor: Option<i64> = not_found::Entity::find()
                .select_only()
                .column(not_found::Column::Hits)
                .filter(not_found::Column::SiteId.eq(site))
                .order_by_desc(not_found::Column::Hits)
                .offset(MAX_LOGGED_MISSES - 1)
                .limit(1)
                .into_tuple()
                .one(&txn)
                .await?;
            if let Some(floor) = floor {
                not_found::Entity::delete_many()
                    .filter(not_found::Column::SiteId.eq(site))
                    .filter(not_found::Column::Hits.lt(floor))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }
}

/// The addresses most asked for and not found (that have no redirect yet), most first.
pub async fn top_misses(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<not_found::Model>> {
    Ok(not_found::Entity::find()
        .filter(not_found::Column::SiteId.eq(crate::site::directory::MAIN))
        .order_by_desc(not_found::Column::Hits)
        .order_by_desc(not_found::Column::LastSeen)
        .limit(limit)
        .all(db)
        .await?)
}

/// Forgets a logged address (staff dismissed it).
pub async fn forget_miss(db: &impl ConnectionTrait, path: &str) -> Result<()> {
    not_found::Entity::delete_by_id((crate::site::directory::MAIN, path.to_owned()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes redirects an import made whose old address is in `from` (used when a re-run finds
/// an old row gone). Returns how many went.
pub async fn remove_imported(
    db: &impl ConnectionTrait,
    origin: &str,
    from: &[String],
) -> Result<u64> {
    if from.is_empty() {
        return Ok(0);
    }
    Ok(redirect::Entity::delete_many()
        .filter(redirect::Column::Origin.eq(origin))
        .filter(redirect::Column::SiteId.eq(crate::site::directory::MAIN))
        .filter(redirect::Column::FromPath.is_in(from.iter().cloned()))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests;
