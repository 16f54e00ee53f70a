//! Photo rules. The row and the object store never disagree in a way a user can see: new
//! objects are written under fresh keys before the row names them, the row changes in one
//! transaction, and replaced objects are deleted only after it commits. Every object that
//! no row names is listed in `storage_orphans` for as long as it exists, so one a crash or an
//! unreachable store leaves behind is deleted by [`sweep_orphans`] later.
use super::process::Processed;
use crate::platform::{Db, Platform, StorageError};
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// No active account with this id.
    #[error("no such user")]
    NoSuchUser,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A user's photo as the serving route needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPhoto {
    /// Hidden profiles (deactivated, anonymised) show no photo (T7, S14).
    pub visible: bool,
    pub main_key: Option<String>,
    pub thumb_key: Option<String>,
    pub updated_at: Option<i64>,
}

pub async fn photo_of(db: &Db, user: i64) -> Result<Option<StoredPhoto>, sqlx::Error> {
    let row =
        sqlx::query("SELECT status, photo_key, photo_thumb_key, photo_updated_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|r| StoredPhoto {
        visible: r.get::<String, _>(0) == "active",
        main_key: r.get(1),
        thumb_key: r.get(2),
        updated_at: r.get(3),
    }))
}

/// The user's full name and photo version (`photo_updated_at`, `None` without a photo).
pub async fn name_and_version(db: &Db, user: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    let row: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT first_name, last_name, photo_updated_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(first, last, version)| (format!("{first} {last}"), version)))
}

/// Fresh, unguessable keys for a new photo and its thumbnail.
fn new_keys(user: i64) -> (String, String) {
    let id = format!("{:032x}", rand::random::<u128>());
    (
        format!("photos/{user}/{id}.jpg"),
        format!("photos/{user}/{id}-thumb.jpg"),
    )
}

/// Stores the processed photo and makes it the user's; the previous one is deleted. On any
/// failure the previous photo stays exactly as it was. Returns the new version
/// (`photo_updated_at`).
pub async fn replace_photo(p: &Platform, user: i64, images: Processed) -> Result<i64, PhotoError> {
    let now = p.clock.now_ms();
    let (main, thumb) = new_keys(user);
    // Listed before they exist: a crash after storing leaves nothing untracked.
    sqlx::query("INSERT INTO storage_orphans (object_key, since) VALUES ($1, $3), ($2, $3)")
        .bind(&main)
        .bind(&thumb)
        .bind(now)
        .execute(&p.db.pool)
        .await?;
    let fresh = [main.clone(), thumb.clone()];
    let stored = async {
        p.storage.put(&main, images.main.into()).await?;
        p.storage.put(&thumb, images.thumb.into()).await
    }
    .await;
    if let Err(e) = stored {
        discard(p, &fresh).await;
        return Err(e.into());
    }
    match swap(p, user, Some((&main, &thumb)), now).await {
        Ok(old) => {
            discard(p, &old).await;
            Ok(now)
        }
        Err(e) => {
            discard(p, &fresh).await;
            Err(e)
        }
    }
}

/// Removes the user's photo. Returns whether there was one.
pub async fn remove_photo(p: &Platform, user: i64) -> Result<bool, PhotoError> {
    let old = swap(p, user, None, p.clock.now_ms()).await?;
    discard(p, &old).await;
    Ok(!old.is_empty())
}

/// Points the row at the new keys (or at none) and moves keys between the row and the
/// orphan list, in one transaction. Returns the keys that the row no longer names.
async fn swap(
    p: &Platform,
    user: i64,
    new: Option<(&str, &str)>,
    now: i64,
) -> Result<Vec<String>, PhotoError> {
    let mut tx = p.db.pool.begin().await?;
    // Writing first takes the row lock (PostgreSQL) or the write lock (SQLite), so a
    // concurrent change of the same photo waits and then sees this one's keys.
    let locked = sqlx::query(
        "UPDATE users SET photo_updated_at = photo_updated_at WHERE id = $1 AND status = 'active'",
    )
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if locked.rows_affected() == 0 {
        return Err(PhotoError::NoSuchUser);
    }
    let row = sqlx::query("SELECT photo_key, photo_thumb_key FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    let old: Vec<String> = [row.get::<Option<String>, _>(0), row.get::<Option<String>, _>(1)]
        .into_iter()
        .flatten()
        .collect();
    let (main, thumb) = new.unzip();
    sqlx::query("UPDATE users SET photo_key = $1, photo_thumb_key = $2, photo_updated_at = $3 WHERE id = $4")
        .bind(main)
        .bind(thumb)
        .bind(new.map(|_| now))
        .bind(user)
        .execute(&mut *tx)
        .await?;
    crate::platform::orphans::list(&mut tx, &old, now).await?;
    if let Some((main, thumb)) = new {
        sqlx::query("DELETE FROM storage_orphans WHERE object_key = $1 OR object_key = $2")
            .bind(main)
            .bind(thumb)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(old)
}

async fn discard(p: &Platform, keys: &[String]) -> usize {
    crate::platform::orphans::discard(p, keys).await
}

/// Deletes the listed orphans that are older than `min_age_ms` (younger ones may belong to
/// an upload in progress), whichever feature left them. Returns how many were deleted.
pub async fn sweep_orphans(p: &Platform, min_age_ms: i64) -> Result<usize, PhotoError> {
    Ok(crate::platform::orphans::sweep(p, min_age_ms).await?)
}
