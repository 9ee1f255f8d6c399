//! The reader's search form read as a [`Query`]: its fields cut to size, the column and the
//! dates looked up, and a note for each filter that could not be used (which is then
//! cleared, so the form shown again says what was searched).

use chrono::{DateTime, NaiveDate, Utc};
use entity::column::{self, ColumnKind};

use super::{Kind, Query, SearchSort};

/// The search form's fields as the reader sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFields {
    pub q: String,
    /// A column's slug.
    pub column: String,
    /// `YYYY-MM-DD`
    pub from: String,
    pub to: String,
    pub sort: SearchSort,
}

/// A column results can be narrowed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnChoice {
    pub slug: String,
    pub name: String,
    /// Nesting depth, for indenting the choice.
    pub depth: usize,
}

/// The columns a reader may narrow to, in tree order: every column that lists articles,
/// notices or pages (not the magazine, not 投稿).
pub fn column_choices(all: &[column::Model]) -> Vec<ColumnChoice> {
    fn walk(all: &[column::Model], parent: Option<i32>, depth: usize, out: &mut Vec<ColumnChoice>) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            if c.kind != ColumnKind::Magazine && c.kind != ColumnKind::Submit {
                out.push(ColumnChoice {
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    depth,
                });
            }
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

/// A date typed into the form, as the start of that day in the site's zone (`end`: the
/// start of the next day).
fn day(text: &str, end: bool, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let date = if end { date.succ_opt()? } else { date };
    let local = date
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(tz)
        .earliest()?;
    Some(local.with_timezone(&Utc))
}

/// The query of a search form on `site`, whose columns are `all` (`page` from 1, `per_page`
/// results a page), and the notes on
/// what could not be used. The form's fields are cut to size (the query text itself is cut
/// by the search), and a filter that could not be used is cleared from them.
pub fn interpret(
    form: &mut SearchFields,
    site: i32,
    all: &[column::Model],
    page: u64,
    per_page: u64,
    tz: chrono_tz::Tz,
) -> (Query, Vec<String>) {
    form.q = form.q.chars().take(200).collect();
    for v in [&mut form.column, &mut form.from, &mut form.to] {
        *v = v.chars().take(64).collect();
    }
    let mut notes = Vec::new();
    let mut query = Query {
        site,
        text: form.q.clone(),
        sort: form.sort,
        page: page.max(1) - 1,
        per_page,
        ..Query::default()
    };
    if !form.column.is_empty() {
        match all.iter().find(|c| c.slug == form.column) {
            Some(c) if c.kind == ColumnKind::Notices => query.kind = Some(Kind::Notice),
            Some(c) => query.columns = Some(crate::column::with_descendants(all, c.id)),
            None => {
                notes.push("所选栏目不存在，已在全部栏目中搜索".to_owned());
                form.column.clear();
            }
        }
    }
    for (text, end, slot) in [
        (&mut form.from, false, &mut query.from),
        (&mut form.to, true, &mut query.until),
    ] {
        if text.is_empty() {
            continue;
        }
        match day(text, end, tz) {
            Some(at) => *slot = Some(at),
            None => {
                notes.push(format!("日期“{text}”无法识别，已忽略（格式如 2025-01-31）"));
                text.clear();
            }
        }
    }
    (query, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(id: i32, parent: Option<i32>, slug: &str, kind: ColumnKind) -> column::Model {
        column::Model {
            id,
            parent_id: parent,
            slug: slug.into(),
            name: format!("栏目{id}"),
            kind,
            description: String::new(),
            sort_order: id,
            show_in_nav: true,
            listed_count: 0,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            site_id: 1,
        }
    }

    fn columns() -> Vec<column::Model> {
        vec![
            col(1, None, "news", ColumnKind::List),
            col(2, Some(1), "local", ColumnKind::List),
            col(3, None, "notices", ColumnKind::Notices),
            col(4, None, "magazine", ColumnKind::Magazine),
            col(5, None, "submit", ColumnKind::Submit),
        ]
    }

    #[test]
    fn a_column_narrows_to_it_and_its_children_and_notices_to_notices() {
        let tz = chrono_tz::Asia::Shanghai;
        let mut form = SearchFields {
            q: "开发区".into(),
            column: "news".into(),
            sort: SearchSort::Date,
            ..SearchFields::default()
        };
        let (q, notes) = interpret(&mut form, 1, &columns(), 3, 20, tz);
        assert!(notes.is_empty());
        assert_eq!(
            q.columns.map(|mut c| {
                c.sort_unstable();
                c
            }),
            Some(vec![1, 2])
        );
        assert_eq!((q.page, q.per_page, q.sort), (2, 20, SearchSort::Date));
        form.column = "notices".into();
        let (q, _) = interpret(&mut form, 1, &columns(), 1, 20, tz);
        assert_eq!((q.kind, q.columns), (Some(Kind::Notice), None));
    }

    #[test]
    fn what_cannot_be_used_is_cleared_and_explained() {
        let tz = chrono_tz::Asia::Shanghai;
        let mut form = SearchFields {
            q: "字".repeat(300),
            column: "gone".into(),
            from: "2025-02-30".into(),
            to: "2025-03-01".into(),
            ..SearchFields::default()
        };
        let (q, notes) = interpret(&mut form, 1, &columns(), 0, 20, tz);
        assert_eq!(form.q.chars().count(), 200);
        assert!(form.column.is_empty() && form.from.is_empty());
        assert_eq!(form.to, "2025-03-01");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("栏目") && notes[1].contains("2025-02-30"));
        assert_eq!(q.page, 0);
        // The end date is the start of the next day in Beijing: 16:00 UTC.
        assert_eq!(
            q.until.map(|t| t.to_rfc3339()),
            Some("2025-03-01T16:00:00+00:00".to_owned())
        );
        assert_eq!(q.from, None);
    }

    #[test]
    fn the_magazine_and_submissions_are_not_offered() {
        let choices = column_choices(&columns());
        let slugs: Vec<(&str, usize)> =
            choices.iter().map(|c| (c.slug.as_str(), c.depth)).collect();
        assert_eq!(slugs, [("news", 0), ("local", 1), ("notices", 0)]);
    }
}
