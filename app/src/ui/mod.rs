//! Shared components: the page frame, error pages.
pub mod errors;
pub mod form;
pub mod layout;
