//! Comment queries (S7, S18). Access is decided by the callers (`api.rs`).
use super::model::MAX_COMMENT_CHARS;
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::{Db, Platform};
use sqlx::Row;

pub enum CommentError {
    Invalid(Vec<FieldError>),
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for CommentError {
    fn from(e: sqlx::Error) -> Self {
        CommentError::Db(e)
    }
}

/// A comment row with its author's name; `author_active` is false for deactivated and
/// anonymised users, whose comments are not shown (T7, S14).
pub struct CommentRow {
    pub id: i64,
    pub author_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub author_active: bool,
    pub body_md: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub removed: bool,
}

/// A page of a listing's comments, oldest first, removed ones included (one query).
pub async fn comments(
    db: &Db,
    listing_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.user_id, u.first_name, u.last_name, u.status, \
         c.body_md, c.created_at, c.edited_at, c.removed_at \
         FROM listing_comments c JOIN users u ON u.id = c.user_id \
         WHERE c.listing_id = $1 ORDER BY c.created_at, c.id LIMIT $2 OFFSET $3",
    )
    .bind(listing_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| CommentRow {
            id: r.get(0),
            author_id: r.get(1),
            first_name: r.get(2),
            last_name: r.get(3),
            author_active: r.get::<String, _>(4) == "active",
            body_md: r.get(5),
            created_at: r.get(6),
            edited_at: r.get(7),
            removed: r.get::<Option<i64>, _>(8).is_some(),
        })
        .collect())
}

/// How many comments (removed ones too: they keep their place) a listing has.
pub async fn count(db: &Db, listing_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM listing_comments WHERE listing_id = $1")
        .bind(listing_id)
        .fetch_one(&db.pool)
        .await
}

fn checked(body: &str) -> Result<&str, CommentError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(CommentError::Invalid(vec![FieldError::new(
            "body",
            Msg::CommentsRequired,
        )]));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(CommentError::Invalid(vec![FieldError::new(
            "body",
            Msg::CommentsTooLong,
        )]));
    }
    Ok(body)
}

/// Adds a comment; returns its id.
pub async fn post(p: &Platform, listing_id: i64, user: i64, body: &str) -> Result<i64, CommentError> {
    let body = checked(body)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO listing_comments (listing_id, user_id, body_md, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(listing_id)
    .bind(user)
    .bind(body)
    .bind(p.clock.now_ms())
    .fetch_one(&p.db.pool)
    .await?;
    Ok(id)
}

/// The author of a comment on the listing that is still there.
pub async fn author_of(db: &Db, listing_id: i64, comment: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM listing_comments WHERE id = $1 AND listing_id = $2 AND removed_at IS NULL",
    )
    .bind(comment)
    .bind(listing_id)
    .fetch_optional(&db.pool)
    .await
}

/// The author changes their comment. `NotFound` for someone else's or a removed comment.
pub async fn edit(
    p: &Platform,
    listing_id: i64,
    comment: i64,
    user: i64,
    body: &str,
) -> Result<(), CommentError> {
    let body = checked(body)?;
    let done = sqlx::query(
        "UPDATE listing_comments SET body_md = $1, edited_at = $2 \
         WHERE id = $3 AND listing_id = $4 AND user_id = $5 AND removed_at IS NULL",
    )
    .bind(body)
    .bind(p.clock.now_ms())
    .bind(comment)
    .bind(listing_id)
    .bind(user)
    .execute(&p.db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(CommentError::NotFound);
    }
    Ok(())
}

/// Removes a comment: its text is erased and it keeps its place as "comment removed".
/// With `audited` (a moderator, not the author) an `audit_log` row records who removed
/// whose comment, in the same transaction.
pub async fn remove(
    p: &Platform,
    listing_id: i64,
    comment: i64,
    by: i64,
    audited: bool,
) -> Result<(), CommentError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let author: Option<i64> = sqlx::query_scalar(
        "UPDATE listing_comments SET removed_at = $1, removed_by = $2, body_md = '' \
         WHERE id = $3 AND listing_id = $4 AND removed_at IS NULL RETURNING user_id",
    )
    .bind(now)
    .bind(by)
    .bind(comment)
    .bind(listing_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(author) = author else {
        return Err(CommentError::NotFound);
    };
    if audited {
        use crate::platform::audit::{AuditEntry, record};
        record(
            &mut *tx,
            &AuditEntry {
                at: now,
                actor: Some(by),
                action: "comment_removed",
                subject: format!("comment:{comment}"),
                detail: format!("listing:{listing_id} author:{author}"),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
