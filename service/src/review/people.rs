//! What the review rules ask of the acting person ([`Actor`]), and the site's review rules
//! ([`Workflow`]).

use entity::user::Role;
use sea_orm::ConnectionTrait;

use crate::audit::Actor;
use crate::{Error, Result};

impl Actor {
    /// The staff member's id (0 for anyone else, who owns nothing).
    pub(crate) fn id(&self) -> i32 {
        self.user_id.unwrap_or(0)
    }

    pub(crate) fn is_writer(&self) -> bool {
        self.role == Some(Role::Writer)
    }

    /// Editors and admins review; writers (and anyone not on the staff) never.
    pub(crate) fn require_reviewer(&self) -> Result<()> {
        if self.role.is_none() || self.is_writer() {
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
    /// 先审后发 for writers, one level, editors publish their own changes, no mail.
    fn default() -> Self {
        Workflow {
            writers: true,
            levels: 1,
            editors: false,
            mail: false,
        }
    }
}

impl Workflow {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Workflow> {
        Ok(crate::site::settings(db).await?.review)
    }

    /// Whether `actor`'s changes to what readers see go through a review (anyone's but a
    /// staff member's would).
    pub(crate) fn reviews_of(&self, actor: &Actor) -> bool {
        actor.role.is_none_or(|role| self.reviews(role))
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
