//! Opening the data directory and the database, with errors a person can act on.
use crate::config::Settings;
use app::identities::providers::Providers;
use app::platform::{Clock, Db, Mailer, Platform, db::redact_url, migrate};
use std::{path::Path, sync::Arc};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path} is not writable: {reason}")]
    DataDir { path: String, reason: String },
    #[error(transparent)]
    Db(#[from] app::platform::DbError),
    #[error("sign-in providers: {0}")]
    Providers(#[from] app::identities::providers::ConfigError),
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

/// Opens the database and brings its schema up to date.
pub async fn open_platform(settings: &Settings) -> Result<Platform, StartupError> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        ensure_data_dir(&settings.data_dir)?;
    }
    // Checked before anything else, so a mistake stops the start with the variable's name.
    let providers = Arc::new(Providers::from_env()?);
    let clock = Clock::system();
    let db = Db::connect(&url).await?;
    let applied = migrate::migrate(&db, clock.now_ms()).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, database = %redact_url(&url), "applied migrations");
    }
    let public_url = settings.public_url().trim_end_matches('/').to_string();
    let mailer = Mailer::outbox(settings.data_dir.join("outbox"), settings.mail_from.clone());
    Ok(Platform {
        db,
        clock,
        mailer,
        public_url,
        providers,
    })
}
