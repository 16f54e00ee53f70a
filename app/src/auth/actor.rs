use serde::{Deserialize, Serialize};

pub type UserId = i64;
pub type OrgId = i64;
pub type CourseId = i64;
pub type RunId = i64;

/// ISO 3166-1 alpha-2 country code, upper case (`DK`, `SE`, ...).
pub type Country = String;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffKind {
    /// Edits content and grades.
    Teacher,
    /// Moderates forums and grades.
    Moderator,
}

/// A role held by a signed-in user. Roles are scoped: a validator validates one
/// country, an organisation admin runs one organisation, and so on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    PlatformAdmin,
    NationalValidator { country: Country },
    OrgAdmin { org: OrgId },
    OrgMember { org: OrgId },
    CourseStaff { course: CourseId, kind: StaffKind },
    Learner { course: CourseId, run: RunId },
}

/// The party behind a request: anonymous, or a signed-in user with their roles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: Option<UserId>,
    pub country: Option<Country>,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn user(id: UserId, country: impl Into<Country>, roles: Vec<Role>) -> Self {
        Self {
            user: Some(id),
            country: Some(country.into()),
            roles,
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn is(&self, user: UserId) -> bool {
        self.user == Some(user)
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::PlatformAdmin)
    }

    pub fn validates(&self, country: &str) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::NationalValidator { country: c } if c == country))
    }

    pub fn admins_org(&self, org: OrgId) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::OrgAdmin { org: o } if *o == org))
    }

    pub fn member_of_org(&self, org: OrgId) -> bool {
        self.admins_org(org)
            || self
                .roles
                .iter()
                .any(|r| matches!(r, Role::OrgMember { org: o } if *o == org))
    }

    pub fn staff_kind(&self, course: CourseId) -> Option<StaffKind> {
        self.roles.iter().find_map(|r| match r {
            Role::CourseStaff { course: c, kind } if *c == course => Some(*kind),
            _ => None,
        })
    }

    pub fn learns_in(&self, run: RunId) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Learner { run: x, .. } if *x == run))
    }
}
