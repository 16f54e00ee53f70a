use serde::{Deserialize, Serialize};

/// Search and filters of the admin user list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub country: String,
    /// `platform_admin`, `national_validator`, or empty for everyone.
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub page: i64,
}

impl UserFilter {
    /// Issue 13: every filter text has a length limit, checked before the database.
    #[cfg(feature = "ssr")]
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        crate::check::search_fields(&[("q", &self.q), ("country", &self.country), ("role", &self.role)])
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    /// Platform admins see e-mail addresses (T8).
    pub email: String,
    pub country: String,
    pub user_type: String,
    pub status: String,
    /// `(role, country)` grants.
    pub roles: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}
