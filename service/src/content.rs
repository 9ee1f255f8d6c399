//! Editing the site's other content: columns, single pages, notices, magazine issues,
//! footer links and settings. Every change is one transaction with its audit entry and the
//! page-cache invalidations of what it affects.

use chrono::{DateTime, Utc};
use entity::{
    article, category, image, link, link_group, magazine_issue, magazine_issue_article, notice,
    page,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::cache::{self, tag};
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

/// The kinds a column can be.
pub const COLUMN_KINDS: &[(&str, &str)] = &[
    ("list", "文章列表"),
    ("pictures", "图片列表"),
    ("page", "单页"),
    ("notices", "通知公告"),
    ("magazine", "期刊"),
    ("submit", "投稿"),
];

/// A column as the form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnInput {
    pub parent_id: Option<i32>,
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub description: String,
    pub sort_order: i32,
    pub show_in_nav: bool,
}

/// Creates or updates a column.
pub async fn save_column(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i32>,
    input: ColumnInput,
) -> Result<category::Model> {
    let name = required("栏目名称", &input.name, 50)?;
    let slug = input.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 60
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::Invalid(
            "网址别名只能包含小写英文字母、数字和连字符，最多 60 个字符".into(),
        ));
    }
    if !COLUMN_KINDS.iter().any(|(k, _)| *k == input.kind) {
        return Err(Error::Invalid("未知的栏目类型".into()));
    }
    let txn = db.begin().await?;
    let all = crate::category::all(&txn).await?;
    if all.iter().any(|c| c.slug == slug && Some(c.id) != id) {
        return Err(Error::Invalid("该网址别名已被其他栏目使用".into()));
    }
    if let Some(p) = input.parent_id {
        if !all.iter().any(|c| c.id == p) {
            return Err(Error::Invalid("上级栏目不存在".into()));
        }
        if let Some(me) = id
            && crate::category::path(&all, p).iter().any(|c| c.id == me)
        {
            return Err(Error::Invalid(
                "不能把栏目移到它自己或它的下级栏目之下".into(),
            ));
        }
    }
    let now = Utc::now();
    let before = id.and_then(|i| all.iter().find(|c| c.id == i).cloned());
    if id.is_some() && before.is_none() {
        return Err(Error::NotFound);
    }
    let mut m: category::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => category::ActiveModel {
            created_at: Set(now),
            listed_count: Set(0),
            ..Default::default()
        },
    };
    m.parent_id = Set(input.parent_id);
    m.name = Set(name);
    m.slug = Set(slug);
    m.kind = Set(input.kind);
    m.description = Set(clip(&input.description, 500));
    m.sort_order = Set(input.sort_order);
    m.show_in_nav = Set(input.show_in_nav);
    m.updated_at = Set(now);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    if before
        .as_ref()
        .is_some_and(|b| b.parent_id != saved.parent_id)
    {
        crate::listing::rebuild_all(&txn).await?;
    }
    cache::invalidate(
        &txn,
        [
            tag::CHROME.to_owned(),
            tag::HOME.into(),
            tag::SITEMAP.into(),
            tag::FEED.into(),
            tag::list(saved.id),
            tag::page(saved.id),
        ],
    )
    .await?;
    let summary = match &before {
        Some(b) => format!(
            "栏目「{}」→「{}」（/columns/{}）",
            b.name, saved.name, saved.slug
        ),
        None => format!("新建栏目「{}」（/columns/{}）", saved.name, saved.slug),
    };
    audit::record(
        &txn,
        actor,
        if before.is_some() {
            "column.update"
        } else {
            "column.create"
        },
        "column",
        saved.id,
        summary,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a column that has no sub-columns and no articles.
pub async fn delete_column(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let c = category::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if category::Entity::find()
        .filter(category::Column::ParentId.eq(id))
        .count(&txn)
        .await?
        > 0
    {
        return Err(Error::Invalid("请先删除或移走它的下级栏目".into()));
    }
    let n = article::Entity::find()
        .filter(article::Column::CategoryId.eq(id))
        .count(&txn)
        .await?;
    if n > 0 {
        return Err(Error::Invalid(format!(
            "该栏目下还有 {n} 篇文章，请先移到其他栏目"
        )));
    }
    category::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(
        &txn,
        [
            tag::CHROME.to_owned(),
            tag::SITEMAP.into(),
            tag::list(id),
            tag::page(id),
        ],
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "column.delete",
        "column",
        id,
        format!("删除栏目「{}」", c.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves the single page of a column.
pub async fn save_page(
    db: &DatabaseConnection,
    actor: &Actor,
    category_id: i32,
    title: &str,
    body: &str,
) -> Result<page::Model> {
    let title = required("标题", title, 200)?;
    let txn = db.begin().await?;
    category::Entity::find_by_id(category_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let now = Utc::now();
    let existing = crate::page::for_column(&txn, category_id).await?;
    let mut m: page::ActiveModel = match &existing {
        Some(p) => p.clone().into(),
        None => page::ActiveModel {
            category_id: Set(category_id),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.title = Set(title);
    m.body = Set(crate::html::sanitize(body));
    m.updated_at = Set(now);
    let saved = match existing {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    cache::invalidate(&txn, [tag::page(category_id)]).await?;
    audit::record(
        &txn,
        actor,
        "page.update",
        "page",
        category_id,
        format!("单页「{}」（{} 字节）", saved.title, saved.body.len()),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A notice as the form edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeInput {
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
    pub is_published: bool,
}

pub async fn save_notice(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i32>,
    input: NoticeInput,
) -> Result<notice::Model> {
    let title = required("标题", &input.title, 200)?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let before = match id {
        Some(i) => Some(
            notice::Entity::find_by_id(i)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut m: notice::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => notice::ActiveModel {
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.title = Set(title);
    m.body = Set(crate::html::sanitize(&input.body));
    m.published_at = Set(input.published_at);
    m.is_published = Set(input.is_published);
    m.updated_at = Set(now);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    cache::invalidate(&txn, [tag::NOTICES, tag::CHROME, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        if before.is_some() {
            "notice.update"
        } else {
            "notice.create"
        },
        "notice",
        saved.id,
        format!(
            "通知「{}」{}",
            saved.title,
            if saved.is_published {
                "（已发布）"
            } else {
                "（未发布）"
            }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn delete_notice(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let n = notice::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    notice::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::NOTICES, tag::CHROME, tag::HOME, tag::SITEMAP]).await?;
    audit::record(
        &txn,
        actor,
        "notice.delete",
        "notice",
        id,
        format!("删除通知「{}」", n.title),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every notice (published or not), newest first.
pub async fn all_notices(db: &impl ConnectionTrait) -> Result<Vec<notice::Model>> {
    Ok(notice::Entity::find()
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .all(db)
        .await?)
}

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
    db: &DatabaseConnection,
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

pub async fn delete_issue(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<()> {
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
    db: &DatabaseConnection,
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

pub async fn remove_toc_entry(
    db: &DatabaseConnection,
    actor: &Actor,
    entry_id: i32,
) -> Result<i32> {
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

/// Saves a footer link group (`id` None creates one).
pub async fn save_link_group(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i32>,
    name: &str,
    sort_order: i32,
) -> Result<()> {
    let name = required("分组名称", name, 50)?;
    let txn = db.begin().await?;
    let before = match id {
        Some(i) => Some(
            link_group::Entity::find_by_id(i)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut m: link_group::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => <link_group::ActiveModel as Default>::default(),
    };
    m.name = Set(name.clone());
    m.sort_order = Set(sort_order);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.group",
        "link_group",
        saved.id,
        format!("链接分组「{name}」"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete_link_group(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let g = link_group::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    link::Entity::delete_many()
        .filter(link::Column::GroupId.eq(id))
        .exec(&txn)
        .await?;
    link_group::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.group.delete",
        "link_group",
        id,
        format!("删除链接分组「{}」及其链接", g.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves a footer link (`id` None creates one in `group_id`).
pub async fn save_link(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i32>,
    group_id: i32,
    name: &str,
    url: &str,
    sort_order: i32,
) -> Result<()> {
    let name = required("链接名称", name, 100)?;
    let url = url.trim().to_owned();
    if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        || url.len() > 500
        || url.contains(char::is_whitespace)
    {
        return Err(Error::Invalid(
            "链接地址需以 http://、https:// 或 / 开头".into(),
        ));
    }
    let txn = db.begin().await?;
    link_group::Entity::find_by_id(group_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let before = match id {
        Some(i) => Some(
            link::Entity::find_by_id(i)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound)?,
        ),
        None => None,
    };
    let mut m: link::ActiveModel = match &before {
        Some(b) => b.clone().into(),
        None => <link::ActiveModel as Default>::default(),
    };
    m.group_id = Set(group_id);
    m.name = Set(name.clone());
    m.url = Set(url.clone());
    m.sort_order = Set(sort_order);
    let saved = match &before {
        Some(_) => m.update(&txn).await?,
        None => m.insert(&txn).await?,
    };
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.link",
        "link",
        saved.id,
        format!("链接「{name}」→ {url}"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete_link(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let l = link::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    link::Entity::delete_by_id(id).exec(&txn).await?;
    cache::invalidate(&txn, [tag::CHROME]).await?;
    audit::record(
        &txn,
        actor,
        "links.link.delete",
        "link",
        id,
        format!("删除链接「{}」", l.name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves the site settings, logging which ones changed.
pub async fn save_settings(
    db: &DatabaseConnection,
    actor: &Actor,
    new: &crate::site::Settings,
) -> Result<()> {
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

/// A notice, published or not.
pub async fn notice(db: &impl ConnectionTrait, id: i32) -> Result<notice::Model> {
    notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// A magazine issue with its cover, published or not.
pub async fn issue(
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

/// Every link group with its links, for editing.
pub async fn link_groups(
    db: &impl ConnectionTrait,
) -> Result<Vec<(link_group::Model, Vec<link::Model>)>> {
    let groups = link_group::Entity::find()
        .order_by_asc(link_group::Column::SortOrder)
        .order_by_asc(link_group::Column::Id)
        .all(db)
        .await?;
    let links = link::Entity::find()
        .order_by_asc(link::Column::SortOrder)
        .order_by_asc(link::Column::Id)
        .all(db)
        .await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let mine = links
                .iter()
                .filter(|l| l.group_id == g.id)
                .cloned()
                .collect();
            (g, mine)
        })
        .collect())
}
