//! Periodic clean-up that no request triggers: invitations nobody can use any more, stored
//! files no row names, attempt counts older than any limit's window (PostgreSQL; they hold
//! client addresses and account ids). Runs hourly inside `serve`, and once with
//! `agora housekeeping`.
use app::platform::Platform;
use std::time::Duration;

/// How often `serve` runs [`run_once`].
const EVERY: Duration = Duration::from_secs(3600);
/// Uploads younger than this may still be in progress, so their files are left alone.
const ORPHAN_MIN_AGE_MS: i64 = 3600 * 1000;

/// What one pass removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub expired_invitations: u64,
    /// Invitations to course runs past their expiry, declined ones included.
    pub expired_run_invitations: u64,
    pub orphan_files: usize,
    pub old_attempts: u64,
}

/// One pass. A failing task is logged and the others still run.
pub async fn run_once(p: &Platform) -> Report {
    let mut report = Report::default();
    match app::organisations::db::purge_expired_invitations(&p.db, p.clock.now_ms()).await {
        Ok(n) => report.expired_invitations = n,
        Err(e) => tracing::error!(error = %e, "could not purge expired invitations"),
    }
    match app::courses::invitations::db::purge_expired(&p.db, p.clock.now_ms()).await {
        Ok(n) => report.expired_run_invitations = n,
        Err(e) => tracing::error!(error = %e, "could not purge expired run invitations"),
    }
    match app::photos::db::sweep_orphans(p, ORPHAN_MIN_AGE_MS).await {
        Ok(n) => report.orphan_files = n,
        Err(e) => tracing::error!(error = %e, "could not sweep orphaned files"),
    }
    match app::platform::rate_limit::purge(&p.db, p.clock.now_ms()).await {
        Ok(n) => report.old_attempts = n,
        Err(e) => tracing::error!(error = %e, "could not delete old attempt counts"),
    }
    report
}

/// How often `serve` reloads the subject tags (T12) another instance may have changed.
const SUBJECT_TAGS_EVERY: Duration = Duration::from_secs(60);

/// Runs [`run_once`] now and then every hour, and reloads the subject tags every minute, for
/// as long as the server runs.
pub fn spawn(p: Platform) {
    let db = p.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SUBJECT_TAGS_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = app::taxonomy::subject_tags::db::reload(&db).await {
                tracing::warn!(error = %e, "could not reload the subject tags");
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            let report = run_once(&p).await;
            tracing::info!(?report, "housekeeping done");
        }
    });
}
