use serde::{Deserialize, Serialize};

/// A published course as shown in lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub estimated_hours: i64,
    pub organisation_name: String,
    pub organisation_slug: String,
}
