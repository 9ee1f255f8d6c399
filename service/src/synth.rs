//! A synthetic site for benchmarks: many articles spread over the list columns and several
//! years, with bodies taken from the demo content, written in large batches.

use chrono::{Duration, Utc};
use entity::article::{self, ArticleStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait};

use crate::db::Db;
use crate::{Error, Result};

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
    let categories = crate::category::all(db).await?;
    let columns: Vec<i32> = categories
        .iter()
        .filter(|c| c.kind == "list" && crate::category::children(&categories, c.id).is_empty())
        .map(|c| c.id)
        .collect();
    if columns.is_empty() {
        return Err(Error::Invalid(
            "no list columns: seed the demo content first".into(),
        ));
    }
    let bodies: Vec<String> = article::Entity::find()
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.body)
        .collect();
    if bodies.is_empty() {
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
                category_id: Set(columns[k % columns.len()]),
                title: Set(format!("第{n}号园区动态：{}", TOPICS[k % TOPICS.len()])),
                subtitle: Set(String::new()),
                slug: Set(None),
                source: Set("开发区导报".into()),
                author: Set("本网记者".into()),
                summary: Set(format!(
                    "这是用于性能测试的第{n}篇合成文章，{}。",
                    TOPICS[(k / 3) % TOPICS.len()]
                )),
                body: Set(bodies[k % bodies.len()].clone()),
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
