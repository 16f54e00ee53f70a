//! The identities linked to an account (S6): listing and unlinking. Linking happens in
//! `flow`, where a provider has just vouched for the identity.
use super::model::LinkedIdentity;
use super::providers::Providers;
use crate::platform::{Dialect, Platform};
use sqlx::Row;

/// Whether the account has a password, and its linked identities, in one query.
pub async fn sign_in_methods(
    p: &Platform,
    providers: &Providers,
    user: i64,
) -> Result<(bool, Vec<LinkedIdentity>), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, i.id, i.provider, i.email, i.created_at \
         FROM users u LEFT JOIN user_identities i ON i.user_id = u.id \
         WHERE u.id = $1 ORDER BY i.created_at, i.id",
    )
    .bind(user)
    .fetch_all(&p.db.pool)
    .await?;
    let has_password = rows.first().is_some_and(|r| r.get::<i64, _>(0) == 1);
    let linked = rows
        .iter()
        .filter_map(|r| {
            let id: Option<i64> = r.get(1);
            let provider: String = r.get::<Option<String>, _>(2)?;
            Some(LinkedIdentity {
                id: id?,
                provider_name: providers.name(&provider),
                provider,
                email: r.get(3),
                created_at: r.get::<Option<i64>, _>(4).unwrap_or(0),
            })
        })
        .collect();
    Ok((has_password, linked))
}

/// The account an identity belongs to.
pub async fn identity_owner(p: &Platform, identity: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM user_identities WHERE id = $1")
        .bind(identity)
        .fetch_optional(&p.db.pool)
        .await
}

#[derive(Debug, PartialEq, Eq)]
pub enum Unlinked {
    Done,
    /// It is the account's only way in: no password and no other identity.
    LastWayIn,
    NotFound,
}

/// Removes one identity of `user`, unless that would leave the account with no way to
/// sign in. On PostgreSQL the user row is locked first, so two simultaneous unlinks of an
/// account's last two identities cannot both succeed; SQLite writes one at a time anyway.
pub async fn unlink(p: &Platform, user: i64, identity: i64) -> Result<Unlinked, sqlx::Error> {
    let mut tx = p.db.pool.begin().await?;
    if p.db.dialect == Dialect::Postgres {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    let deleted = sqlx::query(
        "DELETE FROM user_identities WHERE id = $1 AND user_id = $2 AND ( \
             EXISTS (SELECT 1 FROM users WHERE id = $2 AND password_hash IS NOT NULL) \
             OR (SELECT COUNT(*) FROM user_identities WHERE user_id = $2) > 1)",
    )
    .bind(identity)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 1 {
        tx.commit().await?;
        return Ok(Unlinked::Done);
    }
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM user_identities WHERE id = $1 AND user_id = $2")
            .bind(identity)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    tx.rollback().await?;
    Ok(if exists.is_some() {
        Unlinked::LastWayIn
    } else {
        Unlinked::NotFound
    })
}
