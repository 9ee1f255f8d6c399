//! Two versions of an article side by side: its fields, then its body block by block. Used by
//! the revision comparison and by the reviewer's view of a waiting edit.

use chrono_tz::Tz;
use entity::column;
use similar::{ChangeTag, TextDiff};

use super::ArticleInput;

/// One field in both versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

impl FieldChange {
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// How a line of the body compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Changed,
    Removed,
    Added,
}

impl LineChange {
    /// `same`, `changed`, `removed`, `added` (the class the page styles).
    pub fn code(self) -> &'static str {
        match self {
            LineChange::Same => "same",
            LineChange::Changed => "changed",
            LineChange::Removed => "removed",
            LineChange::Added => "added",
        }
    }
}

/// One line of the body in both versions (`None` where a side has no such line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyLine {
    pub old: Option<String>,
    pub new: Option<String>,
    pub change: LineChange,
}

/// The fields of two versions: title, subtitle, column, source, author, summary, flags,
/// status, publication time and cover.
pub fn fields(
    old: &ArticleInput,
    new: &ArticleInput,
    columns: &[column::Model],
    tz: Tz,
) -> Vec<FieldChange> {
    let column = |id: i32| {
        columns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let flags = |i: &ArticleInput| {
        [
            (i.is_headline, "头条"),
            (i.is_recommended, "推荐"),
            (i.is_slideshow, "幻灯"),
        ]
        .into_iter()
        .filter(|f| f.0)
        .map(|f| f.1)
        .collect::<Vec<_>>()
        .join("、")
    };
    let when = |i: &ArticleInput| {
        i.published_at
            .map(|t| crate::time::format_datetime(t, tz))
            .unwrap_or_default()
    };
    let cover = |i: &ArticleInput| {
        i.cover_image_id
            .map(|c| format!("#{c}"))
            .unwrap_or_default()
    };
    let field = |label, old, new| FieldChange { label, old, new };
    vec![
        field("标题", old.title.clone(), new.title.clone()),
        field("副标题", old.subtitle.clone(), new.subtitle.clone()),
        field("栏目", column(old.column_id), column(new.column_id)),
        field("来源", old.source.clone(), new.source.clone()),
        field("作者", old.author.clone(), new.author.clone()),
        field("摘要", old.summary.clone(), new.summary.clone()),
        field(
            "关键词",
            old.keywords.clone().unwrap_or_default(),
            new.keywords.clone().unwrap_or_default(),
        ),
        field("标记", flags(old), flags(new)),
        field("状态", old.status.label().into(), new.status.label().into()),
        field("发布时间", when(old), when(new)),
        field("封面图片", cover(old), cover(new)),
    ]
}

/// The text blocks of an HTML body: one line per paragraph, heading, list item or figure.
fn blocks(html: &str) -> Vec<String> {
    let mut s = html.to_owned();
    for end in [
        "</p>",
        "</h2>",
        "</h3>",
        "</h4>",
        "</li>",
        "</figure>",
        "</blockquote>",
        "<br>",
        "</tr>",
    ] {
        s = s.replace(end, &format!("{end}\n"));
    }
    s.lines()
        .map(|l| {
            let img = l.contains("<img").then(|| {
                l.split("src=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(|src| format!("［图片 {src}］"))
            });
            let text = crate::html::strip_tags(l)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            match img.flatten() {
                Some(i) if text.is_empty() => i,
                Some(i) => format!("{i} {text}"),
                None => text,
            }
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The most time a comparison of two bodies spends looking for the smallest difference; past
/// it, what is left is shown as changed wholesale (two long bodies that differ everywhere
/// would otherwise hold a worker for minutes).
pub const DIFF_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// Two bodies side by side, block by block; removed and added runs are paired up as changes.
/// CPU work bounded by [`DIFF_TIME`]: run it off the async threads.
pub fn body(old: &str, new: &str) -> Vec<BodyLine> {
    let (a, b) = (blocks(old), blocks(new));
    let a_refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let b_refs: Vec<&str> = b.iter().map(String::as_str).collect();
    let diff = TextDiff::configure()
        .deadline(std::time::Instant::now() + DIFF_TIME)
        .diff_slices(&a_refs, &b_refs);
    let mut out: Vec<BodyLine> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<BodyLine>, removed: &mut Vec<String>, added: &mut Vec<String>| {
        for k in 0..removed.len().max(added.len()) {
            let (old, new) = (removed.get(k).cloned(), added.get(k).cloned());
            let change = match (&old, &new) {
                (Some(_), Some(_)) => LineChange::Changed,
                (Some(_), None) => LineChange::Removed,
                _ => LineChange::Added,
            };
            out.push(BodyLine { old, new, change });
        }
        removed.clear();
        added.clear();
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Equal => {
                flush(&mut out, &mut removed, &mut added);
                out.push(BodyLine {
                    old: Some(change.value().to_owned()),
                    new: Some(change.value().to_owned()),
                    change: LineChange::Same,
                });
            }
            ChangeTag::Delete => removed.push(change.value().to_owned()),
            ChangeTag::Insert => added.push(change.value().to_owned()),
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 2 MB bodies that differ in every paragraph: the comparison gives up looking for the
    /// smallest difference at its deadline and shows every paragraph as changed.
    #[test]
    fn two_long_different_bodies_are_compared_within_the_deadline() {
        let old: String = (0..100_000)
            .map(|i| format!("<p>旧段落{i}号</p>"))
            .collect();
        let new: String = (0..100_000)
            .map(|i| format!("<p>新段落{i}号</p>"))
            .collect();
        assert!(old.len() > 2_000_000 && new.len() > 2_000_000);
        let rows = body(&old, &new);
        assert_eq!(rows.len(), 100_000);
        assert!(rows.iter().all(|r| r.change == LineChange::Changed));
    }

    #[test]
    fn bodies_are_compared_paragraph_by_paragraph() {
        let old = "<p>第一段</p><p>第二段</p><p>第三段</p>";
        let new = "<p>第一段</p><p>第二段（已修改）</p><p>第三段</p><p>新增段落</p>";
        let rows = body(old, new);
        let changes: Vec<LineChange> = rows.iter().map(|r| r.change).collect();
        assert_eq!(
            changes,
            [
                LineChange::Same,
                LineChange::Changed,
                LineChange::Same,
                LineChange::Added
            ]
        );
        assert_eq!(rows[1].old.as_deref(), Some("第二段"));
        assert_eq!(rows[1].new.as_deref(), Some("第二段（已修改）"));
        assert_eq!(rows[3].old, None);
    }

    #[test]
    fn pictures_are_lines_of_their_own() {
        let rows = body(
            "<p>甲</p>",
            "<p>甲</p><figure><img src=\"/media/a.jpg\"></figure>",
        );
        assert_eq!(rows[1].new.as_deref(), Some("［图片 /media/a.jpg］"));
        assert_eq!(rows[1].change, LineChange::Added);
    }
}
