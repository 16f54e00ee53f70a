//! Platform administration: the user list, the national-validator role and the subject tags.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
pub mod subjects;
