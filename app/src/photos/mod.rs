//! Profile photos (S1, T1): upload, re-encoding without metadata, thumbnails, and who may see
//! them (S17 full photo for signed-in users, S16 thumbnails on public pages, T7/S14 nothing
//! of hidden profiles). The upload, remove and serving routes are in
//! `server/src/http/routes/photos.rs`; the rules they call are here.
pub mod api;
pub mod avatar;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod process;
