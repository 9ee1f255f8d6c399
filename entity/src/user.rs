//! Staff accounts (`users`) and their roles: the administrators (管理员, or with the
//! separation of duties 系统管理员, 安全管理员, 审计管理员), editors and writers (撰稿人).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a staff member may do.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 管理员: everything, including users, settings, security and the audit log. Only
    /// while the separation of duties is off (level 2); with it on, an `admin` account acts
    /// as a 系统管理员.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// 系统管理员: users and roles, site settings, columns, storage, and the content. Never
    /// the audit log or the security policy.
    #[sea_orm(string_value = "sysadmin")]
    SysAdmin,
    /// 安全管理员: the security policy (passwords, second factor, sessions, the address
    /// allow-list), unlocking accounts and resetting second factors. Nothing else.
    #[sea_orm(string_value = "secadmin")]
    SecAdmin,
    /// 审计管理员: reads, searches, exports and verifies the audit log. Nothing else.
    #[sea_orm(string_value = "auditor")]
    Auditor,
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
    /// Set when someone else chose the password (a new account, a reset): the person must
    /// choose their own at the next sign-in before anything else.
    pub must_change_password: bool,
    /// The TOTP secret, encrypted with the installation's key; `None` until enrolled.
    #[sea_orm(column_type = "Text", nullable)]
    pub totp_secret: Option<String>,
    /// When the second factor was confirmed with a first code.
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last TOTP step accepted: a code is never accepted twice.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
