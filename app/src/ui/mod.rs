//! Shared components: the page frame, error pages, user avatars.
pub mod avatar;
pub mod errors;
pub mod form;
pub mod layout;
pub mod markdown;
