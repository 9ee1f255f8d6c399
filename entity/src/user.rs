//! Staff accounts (`users`) and their roles: admin, editor, writer (撰稿人).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a staff member may do.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including users and settings.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// Content only: writes, reviews and publishes.
    #[sea_orm(string_value = "editor")]
    Editor,
    /// 撰稿人: writes their own drafts and submits them for review; never publishes.
    #[sea_orm(string_value = "writer")]
    Writer,
}

/// A staff account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub role: Role,
    pub is_active: bool,
    /// Where review notices reach this person; empty for none.
    pub email: String,
    pub last_login_at: Option<DateTimeUtc>,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
