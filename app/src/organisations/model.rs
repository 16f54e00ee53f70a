use serde::{Deserialize, Serialize};

/// An organisation as shown in public lists: never its private fields (T8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrganisationCard {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub org_type: String,
    pub course_count: i64,
}
