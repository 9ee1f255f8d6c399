//! Who acts ([`Person`]) and the site's review rules ([`Workflow`]).

use entity::user::Role;
use sea_orm::ConnectionTrait;

use crate::audit::Actor;
use crate::{Error, Result};

/// A staff member acting, with the role that decides what they may do.
#[derive(Clone, Debug)]
pub struct Person {
    pub actor: Actor,
    pub role: Role,
    /// The name shown to reviewers (the display name).
    pub name: String,
}

impl Person {
    pub(crate) fn user_id(&self) -> i32 {
        self.actor.user_id.unwrap_or(0)
    }

    pub(crate) fn is_writer(&self) -> bool {
        self.role == Role::Writer
    }

    /// Editors and admins review; writers never.
    pub(crate) fn require_reviewer(&self) -> Result<()> {
        if self.is_writer() {
            Err(Error::Forbidden("撰稿人不能审核或发布文章".into()))
        } else {
            Ok(())
        }
    }
}

/// The site's review rules (网站设置 → 审核).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workflow {
    /// Writers' submissions wait for a reviewer (otherwise they go online on submission).
    pub writers: bool,
    /// 1, or 2 for 初审 then 终审 by two different people.
    pub levels: i16,
    /// Editors' own changes are reviewed by another editor too.
    pub editors: bool,
    /// Review notices by e-mail.
    pub mail: bool,
}

impl Default for Workflow {
    fn default() -> Self {
        Workflow::from_settings(&crate::site::SiteSettings::default())
    }
}

impl Workflow {
    pub fn from_settings(s: &crate::site::SiteSettings) -> Workflow {
        Workflow {
            writers: s.review_writers.trim() != "0",
            levels: if s.review_levels.trim() == "2" { 2 } else { 1 },
            editors: s.review_editors.trim() == "peer",
            mail: s.review_mail.trim() == "1",
        }
    }

    pub async fn load(db: &impl ConnectionTrait) -> Result<Workflow> {
        Ok(Workflow::from_settings(&crate::site::settings(db).await?))
    }

    /// Whether `role`'s changes to what readers see go through a review.
    pub fn reviews(&self, role: Role) -> bool {
        match role {
            Role::Writer => true,
            Role::Editor | Role::Admin | Role::SysAdmin => self.editors,
            // They have no content duty; anything of theirs would need review.
            Role::SecAdmin | Role::Auditor => true,
        }
    }
}
