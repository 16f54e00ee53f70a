//! The plain axum routes (no Leptos page, no server function), one module per concern,
//! each with its own `routes()`.
pub mod auth;
pub mod certificates;
pub mod course_exports;
pub mod course_files;
pub mod crawlers;
pub mod health;
pub mod language;
pub mod photos;
