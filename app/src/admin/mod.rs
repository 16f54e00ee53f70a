//! Platform administration: the user list and the national-validator role.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
