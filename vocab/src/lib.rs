//! The fixed vocabularies shared by the database, the service layer and the browser: each value
//! has one code (stored in the database and sent on the wire) and one Chinese label, written here
//! and nowhere else. With the `sea-orm` feature the enums are also database columns.

use serde::{Deserialize, Serialize};

#[cfg(feature = "sea-orm")]
use sea_orm::entity::prelude::*;

/// Where an article is in its life. A new article is a draft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sea-orm", derive(EnumIter, DeriveActiveEnum))]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")
)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    #[default]
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "draft"))]
    Draft,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "scheduled"))]
    Scheduled,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "published"))]
    Published,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "archived"))]
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 4] = [
        ArticleStatus::Draft,
        ArticleStatus::Scheduled,
        ArticleStatus::Published,
        ArticleStatus::Archived,
    ];

    /// The stored code: `draft`, `scheduled`, `published`, `archived`.
    pub fn code(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Scheduled => "scheduled",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }

    /// 草稿 / 定时发布 / 已发布 / 已归档
    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "草稿",
            ArticleStatus::Scheduled => "定时发布",
            ArticleStatus::Published => "已发布",
            ArticleStatus::Archived => "已归档",
        }
    }

    pub fn from_code(code: &str) -> Option<ArticleStatus> {
        ArticleStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How a column (栏目) presents itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sea-orm", derive(EnumIter, DeriveActiveEnum))]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")
)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// A list of articles (the default for a new column).
    #[default]
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "list"))]
    List,
    /// Articles shown by their pictures.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "pictures"))]
    Pictures,
    /// One single page (协会简介, 联系我们).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "page"))]
    Page,
    /// The notices (通知公告).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "notices"))]
    Notices,
    /// The magazine's issues.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "magazine"))]
    Magazine,
    /// A single page with the readers' submission form below it.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "submit"))]
    Submit,
}

impl ColumnKind {
    pub const ALL: [ColumnKind; 6] = [
        ColumnKind::List,
        ColumnKind::Pictures,
        ColumnKind::Page,
        ColumnKind::Notices,
        ColumnKind::Magazine,
        ColumnKind::Submit,
    ];

    /// The stored code: `list`, `pictures`, `page`, `notices`, `magazine`, `submit`.
    pub fn code(self) -> &'static str {
        match self {
            ColumnKind::List => "list",
            ColumnKind::Pictures => "pictures",
            ColumnKind::Page => "page",
            ColumnKind::Notices => "notices",
            ColumnKind::Magazine => "magazine",
            ColumnKind::Submit => "submit",
        }
    }

    /// 文章列表 / 图片列表 / 单页 / 通知公告 / 期刊 / 投稿
    pub fn label(self) -> &'static str {
        match self {
            ColumnKind::List => "文章列表",
            ColumnKind::Pictures => "图片列表",
            ColumnKind::Page => "单页",
            ColumnKind::Notices => "通知公告",
            ColumnKind::Magazine => "期刊",
            ColumnKind::Submit => "投稿",
        }
    }

    pub fn from_code(code: &str) -> Option<ColumnKind> {
        ColumnKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether articles are filed under columns of this kind.
    pub fn takes_articles(self) -> bool {
        matches!(self, ColumnKind::List | ColumnKind::Pictures)
    }

    /// Whether the column is a single page an editor writes (单页, 投稿).
    pub fn has_page(self) -> bool {
        matches!(self, ColumnKind::Page | ColumnKind::Submit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serde_uses_them() {
        for s in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.code()))
            );
        }
        for k in ColumnKind::ALL {
            assert_eq!(ColumnKind::from_code(k.code()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).ok(),
                Some(format!("\"{}\"", k.code()))
            );
        }
        assert_eq!(ColumnKind::from_code("nonsense"), None);
    }
}

/// Which decision a reviewer is making: the only one (one level of review), or the first
/// or final of two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStep {
    Only,
    First,
    Final,
}

impl ReviewStep {
    /// The step of a review at `level` (1 or 2) on a site with `levels` levels.
    pub fn of(levels: i16, level: i16) -> ReviewStep {
        match (levels, level) {
            (1, _) => ReviewStep::Only,
            (_, 1) => ReviewStep::First,
            _ => ReviewStep::Final,
        }
    }

    /// 审核 / 初审 / 终审
    pub fn label(self) -> &'static str {
        match self {
            ReviewStep::Only => "审核",
            ReviewStep::First => "初审",
            ReviewStep::Final => "终审",
        }
    }

    /// Whether approving this step publishes the article (the first of two hands it on).
    pub fn publishes(self) -> bool {
        self != ReviewStep::First
    }
}

/// The order of search results: by relevance (the default) or newest first. In a search
/// address it is `sort=date` or nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSort {
    #[default]
    Relevance,
    Date,
}

impl SearchSort {
    /// The `sort` parameter's value: `date`, or empty for relevance.
    pub fn param(self) -> &'static str {
        match self {
            SearchSort::Relevance => "",
            SearchSort::Date => "date",
        }
    }

    /// Reads a `sort` parameter; anything but `date` is relevance.
    pub fn from_param(value: &str) -> SearchSort {
        if value.trim() == "date" {
            SearchSort::Date
        } else {
            SearchSort::Relevance
        }
    }
}
