//! The steps of seeding, each writing one kind of content inside the seeding transaction.

use super::*;

/// The site settings from `site.toml` over the defaults.
pub(super) async fn seed_settings(
    s: &Seeding<'_>,
    values: HashMap<String, String>,
) -> Result<SiteSettings> {
    let mut settings = SiteSettings::default();
    for (key, value) in values {
        if !settings.set(&key, value) {
            return Err(Error::Invalid(format!("site.toml: unknown setting {key}")));
        }
    }
    site::save_settings_of(s.txn, s.site, &settings).await?;
    Ok(settings)
}

/// Columns, parents first.
pub(super) async fn seed_columns(s: &mut Seeding<'_>, columns: &[ColumnSeed]) -> Result<()> {
    let made = write_columns(s.txn, s.site, s.now, columns).await?;
    s.report.columns += made.len();
    s.column_ids.extend(made);
    Ok(())
}

/// Writes `columns` (parents first) for `site`; returns their ids by slug.
pub(super) async fn write_columns(
    txn: &DatabaseTransaction,
    site: i32,
    now: DateTime<Utc>,
    columns: &[ColumnSeed],
) -> Result<HashMap<String, i32>> {
    let mut ids = HashMap::new();
    for (order, c) in columns.iter().enumerate() {
        let parent_id = match &c.parent {
            Some(p) => Some(*ids.get(p).ok_or_else(|| {
                Error::Invalid(format!("column {} before its parent {p}", c.slug))
            })?),
            None => None,
        };
        let saved = column::ActiveModel {
            site_id: Set(site),
            parent_id: Set(parent_id),
            name: Set(c.name.clone()),
            slug: Set(c.slug.clone()),
            kind: Set(c.kind),
            description: Set(c.description.clone()),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
            show_in_nav: Set(c.nav),
            listed_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.insert(c.slug.clone(), saved.id);
    }
    Ok(ids)
}

/// Footer link groups and their links.
pub(super) async fn seed_links(s: &mut Seeding<'_>, groups: &[LinkGroupSeed]) -> Result<()> {
    for (order, g) in groups.iter().enumerate() {
        let group = link_group::ActiveModel {
            site_id: Set(s.site),
            name: Set(g.name.clone()),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
            ..Default::default()
        }
        .insert(s.txn)
        .await?;
        for (i, (name, url)) in g.links.iter().enumerate() {
            link::ActiveModel {
                group_id: Set(group.id),
                name: Set(name.clone()),
                url: Set(url.clone()),
                sort_order: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(s.txn)
            .await?;
            s.report.links += 1;
        }
    }
    Ok(())
}

/// Notices with their attachments (small text files in the media store).
pub(super) async fn seed_notices(s: &mut Seeding<'_>, notices: &[NoticeSeed]) -> Result<()> {
    for (k, n) in notices.iter().enumerate() {
        let at = local_time(&n.published, s.tz)?;
        let saved = notice::ActiveModel {
            site_id: Set(s.site),
            title: Set(n.title.clone()),
            body: Set(paragraphs_to_html(&n.body, None)),
            is_published: Set(true),
            published_at: Set(at),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(s.txn)
        .await?;
        for (name, text) in &n.attachments {
            let file = format!("{DEMO_MEDIA_DIR}/notice-{}-{name}", k + 1);
            s.media.put(&file, text.clone().into_bytes()).await?;
            notice_attachment::ActiveModel {
                notice_id: Set(saved.id),
                title: Set(name.clone()),
                path: Set(file),
                size_bytes: Set(i64::try_from(text.len()).unwrap_or(0)),
                ..Default::default()
            }
            .insert(s.txn)
            .await?;
        }
        s.report.notices += 1;
    }
    Ok(())
}

/// The single pages of `page` columns.
pub(super) async fn seed_pages(s: &mut Seeding<'_>, pages: &[PageSeed]) -> Result<()> {
    write_pages(s.txn, s.now, &s.column_ids, pages).await?;
    s.report.pages += pages.len();
    Ok(())
}

/// Writes the single pages of the columns in `column_ids`.
pub(super) async fn write_pages(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    column_ids: &HashMap<String, i32>,
    pages: &[PageSeed],
) -> Result<()> {
    for p in pages {
        let column_id = *column_ids
            .get(&p.column)
            .ok_or_else(|| Error::Invalid(format!("pages: unknown column {}", p.column)))?;
        page::ActiveModel {
            column_id: Set(column_id),
            title: Set(p.title.clone()),
            body: Set(crate::html::sanitize(&paragraphs_to_html(&p.body, None))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The drawn illustration of article `n`, stored with its WebP variants.
async fn seed_illustration(
    s: &mut Seeding<'_>,
    n: usize,
    a: &ArticleSeed,
    caption: &str,
    at: DateTime<Utc>,
) -> Result<image::Model> {
    let file = format!("{DEMO_MEDIA_DIR}/illustration-{:02}.jpg", n + 1);
    let drawn = draw_once(s.media, &file, n as u64, images::Kind::Illustration).await?;
    let img = image::ActiveModel {
        path: Set(file.clone()),
        alt: Set(caption.to_owned()),
        caption: Set(caption.to_owned()),
        credit: Set(a.image_credit.clone()),
        width: Set(images::WIDTH as i32),
        height: Set(images::HEIGHT as i32),
        variants: Set(drawn.variants),
        size_bytes: Set(drawn.size),
        mime: Set("image/jpeg".into()),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(s.txn)
    .await?;
    s.report.images += 1;
    Ok(img)
}

/// Article `n` (in publication order), its illustration and the last 30 days of its reading,
/// so the demo dashboard has something to show.
pub(super) async fn seed_article(s: &mut Seeding<'_>, n: usize, a: &ArticleSeed) -> Result<()> {
    let column_id = *s
        .column_ids
        .get(&a.column)
        .ok_or_else(|| Error::Invalid(format!("unknown column {} in {}", a.column, a.title)))?;
    let at = local_time(&a.published, s.tz)?;
    let figure = match &a.image_caption {
        Some(caption) => Some(seed_illustration(s, n, a, caption, at).await?),
        None => None,
    };
    let body = paragraphs_to_html(&a.body, figure.as_ref());
    let flag = |name: &str| a.flags.iter().any(|f| f == name);
    let saved = article::ActiveModel {
        site_id: Set(s.site),
        column_id: Set(column_id),
        title: Set(a.title.clone()),
        subtitle: Set(a.subtitle.clone()),
        slug: Set(None),
        source: Set(a.source.clone()),
        author: Set(a.author.clone()),
        summary: Set(a.summary.clone()),
        body: Set(crate::html::sanitize(&body)),
        cover_image_id: Set(figure.as_ref().map(|f| f.id)),
        is_headline: Set(flag("headline")),
        is_recommended: Set(flag("recommended")),
        is_slideshow: Set(flag("slideshow")),
        status: Set(ArticleStatus::Published),
        published_at: Set(Some(at)),
        hits: Set(demo_hits(n, at, s.now)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(s.txn)
    .await?;
    for k in 0..30 {
        let day = s.now - chrono::Duration::days(k);
        if day >= at {
            let views = demo_daily_views(n, k, (day - at).num_days());
            let day = crate::statistics::day_of(day, s.tz);
            crate::statistics::add_daily_views(s.txn, saved.site_id, saved.id, &day, views).await?;
        }
    }
    s.article_ids.insert(a.title.clone(), saved.id);
    s.report.articles += 1;
    Ok(())
}

/// Magazine issue `k` with its drawn cover and its table of contents.
pub(super) async fn seed_issue(
    s: &mut Seeding<'_>,
    settings: &SiteSettings,
    k: usize,
    issue: &IssueSeed,
) -> Result<()> {
    let at = local_time(&issue.published, s.tz)?;
    let file = format!(
        "{DEMO_MEDIA_DIR}/cover-{}-{:02}.jpg",
        issue.year, issue.number
    );
    let drawn = draw_once(s.media, &file, k as u64, images::Kind::Cover).await?;
    let cover = image::ActiveModel {
        path: Set(file.clone()),
        alt: Set(format!(
            "《{}》{}年第{}期封面",
            settings.magazine_name, issue.year, issue.number
        )),
        caption: Set(String::new()),
        credit: Set(settings.magazine_name.clone()),
        width: Set(images::COVER_WIDTH as i32),
        height: Set(images::COVER_HEIGHT as i32),
        variants: Set(drawn.variants),
        size_bytes: Set(drawn.size),
        mime: Set("image/jpeg".into()),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(s.txn)
    .await?;
    let saved = magazine_issue::ActiveModel {
        site_id: Set(s.site),
        year: Set(issue.year),
        number: Set(issue.number),
        total_number: Set(issue.total_number),
        title: Set(issue.title.clone()),
        summary: Set(issue.summary.clone()),
        cover_image_id: Set(Some(cover.id)),
        published_at: Set(at),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(s.txn)
    .await?;
    for (order, (section, title)) in issue.toc.iter().enumerate() {
        let article_id = *s
            .article_ids
            .get(title)
            .ok_or_else(|| Error::Invalid(format!("magazine.toml: no article titled {title}")))?;
        magazine_issue_article::ActiveModel {
            issue_id: Set(saved.id),
            article_id: Set(article_id),
            section: Set(section.clone()),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
            ..Default::default()
        }
        .insert(s.txn)
        .await?;
    }
    s.report.issues += 1;
    Ok(())
}
