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
    /// What the person's role lets them do under the current policy.
    pub duties: service::security::Duties,
    /// Why the password must be changed before anything else, when it must.
    pub password_due: Option<&'static str>,
    /// The policy asks this person for a second factor they have not set up yet.
    pub must_enroll: bool,
}

impl Staff {
    /// The system administrator's duties: users, settings, columns, storage.
    pub fn is_admin(&self) -> bool {
        self.duties.system
    }

    /// 撰稿人: writes and submits, never reviews or publishes.
    pub fn is_writer(&self) -> bool {
        self.user.role == Role::Writer
    }

    /// This person as the services see them: who acts, for the audit log and the review
    /// rules.
    pub fn actor(&self) -> Actor {
        Actor::staff(&self.user, &self.ip)
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

/// Anyone with the content duty, writers included (for what writers may do too: their own
/// articles, whose the functions check; pictures). 403 for the security and audit
/// administrators.
pub fn require_writer() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.duties.content {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A signed-in editor or admin with the content duty; 401 when not signed in, 403 for
/// writers and for the security and audit administrators.
pub fn require_editor() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.is_writer() {
        Err(AppError::Refused("撰稿人没有这项权限".into()))
    } else if !staff.duties.content {
        Err(AppError::Forbidden)
    } else {
        Ok(staff)
    }
}

/// A signed-in system administrator (or single 管理员); 401 when not signed in, 403 for
/// everyone else.
pub fn require_admin() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.duties.system {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The 安全管理员 (or single 管理员); 401 when not signed in, 403 for everyone else.
pub fn require_security() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.duties.security {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The 审计管理员 (or single 管理员); 401 when not signed in, 403 for everyone else.
pub fn require_auditor() -> Result<Staff, AppError> {
    let staff = require_staff()?;
    if staff.duties.audit {
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

/// [`as_staff`] for the content, writers included (see [`require_writer`]).
pub fn as_writer() -> Result<(Staff, AppState), AppError> {
    Ok((require_writer()?, state()?))
}

/// [`as_staff`] for what only editors and admins may do (403 for writers).
pub fn as_editor() -> Result<(Staff, AppState), AppError> {
    Ok((require_editor()?, state()?))
}

/// [`as_staff`] for what only admins may do (403 for editors and writers).
pub fn as_admin() -> Result<(Staff, AppState), AppError> {
    Ok((require_admin()?, state()?))
}
