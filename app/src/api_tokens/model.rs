//! API tokens on the wire: what the admin page shows (never a secret, except once).
use serde::{Deserialize, Serialize};

/// One token as the admin page lists it. Times are `YYYY-MM-DD HH:MM` in UTC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The data of `/organisations/{slug}/api-tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenList {
    pub slug: String,
    pub org_name: String,
    pub tokens: Vec<ApiTokenRow>,
    /// The secret of the token created just before, on the one page view after it is
    /// created; never again.
    pub new_secret: Option<String>,
}

/// The longest token name.
pub const NAME_MAX: usize = 100;
