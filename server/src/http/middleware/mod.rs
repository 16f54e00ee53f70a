//! The layers around the routes, from the innermost to the outermost, as `router` applies them:
//! [`input`] (user text cleaned), [`csrf`], [`api_status`], [`client_ip`], [`errors`]
//! (localised low-level errors), [`security`] (headers), [`observability`] (request ids,
//! logs).
pub mod api_status;
pub mod client_ip;
pub mod csrf;
pub mod errors;
pub mod input;
pub mod observability;
pub mod security;
