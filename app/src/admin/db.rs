//! Queries of the admin user list: one for the page, one for the total, one for the roles
//! of the users on the page (never one per user).
use super::model::{UserFilter, UserPage, UserRow};
use crate::platform::Platform;
use sqlx::Row;

pub const PER_PAGE: i64 = 50;

pub async fn list_users(p: &Platform, f: &UserFilter) -> Result<UserPage, sqlx::Error> {
    let q = format!("%{}%", f.q.trim().to_lowercase().replace(['%', '_'], ""));
    let page = f.page.clamp(0, crate::platform::db::MAX_PAGE);
    // Empty filter values match everyone.
    let filter = "FROM users u WHERE (LOWER(u.first_name || ' ' || u.last_name) LIKE $1 OR LOWER(u.email) LIKE $1) \
         AND ($2 = '' OR u.country = $2) \
         AND ($3 = '' OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $3))";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(&q)
        .bind(&f.country)
        .bind(&f.role)
        .fetch_one(&p.db.pool)
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.first_name, u.last_name, u.email, u.country, u.user_type, u.status {filter} \
         ORDER BY u.last_name, u.first_name, u.id LIMIT $4 OFFSET $5"
    ))
    .bind(&q)
    .bind(&f.country)
    .bind(&f.role)
    .bind(PER_PAGE)
    .bind(page * PER_PAGE)
    .fetch_all(&p.db.pool)
    .await?;
    let mut users: Vec<UserRow> = rows
        .into_iter()
        .map(|r| UserRow {
            id: r.get(0),
            first_name: r.get(1),
            last_name: r.get(2),
            email: r.get(3),
            country: r.get(4),
            user_type: r.get(5),
            status: r.get(6),
            roles: Vec::new(),
        })
        .collect();
    if !users.is_empty() {
        let placeholders: Vec<String> = (1..=users.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT user_id, role, country FROM role_grants WHERE user_id IN ({}) ORDER BY role, country",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for u in &users {
            query = query.bind(u.id);
        }
        for r in query.fetch_all(&p.db.pool).await? {
            let user: i64 = r.get(0);
            if let Some(u) = users.iter_mut().find(|u| u.id == user) {
                u.roles.push((r.get(1), r.get(2)));
            }
        }
    }
    Ok(UserPage {
        rows: users,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Grants or removes the national-validator role for a country, with an audit record.
/// Returns false when the user does not exist or nothing changed.
pub async fn set_validator(
    p: &Platform,
    by: i64,
    user: i64,
    country: &str,
    grant: bool,
) -> Result<bool, sqlx::Error> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    let changed = if grant {
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, country, granted_by, granted_at) \
             VALUES ($1, 'national_validator', $2, $3, $4) ON CONFLICT (user_id, role, country) DO NOTHING",
        )
        .bind(user)
        .bind(country)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query(
            "DELETE FROM role_grants WHERE user_id = $1 AND role = 'national_validator' AND country = $2",
        )
        .bind(user)
        .bind(country)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    };
    if changed > 0 {
        crate::platform::audit(
            &mut *tx,
            &crate::platform::AuditEntry {
                at: now,
                actor: Some(by),
                action: if grant { "grant_role" } else { "remove_role" },
                subject: format!("user:{user}"),
                detail: format!("national_validator:{country}"),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed > 0)
}
