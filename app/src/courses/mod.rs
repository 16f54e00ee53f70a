//! Online courses (issue 7): authoring, runs, enrolment, learning, progress, certificates.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod placement;
