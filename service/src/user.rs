//! Managing accounts (admins only): listing them, changing roles, deactivating, resetting
//! passwords.

use chrono::Utc;
use entity::session;
use entity::user::{self, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::auth::role_label;
use crate::db::Db;
use crate::password::Passwords;
use crate::security::passwords as rules;
use crate::{Error, Result};

/// Every account, for the users page.
pub async fn users(db: &impl ConnectionTrait) -> Result<Vec<user::Model>> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?)
}

/// What an admin changes about an account.
#[derive(Clone, Copy, Debug)]
pub struct UserChanges<'a> {
    pub display_name: &'a str,
    pub role: Role,
    pub is_active: bool,
    /// A new password, or nothing to keep the current one.
    pub new_password: Option<&'a str>,
    /// Where review notices reach the person (empty for none), or nothing to keep it.
    pub email: Option<&'a str>,
}

/// Changes an account's name, role or activity, or sets a new password for it (admins).
/// An admin cannot demote or deactivate their own account, so the site never loses its
/// last administrator by accident.
pub async fn update_user(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    id: i32,
    changes: UserChanges<'_>,
) -> Result<user::Model> {
    let UserChanges {
        display_name,
        role,
        is_active,
        new_password,
        email,
    } = changes;
    let email = email.map(str::trim);
    if let Some(e) = email
        && !e.is_empty()
        && (!e.contains('@') || e.contains(char::is_whitespace) || e.chars().count() > 100)
    {
        return Err(Error::Invalid("邮箱格式不正确".into()));
    }
    let new_password = new_password.filter(|p| !p.is_empty());
    if actor.user_id == Some(id) && !is_active {
        return Err(Error::Invalid("不能停用自己的账号".into()));
    }
    if actor.user_id == Some(id) && new_password.is_some() {
        return Err(Error::Invalid(
            "修改自己的密码请使用“修改密码”页面（需要输入当前密码）".into(),
        ));
    }
    // Hashed before the transaction: the writer is not held while argon2 works.
    let target = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let new_hash = match new_password {
        Some(p) => {
            let policy = crate::security::policy(db).await?;
            rules::check(&policy, &target.username, p)?;
            Some(passwords.hash(p).await?)
        }
        None => None,
    };
    let txn = db.begin().await?;
    let before = user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if actor.user_id == Some(id) && role != before.role {
        return Err(Error::Invalid(
            "不能修改自己的角色：请另一位管理员修改".into(),
        ));
    }
    let now = Utc::now();
    let mut m: user::ActiveModel = before.clone().into();
    let display: String = display_name.trim().chars().take(50).collect();
    m.display_name = Set(if display.is_empty() {
        before.username.clone()
    } else {
        display
    });
    m.role = Set(role);
    m.is_active = Set(is_active);
    let mut changes = Vec::new();
    if let Some(e) = email
        && e != before.email
    {
        m.email = Set(e.to_owned());
        changes.push("邮箱已修改".to_owned());
    }
    if before.role != role {
        changes.push(format!(
            "角色：{} → {}",
            role_label(before.role),
            role_label(role)
        ));
    }
    if before.is_active != is_active {
        changes.push(if is_active {
            "已启用".to_owned()
        } else {
            "已停用".to_owned()
        });
    }
    if let Some(hash) = new_hash {
        rules::remember(&txn, id, &before.password_hash, now).await?;
        m.password_hash = Set(hash);
        m.password_changed_at = Set(now);
        // Chosen by someone else: the person chooses their own at the next sign-in.
        m.must_change_password = Set(true);
        changes.push("已重设密码（下次登录须修改）".to_owned());
    }
    m.updated_at = Set(now);
    let saved = m.update(&txn).await?;
    if !is_active || new_password.is_some_and(|p| !p.is_empty()) || before.role != role {
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        actor,
        "user.update",
        "user",
        id,
        format!(
            "用户 {}：{}",
            saved.username,
            if changes.is_empty() {
                "修改显示名称".to_owned()
            } else {
                changes.join("；")
            }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The review-notice address of staff member `id`, when they have one.
pub async fn email_of(db: &impl ConnectionTrait, id: i32) -> Result<Option<String>> {
    Ok(user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|u| u.email)
        .filter(|e| !e.is_empty()))
}
