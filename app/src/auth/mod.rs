//! Who is asking, and what they may do. Every server function and route asks
//! [`permissions::decide`] (or [`permissions::require`]); nothing else grants access.
pub mod actor;
pub mod permissions;

pub use actor::{Actor, Role, StaffKind};
pub use permissions::{Action, Decision, Denied, decide, require};
#[cfg(feature = "ssr")]
pub mod cx;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub use cx::{Cx, config};
