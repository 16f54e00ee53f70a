//! Single-use, expiring links: e-mail verification, password reset, e-mail change.
use crate::auth::sessions::{hash_secret, new_secret};
use sqlx::{Any, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
        }
    }

    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::VerifyEmail | Purpose::ChangeEmail => 24 * 3600 * 1000,
            Purpose::ResetPassword => 3600 * 1000,
        }
    }
}

/// Issues a link secret inside the caller's transaction, so the token exists exactly when
/// the change that needs it does.
pub async fn issue(
    conn: &mut sqlx::AnyConnection,
    user: i64,
    purpose: Purpose,
    new_email: Option<&str>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let secret = new_secret();
    sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_secret(&secret))
    .bind(user)
    .bind(purpose.as_str())
    .bind(new_email)
    .bind(now)
    .bind(now + purpose.lifetime_ms())
    .execute(conn)
    .await?;
    Ok(secret)
}

/// Uses a link: succeeds once, before it expires, for its own purpose only. The single
/// UPDATE makes two simultaneous uses impossible.
pub async fn consume<'c, E>(
    executor: E,
    secret: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<(i64, Option<String>)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE one_time_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, new_email",
    )
    .bind(now)
    .bind(hash_secret(secret))
    .bind(purpose.as_str())
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|r| (r.get::<i64, _>(0), r.get::<Option<String>, _>(1))))
}
