//! Course files and the course image in the database and the object store (S5, S19).
//! As for photos (`photos::db`), the row and the store never disagree in a way anyone can
//! see: an object is written under a fresh random key that is listed in `storage_orphans`
//! first; the row that names it comes in one transaction that also takes it off the list;
//! a key that a row stops naming goes on the list in that transaction and is deleted after
//! the commit ([`crate::platform::orphans`]). Access is decided by the callers.
use super::model::CourseFile;
use super::upload::Accepted;
use crate::platform::{Db, Platform, StorageError, orphans};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// How large course files may be, and how much one course may hold (`--max-course-*`
/// settings); the server provides it to every request beside the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLimits {
    /// The largest course image and lesson image accepted, in bytes.
    pub max_image_bytes: u64,
    /// The largest other course file (PDF, text, office document) accepted, in bytes.
    pub max_file_bytes: u64,
    /// How many bytes of files (lesson files and images, not the course image) one course
    /// may hold.
    pub quota_bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("no such course")]
    NoSuchCourse,
    /// The course's files would take more than its quota.
    #[error("over the course's quota")]
    OverQuota,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<FileError> for crate::error::AppError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::NoSuchCourse => crate::error::AppError::NotFound,
            FileError::OverQuota => crate::error::AppError::refused(crate::i18n::Msg::CoursesFilesErrorQuota),
            FileError::Db(e) => e.into(),
            FileError::Storage(e) => {
                tracing::error!(error = %e, "object store");
                crate::error::AppError::Internal
            }
        }
    }
}

/// A fresh, unguessable key under the course's prefix.
fn new_key(course: i64, suffix: &str) -> String {
    format!("courses/{course}/{:032x}{suffix}", rand::random::<u128>())
}

/// Stores an accepted upload and records it. On failure nothing is left that a row names,
/// and what was written is deleted (or stays listed for the sweep).
pub async fn add(
    p: &Platform,
    limits: FileLimits,
    course: i64,
    uploader: i64,
    file: Accepted,
) -> Result<CourseFile, FileError> {
    let now = p.clock.now_ms();
    let key = new_key(course, "");
    let size = file.bytes.len() as i64;
    let sha256 = hex::encode(Sha256::digest(&file.bytes));
    orphans::track(p, &[&key], now).await?;
    if let Err(e) = p.storage.put(&key, file.bytes.into()).await {
        orphans::discard(p, std::slice::from_ref(&key)).await;
        return Err(e.into());
    }
    let recorded = async {
        let mut tx = p.db.pool.begin().await?;
        // The course row's lock makes two uploads count one after the other.
        if !super::db::lock_course(&mut tx, course).await? {
            return Err(FileError::NoSuchCourse);
        }
        let used: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM course_files WHERE course_id = $1",
        )
        .bind(course)
        .fetch_one(&mut *tx)
        .await?;
        if (used + size) as u64 > limits.quota_bytes {
            return Err(FileError::OverQuota);
        }
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO course_files (course_id, uploaded_by, name, content_type, size_bytes, sha256, object_key, created_at) \
             SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM courses WHERE id = $1 RETURNING id",
        )
        .bind(course)
        .bind(uploader)
        .bind(&file.name)
        .bind(file.content_type)
        .bind(size)
        .bind(&sha256)
        .bind(&key)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Err(FileError::NoSuchCourse);
        };
        sqlx::query("DELETE FROM storage_orphans WHERE object_key = $1")
            .bind(&key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    match recorded {
        Ok(id) => Ok(CourseFile {
            id,
            name: file.name,
            content_type: file.content_type.to_string(),
            size,
        }),
        Err(e) => {
            orphans::discard(p, std::slice::from_ref(&key)).await;
            Err(e)
        }
    }
}

/// The course's files, newest first.
pub async fn list(db: &Db, course: i64) -> Result<Vec<CourseFile>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, content_type, size_bytes FROM course_files WHERE course_id = $1 ORDER BY id DESC",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| CourseFile {
            id: r.get(0),
            name: r.get(1),
            content_type: r.get(2),
            size: r.get(3),
        })
        .collect())
}

/// A file as the serving route needs it: what to check and what to send.
pub struct StoredFile {
    pub course_id: i64,
    pub name: String,
    pub content_type: String,
    pub key: String,
    /// The published runs of the course, or none while the course is a draft: the runs
    /// whose learners may see its files (S19).
    pub open_runs: Vec<i64>,
}

/// The file and, in the same query, the runs whose learners may see it.
pub async fn stored(db: &Db, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.course_id, f.name, f.content_type, f.object_key, r.id FROM course_files f \
         JOIN courses c ON c.id = f.course_id \
         LEFT JOIN course_runs r ON r.course_id = c.id AND r.status = 'published' AND c.status = 'published' \
         WHERE f.id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(StoredFile {
        course_id: first.get(0),
        name: first.get(1),
        content_type: first.get(2),
        key: first.get(3),
        open_runs: rows.iter().filter_map(|r| r.get::<Option<i64>, _>(4)).collect(),
    }))
}

/// Deletes one of the course's files. Returns whether there was one.
pub async fn delete(p: &Platform, course: i64, id: i64) -> Result<bool, FileError> {
    let mut tx = p.db.pool.begin().await?;
    let key: Option<String> =
        sqlx::query_scalar("DELETE FROM course_files WHERE id = $1 AND course_id = $2 RETURNING object_key")
            .bind(id)
            .bind(course)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(key) = key else {
        return Ok(false);
    };
    orphans::list(&mut tx, std::slice::from_ref(&key), p.clock.now_ms()).await?;
    tx.commit().await?;
    orphans::discard(p, &[key]).await;
    Ok(true)
}

/// Stores a re-encoded JPEG as the course image; the previous one is deleted. Returns the
/// new version.
pub async fn set_image(p: &Platform, course: i64, jpeg: Vec<u8>) -> Result<i64, FileError> {
    let now = p.clock.now_ms();
    let key = new_key(course, "-image.jpg");
    orphans::track(p, &[&key], now).await?;
    if let Err(e) = p.storage.put(&key, jpeg.into()).await {
        orphans::discard(p, std::slice::from_ref(&key)).await;
        return Err(e.into());
    }
    match swap_image(p, course, Some(&key), now).await {
        Ok(old) => {
            orphans::discard(p, &old).await;
            Ok(now)
        }
        Err(e) => {
            orphans::discard(p, &[key]).await;
            Err(e)
        }
    }
}

/// Removes the course image. Returns whether there was one.
pub async fn remove_image(p: &Platform, course: i64) -> Result<bool, FileError> {
    let old = swap_image(p, course, None, p.clock.now_ms()).await?;
    orphans::discard(p, &old).await;
    Ok(!old.is_empty())
}

/// Points the course at a new image key (or none) in one transaction; the old key goes on
/// the orphan list, the new one off it. Returns the old key.
async fn swap_image(
    p: &Platform,
    course: i64,
    new: Option<&str>,
    now: i64,
) -> Result<Vec<String>, FileError> {
    let mut tx = p.db.pool.begin().await?;
    // Writing first takes the row lock, so a concurrent change waits and sees this one.
    let locked = sqlx::query("UPDATE courses SET image_key = image_key WHERE id = $1")
        .bind(course)
        .execute(&mut *tx)
        .await?;
    if locked.rows_affected() == 0 {
        return Err(FileError::NoSuchCourse);
    }
    let old: Option<String> = sqlx::query_scalar("SELECT image_key FROM courses WHERE id = $1")
        .bind(course)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE courses SET image_key = $2, image_updated_at = $3 WHERE id = $1")
        .bind(course)
        .bind(new)
        .bind(new.map(|_| now))
        .execute(&mut *tx)
        .await?;
    if let Some(old) = &old {
        orphans::list(&mut tx, std::slice::from_ref(old), now).await?;
    }
    if let Some(new) = new {
        sqlx::query("DELETE FROM storage_orphans WHERE object_key = $1")
            .bind(new)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(old.into_iter().collect())
}

/// A course by its slug for the upload and image routes: id, current slug, whether it is
/// published, and its image key.
pub struct CourseRef {
    pub id: i64,
    pub slug: String,
    pub published: bool,
    pub image_key: Option<String>,
}

pub async fn course_ref(db: &Db, slug: &str) -> Result<Option<CourseRef>, sqlx::Error> {
    let row = sqlx::query("SELECT id, slug, status, image_key FROM courses WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| CourseRef {
        id: r.get(0),
        slug: r.get(1),
        published: r.get::<String, _>(2) == "published",
        image_key: r.get(3),
    }))
}
