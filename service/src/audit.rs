//! The audit log: who changed what, when. Written by the service functions that make the
//! change, inside the same transaction.

use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Result;

/// Who is making a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub username: String,
    pub ip: String,
}

impl Actor {
    /// The system itself (scheduler, command line).
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: what.to_owned(),
            ip: String::new(),
        }
    }
}

/// Records one change.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
    summary: impl Into<String>,
) -> Result<()> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        user_id: Set(actor.user_id),
        username: Set(actor.username.chars().take(50).collect()),
        action: Set(action.to_owned()),
        object_type: Set(object_type.to_owned()),
        object_id: Set(object_id.to_string().chars().take(50).collect()),
        summary: Set(summary.into()),
        ip: Set(actor.ip.chars().take(64).collect()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// What to show of the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Text within the summary.
    pub text: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

fn condition(f: &Filter) -> Condition {
    let mut c = Condition::all();
    if let Some(u) = &f.username {
        c = c.add(audit_log::Column::Username.eq(u.clone()));
    }
    if let Some(a) = &f.action {
        c = c.add(audit_log::Column::Action.eq(a.clone()));
    }
    if let Some(t) = &f.object_type {
        c = c.add(audit_log::Column::ObjectType.eq(t.clone()));
    }
    if let Some(id) = &f.object_id {
        c = c.add(audit_log::Column::ObjectId.eq(id.clone()));
    }
    if let Some(t) = &f.text {
        c = c.add(audit_log::Column::Summary.contains(t.clone()));
    }
    if let Some(s) = f.since {
        c = c.add(audit_log::Column::CreatedAt.gte(s));
    }
    if let Some(u) = f.until {
        c = c.add(audit_log::Column::CreatedAt.lt(u));
    }
    c
}

/// Page `page` (from 0) of the log, newest first, and how many entries match.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<audit_log::Model>, u64)> {
    let total = audit_log::Entity::find()
        .filter(condition(filter))
        .count(db)
        .await?;
    let rows = audit_log::Entity::find()
        .filter(condition(filter))
        .order_by_desc(audit_log::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// The actions and object types that occur, for filter menus.
pub async fn kinds(db: &impl ConnectionTrait) -> Result<(Vec<String>, Vec<String>)> {
    let actions: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let types: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::ObjectType)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok((actions, types))
}
