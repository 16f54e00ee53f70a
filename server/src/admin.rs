//! `agora create-admin`.
use app::platform::Platform;
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("invalid e-mail address: {0}")]
    InvalidEmail(String),
    #[error("country must be a two-letter code such as DK or SE, not {0:?}")]
    InvalidCountry(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Grants the platform-admin role, creating the user if no account has that e-mail.
/// Returns the user id and whether the account was created.
pub async fn create_admin(
    p: &Platform,
    email: &str,
    first_name: &str,
    last_name: &str,
    country: &str,
) -> Result<(i64, bool), AdminError> {
    let email = email.trim().to_lowercase();
    if !(email.contains('@') && !email.starts_with('@') && !email.ends_with('@') && !email.contains(' ')) {
        return Err(AdminError::InvalidEmail(email));
    }
    let country = country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AdminError::InvalidCountry(country));
    }
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let existing = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    let (id, created) = match existing {
        Some(row) => (row.get::<i64, _>(0), false),
        None => {
            let row = sqlx::query(
                "INSERT INTO users (email, first_name, last_name, user_type, country, created_at, email_verified_at) \
                 VALUES ($1, $2, $3, 'other', $4, $5, $5) RETURNING id",
            )
            .bind(&email)
            .bind(first_name.trim())
            .bind(last_name.trim())
            .bind(&country)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (row.get::<i64, _>(0), true)
        }
    };
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', $2) \
         ON CONFLICT (user_id, role, country) DO NOTHING",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO audit_log (at, actor_user_id, action, subject, detail) VALUES ($1, NULL, 'grant_role', $2, 'platform_admin via CLI')")
        .bind(now)
        .bind(format!("user:{id}"))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((id, created))
}
