//! Opening the data directory and the database, with errors a person can act on.
use crate::config::Settings;
use crate::http::state::{AreaConfig, AreaConfigError};
use app::platform::{Clock, Db, MailError, Mailer, Platform, Storage, db::redact_url, migrate};
use std::{path::Path, time::Duration};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path} is not writable: {reason}")]
    DataDir { path: String, reason: String },
    #[error(transparent)]
    Db(#[from] app::platform::DbError),
    #[error(transparent)]
    Mail(#[from] MailError),
    /// Sign-in providers or the embed allow-list.
    #[error(transparent)]
    Areas(#[from] AreaConfigError),
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
    // Configuration mistakes first, before anything is created or migrated.
    let mailer = mailer(settings)?;
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        ensure_data_dir(&settings.data_dir)?;
    }
    // Checked before anything else, so a mistake stops the start with the variable's name.
    area_config(settings)?;
    let clock = Clock::system();
    let db = Db::connect(&url).await?;
    let applied = migrate::migrate(&db, clock.now_ms()).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, database = %redact_url(&url), "applied migrations");
    }
    app::taxonomy::subject_tags::db::reload(&db)
        .await
        .map_err(app::platform::DbError::from)?;
    // Runs without their catalogue listing (from before migration 0011): one query otherwise.
    let listed = app::courses::listing::backfill(&db, clock.now_ms())
        .await
        .map_err(|e| StartupError::from(app::platform::DbError::from(e)))?;
    if listed > 0 {
        tracing::info!(courses = listed, "listed course runs in the catalogue");
    }
    let public_url = settings.public_url().trim_end_matches('/').to_string();
    let storage = Storage::open(
        settings.object_store_url.as_deref(),
        &settings.data_dir,
        &settings.s3_options(),
    )?;
    tracing::debug!(storage = %storage.description(), "object storage");
    // Shared by every node on PostgreSQL, in this process's memory on SQLite.
    let limits = app::platform::RateLimiter::for_db(&db);
    Ok(Platform {
        db,
        clock,
        mailer,
        limits,
        storage,
        public_url,
    })
}

/// The areas' configuration ([`AreaConfig`]), as the server will give it to every request.
pub fn area_config(settings: &Settings) -> Result<AreaConfig, StartupError> {
    Ok(AreaConfig::from_settings(settings)?)
}

/// SMTP when `SMTP_URL` is set, else the `.eml` outbox in the data directory.
pub fn mailer(settings: &Settings) -> Result<Mailer, MailError> {
    match settings.smtp_url() {
        Some(url) => Mailer::smtp(
            url,
            &settings.mail_from,
            Duration::from_secs(settings.smtp_timeout_secs),
        ),
        None => Mailer::outbox(settings.data_dir.join("outbox"), &settings.mail_from),
    }
}

/// At `serve`: says which mailer is active (never with a password) and, for SMTP, tries
/// the server in the background. An unreachable server is a warning, not a refusal to
/// start: mail to it fails (and is logged) until it is back.
pub fn report_mailer(mailer: &Mailer) {
    tracing::info!(mailer = %mailer, "outgoing mail");
    if mailer.sends_password_in_clear() {
        tracing::warn!(
            mailer = %mailer,
            "SMTP_URL sends a password without TLS; use smtps:// or ?tls=required"
        );
    }
    if matches!(mailer, Mailer::Smtp(_)) {
        let mailer = mailer.clone();
        tokio::spawn(async move {
            match mailer.check().await {
                Ok(()) => tracing::info!(mailer = %mailer, "SMTP server reachable"),
                Err(e) => tracing::warn!(error = %e, "SMTP server not reachable; mail will fail until it is"),
            }
        });
    }
}

/// At `serve`: a missing certificate font is a warning, not a refusal to start; PDF
/// certificates answer 503 until it is there (the printable page does not need it).
pub fn report_certificate_font(dir: &Path) {
    if let Err(e) = crate::certificate_pdf::Fonts::load(dir) {
        tracing::warn!(
            error = %e,
            "PDF certificates unavailable: install fonts-dejavu-core or set AGORA_CERTIFICATE_FONT_DIR"
        );
    }
}
