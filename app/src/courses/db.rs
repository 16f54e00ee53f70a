use super::model::CourseCard;
use crate::platform::Db;

/// Published courses, newest first, with their organisation (one query).
pub async fn published_courses(db: &Db, limit: i64, offset: i64) -> Result<Vec<CourseCard>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.title, c.summary, c.language, c.estimated_hours, \
                o.name AS organisation_name, o.slug AS organisation_slug \
         FROM courses c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.status = 'published' \
         ORDER BY c.created_at DESC, c.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}
