//! Opening the data directory and the database, with errors a person can act on.
use crate::config::Settings;
use app::platform::{Clock, Db, Mailer, Platform, Storage, db::redact_url, migrate};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path} is not writable: {reason}")]
    DataDir { path: String, reason: String },
    #[error(transparent)]
    Db(#[from] app::platform::DbError),
    #[error(transparent)]
    Storage(#[from] app::platform::StorageError),
}

/// Creates the data directory if needed and proves it is writable, before anything is
/// stored there.
pub fn ensure_data_dir(dir: &Path) -> Result<(), StartupError> {
    let fail = |e: std::io::Error| StartupError::DataDir {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".agora-write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

/// Opens the database (bringing its schema up to date) and the object store.
pub async fn open_platform(settings: &Settings) -> Result<Platform, StartupError> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        ensure_data_dir(&settings.data_dir)?;
    }
    let clock = Clock::system();
    let db = Db::connect(&url).await?;
    let applied = migrate::migrate(&db, clock.now_ms()).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, database = %redact_url(&url), "applied migrations");
    }
    let public_url = settings.public_url().trim_end_matches('/').to_string();
    let mailer = Mailer::outbox(settings.data_dir.join("outbox"), settings.mail_from.clone());
    let storage = Storage::open(
        settings.object_store_url.as_deref(),
        &settings.data_dir,
        &settings.s3_options(),
    )?;
    tracing::debug!(storage = %storage.description(), "object storage");
    Ok(Platform {
        db,
        clock,
        mailer,
        storage,
        max_photo_bytes: settings.max_photo_bytes,
        public_url,
    })
}
