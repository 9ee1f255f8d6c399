//! The 待审核 queue, its counts, and the review states shown beside articles.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use entity::article;
use entity::article_review::{self, ReviewState};
use sea_orm::sea_query::JoinType;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use crate::Result;

/// Which waiting articles the queue shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only those this person submitted (我提交的).
    pub submitted_by: Option<i32>,
    /// Only those waiting for this level (1 初审, 2 终审).
    pub level: Option<i16>,
    /// Only articles of this column (and its sub-columns).
    pub column_id: Option<i32>,
    /// Only those waiting at least this many days.
    pub waiting_days: Option<i64>,
}

/// A waiting article with its review.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub review: article_review::Model,
    pub article: article::Model,
}

async fn condition(db: &impl ConnectionTrait, f: &QueueFilter) -> Result<Condition> {
    let mut cond = Condition::all().add(article_review::Column::State.eq(ReviewState::Pending));
    if let Some(id) = f.submitted_by {
        cond = cond.add(article_review::Column::SubmittedBy.eq(id));
    }
    if let Some(level) = f.level {
        cond = cond.add(article_review::Column::Level.eq(level));
    }
    if let Some(c) = f.column_id {
        let all = crate::column::all(db, crate::site::MAIN).await?;
        cond = cond.add(article::Column::ColumnId.is_in(crate::column::with_descendants(&all, c)));
    }
    if let Some(days) = f.waiting_days.filter(|&d| d > 0) {
        cond = cond.add(article_review::Column::SubmittedAt.lte(Utc::now() - Duration::days(days)));
    }
    Ok(cond)
}

/// Page `page` (from 0) of the queue, the longest waiting first, and how many there are.
pub async fn queue(
    db: &impl ConnectionTrait,
    f: &QueueFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Waiting>, u64)> {
    let cond = condition(db, f).await?;
    let total = article_review::Entity::find()
        .join(JoinType::InnerJoin, article_review::Relation::Article.def())
        .filter(cond.clone())
        .count(db)
        .await?;
    let rows = article_review::Entity::find()
        .find_also_related(article::Entity)
        .filter(cond)
        .order_by_asc(article_review::Column::SubmittedAt)
        .order_by_asc(article_review::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((
        rows.into_iter()
            .filter_map(|(review, article)| article.map(|article| Waiting { review, article }))
            .collect(),
        total,
    ))
}

/// The open reviews of `user_id`'s articles (those they own or submitted), latest first.
pub async fn of_person(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<Waiting>> {
    let rows = article_review::Entity::find()
        .find_also_related(article::Entity)
        .filter(
            Condition::any()
                .add(article_review::Column::SubmittedBy.eq(user_id))
                .add(article::Column::OwnerId.eq(user_id)),
        )
        .order_by_desc(article_review::Column::UpdatedAt)
        .limit(50)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(review, article)| article.map(|article| Waiting { review, article }))
        .collect())
}

/// How many articles wait, by level, and how many were returned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub first: u64,
    pub second: u64,
    pub returned: u64,
}

impl Counts {
    pub fn waiting(&self) -> u64 {
        self.first + self.second
    }
}

pub async fn counts(db: &impl ConnectionTrait) -> Result<Counts> {
    let rows: Vec<(ReviewState, i16, i64)> = article_review::Entity::find()
        .select_only()
        .column(article_review::Column::State)
        .column(article_review::Column::Level)
        .column_as(article_review::Column::Id.count(), "n")
        .group_by(article_review::Column::State)
        .group_by(article_review::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    let mut c = Counts::default();
    for (state, level, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match (state, level) {
            (ReviewState::Pending, 2) => c.second += n,
            (ReviewState::Pending, _) => c.first += n,
            (ReviewState::Returned, _) => c.returned += n,
            (ReviewState::Editing, _) => {}
        }
    }
    Ok(c)
}

/// The open reviews of `ids`, by article id (for lists of articles).
pub async fn of_articles(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, article_review::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(article_review::Entity::find()
        .filter(article_review::Column::ArticleId.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.article_id, r))
        .collect())
}

/// The Chinese name of a review's state, as lists show it.
pub fn state_label(r: &article_review::Model, levels: i16) -> &'static str {
    match r.state {
        ReviewState::Editing => "修改待提交",
        ReviewState::Returned => "退回修改",
        ReviewState::Pending if levels < 2 => "待审核",
        ReviewState::Pending if r.level >= 2 => "待终审",
        ReviewState::Pending => "待初审",
    }
}

/// How long something has waited, roughly: 刚刚, 12分钟, 5小时, 3天.
pub fn waited(d: Duration) -> String {
    if d.num_days() >= 1 {
        format!("{}天", d.num_days())
    } else if d.num_hours() >= 1 {
        format!("{}小时", d.num_hours())
    } else if d.num_minutes() >= 1 {
        format!("{}分钟", d.num_minutes())
    } else {
        "刚刚".to_owned()
    }
}

/// `html` with each occurrence of `words` in its text (never inside a tag) wrapped in
/// `<mark>`; ASCII letters match in either case. One pass over the text for all the words
/// together (leftmost, longest first), however many words and occurrences there are.
pub fn mark_words(html: &str, words: &[String]) -> String {
    let words: Vec<String> = words
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let finder = match aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&words)
    {
        Ok(f) if !words.is_empty() => f,
        _ => return html.to_owned(),
    };
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while !rest.is_empty() {
        let (text, after) = match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        mark_text(text, &finder, &mut out);
        rest = after;
    }
    out
}

/// `text` into `out`, with what `finder` finds in it marked. Lower-casing ASCII keeps every
/// byte where it was, so the matches' places are the text's.
fn mark_text(text: &str, finder: &aho_corasick::AhoCorasick, out: &mut String) {
    let lower = text.to_ascii_lowercase();
    let mut at = 0;
    for m in finder.find_iter(&lower) {
        out.push_str(&text[at..m.start()]);
        out.push_str("<mark>");
        out.push_str(&text[m.start()..m.end()]);
        out.push_str("</mark>");
        at = m.end();
    }
    out.push_str(&text[at..]);
}
