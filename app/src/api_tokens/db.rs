//! API token queries. Access is decided by the callers (`api.rs`, the `/api/v1` router).
//!
//! A secret is `agora_` and 43 characters (256 random bits, base64url, made and hashed by
//! the same helpers as session and link secrets). The table keeps its SHA-256 and its
//! first characters (`prefix`) only.
use super::model::{ApiTokenRow, NAME_MAX};
use crate::auth::sessions::{hash_secret, new_secret};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::{Db, Platform, clock::date_of_ms};
use sqlx::Row;

/// What every secret starts with, so they are easy to recognise (and to find in leaks).
pub const SECRET_START: &str = "agora_";
/// How much of a secret the table and the page keep: the fixed start and 8 characters.
const PREFIX_LEN: usize = SECRET_START.len() + 8;
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY_MS: i64 = 60_000;

pub enum TokenError {
    Invalid(Vec<FieldError>),
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for TokenError {
    fn from(e: sqlx::Error) -> Self {
        TokenError::Db(e)
    }
}

/// A live token: which one, and whose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenOwner {
    pub token_id: i64,
    pub organisation_id: i64,
}

fn audit_sql() -> &'static str {
    "INSERT INTO audit_log (at, actor_user_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)"
}

/// Creates a token named `name` for the organisation; returns the secret, which is not
/// stored and cannot be had again.
pub async fn create(p: &Platform, org: i64, by: i64, name: &str) -> Result<String, TokenError> {
    let name = name.trim();
    if let Some(m) = crate::check::line_problem(name, true, NAME_MAX, Msg::ApiTokenNameTooLong) {
        return Err(TokenError::Invalid(vec![FieldError::new("name", m)]));
    }
    let secret = format!("{SECRET_START}{}", new_secret());
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisation_api_tokens (organisation_id, name, prefix, token_hash, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org)
    .bind(name)
    .bind(&secret[..PREFIX_LEN])
    .bind(hash_secret(&secret))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(audit_sql())
        .bind(now)
        .bind(by)
        .bind("api_token_create")
        .bind(format!("organisation:{org}"))
        .bind(format!("api_token:{id}"))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(secret)
}

/// A time as `YYYY-MM-DD HH:MM` in UTC (the page says "UTC": tokens are used by
/// machines, in no particular time zone).
fn utc_minute(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{} {:02}:{:02}", date_of_ms(ms), secs / 3600, secs % 3600 / 60)
}

/// The organisation's tokens, newest first, revoked ones included.
pub async fn list(db: &Db, org: i64) -> Result<Vec<ApiTokenRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM organisation_api_tokens \
         WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(org)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiTokenRow {
            id: r.get(0),
            name: r.get(1),
            prefix: r.get(2),
            created_at: utc_minute(r.get(3)),
            last_used_at: r.get::<Option<i64>, _>(4).map(utc_minute),
            revoked_at: r.get::<Option<i64>, _>(5).map(utc_minute),
        })
        .collect())
}

/// Revokes one of the organisation's live tokens, with an audit record. A token of another
/// organisation, an unknown or an already revoked one is `NotFound`.
pub async fn revoke(p: &Platform, org: i64, id: i64, by: i64) -> Result<(), TokenError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE organisation_api_tokens SET revoked_at = $1 \
         WHERE id = $2 AND organisation_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(TokenError::NotFound);
    }
    sqlx::query(audit_sql())
        .bind(now)
        .bind(by)
        .bind("api_token_revoke")
        .bind(format!("organisation:{org}"))
        .bind(format!("api_token:{id}"))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `secret` is a live token of the organisation (the page checks the secret it is
/// about to show once).
pub async fn is_live_token_of(db: &Db, org: i64, secret: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisation_api_tokens \
         WHERE token_hash = $1 AND organisation_id = $2 AND revoked_at IS NULL",
    )
    .bind(hash_secret(secret))
    .bind(org)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// The live token `secret` is, if any; notes that it was used (at most once a minute).
pub async fn authenticate(db: &Db, secret: &str, now: i64) -> Result<Option<TokenOwner>, sqlx::Error> {
    if !secret.starts_with(SECRET_START) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.id, t.organisation_id, t.last_used_at FROM organisation_api_tokens t \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
    )
    .bind(hash_secret(secret))
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let owner = TokenOwner {
        token_id: r.get(0),
        organisation_id: r.get(1),
    };
    let last: Option<i64> = r.get(2);
    if last.is_none_or(|t| now - t >= TOUCH_EVERY_MS) {
        sqlx::query(
            "UPDATE organisation_api_tokens SET last_used_at = $1 \
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(now)
        .bind(owner.token_id)
        .bind(now - TOUCH_EVERY_MS)
        .execute(&db.pool)
        .await?;
    }
    Ok(Some(owner))
}
