//! Magazine issues and their tables of contents.

use chrono::{DateTime, Utc};
use entity::{article, image, magazine_issue, magazine_issue_article};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
use crate::db::Db;
use crate::{Error, Result};

use crate::input::{clip, required};

/// A magazine issue as the form edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueInput {
    pub year: i32,
    pub number: i32,
    pub total_number: i32,
    pub title: String,
    pub summary: String,
    pub cover_image_id: Option<i32>,
    pub published_at: DateTime<Utc>,
}

pub async fn save_issue(
    db: &Db,
    actor: &Actor,
    id: Option<i32>,
    input: IssueInput,
) -> Result<magazine_issue::Model> {
    if !(1980..=2200).contains(&input.year) || !(1..=99).contains(&input.number) {
        return Err(Error::Invalid("请填写正确的年份和期号".into()));
    }
    let txn = db.begin().await?;
    let clash = magazine_issue::Entity::find()
        .filter(magazine_issue::Column::Year.eq(input.year))
        .filter(magazine_issue::Column::Number.eq(input.number))
        .one(&txn)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != id) {
        return Err(Error::Invalid(format!(
            "{}年第{}期已经存在",
            input.year, input.number
        )));
    }
    if let Some(img) = input.cover_image_id
        && image::Entity::find_by_id(img).one(&txn).await?.is_none()
    {
        return Err(Error::Invalid(format!("找不到编号为 {img} 的图片")));
    }
    let now = Utc::now();
    let before = match id {
        Some(i) => Some(
            magazine_issue::Entity::find_by_id(i)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut m: magazine_issue::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => magazine_issue::ActiveModel {
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.year = Set(input.year);
    m.number = Set(input.number);
    m.total_number = Set(input.total_number.max(0));
    m.title = Set(clip(&input.title, 200));
    m.summary = Set(clip(&input.summary, 1000));
    m.cover_image_id = Set(input.cover_image_id);
    m.published_at = Set(input.published_at);
    m.updated_at = Set(now);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    cache::invalidate(&txn, [tag::MAGAZINE, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        if before.is_some() {
            "issue.update"
        } else {
            "issue.create"
        },
        "issue",
        saved.id,
        format!(
            "期刊 {}年第{}期「{}」",
            saved.year, saved.number, saved.title
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn delete_issue(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let i = magazine_issue::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    magazine_issue::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::MAGAZINE, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        "issue.delete",
        "issue",
        id,
        format!("删除期刊 {}年第{}期", i.year, i.number),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every issue (published or not), newest first.
pub async fn all_issues(db: &impl ConnectionTrait) -> Result<Vec<magazine_issue::Model>> {
    Ok(magazine_issue::Entity::find()
        .order_by_desc(magazine_issue::Column::Year)
        .order_by_desc(magazine_issue::Column::Number)
        .all(db)
        .await?)
}

/// An issue's table of contents with the articles' titles.
pub async fn toc(
    db: &impl ConnectionTrait,
    issue_id: i32,
) -> Result<Vec<(magazine_issue_article::Model, String)>> {
    let lines = magazine_issue_article::Entity::find()
        .filter(magazine_issue_article::Column::IssueId.eq(issue_id))
        .order_by_asc(magazine_issue_article::Column::SortOrder)
        .order_by_asc(magazine_issue_article::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for l in lines {
        let title = article::Entity::find_by_id(l.article_id)
            .one(db)
            .await?
            .map(|a| a.title)
            .unwrap_or_else(|| "（文章已删除）".into());
        out.push((l, title));
    }
    Ok(out)
}

/// Adds an article to an issue's table of contents.
pub async fn add_toc_entry(
    db: &Db,
    actor: &Actor,
    issue_id: i32,
    article_id: i32,
    section: &str,
    sort_order: i32,
) -> Result<()> {
    let section = required("栏目名", section, 50)?;
    let txn = db.begin().await?;
    magazine_issue::Entity::find_by_id(issue_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let a = article::Entity::find_by_id(article_id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::Invalid(format!("找不到编号为 {article_id} 的文章")))?;
    magazine_issue_article::Entity::insert(magazine_issue_article::ActiveModel {
        issue_id: Set(issue_id),
        article_id: Set(article_id),
        section: Set(section.clone()),
        sort_order: Set(sort_order),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    cache::invalidate(&txn, [tag::MAGAZINE]).await?;
    audit::record(
        &txn,
        actor,
        "issue.toc.add",
        "issue",
        issue_id,
        format!("目录加入【{section}】《{}》", a.title),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove_toc_entry(db: &Db, actor: &Actor, entry_id: i32) -> Result<i32> {
    let txn = db.begin().await?;
    let e = magazine_issue_article::Entity::find_by_id(entry_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    magazine_issue_article::Entity::delete_by_id(entry_id)
        .exec(&txn)
        .await?;
    cache::invalidate(&txn, [tag::MAGAZINE]).await?;
    audit::record(
        &txn,
        actor,
        "issue.toc.remove",
        "issue",
        e.issue_id,
        format!("目录移除文章 #{}", e.article_id),
    )
    .await?;
    txn.commit().await?;
    Ok(e.issue_id)
}

/// A magazine issue with its cover, published or not.
pub async fn issue_for_editing(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(magazine_issue::Model, Option<image::Model>)> {
    let i = magazine_issue::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let cover = match i.cover_image_id {
        Some(c) => image::Entity::find_by_id(c).one(db).await?,
        None => None,
    };
    Ok((i, cover))
}
