//! The `agora` server: configuration, start-up checks, the HTTP router and the CLI
//! commands. The application itself (pages, server functions, rules) lives in `app`.
pub mod admin;
pub mod certificate_pdf;
pub mod config;
pub mod housekeeping;
pub mod http;
pub mod seed;
pub mod startup;

pub use http::{router::router, state::AppState};
