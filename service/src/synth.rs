//! A synthetic site for benchmarks: many articles spread over the list columns and several
//! years, written in large batches. Each body is a different mix of sentences from the demo
//! articles (paragraphs of 2 to 5 sentences, drawn by a fixed pseudo-random sequence), so
//! words are spread over the articles as in real text: some in nearly every article
//! (`开发区`), most in a few percent, some in a handful.

use chrono::{Duration, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait};

use crate::db::Db;
use crate::{Error, Result};

const PLACES: &[&str] = &[
    "青枫经开区",
    "岑阳高新区",
    "白鹭湾综保区",
    "枫泽经开区",
    "栖梧高新区",
    "鹤汀经开区",
    "云江省",
    "东溟省",
    "北岭省",
    "临川开发区",
];

const TOPICS: &[&str] = &[
    "产业链招商取得新进展",
    "重点项目集中开工",
    "营商环境改革再提速",
    "绿色低碳园区建设稳步推进",
    "外贸进出口保持增长",
    "科技创新平台建设成效明显",
    "人才服务体系不断完善",
    "土地集约利用水平提升",
];

/// Adds `count` published articles. Needs the demo columns (seed first).
pub async fn generate(db: &Db, count: u64) -> Result<u64> {
    let columns = crate::column::all(db, crate::site::MAIN).await?;
    let columns: Vec<i32> = columns
        .iter()
        .filter(|c| {
            c.kind == entity::column::ColumnKind::List
                && crate::column::children(&columns, c.id).is_empty()
        })
        .map(|c| c.id)
        .collect();
    if columns.is_empty() {
        return Err(Error::Invalid(
            "no list columns: seed the demo content first".into(),
        ));
    }
    let sentences: Vec<String> = article::Entity::find()
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .all(db)
        .await?
        .iter()
        .flat_map(|a| sentences(&crate::html::to_text(&a.body)))
        .collect();
    if sentences.is_empty() {
        return Err(Error::Invalid(
            "no demo articles to borrow text from".into(),
        ));
    }
    let start = article::Entity::find().count(db).await?;
    let now = Utc::now();
    let span_minutes: i64 = 5 * 365 * 24 * 60;
    let mut written = 0u64;
    while written < count {
        let txn = db.begin().await?;
        let batch_end = (written + 5_000).min(count);
        let mut rows = Vec::with_capacity(500);
        for i in written..batch_end {
            let n = start + i + 1;
            let k = usize::try_from(i).unwrap_or(0);
            // Spread evenly back over five years, newest last so ids follow time.
            let back = span_minutes
                - (span_minutes * i64::try_from(i).unwrap_or(0))
                    / i64::try_from(count).unwrap_or(1).max(1);
            let at = now - Duration::minutes(back + 60);
            rows.push(article::ActiveModel {
                column_id: Set(columns[k % columns.len()]),
                title: Set(format!(
                    "{}{}（{n}）",
                    PLACES[(k / 7) % PLACES.len()],
                    TOPICS[k % TOPICS.len()]
                )),
                subtitle: Set(String::new()),
                slug: Set(None),
                source: Set("开发区导报".into()),
                author: Set("本网记者".into()),
                summary: Set(format!(
                    "这是用于性能测试的第{n}篇合成文章，{}。",
                    TOPICS[(k / 3) % TOPICS.len()]
                )),
                body: Set(body(&sentences, n)),
                cover_image_id: Set(None),
                is_headline: Set(false),
                is_recommended: Set(false),
                is_slideshow: Set(false),
                status: Set(ArticleStatus::Published),
                published_at: Set(Some(at)),
                hits: Set(i64::try_from(n % 997).unwrap_or(0)),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
            if rows.len() == 200 {
                article::Entity::insert_many(std::mem::take(&mut rows))
                    .exec(&txn)
                    .await?;
            }
        }
        if !rows.is_empty() {
            article::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
        written = batch_end;
    }
    crate::listing::rebuild_all(db).await?;
    crate::cache::invalidate(db, [crate::cache::tag::CHROME]).await?;
    Ok(written)
}

/// The sentences of a text (ending at 。！？), without headings and captions.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.chars().count() > 30) {
        let mut current = String::new();
        for c in line.chars() {
            current.push(c);
            if matches!(c, '。' | '！' | '？') {
                out.push(std::mem::take(&mut current));
            }
        }
        if current.chars().count() > 10 {
            out.push(current);
        }
    }
    out
}

/// A body of 6 to 12 paragraphs of 2 to 5 sentences, different for every `n`.
fn body(sentences: &[String], n: u64) -> String {
    let mut state = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED;
    let mut next = |below: usize| -> usize {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        usize::try_from(z % u64::try_from(below.max(1)).unwrap_or(1)).unwrap_or(0)
    };
    let mut html = String::new();
    for _ in 0..6 + next(7) {
        html.push_str("<p>");
        for _ in 0..2 + next(4) {
            html.push_str(&crate::html::escape(&sentences[next(sentences.len())]));
        }
        html.push_str("</p>");
    }
    html
}
