//! Online courses (issue 7): authoring, runs, enrolment, learning, certificates, and the
//! files, images and embeds of lessons.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod placement;
#[cfg(feature = "ssr")]
pub mod upload;
