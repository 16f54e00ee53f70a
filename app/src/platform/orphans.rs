//! Objects in the store that no row names (yet, or any more), listed in `storage_orphans`
//! for as long as they exist. A feature that stores a file lists its key with [`track`]
//! before writing it, and removes it from the list in the transaction that makes a row
//! name it; a key a row stops naming goes back on the list in that transaction, and is
//! deleted with [`discard`] after the commit. Whatever a crash or an unreachable store
//! leaves behind is deleted by [`sweep`] later (housekeeping).
use super::Platform;

/// Lists keys that are about to be written.
pub async fn track(p: &Platform, keys: &[&str], now: i64) -> Result<(), sqlx::Error> {
    let mut conn = p.db.pool.acquire().await?;
    list(&mut conn, keys, now).await
}

/// Lists keys on `conn`: pass the transaction in which rows stop naming them.
pub async fn list<K: AsRef<str>>(
    conn: &mut sqlx::AnyConnection,
    keys: &[K],
    now: i64,
) -> Result<(), sqlx::Error> {
    for key in keys {
        sqlx::query(
            "INSERT INTO storage_orphans (object_key, since) VALUES ($1, $2) ON CONFLICT (object_key) DO NOTHING",
        )
        .bind(key.as_ref())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes objects that no row names, and forgets those that are gone. One that cannot be
/// deleted now stays listed for [`sweep`]. Returns how many were deleted.
pub async fn discard(p: &Platform, keys: &[String]) -> usize {
    let mut deleted = 0;
    for key in keys {
        if let Err(e) = p.storage.delete(key).await {
            tracing::warn!(error = %e, "could not delete an unused object; it stays listed for the sweep");
            continue;
        }
        if let Err(e) = sqlx::query("DELETE FROM storage_orphans WHERE object_key = $1")
            .bind(key)
            .execute(&p.db.pool)
            .await
        {
            tracing::warn!(error = %e, "could not forget a deleted object");
        }
        deleted += 1;
    }
    deleted
}

/// Deletes the listed orphans that are older than `min_age_ms` (younger ones may belong to
/// an upload in progress). Returns how many were deleted.
pub async fn sweep(p: &Platform, min_age_ms: i64) -> Result<usize, sqlx::Error> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT object_key FROM storage_orphans WHERE since <= $1 ORDER BY since LIMIT 1000",
    )
    .bind(p.clock.now_ms() - min_age_ms)
    .fetch_all(&p.db.pool)
    .await?;
    Ok(discard(p, &keys).await)
}
