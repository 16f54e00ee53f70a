//! Schema migrations, one SQL file per dialect per step, kept in step by number
//! (`migrations/{sqlite,postgres}/NNNN_name.sql`). Applied in order at start, each in a
//! transaction together with its bookkeeping row, so a failed step leaves nothing
//! half-applied. An applied step whose file later changed is refused, not re-run.
use super::db::{Db, DbError, Dialect};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!("../../../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../../../migrations/postgres/", $file, ".sql")),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_accounts"),
    migration!(3, "0003_identities"),
    migration!(4, "0004_profile_photos"),
    migration!(5, "0005_organisations"),
    migration!(6, "0006_organisation_invitations"),
    migration!(7, "0007_catalogue"),
    migration!(8, "0008_courses"),
    migration!(9, "0009_catalogue_indexes"),
    migration!(10, "0010_course_staff"),
    migration!(11, "0011_runs_listings_groups"),
    migration!(12, "0012_course_files"),
    migration!(13, "0013_module_badges"),
    migration!(14, "0014_subject_tags"),
    migration!(15, "0015_run_invitations"),
    migration!(16, "0016_rate_limits"),
];

impl Migration {
    pub fn sql(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }

    fn checksum(&self, dialect: Dialect) -> String {
        hex::encode(Sha256::digest(self.sql(dialect).as_bytes()))
    }
}

const BOOKKEEPING: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// Applies every pending migration. Returns the versions applied now.
pub async fn migrate(db: &Db, now_ms: i64) -> Result<Vec<i64>, DbError> {
    let mut conn = db.pool.acquire().await?;
    if db.dialect == Dialect::Postgres {
        // Several app nodes may start at once; one migrates, the others wait.
        sqlx::query("SELECT pg_advisory_lock(727274)")
            .execute(&mut *conn)
            .await?;
    }
    let result = apply_pending(&mut conn, db.dialect, now_ms).await;
    if db.dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(727274)")
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply_pending(
    conn: &mut sqlx::AnyConnection,
    dialect: Dialect,
    now_ms: i64,
) -> Result<Vec<i64>, DbError> {
    use sqlx::Connection;
    sqlx::query(BOOKKEEPING).execute(&mut *conn).await?;
    let applied: Vec<(i64, String)> = sqlx::query("SELECT version, checksum FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        .collect();
    let mut done = Vec::new();
    for m in MIGRATIONS {
        let sum = m.checksum(dialect);
        if let Some((_, recorded)) = applied.iter().find(|(v, _)| *v == m.version) {
            if *recorded != sum {
                return Err(DbError::Migrate(format!(
                    "migration {} ({}) was changed after it was applied",
                    m.version, m.name
                )));
            }
            continue;
        }
        let mut tx = conn.begin().await?;
        sqlx::raw_sql(m.sql(dialect))
            .execute(&mut *tx)
            .await
            .map_err(|e| DbError::Migrate(format!("{}: {e}", m.name)))?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(&sum)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        done.push(m.version);
    }
    Ok(done)
}

/// Every (table, column) of the application schema, sorted; the test suite compares the
/// two dialects with it.
pub async fn schema_columns(db: &Db) -> Result<Vec<(String, String)>, DbError> {
    let sql = match db.dialect {
        Dialect::Sqlite => {
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
        }
        Dialect::Postgres => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY 1, 2"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_for_both_dialects() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        for dialect in ["sqlite", "postgres"] {
            let mut files: Vec<String> = std::fs::read_dir(format!("{root}/{dialect}"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|f| f.ends_with(".sql"))
                .collect();
            files.sort();
            let listed: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.name)).collect();
            assert_eq!(files, listed, "migrations/{dialect} and MIGRATIONS differ");
        }
    }

    #[test]
    fn versions_are_consecutive_and_match_file_numbers() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}
