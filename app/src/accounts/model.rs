use serde::{Deserialize, Serialize};

/// What the registration form sends (S1, T1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub user_type: String,
    pub country: String,
    pub password: String,
    #[serde(default)]
    pub role_at_school: String,
    #[serde(default)]
    pub pupil_age_range: String,
    #[serde(default)]
    pub description: String,
    /// S9/T5: opt-in, unticked by default.
    #[serde(default, deserialize_with = "checkbox")]
    pub newsletter: bool,
    /// Codes from [`crate::taxonomy::SUBJECTS`].
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Codes from [`crate::taxonomy::LANGUAGES`].
    #[serde(default)]
    pub languages: Vec<String>,
}

/// An HTML checkbox: present (`on`, or any value but `false`/`0`) means ticked.
fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bool(bool),
        Text(String),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::Bool(b) => b,
        Raw::Text(s) => !matches!(s.as_str(), "" | "false" | "0" | "off"),
    })
}

/// The fields a user edits on their own profile (S22 rectification).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileEdit {
    pub first_name: String,
    pub last_name: String,
    pub user_type: String,
    pub country: String,
    #[serde(default)]
    pub role_at_school: String,
    #[serde(default)]
    pub pupil_age_range: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
}

/// What other signed-in users see of a user (S17): never the e-mail address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub country: String,
    pub user_type: String,
    pub role_at_school: String,
    pub description: String,
    pub website: String,
    pub subjects: Vec<String>,
    pub languages: Vec<String>,
    /// Validated by a national validator (T4); the badge on the profile.
    pub verified: bool,
    pub organisations: Vec<ProfileOrganisation>,
    /// When the profile photo last changed; `None` without a photo.
    pub photo_version: Option<i64>,
    /// Module badges earned in published courses, newest first (issue 7, S12).
    pub badges: Vec<ProfileBadge>,
}

/// A module badge as a profile shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileBadge {
    pub name: String,
    pub course_title: String,
    pub course_slug: String,
    /// The UTC day it was earned, `YYYY-MM-DD`.
    pub earned_on: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileOrganisation {
    pub slug: String,
    pub name: String,
}

/// The signed-in user as the page header needs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub is_admin: bool,
}

/// The own account as the settings page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub email: String,
    pub has_password: bool,
    pub newsletter: bool,
    pub profile: ProfileEdit,
}

pub use crate::error::FieldError;
