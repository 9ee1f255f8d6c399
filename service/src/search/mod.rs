//! Search over articles, notices and single pages, in the main database.
//!
//! Every searchable thing has one row in `search_docs` and its tokens (see [`tokens`]) in the
//! index: an FTS5 table on SQLite; on PostgreSQL a `grams` column of token hashes (see
//! [`grams`]) with one GIN index. Saving content updates its row in the same transaction as
//! the save ([`index`], [`remove`]), so every app server sees a change at once. `key` is the
//! document's date in microseconds (made unique), so "newest first" is the order of the key
//! on both databases.

mod form;
pub mod highlight;
mod query;
mod sql;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::article::{self, ArticleStatus};
use entity::{column, notice, page};
use sea_orm::{ColumnTrait, QuerySelect};
use sea_orm::{
    ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

pub use form::{ColumnChoice, SearchFields, column_choices, interpret};
pub use highlight::Piece;
pub use query::*;

use crate::Result;
use crate::db::Db;
use sql::Sql;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Article,
    Notice,
    Page,
}

impl Kind {
    fn code(self) -> i16 {
        match self {
            Kind::Article => 1,
            Kind::Notice => 2,
            Kind::Page => 3,
        }
    }

    fn from_code(code: i16) -> Option<Kind> {
        match code {
            1 => Some(Kind::Article),
            2 => Some(Kind::Notice),
            3 => Some(Kind::Page),
            _ => None,
        }
    }
}

/// How many characters of an article's text count as its lead (with the summary).
const LEAD_CHARS: usize = 200;

/// A document as it is indexed.
#[derive(Clone, Debug)]
pub struct Doc {
    /// The site it is searched on.
    pub site: i32,
    pub kind: Kind,
    pub ref_id: i32,
    pub column_id: Option<i32>,
    /// Shown to readers (published, and dated now or earlier).
    pub public: bool,
    pub at: DateTime<Utc>,
    pub title: String,
    /// Summary and opening: a match here ranks above one further down.
    pub lead: String,
    /// The whole text.
    pub body: String,
}

impl Doc {
    pub fn article(a: &article::Model) -> Doc {
        let text = crate::html::to_text(&a.body);
        let opening: String = text.chars().take(LEAD_CHARS).collect();
        Doc {
            site: a.site_id,
            kind: Kind::Article,
            ref_id: a.id,
            column_id: Some(a.column_id),
            public: a.status == ArticleStatus::Published && a.published_at.is_some(),
            // Unpublished articles are only searched in the back office; a stable date keeps
            // their row in place from one save to the next.
            at: a.published_at.unwrap_or(a.created_at),
            title: a.title.clone(),
            lead: format!("{}\n{}\n{opening}", a.subtitle, a.summary),
            body: text,
        }
    }

    pub fn notice(n: &notice::Model) -> Doc {
        let text = crate::html::to_text(&n.body);
        Doc {
            site: n.site_id,
            kind: Kind::Notice,
            ref_id: n.id,
            column_id: None,
            public: n.is_published,
            at: n.published_at,
            title: n.title.clone(),
            lead: text.chars().take(LEAD_CHARS).collect(),
            body: text,
        }
    }

    /// A single page, shown on `site` (its column's).
    pub fn page(p: &page::Model, site: i32) -> Doc {
        let text = crate::html::to_text(&p.body);
        Doc {
            site,
            kind: Kind::Page,
            ref_id: p.id,
            column_id: Some(p.column_id),
            public: true,
            at: p.updated_at,
            title: p.title.clone(),
            lead: text.chars().take(LEAD_CHARS).collect(),
            body: text,
        }
    }
}

/// The most distinct tokens one document gives the index. A long report of 100,000 Han
/// characters has about as many; past that only the tokens already seen are marked, so the
/// title, the lead and the opening of the text are always indexed. A 2 MB body of numbered
/// paragraphs has 210,000, and SQLite holds each in memory (about 130 bytes) until the save
/// commits: the cap keeps one save under 15 MB there.
pub const MAX_TOKENS: usize = 100_000;

/// Each token of a document once, with the fields it is in (1 title, 2 lead, 4 body); at
/// most [`MAX_TOKENS`], the first ones met.
fn field_tokens(doc: &Doc) -> HashMap<String, u8> {
    // Grown as tokens come (sized by the body's bytes, a 2 MB body reserved room for a
    // million tokens, 30 MB, where it has a fifth as many).
    let mut seen: HashMap<String, u8> = HashMap::new();
    for (text, bit) in [(&doc.title, 1u8), (&doc.lead, 2), (&doc.body, 4)] {
        tokens::each_index_token(text, |t| {
            if let Some(bits) = seen.get_mut(&t) {
                *bits |= bit;
            } else if seen.len() < MAX_TOKENS {
                seen.insert(t, bit);
            }
        });
    }
    seen
}

/// The tokens of a document's fields, as stored: space-separated.
struct Fields {
    title: String,
    lead: String,
    all: String,
    chars: String,
}

impl Fields {
    fn of(doc: &Doc) -> Fields {
        let seen = field_tokens(doc);
        let mut title = String::new();
        let mut lead = String::new();
        let mut all = String::with_capacity(seen.len() * 8);
        for (token, bits) in &seen {
            // Each field includes the ones above it: `lead` is title + lead, `all` is
            // everything, so a tier is one column on both databases.
            for (field, wanted) in [(&mut title, 1u8), (&mut lead, 3), (&mut all, 7)] {
                if bits & wanted != 0 {
                    if !field.is_empty() {
                        field.push(' ');
                    }
                    field.push_str(token);
                }
            }
        }
        let chars: Vec<String> = tokens::title_chars(&doc.title).into_iter().collect();
        Fields {
            title,
            lead,
            all,
            chars: chars.join(" "),
        }
    }
}

/// What a token says, as a prefix of the hashed text on PostgreSQL: in the title, in the
/// title or lead, a title character, the document's month (see [`grams`]).
const IN_TITLE: &str = "^";
const IN_LEAD: &str = "~";
const TITLE_CHAR: &str = "#";
const MONTH: &str = "@";

/// A token as PostgreSQL stores it: 32-bit FNV-1a of `prefix` + `token`. A hash takes 4 bytes
/// where the token's text takes 6 to 9 (and a `tsvector` entry 4 more), which halves the
/// index; two tokens sharing a hash (about one in a thousand queries may meet one at 100,000
/// articles) only add a document that holds the other one.
fn gram(prefix: &str, token: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in prefix.bytes().chain(token.bytes()) {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    i32::from_ne_bytes(h.to_ne_bytes())
}

/// The month token of a key: lets a search for a very common word look at the newest
/// months first instead of every document (see `query`).
fn month_gram(key: i64) -> i32 {
    let at = chrono::DateTime::from_timestamp_micros(key).unwrap_or_default();
    gram(MONTH, &at.format("%Y%m").to_string())
}

/// Every gram of a document on PostgreSQL: each token (any field), each title token and each
/// title-or-lead token again under its prefix, the title's characters and the month. One
/// indexed array answers every tier of a search with "contains all of these".
fn grams(doc: &Doc, key: i64) -> Vec<i32> {
    let seen = field_tokens(doc);
    let mut out = Vec::with_capacity(seen.len() + seen.len() / 4 + 40);
    for (token, bits) in &seen {
        out.push(gram("", token));
        if bits & 1 != 0 {
            out.push(gram(IN_TITLE, token));
        }
        if bits & 3 != 0 {
            out.push(gram(IN_LEAD, token));
        }
    }
    out.extend(
        tokens::title_chars(&doc.title)
            .iter()
            .map(|c| gram(TITLE_CHAR, c)),
    );
    out.push(month_gram(key));
    out.sort_unstable();
    out.dedup();
    out
}

/// An `INTEGER[]` literal (integers only, so it is written into the statement).
fn int_array(values: &[i32]) -> String {
    let list: Vec<String> = values.iter().map(i32::to_string).collect();
    format!("'{{{}}}'::INTEGER[]", list.join(","))
}

/// The key of a time: microseconds since 1970.
fn key_of(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// Removes a document from the index (nothing happens when it is not there).
pub async fn remove(db: &impl ConnectionTrait, kind: Kind, ref_id: i32) -> Result<()> {
    match key_for(db, kind, ref_id).await? {
        Some(key) => delete_key(db, key).await,
        None => Ok(()),
    }
}

async fn delete_key(db: &impl ConnectionTrait, key: i64) -> Result<()> {
    let backend = db.get_database_backend();
    if backend == sea_orm::DbBackend::Sqlite {
        let mut q = Sql::new(backend, "DELETE FROM search_fts WHERE rowid = ");
        q.value(key);
        db.execute_raw(q.build()).await?;
    }
    let mut q = Sql::new(backend, "DELETE FROM search_docs WHERE key = ");
    q.value(key);
    db.execute_raw(q.build()).await?;
    Ok(())
}

/// A free key at or just after `at` (documents published in the same microsecond get the
/// next ones).
async fn free_key(db: &impl ConnectionTrait, wanted: i64) -> Result<i64> {
    let mut q = Sql::new(
        db.get_database_backend(),
        "SELECT key FROM search_docs WHERE key >= ",
    );
    q.value(wanted)
        .push(" AND key < ")
        .value(wanted.saturating_add(100_000))
        .push(" ORDER BY key");
    let taken: Vec<i64> = db
        .query_all_raw(q.build())
        .await?
        .iter()
        .filter_map(|r| r.try_get::<i64>("", "key").ok())
        .collect();
    let mut key = wanted;
    for t in taken {
        if t != key {
            break;
        }
        key += 1;
    }
    Ok(key)
}

/// The key a document has in the index, if it is there.
async fn key_for(db: &impl ConnectionTrait, kind: Kind, ref_id: i32) -> Result<Option<i64>> {
    let mut q = Sql::new(
        db.get_database_backend(),
        "SELECT key FROM search_docs WHERE kind = ",
    );
    q.value(kind.code()).push(" AND ref_id = ").value(ref_id);
    Ok(match db.query_one_raw(q.build()).await? {
        Some(row) => Some(row.try_get("", "key")?),
        None => None,
    })
}

/// Writes a document into the index, replacing what was there for it. Call it inside the
/// transaction that saves the content.
pub async fn index(db: &impl ConnectionTrait, doc: &Doc) -> Result<()> {
    let existing = key_for(db, doc.kind, doc.ref_id).await?;
    write_doc(db, doc, existing).await
}

/// [`index`] for a document that cannot be in the index yet (its row was inserted in this
/// transaction): one question to the database fewer.
pub async fn index_new(db: &impl ConnectionTrait, doc: &Doc) -> Result<()> {
    write_doc(db, doc, None).await
}

/// Writes `doc`, which is in the index under `existing` if anywhere.
async fn write_doc(db: &impl ConnectionTrait, doc: &Doc, existing: Option<i64>) -> Result<()> {
    let backend = db.get_database_backend();
    let postgres = backend == sea_orm::DbBackend::Postgres;
    let wanted = key_of(doc.at);
    // The same date: the row is updated where it is.
    let in_place = existing.filter(|k| (wanted..wanted.saturating_add(100_000)).contains(k));
    let key = match (in_place, existing) {
        (Some(key), _) => key,
        (None, old) => {
            if let Some(old) = old {
                delete_key(db, old).await?;
            }
            free_key(db, wanted).await?
        }
    };
    let mut q = if in_place.is_some() {
        if !postgres {
            let mut q = Sql::new(backend, "DELETE FROM search_fts WHERE rowid = ");
            q.value(key);
            db.execute_raw(q.build()).await?;
        }
        let mut q = Sql::new(backend, "UPDATE search_docs SET site_id = ");
        q.value(doc.site)
            .push(", category_id = ")
            .value(doc.column_id)
            .push(", public = ")
            .value(doc.public)
            .push(", title = ")
            .value(doc.title.clone());
        if postgres {
            q.push(", grams = ").push(&int_array(&grams(doc, key)));
        }
        q.push(" WHERE key = ").value(key);
        q
    } else {
        let mut q = Sql::new(
            backend,
            "INSERT INTO search_docs (key, site_id, kind, ref_id, category_id, public, title",
        );
        q.push(if postgres {
            ", grams) VALUES ("
        } else {
            ") VALUES ("
        })
        .value(key)
        .push(", ")
        .value(doc.site)
        .push(", ")
        .value(doc.kind.code())
        .push(", ")
        .value(doc.ref_id)
        .push(", ")
        .value(doc.column_id)
        .push(", ")
        .value(doc.public)
        .push(", ")
        .value(doc.title.clone());
        if postgres {
            q.push(", ").push(&int_array(&grams(doc, key)));
        }
        q.push(")");
        q
    };
    db.execute_raw(q.build()).await?;
    if !postgres {
        let f = Fields::of(doc);
        q = Sql::new(
            backend,
            "INSERT INTO search_fts (rowid, title, lead, body, chars) VALUES (",
        );
        q.value(key)
            .push(", ")
            .value(f.title)
            .push(", ")
            .value(f.lead)
            .push(", ")
            .value(f.all)
            .push(", ")
            .value(f.chars)
            .push(")");
        db.execute_raw(q.build()).await?;
    }
    Ok(())
}

/// Indexes an article.
pub async fn index_article(db: &impl ConnectionTrait, a: &article::Model) -> Result<()> {
    index(db, &Doc::article(a)).await
}

/// Whether a change of an article touches what the index holds of it.
pub fn article_changed(before: &article::Model, after: &article::Model) -> bool {
    before.title != after.title
        || before.subtitle != after.subtitle
        || before.summary != after.summary
        || before.body != after.body
        || before.status != after.status
        || before.published_at != after.published_at
        || before.column_id != after.column_id
}

/// How many documents the index holds.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    let q = Sql::new(
        db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM search_docs",
    );
    let row = db.query_one_raw(q.build()).await?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0))
}

/// How many bytes the index takes on disk (its tables and indexes), when the database can
/// tell.
pub async fn size_bytes(db: &impl ConnectionTrait) -> Result<Option<u64>> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "SELECT pg_total_relation_size('search_docs')::BIGINT AS n",
        _ => {
            "SELECT SUM(pgsize) AS n FROM dbstat WHERE name LIKE 'search%' \
              OR name = 'idx_search_docs_ref' OR name LIKE 'sqlite_autoindex_search%'"
        }
    };
    let q = Sql::new(db.get_database_backend(), sql);
    Ok(match db.query_one_raw(q.build()).await {
        Ok(Some(row)) => row
            .try_get::<Option<i64>>("", "n")
            .ok()
            .flatten()
            .and_then(|n| u64::try_from(n).ok()),
        // No dbstat in this SQLite build: the size is unknown.
        _ => None,
    })
}

/// Rebuilds the whole index from the content, in small transactions so the site keeps
/// serving (and searching) meanwhile; `progress(done, total)` is called after each batch.
/// Documents whose content is gone are removed. Returns how many documents were indexed.
pub async fn rebuild(db: &Db, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
    const BATCH: u64 = 200;
    let articles = article::Entity::find().count(db).await?;
    let notices = notice::Entity::find().count(db).await?;
    let pages = page::Entity::find().count(db).await?;
    let total = articles + notices + pages;
    // On PostgreSQL an index holding less than half of the content (empty, or filled by an
    // import) is filled without its GIN index, which is then built once: minutes at 100,000
    // articles, where merging every row into it takes the better part of an hour. Saves
    // meanwhile write their rows as usual; searches are slow until it is done. A fuller index
    // is rebuilt in place, and searches stay fast throughout.
    let bulk = is_postgres(db) && count(db).await?.saturating_mul(2) < total;
    if bulk {
        db.execute_unprepared("DROP INDEX IF EXISTS idx_search_grams")
            .await?;
    }
    let mut done = 0u64;
    let mut last_id = 0;
    loop {
        let batch = article::Entity::find()
            .filter(article::Column::Id.gt(last_id))
            .order_by_asc(article::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        last_id = last.id;
        let txn = db.begin().await?;
        for a in &batch {
            index(&txn, &Doc::article(a)).await?;
        }
        txn.commit().await?;
        done += batch.len() as u64;
        progress(done, total);
    }
    let txn = db.begin().await?;
    done += index_notices_and_pages(&txn).await?;
    remove_orphans(&txn).await?;
    txn.commit().await?;
    if bulk {
        create_grams_index(db).await?;
    }
    tidy(db).await?;
    progress(done, total);
    Ok(done)
}

fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == sea_orm::DbBackend::Postgres
}

/// Creates the GIN index of the grams if it is missing (after a bulk fill, or one that was
/// interrupted), without blocking saves.
async fn create_grams_index(db: &Db) -> Result<()> {
    let sql = migration::m20261205_000007_search_grams::GRAMS_INDEX.replacen(
        "CREATE INDEX",
        "CREATE INDEX CONCURRENTLY",
        1,
    );
    db.execute_unprepared(&sql).await?;
    Ok(())
}

/// Merges the saves of the last minutes into the search index (PostgreSQL keeps them in the
/// GIN index's pending list, which every search reads through); the servers call it every
/// minute. Nothing to do on SQLite.
pub async fn tidy(db: &Db) -> Result<()> {
    if is_postgres(db) {
        db.execute_unprepared(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c \
             WHERE c.relname = 'idx_search_grams' AND c.relkind = 'i'",
        )
        .await?;
    }
    Ok(())
}

/// Indexes every notice and single page; returns how many.
async fn index_notices_and_pages(db: &impl ConnectionTrait) -> Result<u64> {
    let columns: BTreeMap<i32, i32> = column::Entity::find()
        .select_only()
        .columns([column::Column::Id, column::Column::SiteId])
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut done = 0;
    for n in notice::Entity::find().all(db).await? {
        index(db, &Doc::notice(&n)).await?;
        done += 1;
    }
    for p in page::Entity::find().all(db).await? {
        if let Some(&site) = columns.get(&p.column_id) {
            index(db, &Doc::page(&p, site)).await?;
        } else {
            remove(db, Kind::Page, p.id).await?;
        }
        done += 1;
    }
    Ok(done)
}

/// Indexes all content at once, inside the caller's transaction (the demo seed).
pub async fn index_all(db: &impl ConnectionTrait) -> Result<u64> {
    let mut done = 0;
    for a in article::Entity::find().all(db).await? {
        index(db, &Doc::article(&a)).await?;
        done += 1;
    }
    Ok(done + index_notices_and_pages(db).await?)
}

/// Deletes documents whose article, notice or page no longer exists.
async fn remove_orphans(db: &impl ConnectionTrait) -> Result<()> {
    let backend = db.get_database_backend();
    let orphans = Sql::new(
        backend,
        "SELECT key FROM search_docs d WHERE \
         (d.kind = 1 AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = d.ref_id)) OR \
         (d.kind = 2 AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = d.ref_id)) OR \
         (d.kind = 3 AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.id = d.ref_id))",
    );
    for row in db.query_all_raw(orphans.build()).await? {
        let key: i64 = row.try_get("", "key")?;
        delete_key(db, key).await?;
    }
    Ok(())
}

/// Above this many documents an empty index is not built at startup (every server would
/// start the same long job): the log asks for `portico reindex` instead.
const BUILD_AT_START_MAX: u64 = 5_000;

/// Builds the index at startup when it is empty but there is content (a database from
/// before search, or one filled by an import) and the site is small; a large site is asked
/// to run `portico reindex`, which shows its progress.
pub async fn ensure_built(db: &Db) -> Result<()> {
    if is_postgres(db) {
        create_grams_index(db).await?;
    }
    if count(db).await? > 0 {
        return Ok(());
    }
    let content = article::Entity::find().count(db).await?
        + notice::Entity::find().count(db).await?
        + page::Entity::find().count(db).await?;
    if content == 0 {
        return Ok(());
    }
    if content > BUILD_AT_START_MAX {
        tracing::warn!(
            documents = content,
            "the search index is empty: run `portico reindex` to build it (search finds nothing until then)"
        );
        return Ok(());
    }
    tracing::info!(documents = content, "building the search index");
    let n = rebuild(db, |_, _| {}).await?;
    tracing::info!(documents = n, "search index built");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body with more distinct tokens than the cap: the title, the lead and the opening are
    /// indexed, the rest of the new tokens are not, and no more than the cap are kept.
    #[test]
    fn a_document_gives_at_most_max_tokens() {
        let body: String = (0..150_000).map(|i| format!("编号{i} ")).collect();
        let doc = Doc {
            site: 1,
            kind: Kind::Article,
            ref_id: 1,
            column_id: None,
            public: true,
            at: Utc::now(),
            title: "园区招商年报".into(),
            lead: "摘要提到营商环境".into(),
            body,
        };
        let seen = field_tokens(&doc);
        assert_eq!(seen.len(), MAX_TOKENS);
        assert_eq!(seen.get("招商"), Some(&1));
        assert_eq!(seen.get("营商"), Some(&2));
        assert_eq!(seen.get("编号"), Some(&4));
        assert!(seen.contains_key("10"));
        assert!(!seen.contains_key("149999"));
        let fields = Fields::of(&doc);
        assert!(fields.all.split(' ').count() <= MAX_TOKENS);
    }
}
