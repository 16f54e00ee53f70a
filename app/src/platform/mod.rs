//! Server-only handles: database, clock, mail, object storage. Later: search.
pub mod clock;
pub mod db;
pub mod mail;
pub mod migrate;
pub mod storage;

pub use clock::Clock;
pub use db::{Db, DbError, Dialect};
pub use mail::{Email, Mailer};
pub use storage::{S3Options, Storage, StorageError};

use leptos::prelude::*;

/// What every server function needs from the running server, provided as Leptos context
/// for each request.
#[derive(Clone)]
pub struct Platform {
    pub db: Db,
    pub clock: Clock,
    pub mailer: Mailer,
    /// Uploaded files (profile photos, later course files).
    pub storage: Storage,
    /// The largest photo upload accepted, in bytes.
    pub max_photo_bytes: u64,
    /// Where users reach the platform, for links in e-mails (no trailing slash).
    pub public_url: String,
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
