//! Every integration test of the server in one binary (issue 14): one module per area,
//! so a change links once instead of once per file. Run one area with
//! `cargo nextest run -p agora --test it -E 'test(/^accounts::/)'`.
#[macro_use]
mod common;

mod account_pages;
mod accounts;
mod api_v1;
mod catalogue;
mod certificate_pdf;
mod cli;
mod course_delete;
mod course_files;
mod course_navigation;
mod course_runs;
mod course_staff;
mod courses;
mod foundation;
mod head_escaping;
mod layers;
mod mail;
mod malformed_input;
mod module_badges;
mod oidc;
mod organisations;
mod photos;
mod rate_limit_shared;
mod reviews;
mod run_invitations;
mod run_settings;
mod subject_tags;
