//! Server-only handles: database, clock. Later: search, storage, mail.
pub mod clock;
pub mod db;
pub mod mail;
pub mod migrate;

pub use clock::Clock;
pub use db::{Db, DbError, Dialect};
pub use mail::{Email, Mailer};

use leptos::prelude::*;

/// What every server function needs from the running server, provided as Leptos context
/// for each request.
#[derive(Clone)]
pub struct Platform {
    pub db: Db,
    pub clock: Clock,
    pub mailer: Mailer,
    /// Where users reach the platform, for links in e-mails (no trailing slash).
    pub public_url: String,
    /// Identity providers for sign-in with other accounts (S6); may be empty.
    pub providers: std::sync::Arc<crate::identities::providers::Providers>,
}

impl Platform {
    /// Cookies carry `Secure` when users reach the platform over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The platform handles for the current request.
pub fn platform() -> Result<Platform, ServerFnError> {
    use_context::<Platform>().ok_or_else(|| ServerFnError::new("platform context missing"))
}
