//! The audit log (S10, S15): who did what to which thing, never the content itself.
use sqlx::{Any, Executor};

/// One audit record. `subject` names the thing (`user:42`, `organisation:7`), `detail`
/// says what changed in a few words.
pub struct AuditEntry<'a> {
    pub at: i64,
    pub actor: Option<i64>,
    pub action: &'a str,
    pub subject: String,
    pub detail: String,
}

/// Writes the record with `executor`: pass the open transaction of the change itself so
/// that both land together or neither does.
pub async fn record<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    entry: &AuditEntry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(entry.at)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(&entry.subject)
    .bind(&entry.detail)
    .execute(executor)
    .await?;
    Ok(())
}
