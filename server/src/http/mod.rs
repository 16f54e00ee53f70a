//! Everything HTTP that is not a page or a server function.
//!
//! - [`state`]: what every handler gets ([`state::AppState`]); it knows no handler.
//! - [`routes`]: the plain axum routes, each module with its own `routes()`; [`api_v1`]:
//!   the JSON API, with its own errors and authentication.
//! - [`actor`], [`redirect`], [`multipart`]: what those routes share (who asks, how to send
//!   them on, how to read an upload).
//! - [`middleware`]: the layers every request passes.
//! - [`router`]: puts them together, with the Leptos pages.
pub mod actor;
pub mod api_v1;
pub mod middleware;
pub mod multipart;
pub mod redirect;
pub mod router;
pub mod routes;
pub mod state;
