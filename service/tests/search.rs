#![allow(clippy::unwrap_used)] // tests fail loudly by design
//! Search gives the same results on SQLite and on PostgreSQL, and both are the results a
//! brute-force reading of the documents gives: which documents hold every word (in that
//! order), in which tier (title, lead, anywhere), newest first within a tier, with the
//! filters, the cap and the pages. The corpus has more than `MAX_RESULTS` matches for its
//! common words, spread over thirty months, so PostgreSQL's newest-months-first path is
//! taken, and near misses (`开发` and `发区` apart, never `开发区`) that must not match.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database};
use service::db::Db;
use service::search::{self, Doc, Kind, Query, SearchSort, tokens};

const DOCS: usize = 1_300;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 15, 8, 0, 0).unwrap()
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

/// Pieces of text; some hold the searched words, some only their parts.
const PIECES: &[&str] = &[
    "开发区建设稳步推进",
    "营商环境持续优化",
    "园区企业发展良好",
    "招商引资成效明显",
    "研发中心和出发区域",
    "开发新的发区道路",
    "5G 基站覆盖园区",
    "2025年工作要点",
    "协会组织培训",
    "土地集约利用",
    "跨境电商快速增长",
    "新能源装备产业",
];

fn text(rng: &mut Rng, pieces: usize) -> String {
    (0..pieces)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect::<Vec<_>>()
        .join("，")
}

fn corpus() -> Vec<Doc> {
    let mut rng = Rng(7);
    let start = now() - Duration::days(900);
    (0..DOCS)
        .map(|i| {
            let kind = match i % 50 {
                0 => Kind::Notice,
                1 => Kind::Page,
                _ => Kind::Article,
            };
            // A few in the future (scheduled) and a few not public.
            let at = start + Duration::minutes(i as i64 * 1_000 + 7);
            Doc {
                site: 1,
                kind,
                ref_id: i as i32 + 1,
                column_id: (kind != Kind::Notice).then_some(1 + (i % 3) as i32),
                public: i % 37 != 5,
                at,
                title: text(&mut rng, 1),
                lead: text(&mut rng, 2),
                body: text(&mut rng, 30),
            }
        })
        .collect()
}

/// What a search must return, read off the documents: (kind, id) in order, and the count.
fn expected(docs: &[Doc], q: &Query) -> (Vec<(Kind, i32)>, u64, bool) {
    let (words, _) = search::parse(&q.text);
    let until = q.until.map_or(now(), |u| u.min(now()));
    let mut found: Vec<(u8, &Doc)> = Vec::new();
    for d in docs {
        let title = tokens::normalize(&d.title);
        let lead = format!("{title}\n{}", tokens::normalize(&d.lead));
        let all = format!("{lead}\n{}", tokens::normalize(&d.body));
        let visible = d.public
            && d.at <= until
            && q.from.is_none_or(|f| d.at >= f)
            && q.kind.is_none_or(|k| d.kind == k)
            && q.columns
                .as_ref()
                .is_none_or(|c| d.column_id.is_some_and(|id| c.contains(&id)));
        if !visible {
            continue;
        }
        let mut tier = 0u8;
        let mut ok = true;
        for w in &words {
            match &w.need {
                tokens::Need::TitleChar(c) => ok &= title.contains(c.as_str()),
                tokens::Need::Tokens(_) => {
                    let t = if title.contains(&w.text) {
                        0
                    } else if lead.contains(&w.text) {
                        1
                    } else if all.contains(&w.text) {
                        2
                    } else {
                        ok = false;
                        2
                    };
                    tier = tier.max(t);
                }
            }
        }
        if ok {
            found.push((if q.sort == SearchSort::Date { 0 } else { tier }, d));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.at.cmp(&a.1.at)));
    let total = found.len() as u64;
    let cap = search::MAX_RESULTS;
    let shown: Vec<(Kind, i32)> = found
        .iter()
        .take(cap as usize)
        .skip((q.page * q.per_page) as usize)
        .take(q.per_page as usize)
        .map(|(_, d)| (d.kind, d.ref_id))
        .collect();
    (shown, total.min(cap), total > cap)
}

fn queries() -> Vec<Query> {
    let mut out = Vec::new();
    let texts = [
        "开发区",
        "发区",
        "营商环境",
        "园区 企业",
        "5G 园区",
        "2025年",
        "园",
        "区 招商",
        "招商引资",
        "研发区",
    ];
    for text in texts {
        for sort in [SearchSort::Relevance, SearchSort::Date] {
            for page in [0, 1, 7, 49] {
                out.push(Query {
                    text: text.into(),
                    sort,
                    page,
                    per_page: 20,
                    ..Default::default()
                });
            }
        }
        out.push(Query {
            text: text.into(),
            columns: Some(vec![2]),
            from: Some(now() - Duration::days(200)),
            per_page: 20,
            ..Default::default()
        });
        out.push(Query {
            text: text.into(),
            kind: Some(Kind::Article),
            until: Some(now() - Duration::days(40)),
            page: 2,
            per_page: 20,
            ..Default::default()
        });
    }
    out
}

async fn check(db: &Db, name: &str) {
    let docs = corpus();
    for chunk in docs.chunks(100) {
        let txn = sea_orm::TransactionTrait::begin(db).await.unwrap();
        for d in chunk {
            search::index(&txn, d).await.unwrap();
        }
        txn.commit().await.unwrap();
    }
    let mut nonempty = 0;
    for q in queries() {
        let found = search::search(db, &q, now()).await.unwrap();
        let got: Vec<(Kind, i32)> = found.results.iter().map(|h| (h.kind, h.ref_id)).collect();
        let (want, total, more) = expected(&docs, &q);
        assert_eq!(
            (got, found.total, found.more),
            (want.clone(), total, more),
            "{name}: {q:?}"
        );
        nonempty += usize::from(!want.is_empty());
    }
    assert!(nonempty > 60, "most queries find something ({nonempty})");
    // The corpus does reach past the cap, so the newest-months path runs.
    let common = expected(
        &docs,
        &Query {
            text: "开发区".into(),
            per_page: 20,
            ..Default::default()
        },
    );
    assert!(common.2, "开发区 is in more than MAX_RESULTS documents");
    assert!(
        expected(
            &docs,
            &Query {
                text: "研发区".into(),
                per_page: 20,
                ..Default::default()
            }
        )
        .0
        .is_empty()
    );
}

#[tokio::test]
async fn sqlite_gives_the_brute_force_results() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    install_test_key();
    let db = service::db::connect(&url).await.unwrap();
    service::db::migrate(&db).await.unwrap();
    check(&db, "sqlite").await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "test-postgres"),
    ignore = "needs PostgreSQL: cargo test --features service/test-postgres (PORTICO_TEST_PG_URL)"
)]
async fn postgres_gives_the_brute_force_results() {
    let admin_url = std::env::var("PORTICO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is unreachable: {e}"));
    let name = format!(
        "portico_search_test_{}_{}",
        std::process::id(),
        Utc::now().timestamp_micros()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    install_test_key();
    let db = service::db::connect(&format!("{base}/{name}"))
        .await
        .unwrap();
    service::db::migrate(&db).await.unwrap();
    check(&db, "postgres").await;
    db.close_by_ref().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}

/// The installation key the audit log is sealed with in these tests.
fn install_test_key() {
    let key = service::secret::Secret::from_text("dGVzdC1rZXktb2YtdGhlLXBvcnRpY28tdGVzdHMtMDE=");
    service::secret::install(key.unwrap()).unwrap();
}
