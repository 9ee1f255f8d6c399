//! The signed-in staff member of a request, and the checks every admin server function makes.

use entity::user::{self, Role};
use http::request::Parts;
use leptos::prelude::use_context;
use service::audit::Actor;

use super::{AppState, state};
use crate::error::AppError;

/// Put into the request by the session layer when a valid session cookie came with it.
#[derive(Clone, Debug)]
pub struct Staff {
    pub user: user::Model,
    /// The session's id (hash of the cookie token).
    pub session_id: String,
    pub csrf_token: String,
    pub ip: String,
}

impl Staff {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// 撰稿人: writes and submits, never reviews or publishes.
    pub fn is_writer(&self) -> bool {
        self.user.role == Role::Writer
    }

    /// This person as the review rules see them.
    pub fn person(&self) -> service::review::Person {
        service::review::Person {
            actor: self.actor(),
            role: self.user.role,
            name: self.user.display_name.clone(),
        }
    }

    /// The audit log's view of this person.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            username: self.user.username.clone(),
            ip: self.ip.clone(),
        }
    }
}

/// The staff member behind the current request, if signed in.
pub fn current_staff() -> Option<Staff> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<Staff>().cloned())
}

/// Any signed-in staff member (writer, editor or admin); 401 otherwise. Only for what
/// writers may do too: their own articles, pictures, the dashboard.
pub fn require_staff() -> Result<Staff, AppError> {
    current_staff().ok_or(AppError::Unauthorized)
}

/// A signed-in editor or admin; 401 when not signed in, 403 for writers.
pub fn require_editor() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.is_writer() {
        Err(AppError::Refused("撰稿人没有这项权限".into()))
    } else {
        Ok(staff)
    }
}

/// A signed-in admin; 401 when not signed in, 403 for editors.
pub fn require_admin() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.is_admin() {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// How a back-office server function begins: the signed-in staff member (any role) and the
/// application state.
pub fn as_staff() -> Result<(Staff, AppState), AppError> {
    Ok((require_staff()?, state()?))
}

/// [`as_staff`] for what only editors and admins may do (403 for writers).
pub fn as_editor() -> Result<(Staff, AppState), AppError> {
    Ok((require_editor()?, state()?))
}

/// [`as_staff`] for what only admins may do (403 for editors and writers).
pub fn as_admin() -> Result<(Staff, AppState), AppError> {
    Ok((require_admin()?, state()?))
}
