//! Profiles: what signed-in users see of each other (S17), and editing one's own (S22).
use super::model::{
    AccountSettings, FieldError, Me, ProfileBadge, ProfileEdit, ProfileOrganisation, PublicProfile,
};
use super::validate;
use crate::platform::Platform;
use sqlx::{AnyConnection, Row};

/// Replaces a user's subjects and languages (deduplicated).
pub async fn replace_tags(
    conn: &mut AnyConnection,
    user: i64,
    subjects: &[String],
    languages: &[String],
) -> Result<(), sqlx::Error> {
    for (table, column, values) in [
        ("user_subjects", "subject", subjects),
        ("user_languages", "language", languages),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user)
            .execute(&mut *conn)
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        for v in values.iter().filter(|v| seen.insert(v.as_str())) {
            sqlx::query(&format!(
                "INSERT INTO {table} (user_id, {column}) VALUES ($1, $2)"
            ))
            .bind(user)
            .bind(v)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Subjects and languages of one user, in one query.
async fn tags(p: &Platform, user: i64) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT 's' AS kind, subject AS v FROM user_subjects WHERE user_id = $1 \
         UNION ALL SELECT 'l', language FROM user_languages WHERE user_id = $1 ORDER BY 1, 2",
    )
    .bind(user)
    .fetch_all(&p.db.pool)
    .await?;
    let (mut subjects, mut languages) = (Vec::new(), Vec::new());
    for r in rows {
        let (kind, v): (String, String) = (r.get(0), r.get(1));
        if kind == "s" {
            subjects.push(v)
        } else {
            languages.push(v)
        }
    }
    Ok((subjects, languages))
}

/// A user's profile if the account is active; `None` for missing, deactivated or anonymised
/// accounts alike.
pub async fn public_profile(p: &Platform, user: i64) -> Result<Option<PublicProfile>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT id, first_name, last_name, country, user_type, role_at_school, description, website, \
         verified_at, CASE WHEN photo_key IS NULL THEN NULL ELSE photo_updated_at END \
         FROM users WHERE id = $1 AND status = 'active'",
    )
    .bind(user)
    .fetch_optional(&p.db.pool)
    .await?
    else {
        return Ok(None);
    };
    let (subjects, languages) = tags(p, user).await?;
    let organisations = sqlx::query(
        "SELECT o.slug, o.name FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user)
    .fetch_all(&p.db.pool)
    .await?
    .into_iter()
    .map(|o| ProfileOrganisation {
        slug: o.get(0),
        name: o.get(1),
    })
    .collect();
    // Badges of courses that are public now; a course taken back to draft is "not found"
    // for everyone but its staff, so its badges are not shown either.
    let badges = sqlx::query(
        "SELECT b.name, c.title, c.slug, b.earned_at FROM module_badges b JOIN courses c ON c.id = b.course_id \
         WHERE b.user_id = $1 AND c.status = 'published' ORDER BY b.earned_at DESC, b.id DESC",
    )
    .bind(user)
    .fetch_all(&p.db.pool)
    .await?
    .into_iter()
    .map(|b| ProfileBadge {
        name: b.get(0),
        course_title: b.get(1),
        course_slug: b.get(2),
        earned_on: crate::dates::day_of(b.get(3)),
    })
    .collect();
    Ok(Some(PublicProfile {
        id: r.get(0),
        first_name: r.get(1),
        last_name: r.get(2),
        country: r.get(3),
        user_type: r.get(4),
        role_at_school: r.get(5),
        description: r.get(6),
        website: r.get(7),
        verified: r.get::<Option<i64>, _>(8).is_some(),
        subjects,
        languages,
        organisations,
        photo_version: r.get::<Option<i64>, _>(9),
        badges,
    }))
}

pub async fn me(p: &Platform, user: i64) -> Result<Option<Me>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.first_name, u.last_name, \
         (SELECT COUNT(*) FROM role_grants g WHERE g.user_id = u.id AND g.role = 'platform_admin') \
         FROM users u WHERE u.id = $1 AND u.status = 'active'",
    )
    .bind(user)
    .fetch_optional(&p.db.pool)
    .await?;
    Ok(row.map(|r| Me {
        id: user,
        first_name: r.get(0),
        last_name: r.get(1),
        is_admin: r.get::<i64, _>(2) > 0,
    }))
}

pub async fn settings(p: &Platform, user: i64) -> Result<Option<AccountSettings>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT email, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END, first_name, last_name, user_type, country, role_at_school, \
         pupil_age_range, description, website, \
         (SELECT c.granted FROM consents c WHERE c.user_id = u.id AND c.kind = 'newsletter' \
          ORDER BY c.at DESC, c.id DESC LIMIT 1) \
         FROM users u WHERE id = $1 AND status = 'active'",
    )
    .bind(user)
    .fetch_optional(&p.db.pool)
    .await?
    else {
        return Ok(None);
    };
    let (subjects, languages) = tags(p, user).await?;
    Ok(Some(AccountSettings {
        email: r.get(0),
        has_password: r.get::<i64, _>(1) == 1,
        newsletter: r.get::<Option<i64>, _>(10) == Some(1),
        profile: ProfileEdit {
            first_name: r.get(2),
            last_name: r.get(3),
            user_type: r.get(4),
            country: r.get(5),
            role_at_school: r.get(6),
            pupil_age_range: r.get(7),
            description: r.get(8),
            website: r.get(9),
            subjects,
            languages,
        },
    }))
}

/// Rectification (S22): validated, then stored in one transaction.
pub async fn update(p: &Platform, user: i64, edit: &ProfileEdit) -> Result<(), UpdateError> {
    let errors = validate::profile(edit);
    if !errors.is_empty() {
        return Err(UpdateError::Invalid(errors));
    }
    let mut tx = p.db.pool.begin().await?;
    sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, user_type = $3, country = $4, role_at_school = $5, \
         pupil_age_range = $6, description = $7, website = $8 WHERE id = $9 AND status = 'active'",
    )
    .bind(edit.first_name.trim())
    .bind(edit.last_name.trim())
    .bind(&edit.user_type)
    .bind(&edit.country)
    .bind(edit.role_at_school.trim())
    .bind(edit.pupil_age_range.trim())
    .bind(edit.description.trim())
    .bind(edit.website.trim())
    .bind(user)
    .execute(&mut *tx)
    .await?;
    replace_tags(&mut tx, user, &edit.subjects, &edit.languages).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Records a newsletter consent change with its time (S9/T5), if it is a change.
pub async fn set_newsletter(p: &Platform, user: i64, granted: bool) -> Result<(), sqlx::Error> {
    let current: Option<i64> = sqlx::query_scalar(
        "SELECT granted FROM consents WHERE user_id = $1 AND kind = 'newsletter' ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(user)
    .fetch_optional(&p.db.pool)
    .await?;
    if current == Some(i64::from(granted)) {
        return Ok(());
    }
    let mut conn = p.db.pool.acquire().await?;
    record_newsletter_consent(&mut conn, user, granted, p.clock.now_ms()).await
}

/// One row per consent given or withdrawn, with its time (S9/T5).
pub async fn record_newsletter_consent(
    conn: &mut AnyConnection,
    user: i64,
    granted: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO consents (user_id, kind, granted, at) VALUES ($1, 'newsletter', $2, $3)")
        .bind(user)
        .bind(i64::from(granted))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
