//! Online courses: authoring, runs, enrolment, learning, certificates, and the staff's
//! tools for a run (`staff`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
pub mod staff;
