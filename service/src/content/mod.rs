//! Editing the site's other content: columns, single pages, notices, magazine issues,
//! footer links and settings. Every change is one transaction with its audit entry and the
//! page-cache invalidations of what it affects.

use sea_orm::TransactionTrait;

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

fn required(field: &str, s: &str, max: usize) -> Result<String> {
    let v = s.trim();
    if v.is_empty() {
        return Err(Error::Invalid(format!("{field}不能为空")));
    }
    if v.chars().count() > max {
        return Err(Error::Invalid(format!("{field}不能超过{max}个字")));
    }
    Ok(v.to_owned())
}

mod columns;
mod issues;
mod links;
mod notices;

pub use columns::*;
pub use issues::*;
pub use links::*;
pub use notices::*;

/// Saves the site settings, logging which ones changed.
pub async fn save_settings(db: &Db, actor: &Actor, new: &crate::site::Settings) -> Result<()> {
    let txn = db.begin().await?;
    let old = crate::site::settings(&txn).await?;
    let changed: Vec<&str> = old
        .entries()
        .iter()
        .zip(new.entries().iter())
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0)
        .collect();
    crate::site::save_settings(&txn, new).await?;
    cache::invalidate(&txn, [tag::CHROME, tag::HOME, tag::FEED]).await?;
    audit::record(
        &txn,
        actor,
        "settings.update",
        "settings",
        "",
        if changed.is_empty() {
            "没有修改".to_owned()
        } else {
            format!("修改：{}", changed.join("、"))
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
