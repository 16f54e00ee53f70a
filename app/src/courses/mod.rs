//! Online courses: authoring, runs and their catalogue listings, enrolment, learning,
//! groups, certificates.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod groups;
#[cfg(feature = "ssr")]
pub mod listing;
pub mod model;
pub mod pages;
