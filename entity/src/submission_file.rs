//! Files attached to manuscripts (`submission_files`), in the private store.

use sea_orm::entity::prelude::*;

/// A file attached to a submission, kept in the private store (never under `/media`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "submission_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub submission_id: i32,
    /// The name the author's computer gave it (shown to staff, used when downloading).
    pub name: String,
    /// The generated name in the private store.
    pub path: String,
    /// What its content turned out to be: `docx`, `doc`, `wps`, `pdf`, `jpg` or `png`.
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::submission::Entity",
        from = "Column::SubmissionId",
        to = "super::submission::Column::Id",
        on_delete = "Cascade"
    )]
    Submission,
}

impl Related<super::submission::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Submission.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
