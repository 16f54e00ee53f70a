//! Public comments on published catalogue listings (S7, S18): Markdown rendered and
//! sanitised on the server, edited and removed by their authors, removed by the listing's
//! organisation admins and platform admins (audited).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
