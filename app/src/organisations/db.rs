use super::model::OrganisationCard;
use crate::platform::Db;

/// Organisations by name, each with its number of published courses (one query).
pub async fn organisations(db: &Db, limit: i64, offset: i64) -> Result<Vec<OrganisationCard>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.slug, o.name, o.city, o.country, o.org_type, \
                COUNT(c.id) AS course_count \
         FROM organisations o \
         LEFT JOIN courses c ON c.organisation_id = o.id AND c.status = 'published' \
         GROUP BY o.id, o.slug, o.name, o.city, o.country, o.org_type \
         ORDER BY o.name, o.id LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}
