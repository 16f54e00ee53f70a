//! Groups in a course run (S12, T2): assigned by the staff, or open theme-based groups that
//! learners join and leave. A group's page is for its members and the course's staff only
//! (S19). Pages: `courses::pages::groups`.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
