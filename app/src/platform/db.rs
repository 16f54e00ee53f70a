//! One database handle for SQLite and PostgreSQL. Queries go through sqlx's `Any` driver
//! and are written once in the common dialect: `$1` placeholders (SQLite binds `$N` by
//! number too), `BIGINT` integers and millisecond timestamps, `RETURNING`, and explicit
//! `CAST(... AS DOUBLE PRECISION)` around averages. Where the dialects truly differ
//! (e.g. `FOR UPDATE SKIP LOCKED`), code branches on [`Db::dialect`].
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::{str::FromStr, time::Duration};

/// The highest page number any list accepts: beyond it, lists show that page. Page
/// numbers come from the query string, and `page * per_page` must not overflow
/// (issue 13: the caller's mistake is never a server error).
pub const MAX_PAGE: i64 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub dialect: Dialect,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0} (use sqlite:// or postgres://)")]
    Unsupported(String),
    #[error("cannot connect to database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

impl Dialect {
    pub fn of_url(url: &str) -> Option<Dialect> {
        if url.starts_with("sqlite:") {
            Some(Dialect::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Dialect::Postgres)
        } else {
            None
        }
    }
}

pub use super::redact::redact_url;

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_url(url).ok_or_else(|| DbError::Unsupported(redact_url(url)))?;
        let connect_err = |source| DbError::Connect {
            url: redact_url(url),
            source,
        };
        let options = AnyConnectOptions::from_str(url)
            .map_err(connect_err)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool_options = match dialect {
            Dialect::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            Dialect::Postgres => AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5)),
        };
        let pool = pool_options.connect_with(options).await.map_err(connect_err)?;
        Ok(Db { pool, dialect })
    }

    /// True when a trivial query succeeds (used by `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_from_url() {
        assert_eq!(Dialect::of_url("sqlite://x.db"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::of_url("postgresql://h/db"), Some(Dialect::Postgres));
        assert_eq!(Dialect::of_url("mysql://h/db"), None);
    }
}
