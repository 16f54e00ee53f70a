//! Reviews of course listings with star ratings (S7, S16, S18): one per user per listing,
//! the organisation's one reply, reports to the platform admins and their decisions.
//! Averages are computed from the rows whenever they are shown, never stored.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
