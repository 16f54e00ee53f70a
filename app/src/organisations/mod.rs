//! Organisations (S2, S16, T1, T8): the public list and page, creating and editing, and
//! membership (join requests, leaving, admins).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
pub mod validate;
