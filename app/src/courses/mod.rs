//! Online courses (issue 7): authoring, runs and their catalogue listings, enrolment,
//! learning, groups, certificates, the files, images and embeds of lessons, and the
//! staff's tools for a run (`staff`), invitations to a run (`invitations`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
pub mod groups;
pub mod invitations;
#[cfg(feature = "ssr")]
pub mod listing;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod placement;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod upload;
