//! Answering a search: which documents match, in which order, and the marked titles and
//! snippets of one page of them.
//!
//! Relevance is a tier and then the date: documents whose title holds every word first,
//! then those whose lead (subtitle, summary, opening) holds them, then the rest; newer
//! above older within a tier. A page is made from the newest documents of each tier (each
//! tier includes the ones before it), so a page costs about the same for a rare word and for
//! one in every article. A search pages through at most [`MAX_RESULTS`] documents, and
//! counts exactly up to there.
//!
//! On PostgreSQL every statement of a search runs in one read transaction that tells the
//! planner to use the GIN index: its estimates do not count reading the token lists, and a
//! plan that reads them for every row (a sequential scan, or the primary key walked
//! backwards) takes seconds where the index takes milliseconds. The newest documents of a
//! word found in thousands are looked for in the newest months first (each document's month
//! is one of its grams), so only those rows are read.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, TimeZone, Utc};
use entity::{article, notice, page};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};

use crate::db::Db;
pub use vocab::SearchSort;

use super::highlight::{self, Piece};
use super::sql::Sql;
use super::tokens::{self, Need};
use super::{IN_LEAD, IN_TITLE, Kind, MONTH, TITLE_CHAR, gram, int_array, key_of};
use crate::Result;

/// Longer queries are cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 64;
/// At most this many words are searched for.
pub const MAX_WORDS: usize = 8;
/// A search shows (and counts) at most this many documents.
pub const MAX_RESULTS: u64 = 1000;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 110;

/// A reader's search.
#[derive(Clone, Debug)]
pub struct Query {
    /// The site searched (readers search their site only).
    pub site: i32,
    pub text: String,
    /// Only documents in these columns.
    pub columns: Option<Vec<i32>>,
    pub kind: Option<Kind>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub sort: SearchSort,
    /// From 0.
    pub page: u64,
    pub per_page: u64,
}

impl Default for Query {
    /// An empty search of the main site.
    fn default() -> Query {
        Query {
            site: crate::site::MAIN,
            text: String::new(),
            columns: None,
            kind: None,
            from: None,
            until: None,
            sort: SearchSort::default(),
            page: 0,
            per_page: 0,
        }
    }
}

/// One result.
#[derive(Clone, Debug)]
pub struct SearchResult {
    pub kind: Kind,
    pub ref_id: i32,
    pub column_id: Option<i32>,
    pub at: DateTime<Utc>,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
}

/// A page of results.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// The words searched for (normalized).
    pub words: Vec<String>,
    /// The query was longer than [`MAX_QUERY_CHARS`] or had more than [`MAX_WORDS`] words.
    pub cut: bool,
    /// Matching documents, at most [`MAX_RESULTS`].
    pub total: u64,
    /// There are more than [`MAX_RESULTS`].
    pub more: bool,
    pub results: Vec<SearchResult>,
}

/// The words of a query and whether it was cut.
pub fn parse(text: &str) -> (Vec<tokens::Word>, bool) {
    let kept: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut cut = kept.len() < text.len();
    let mut words = tokens::query_words(&kept);
    if words.len() > MAX_WORDS {
        words.truncate(MAX_WORDS);
        cut = true;
    }
    (words, cut)
}

/// Every token and title character the words need.
#[derive(Clone, Debug, Default)]
struct Needs {
    tokens: Vec<String>,
    chars: Vec<String>,
}

impl Needs {
    fn of(words: &[tokens::Word]) -> Needs {
        let mut n = Needs::default();
        for w in words {
            match &w.need {
                Need::Tokens(t) => n.tokens.extend(t.iter().cloned()),
                Need::TitleChar(c) => n.chars.push(c.clone()),
            }
        }
        n.tokens.sort();
        n.tokens.dedup();
        n.chars.sort();
        n.chars.dedup();
        n
    }

    fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.chars.is_empty()
    }
}

/// The fields a tier looks in; each includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Title,
    Lead,
    All,
}

impl Tier {
    fn column(self) -> &'static str {
        match self {
            Tier::Title => "title",
            Tier::Lead => "lead",
            Tier::All => "body",
        }
    }

    /// The prefix of its grams on PostgreSQL.
    fn prefix(self) -> &'static str {
        match self {
            Tier::Title => IN_TITLE,
            Tier::Lead => IN_LEAD,
            Tier::All => "",
        }
    }
}

/// Which documents may be shown.
#[derive(Clone, Debug, Default)]
pub(super) struct Filter {
    /// Only documents of this site.
    pub site: Option<i32>,
    /// Readers: only public documents dated at or before this key.
    pub public_until: Option<i64>,
    pub from: Option<i64>,
    pub kind: Option<Kind>,
    pub columns: Option<Vec<i32>>,
}

fn fts_group(column: &str, items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    format!("{{{column}}} : ({})", quoted.join(" AND "))
}

/// The FTS5 expression of a tier.
fn fts_expr(needs: &Needs, tier: Tier) -> String {
    let mut parts = Vec::new();
    if !needs.tokens.is_empty() {
        parts.push(fts_group(tier.column(), &needs.tokens));
    }
    if !needs.chars.is_empty() {
        parts.push(fts_group("chars", &needs.chars));
    }
    format!("({})", parts.join(" AND "))
}

/// The grams a document of a tier holds on PostgreSQL.
fn tier_grams(needs: &Needs, tier: Tier) -> Vec<i32> {
    let mut out: Vec<i32> = needs
        .tokens
        .iter()
        .map(|t| gram(tier.prefix(), t))
        .collect();
    out.extend(needs.chars.iter().map(|c| gram(TITLE_CHAR, c)));
    out
}

/// The month grams from the month of `until` back `months` months, and the key where the
/// oldest of them starts.
fn month_window(until: i64, months: u32) -> (Vec<i32>, i64) {
    let at = Utc.timestamp_micros(until).single().unwrap_or_default();
    let (mut year, mut month) = (at.year(), at.month());
    let mut grams = Vec::new();
    let mut start = i64::MIN;
    for _ in 0..months {
        grams.push(gram(MONTH, &format!("{year:04}{month:02}")));
        start = Utc
            .with_ymd_and_hms(year, month, 1, 0, 0, 0)
            .single()
            .map_or(i64::MIN, key_of);
        (year, month) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
    }
    (grams, start)
}

enum Want {
    /// The newest `limit` rows (within the months of `window` on PostgreSQL).
    Rows {
        limit: u64,
        window: Option<Vec<i32>>,
    },
    Count {
        cap: u64,
    },
}

/// The statement for a tier: its newest rows or its size up to a cap.
fn statement(
    db: &impl ConnectionTrait,
    needs: &Needs,
    tier: Tier,
    filter: &Filter,
    want: &Want,
) -> Sql {
    let backend = db.get_database_backend();
    let cols = "d.key, d.kind, d.ref_id, d.category_id, d.title";
    let select = match want {
        Want::Rows { .. } => format!("SELECT {cols} FROM "),
        Want::Count { .. } => "SELECT COUNT(*) AS n FROM (SELECT 1 FROM ".to_owned(),
    };
    let mut q = Sql::new(backend, &select);
    let order_key = if q.postgres() {
        q.push("search_docs d WHERE d.grams @> ")
            .push(&int_array(&tier_grams(needs, tier)));
        if let Want::Rows {
            window: Some(months),
            ..
        } = want
        {
            q.push(" AND d.grams && ").push(&int_array(months));
        }
        "d.key"
    } else {
        q.push("search_fts JOIN search_docs d ON d.key = search_fts.rowid WHERE search_fts MATCH ")
            .value(fts_expr(needs, tier));
        "search_fts.rowid"
    };
    if let Some(site) = filter.site {
        q.push(" AND d.site_id = ").value(site);
    }
    if let Some(until) = filter.public_until {
        q.push(&format!(" AND {order_key} <= ")).value(until);
        q.push(" AND d.public = ").value(true);
    }
    if let Some(from) = filter.from {
        q.push(&format!(" AND {order_key} >= ")).value(from);
    }
    if let Some(kind) = filter.kind {
        q.push(" AND d.kind = ").value(kind.code());
    }
    if let Some(columns) = &filter.columns {
        let list: Vec<String> = columns.iter().map(i32::to_string).collect();
        if list.is_empty() {
            q.push(" AND FALSE");
        } else {
            q.push(&format!(" AND d.category_id IN ({})", list.join(",")));
        }
    }
    match want {
        Want::Rows { limit, .. } => {
            q.push(&format!(" ORDER BY {order_key} DESC LIMIT {limit}"));
        }
        Want::Count { cap } => {
            q.push(&format!(" LIMIT {cap}) t"));
        }
    }
    q
}

/// A row of `search_docs`.
struct Row {
    key: i64,
    kind: Kind,
    ref_id: i32,
    column_id: Option<i32>,
    title: String,
}

async fn select_rows(
    db: &impl ConnectionTrait,
    needs: &Needs,
    tier: Tier,
    filter: &Filter,
    limit: u64,
    window: Option<Vec<i32>>,
) -> Result<Vec<Row>> {
    let q = statement(db, needs, tier, filter, &Want::Rows { limit, window });
    let mut out = Vec::new();
    for r in db.query_all_raw(q.build()).await? {
        let Some(kind) = Kind::from_code(r.try_get("", "kind")?) else {
            continue;
        };
        out.push(Row {
            key: r.try_get("", "key")?,
            kind,
            ref_id: r.try_get("", "ref_id")?,
            column_id: r.try_get("", "category_id")?,
            title: r.try_get("", "title")?,
        });
    }
    Ok(out)
}

/// How wide the windows of newest months are that PostgreSQL looks in first for a word found
/// in many documents, before looking everywhere.
const WINDOWS: [u32; 2] = [1, 3];

/// The newest `limit` documents of a tier. `many`: the search matches more than
/// [`MAX_RESULTS`] documents, so on PostgreSQL the newest months are tried first.
async fn newest(
    db: &impl ConnectionTrait,
    needs: &Needs,
    tier: Tier,
    filter: &Filter,
    limit: u64,
    many: bool,
) -> Result<Vec<Row>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    if let (true, true, Some(until)) = (
        many,
        db.get_database_backend() == sea_orm::DbBackend::Postgres,
        filter.public_until,
    ) {
        for months in WINDOWS {
            let (grams, start) = month_window(until, months);
            let rows = select_rows(db, needs, tier, filter, limit, Some(grams)).await?;
            // Every match from `start` on is in the window: enough of them are the newest.
            let whole = filter.from.is_some_and(|from| from >= start);
            if rows.len() as u64 >= limit || whole {
                return Ok(rows);
            }
        }
    }
    select_rows(db, needs, tier, filter, limit, None).await
}

async fn count(
    db: &impl ConnectionTrait,
    needs: &Needs,
    tier: Tier,
    filter: &Filter,
    cap: u64,
) -> Result<u64> {
    let q = statement(db, needs, tier, filter, &Want::Count { cap });
    let n: i64 = match db.query_one_raw(q.build()).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

impl Query {
    fn filter(&self, now: DateTime<Utc>) -> Filter {
        let until = self.until.map_or(now, |u| u.min(now));
        Filter {
            site: Some(self.site),
            public_until: Some(key_of(until)),
            from: self.from.map(key_of),
            kind: self.kind,
            columns: self.columns.clone(),
        }
    }
}

/// The rows of results `start..end` in relevance order: the title tier, then the rest of the
/// lead tier, then the rest. Each tier includes the one before it, so the newest `end` of a
/// tier hold every row of it that can be on the page once the tiers before it are complete.
async fn by_relevance(
    db: &impl ConnectionTrait,
    needs: &Needs,
    filter: &Filter,
    (start, end): (u64, u64),
    many: bool,
) -> Result<Vec<Row>> {
    let tiers: &[Tier] = if needs.tokens.is_empty() {
        // Only title characters: there is one tier.
        &[Tier::Title]
    } else {
        &[Tier::Title, Tier::Lead, Tier::All]
    };
    let mut out: Vec<Row> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for &tier in tiers {
        for row in newest(db, needs, tier, filter, end, many).await? {
            if out.len() as u64 >= end {
                break;
            }
            if seen.insert(row.key) {
                out.push(row);
            }
        }
        if out.len() as u64 >= end {
            break;
        }
    }
    Ok(out
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .collect())
}

/// A read transaction that, on PostgreSQL, keeps the planner on the GIN index (see the
/// module documentation). On SQLite, whose transactions all go through the one writer, a
/// search reads directly.
pub(crate) async fn search_transaction(db: &Db) -> Result<Option<sea_orm::DatabaseTransaction>> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(None);
    }
    let txn = db.begin().await?;
    txn.execute_unprepared("SET LOCAL enable_seqscan = off")
        .await?;
    txn.execute_unprepared("SET LOCAL enable_indexscan = off")
        .await?;
    Ok(Some(txn))
}

/// Runs a reader's search: one page of results, with marked titles and snippets.
pub async fn search(db: &Db, q: &Query, now: DateTime<Utc>) -> Result<Found> {
    match search_transaction(db).await? {
        Some(txn) => {
            let found = search_in(&txn, q, now).await?;
            txn.commit().await?;
            Ok(found)
        }
        None => search_in(db, q, now).await,
    }
}

/// For a query of several words that found nothing: the queries with one word left out that
/// do find something, with how many they find (at most [`MAX_RESULTS`] + 1).
pub async fn fewer_words(db: &Db, q: &Query, now: DateTime<Utc>) -> Result<Vec<(String, u64)>> {
    match search_transaction(db).await? {
        Some(txn) => {
            let out = fewer_words_in(&txn, q, now).await?;
            txn.commit().await?;
            Ok(out)
        }
        None => fewer_words_in(db, q, now).await,
    }
}

async fn search_in(db: &impl ConnectionTrait, q: &Query, now: DateTime<Utc>) -> Result<Found> {
    let (words, cut) = parse(&q.text);
    let mut found = Found {
        words: words.iter().map(|w| w.text.clone()).collect(),
        cut,
        ..Found::default()
    };
    let needs = Needs::of(&words);
    if needs.is_empty() {
        return Ok(found);
    }
    let filter = q.filter(now);
    let all = count(db, &needs, Tier::All, &filter, MAX_RESULTS + 1).await?;
    found.more = all > MAX_RESULTS;
    found.total = all.min(MAX_RESULTS);
    let per_page = q.per_page.clamp(1, 100);
    let start = q.page.saturating_mul(per_page);
    let end = (start + per_page).min(found.total);
    if start >= end {
        return Ok(found);
    }
    let rows = match q.sort {
        SearchSort::Date => {
            let rows = newest(db, &needs, Tier::All, &filter, end, found.more).await?;
            rows.into_iter()
                .skip(usize::try_from(start).unwrap_or(usize::MAX))
                .collect()
        }
        SearchSort::Relevance => {
            by_relevance(db, &needs, &filter, (start, end), found.more).await?
        }
    };
    found.results = results(db, rows, &found.words).await?;
    Ok(found)
}

async fn fewer_words_in(
    db: &impl ConnectionTrait,
    q: &Query,
    now: DateTime<Utc>,
) -> Result<Vec<(String, u64)>> {
    let (words, _) = parse(&q.text);
    if words.len() < 2 {
        return Ok(Vec::new());
    }
    let filter = q.filter(now);
    let mut out = Vec::new();
    for skip in 0..words.len() {
        let rest: Vec<tokens::Word> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, w)| w.clone())
            .collect();
        let needs = Needs::of(&rest);
        if needs.is_empty() {
            continue;
        }
        let n = count(db, &needs, Tier::All, &filter, MAX_RESULTS + 1).await?;
        if n > 0 {
            let text: Vec<&str> = rest.iter().map(|w| w.text.as_str()).collect();
            out.push((text.join(" "), n));
        }
    }
    Ok(out)
}

/// Turns rows into results: the text each snippet is cut from is read for this page only.
async fn results(
    db: &impl ConnectionTrait,
    rows: Vec<Row>,
    words: &[String],
) -> Result<Vec<SearchResult>> {
    let ids = |kind: Kind| -> Vec<i32> {
        rows.iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.ref_id)
            .collect()
    };
    // (text, fallback): a snippet comes from the text, or from the fallback (an article's
    // summary) when only that holds a word.
    let mut texts: HashMap<(Kind, i32), (String, String)> = HashMap::new();
    let articles: Vec<(i32, String, String)> = article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Summary,
            article::Column::Body,
        ])
        .filter(article::Column::Id.is_in(ids(Kind::Article)))
        .into_tuple()
        .all(db)
        .await?;
    for (id, summary, body) in articles {
        texts.insert((Kind::Article, id), (crate::html::to_text(&body), summary));
    }
    let notices: Vec<(i32, String)> = notice::Entity::find()
        .select_only()
        .columns([notice::Column::Id, notice::Column::Body])
        .filter(notice::Column::Id.is_in(ids(Kind::Notice)))
        .into_tuple()
        .all(db)
        .await?;
    for (id, body) in notices {
        texts.insert(
            (Kind::Notice, id),
            (crate::html::to_text(&body), String::new()),
        );
    }
    let pages: Vec<(i32, String)> = page::Entity::find()
        .select_only()
        .columns([page::Column::Id, page::Column::Body])
        .filter(page::Column::Id.is_in(ids(Kind::Page)))
        .into_tuple()
        .all(db)
        .await?;
    for (id, body) in pages {
        texts.insert(
            (Kind::Page, id),
            (crate::html::to_text(&body), String::new()),
        );
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let (text, fallback) = texts.remove(&(r.kind, r.ref_id)).unwrap_or_default();
            let mut snippet = highlight::snippet(text.trim(), words, SNIPPET_CHARS);
            if !snippet.iter().any(|p| p.mark) && !fallback.trim().is_empty() {
                let other = highlight::snippet(fallback.trim(), words, SNIPPET_CHARS);
                if other.iter().any(|p| p.mark) {
                    snippet = other;
                }
            }
            SearchResult {
                kind: r.kind,
                ref_id: r.ref_id,
                column_id: r.column_id,
                at: Utc.timestamp_micros(r.key).single().unwrap_or_default(),
                title: highlight::marked(&r.title, words),
                snippet,
            }
        })
        .collect())
}

/// SQL selecting the ids of the articles (any status) whose text matches `text`, for the
/// back office's article list, or `None` when `text` has no words. Values are written into
/// the statement (grams are integers; FTS5 tokens are letters, digits and Han characters
/// only, and quoted).
pub fn article_ids_sql(backend: sea_orm::DbBackend, text: &str) -> Option<String> {
    let (words, _) = parse(text);
    let needs = Needs::of(&words);
    if needs.is_empty() {
        return None;
    }
    Some(match backend {
        sea_orm::DbBackend::Postgres => format!(
            "SELECT ref_id FROM search_docs WHERE kind = 1 AND grams @> {}",
            int_array(&tier_grams(&needs, Tier::All))
        ),
        _ => format!(
            "SELECT d.ref_id FROM search_fts JOIN search_docs d ON d.key = search_fts.rowid \
             WHERE search_fts MATCH '{}' AND d.kind = 1",
            fts_expr(&needs, Tier::All).replace('\'', "''")
        ),
    })
}
