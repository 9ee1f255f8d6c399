//! The dashboard: articles by status, review and reader queues, views, what is scheduled.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::admin::Dashboard;
#[cfg(feature = "ssr")]
use crate::models::admin::{Count, MyReview, TopArticle};

#[server(prefix = "/api/admin", endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use entity::article::ArticleStatus;

    let (staff, state) = crate::ssr::as_staff()?;
    if !staff.duties.content {
        // The security and audit administrators see their own duties instead (the page
        // draws them from the frame): nothing of the content.
        return Ok(Dashboard::default());
    }
    let (db, tz) = (&state.db, state.site.time_zone);
    let counts = service::statistics::status_counts(db).await?;
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
    let levels = service::review::Workflow::load(db).await?.levels;
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
    let views = service::statistics::views(db, tz).await?;
    let top = |rows: Vec<(i32, String, i64)>| {
        rows.into_iter()
            .map(|(id, title, views)| TopArticle { id, title, views })
            .collect::<Vec<_>>()
    };
    Ok(Dashboard {
        views_today: views.today,
        views_7: views.last_7,
        views_30: views.last_30,
        top_7: top(views.top_7),
        top_30: top(views.top_30),
        // A writer is shown only their own scheduled articles: what else is planned is
        // not theirs to see.
        upcoming: service::statistics::upcoming(db, 10, staff.is_writer().then_some(staff.user.id))
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
        daily: views.daily,
        by_status,
        messages_waiting: service::form::queue::count(db, service::message::Filter::New).await?,
        submissions_waiting: service::form::queue::count(
            db,
            service::submission::queue::Filter::New,
        )
        .await?,
        review_first: review.first,
        review_second: review.second,
        review_levels: levels,
        mine,
    })
}
