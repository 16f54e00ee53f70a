//! Server-side sessions. The browser holds a random 256-bit secret in the `agora_session`
//! cookie (HttpOnly, SameSite=Lax, Secure when the public URL is https); the database holds
//! only its SHA-256, so a leaked database row cannot be replayed as a cookie.
use crate::platform::Db;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "agora_session";
pub const LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

/// The `Set-Cookie` value that hands a session to the browser. HttpOnly: no script reads it;
/// SameSite=Lax: not sent with cross-site form posts.
pub fn set_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        LIFETIME_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn new_secret() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Starts a session; `replacing` is the secret the browser presented, if any, which ends
/// (rotation at login: a session id fixed before sign-in is never the signed-in one).
pub async fn create(db: &Db, user: i64, replacing: Option<&str>, now: i64) -> Result<String, sqlx::Error> {
    let secret = new_secret();
    let mut tx = db.pool.begin().await?;
    if let Some(old) = replacing {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash_secret(old))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash_secret(&secret))
        .bind(user)
        .bind(now)
        .bind(now + LIFETIME_MS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(secret)
}

/// The user of a live session of an active account.
pub async fn user_for(db: &Db, secret: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.status = 'active'",
    )
    .bind(hash_secret(secret))
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

pub async fn end(db: &Db, secret: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash_secret(secret))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// "Sign out everywhere", and what a password change does.
pub async fn end_all(db: &Db, user: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&db.pool)
        .await?
        .rows_affected())
}
