//! Everything HTTP that is not a page or a server function.
pub mod actor;
pub mod api_status;
pub mod api_v1;
pub mod auth;
pub mod certificates;
pub mod client_ip;
pub mod course_exports;
pub mod course_files;
pub mod crawlers;
pub mod csrf;
pub mod errors;
pub mod health;
pub mod language;
pub mod observability;
pub mod photos;
pub mod router;
pub mod security;
