//! The column tree and single pages of a run.

use super::*;

impl Writer<'_> {
    /// The column tree, parents before children.
    pub(super) async fn columns(&mut self, old: &[OldColumn]) -> Result<()> {
        let mut existing = crate::column::all(self.db, crate::site::MAIN).await?;
        let mut slugs: BTreeSet<String> = existing.iter().map(|c| c.slug.clone()).collect();
        // Parents first: repeat over what is left until nothing moves.
        let mut left: Vec<&OldColumn> = old.iter().collect();
        let known: BTreeSet<&str> = old.iter().map(|c| c.id.as_str()).collect();
        while !left.is_empty() {
            let before = left.len();
            let mut next = Vec::new();
            for c in left {
                let parent_ready = match &c.parent {
                    None => true,
                    Some(p) => !known.contains(p.as_str()) || self.columns.contains_key(p),
                };
                if parent_ready {
                    self.column(c, &mut existing, &mut slugs).await?;
                } else {
                    next.push(c);
                }
            }
            if next.len() == before {
                for c in next {
                    self.report.skipped.push(Skip {
                        kind: "栏目",
                        id: c.id.clone(),
                        reason: format!("“{}”的上级栏目形成循环", c.name),
                    });
                }
                break;
            }
            left = next;
        }
        Ok(())
    }

    pub(super) async fn column(
        &mut self,
        c: &OldColumn,
        existing: &mut Vec<column::Model>,
        slugs: &mut BTreeSet<String>,
    ) -> Result<()> {
        let name = c.name.trim();
        if name.is_empty() {
            self.report.skipped.push(Skip {
                kind: "栏目",
                id: c.id.clone(),
                reason: "没有名称".into(),
            });
            return Ok(());
        }
        let parent = c
            .parent
            .as_ref()
            .and_then(|p| self.columns.get(p))
            .map(|(id, _)| *id);
        let kind = c.kind;
        let d = digest(&[
            name,
            &format!("{parent:?}{}{:?}", c.order, kind),
            &c.description,
            &c.body,
            &c.urls.join(" "),
        ]);
        let label = if kind == Kind::Page {
            "单页"
        } else {
            "栏目"
        };
        let record = self.record_of("column", &c.id);
        let row = record
            .as_ref()
            .and_then(|r| existing.iter().find(|e| e.id == r.target_id))
            .cloned();
        if let (Some(r), Some(row)) = (&record, &row)
            && r.digest == d
        {
            self.columns.insert(c.id.clone(), (row.id, kind));
            self.report.count(label).unchanged += 1;
            return Ok(());
        }
        if self.dry {
            self.columns
                .insert(c.id.clone(), (row.as_ref().map_or(0, |r| r.id), kind));
            match row {
                Some(_) => self.report.count(label).updated += 1,
                None => self.report.count(label).added += 1,
            }
            return Ok(());
        }
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let saved = match row {
            Some(row) => {
                let mut m: column::ActiveModel = row.into();
                m.name = Set(name.chars().take(50).collect());
                m.parent_id = Set(parent);
                m.sort_order = Set(c.order);
                m.description = Set(c.description.chars().take(500).collect());
                m.updated_at = Set(now);
                self.report.count(label).updated += 1;
                m.update(&txn).await?
            }
            None => {
                let slug = unique_slug(&c.slug, &c.id, slugs);
                slugs.insert(slug.clone());
                self.report.count(label).added += 1;
                column::ActiveModel {
                    parent_id: Set(parent),
                    name: Set(name.chars().take(50).collect()),
                    slug: Set(slug),
                    kind: Set(kind.column_kind()),
                    description: Set(c.description.chars().take(500).collect()),
                    sort_order: Set(c.order),
                    show_in_nav: Set(parent.is_none() && !c.id.starts_with("sgpage-")),
                    listed_count: Set(0),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        self.remember(&txn, "column", &c.id, saved.id, &d, false)
            .await?;
        let to = format!("/columns/{}", saved.slug);
        self.redirects(&txn, &c.urls, &to).await?;
        cache::invalidate(
            &txn,
            [
                tag::CHROME.to_owned(),
                tag::list(saved.id),
                tag::page(saved.id),
            ],
        )
        .await?;
        txn.commit().await?;
        existing.retain(|e| e.id != saved.id);
        existing.push(saved.clone());
        self.columns.insert(c.id.clone(), (saved.id, kind));
        if kind == Kind::Page {
            let html = self.prepare_body(&c.body).await?.0;
            let html = if html.trim().is_empty() {
                "<p></p>".to_owned()
            } else {
                html
            };
            crate::page::save_page(self.db, &self.actor, saved.id, name, &html).await?;
        }
        Ok(())
    }
}

/// A slug not yet taken, from the old directory name when it is usable.
fn unique_slug(hint: &str, id: &str, taken: &BTreeSet<String>) -> String {
    let clean: String = hint
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let clean = clean.trim_matches('-').to_owned();
    let base = if clean.is_empty() || clean.len() > 40 {
        format!(
            "c{}",
            id.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        )
    } else {
        clean
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken.contains(s))
        .unwrap_or(base)
}
