//! Queries of invitations to a run (S4): storing one (only the SHA-256 of the link's
//! secret), the staff's list, withdrawing, finding one by its link, accepting (through the
//! staff's enrol path, audited) and declining, and deleting expired ones. Access is
//! decided by the callers (`courses::invitations::api`).
use super::model::{InvitationView, LIFETIME_MS};
use crate::auth::sessions::{hash_secret, new_secret};
use crate::courses::db::{CourseError, RunRow, run};
use crate::courses::staff::db::{Account, enrol_in};
use crate::platform::{AuditEntry, Db, Platform, audit};
use sqlx::Row;

type DbResult<T> = std::result::Result<T, sqlx::Error>;

/// The signed-in user's own confirmed address, if their account is active: the only
/// address whose invitations they may answer.
const OWN_ADDRESS: &str =
    "SELECT email FROM users WHERE id = $3 AND status = 'active' AND email_verified_at IS NOT NULL";

/// Records an invitation of `email` (normalised) to the run by the staff member `by`, with
/// its `audit_log` row in the same transaction, and returns the link's secret (only its
/// SHA-256 is stored). One row per run and address: inviting a waiting address again gives
/// it a new link and a new expiry (the old link stops working). A declined, unexpired
/// invitation stays declined and `None` is returned: the person said no, and is not mailed
/// again (staff may withdraw it first).
pub async fn invite(p: &Platform, r: &RunRow, by: i64, email: &str) -> DbResult<Option<String>> {
    let secret = new_secret();
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO run_invitations (run_id, email, token_hash, invited_by, created_at, expires_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending') \
         ON CONFLICT (run_id, email) DO UPDATE SET token_hash = excluded.token_hash, \
             invited_by = excluded.invited_by, created_at = excluded.created_at, \
             expires_at = excluded.expires_at, status = 'pending', answered_at = NULL \
         WHERE run_invitations.status = 'pending' OR run_invitations.expires_at <= $5 \
         RETURNING id",
    )
    .bind(r.id)
    .bind(email)
    .bind(hash_secret(&secret))
    .bind(by)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    // The address stays out of the audit log: it may be personal data of a non-user.
    audit(
        &mut *tx,
        &AuditEntry {
            at: now,
            actor: Some(by),
            action: "learner_invited_by_staff",
            subject: format!("run:{}", r.id),
            detail: format!("invitation:{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(secret))
}

/// Who an invitation to `email` is mailed to: an active account with that confirmed
/// address that is not already an active learner of the run. Asked for every address
/// alike, known or not.
pub async fn recipient(db: &Db, run: i64, email: &str) -> DbResult<Option<Account>> {
    let r = sqlx::query(
        "SELECT u.id, u.email, u.first_name, u.locale FROM users u \
         WHERE u.email = $1 AND u.status = 'active' AND u.email_verified_at IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.run_id = $2 AND e.user_id = u.id \
             AND e.status = 'active')",
    )
    .bind(email)
    .bind(run)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(|r| Account {
        id: r.get(0),
        email: r.get(1),
        first_name: r.get(2),
        locale: r.get(3),
    }))
}

/// Staff withdraw an invitation of the run (waiting or declined): the row and its address
/// are deleted, the link stops working; audited in the same transaction. `false` when the
/// run has no such invitation.
pub async fn withdraw(p: &Platform, run: i64, id: i64, by: i64) -> DbResult<bool> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM run_invitations WHERE id = $1 AND run_id = $2")
        .bind(id)
        .bind(run)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Ok(false);
    }
    audit(
        &mut *tx,
        &AuditEntry {
            at: now,
            actor: Some(by),
            action: "run_invitation_withdrawn",
            subject: format!("run:{run}"),
            detail: format!("invitation:{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A waiting, unexpired invitation of a published run of a published course, found by
/// its link's secret.
pub struct Found {
    pub run: RunRow,
    pub view: InvitationView,
    /// Whether it was sent to `user`'s own confirmed address (their account active).
    pub addressee: bool,
}

/// The invitation the link `secret` names, as seen by `user`. `None` for an unknown,
/// answered, withdrawn or expired link, and for a run or course that is no longer
/// published.
pub async fn find(p: &Platform, secret: &str, user: i64) -> DbResult<Option<Found>> {
    let row = sqlx::query(&format!(
        "SELECT i.run_id, o.name, CASE WHEN i.email = ({OWN_ADDRESS}) THEN 1 ELSE 0 END \
         FROM run_invitations i JOIN course_runs r ON r.id = i.run_id \
         JOIN courses c ON c.id = r.course_id JOIN organisations o ON o.id = c.organisation_id \
         WHERE i.token_hash = $1 AND i.status = 'pending' AND i.expires_at > $2 \
         AND r.status = 'published' AND c.status = 'published'"
    ))
    .bind(hash_secret(secret))
    .bind(p.clock.now_ms())
    .bind(user)
    .fetch_optional(&p.db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(r) = run(&p.db, row.get(0)).await? else {
        return Ok(None);
    };
    Ok(Some(Found {
        view: InvitationView {
            course_slug: r.course_slug.clone(),
            course_title: r.course_title.clone(),
            run_title: r.title.clone(),
            organisation: row.get(1),
        },
        addressee: row.get::<i64, _>(2) != 0,
        run: r,
    }))
}

/// Uses up the invitation `secret` of the run `r` for `user`, whose confirmed address it
/// was sent to: the row (and the address) is deleted and `user` becomes an active learner
/// through the staff's enrol path (`courses::staff::db::enrol_in`: past a full run and
/// closed enrolment, audited as `learner_enrolled_by_invitation`), in one transaction.
/// `false` when the link was answered, withdrawn or expired in the meantime (the DELETE's
/// conditions make a second use impossible).
pub async fn accept(p: &Platform, r: &RunRow, secret: &str, user: i64) -> Result<bool, CourseError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let used = sqlx::query(&format!(
        "DELETE FROM run_invitations WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2 \
         AND email = ({OWN_ADDRESS}) AND run_id = $4 RETURNING id, invited_by"
    ))
    .bind(hash_secret(secret))
    .bind(now)
    .bind(user)
    .bind(r.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(used) = used else {
        return Ok(false);
    };
    let (id, by): (i64, Option<i64>) = (used.get(0), used.get(1));
    let entry = AuditEntry {
        at: now,
        actor: Some(user),
        action: "learner_enrolled_by_invitation",
        subject: format!("user:{user}"),
        detail: format!(
            "run:{} invitation:{id} invited_by:{}",
            r.id,
            by.map(|b| format!("user:{b}")).unwrap_or_else(|| "-".into())
        ),
    };
    // Already an active learner (they enrolled themselves meanwhile): the link is used up
    // all the same.
    enrol_in(&mut tx, r, user, now, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// `user` declines the invitation `secret`: it stays listed to the staff as "declined"
/// (next to the address they typed, without a name) until it expires, and the link works
/// no more. `false` as for [`accept`].
pub async fn decline(p: &Platform, r: &RunRow, secret: &str, user: i64) -> DbResult<bool> {
    let now = p.clock.now_ms();
    let changed = sqlx::query(&format!(
        "UPDATE run_invitations SET status = 'declined', answered_at = $2 \
         WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2 \
         AND email = ({OWN_ADDRESS}) AND run_id = $4"
    ))
    .bind(hash_secret(secret))
    .bind(now)
    .bind(user)
    .bind(r.id)
    .execute(&p.db.pool)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// Deletes invitations past their expiry, declined ones included: nobody can answer them
/// any more, so the addresses they hold have no purpose left. Returns how many.
pub async fn purge_expired(db: &Db, now_ms: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM run_invitations WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

/// The inviting staff member's name, as the invitation mail gives it.
pub async fn inviter_name(db: &Db, user: i64) -> DbResult<String> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT TRIM(first_name || ' ' || last_name) FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(name.unwrap_or_default())
}
