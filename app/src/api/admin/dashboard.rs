use leptos::prelude::*;

use crate::error::AppError;
use crate::models::admin::Dashboard;
#[cfg(feature = "ssr")]
use crate::models::admin::{Count, MyReview, TopArticle};

#[server(prefix = "/api/admin", endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use entity::article::ArticleStatus;

    let (staff, state) = crate::ssr::as_staff()?;
    let (db, tz) = (&state.db, state.site.time_zone);
    let counts = service::stats::status_counts(db).await?;
    let label = |s: ArticleStatus| s.label().to_owned();
    let by_status = [
        ArticleStatus::Published,
        ArticleStatus::Scheduled,
        ArticleStatus::Draft,
        ArticleStatus::Archived,
    ]
    .into_iter()
    .map(|s| Count {
        label: label(s),
        value: counts.iter().find(|c| c.0 == s).map(|c| c.1).unwrap_or(0),
    })
    .collect();
    let review = service::review::counts(db).await?;
    let levels = service::review::Policy::load(db).await?.levels;
    let mine = service::review::of_person(db, staff.user.id)
        .await?
        .into_iter()
        .map(|w| MyReview {
            id: w.article.id,
            title: service::review::proposal(&w.article, Some(&w.review))
                .map(|p| p.title)
                .unwrap_or_else(|_| w.article.title.clone()),
            state: service::review::state_label(&w.review, levels).to_owned(),
            note: w.review.note.clone(),
            updated: service::time::format_datetime(w.review.updated_at, tz),
        })
        .collect();
    let days = service::stats::last_days(30, tz);
    let first = days.first().cloned().unwrap_or_default();
    let totals = service::stats::daily_totals(db, &first).await?;
    let daily: Vec<(String, i64)> = days
        .iter()
        .map(|d| {
            let v = totals.iter().find(|t| &t.0 == d).map(|t| t.1).unwrap_or(0);
            (d.get(5..).unwrap_or(d).to_owned(), v)
        })
        .collect();
    let sum_last = |n: usize| daily.iter().rev().take(n).map(|d| d.1).sum::<i64>();
    let top = |rows: Vec<(i32, String, i64)>| {
        rows.into_iter()
            .map(|(id, title, views)| TopArticle { id, title, views })
            .collect::<Vec<_>>()
    };
    let seven = days
        .get(days.len().saturating_sub(7))
        .cloned()
        .unwrap_or_default();
    Ok(Dashboard {
        views_today: sum_last(1),
        views_7: sum_last(7),
        views_30: sum_last(30),
        top_7: top(service::stats::top_articles(db, &seven, 10).await?),
        top_30: top(service::stats::top_articles(db, &first, 10).await?),
        upcoming: service::stats::upcoming(db, 10)
            .await?
            .into_iter()
            .map(|(id, title, at)| {
                (
                    id,
                    title,
                    at.map(|t| service::time::format_datetime(t, tz))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        daily,
        by_status,
        messages_waiting: service::messages::counts(db).await?.new,
        submissions_waiting: service::submissions::review::counts(db).await?.new,
        review_first: review.first,
        review_second: review.second,
        review_levels: levels,
        mine,
    })
}
