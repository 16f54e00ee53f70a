//! Organisations' API tokens (#6, S2): the credentials of an organisation's own systems for
//! `/api/v1`. Admins create them on `/organisations/{slug}/api-tokens` (the secret is shown
//! once), see when each was last used and revoke them. Only the SHA-256 of a secret is
//! stored.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
