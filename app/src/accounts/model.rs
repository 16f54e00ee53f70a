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
    #[serde(default)]
    pub newsletter: bool,
}

pub use crate::error::FieldError;
