//! The catalogue (S7, S16, S18): courses, mobility opportunities and strategic-partnership
//! offers that organisation members publish on behalf of their organisation.
//!
//! A listing is `draft`, `published` or `withdrawn`. A published listing is *expired* once
//! its expiry date has passed: `expires_on`, or for a partnership offer without one, its
//! `deadline_on`. Expiry is derived from the platform clock's date ([`crate::platform::clock::date_of_ms`])
//! and never stored, so moving the clock is enough to see a listing leave the catalogue.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
pub mod validate;
