//! Accounts: registration, passwords, sessions and one-time links (S1, S6, S22).
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod validate;
