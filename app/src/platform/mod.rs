//! Server-only handles: database, clock, mail, object storage, attempt limits. Later: search.
pub mod audit;
pub mod clock;
pub mod db;
pub mod mail;
pub mod migrate;
pub mod orphans;
pub mod rate_limit;
pub mod redact;
pub mod slug;
pub mod storage;
pub mod text;

pub use audit::{AuditEntry, record as audit};
pub use clock::Clock;
pub use db::{Db, DbError, Dialect};
pub use mail::{Email, MailError, Mailer};
pub use rate_limit::RateLimiter;
pub use redact::redact_url;
pub use storage::{S3Options, Storage, StorageError};

use leptos::prelude::*;

/// What every server function needs from the running server, provided as Leptos context
/// for each request. The areas' own configuration (sign-in providers, embed policy, upload
/// limits) is provided beside it, each as its own context value (`auth::config`).
#[derive(Clone)]
pub struct Platform {
    pub db: Db,
    pub clock: Clock,
    pub mailer: Mailer,
    pub limits: RateLimiter,
    /// Uploaded files (profile photos, later course files).
    pub storage: Storage,
    /// Where users reach the platform, for links in e-mails (no trailing slash).
    pub public_url: String,
}

impl Platform {
    /// Cookies carry `Secure` when users reach the platform over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The address a request came from, when the server knows it (set by the server's
/// `client_ip` middleware).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// The client address of the current request, or `"unknown"`.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().cloned())
        .map(|c| c.0)
        .unwrap_or_else(|| "unknown".into())
}

/// The platform handles for the current request.
pub fn platform() -> Result<Platform, ServerFnError> {
    use_context::<Platform>().ok_or_else(|| ServerFnError::new("platform context missing"))
}
