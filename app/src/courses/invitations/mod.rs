//! Invitations to a course run by e-mail (S4, S19): the course staff type an address; the
//! person whose confirmed address it is gets a link and accepts (then they are a learner)
//! or declines. Nobody is enrolled without consent, and the staff never learn whether an
//! address has an account: every address they typed is listed as "invited", never with a
//! name. Pages: `courses::pages::staff` (the staff's list and form) and
//! `courses::pages::invitation` (`/learn/invitations/{secret}`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
