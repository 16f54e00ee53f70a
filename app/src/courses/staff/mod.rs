//! The course staff's tools for a run (issue 7; S4, S12, S19): the progress dashboard with
//! its charts and CSV exports, one learner's page, marking an item complete with a reason,
//! enrolling again and removing learners. Inviting by e-mail address is
//! `courses::invitations`.
pub mod api;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
