//! Agora course runs in the catalogue (S7): every run has exactly one course listing
//! (`catalogue_listings.run_id`), written here and nowhere else. [`sync`] runs inside the
//! transaction of every change to a course or its runs, so the listing cannot drift from
//! them; the catalogue, its JSON API, the sitemap, reviews and comments then treat it like
//! any other course listing.
//!
//! What the listing shows: the course's title, summary, description, language, subjects
//! and target audience, the organisation (and its country), mode `online`, and the run's
//! dates. It is `published` while the run and the course both are, and a `draft` again
//! when either goes back to draft (its reviews stay and return with it). It **expires**
//! after the run's last day of enrolment, or its last day, whichever comes first (the
//! catalogue computes expiry from `expires_on` on every request); a run with neither
//! stays listed. Deleting a run or course deletes its listing (foreign key cascade).
//! Catalogue edits of such a listing are refused (`ListingError::FollowsCourse`): it is
//! changed through its course.
use super::model::day_of;
use crate::platform::Db;
use crate::platform::slug::{SlugTable, free_slug};
use sqlx::{AnyConnection, Row};

/// The listing's fields of one run, derived from the run and its course.
#[derive(Debug, PartialEq, Eq)]
pub struct RunDates {
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub expires_on: Option<String>,
}

/// A run's dates as catalogue days. Times are instants; an end instant is exclusive, so
/// its day is the one before. A self-paced run "starts" when enrolment opens (or, with no
/// dates at all, on the day the run was created) so every listing has a start day.
pub fn run_dates(
    enrol_opens: Option<i64>,
    enrol_closes: Option<i64>,
    starts: Option<i64>,
    ends: Option<i64>,
    created: i64,
) -> RunDates {
    let last_day = |ms: i64| day_of(ms - 1);
    let expiry = match (enrol_closes, ends) {
        (Some(c), Some(e)) => Some(c.min(e)),
        (c, e) => c.or(e),
    };
    RunDates {
        starts_on: day_of(starts.or(enrol_opens).unwrap_or(created)),
        ends_on: ends.map(last_day),
        expires_on: expiry.map(last_day),
    }
}

/// Creates or updates the listing of every run of `course`, and their subject tags, from
/// the course and run rows as they are in this transaction. Call it after the change.
pub async fn sync(conn: &mut AnyConnection, course: i64, now: i64) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.status, r.enrol_opens_at, r.enrol_closes_at, r.starts_at, r.ends_at, r.created_at, \
                c.title, c.summary, c.description_md, c.language, c.target_audience, c.status, \
                c.organisation_id, o.country, l.id \
         FROM course_runs r JOIN courses c ON c.id = r.course_id \
         JOIN organisations o ON o.id = c.organisation_id \
         LEFT JOIN catalogue_listings l ON l.run_id = r.id \
         WHERE r.course_id = $1 ORDER BY r.id",
    )
    .bind(course)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let run: i64 = r.get(0);
        let published = r.get::<String, _>(1) == "published" && r.get::<String, _>(12) == "published";
        let status = if published { "published" } else { "draft" };
        let d = run_dates(r.get(2), r.get(3), r.get(4), r.get(5), r.get(6));
        let title: String = r.get(7);
        let listing: Option<i64> = r.get(15);
        let q = match listing {
            Some(id) => sqlx::query(
                "UPDATE catalogue_listings SET status = $2, title = $3, summary = $4, description_md = $5, \
                 language = $6, target_audience = $7, organisation_id = $8, country = $9, starts_on = $10, \
                 ends_on = $11, expires_on = $12, course_id = $13, run_id = $15, mode = 'online', place = '', updated_at = $14, \
                 published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $14) ELSE published_at END \
                 WHERE id = $1",
            )
            .bind(id),
            None => {
                let slug = free_slug(conn, SlugTable::CatalogueListings, &title, RESERVED_SLUGS).await?;
                sqlx::query(
                    "INSERT INTO catalogue_listings (slug, status, title, summary, description_md, language, \
                     target_audience, organisation_id, country, starts_on, ends_on, expires_on, course_id, run_id, \
                     kind, mode, place, published_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, 'course', 'online', '', \
                     CASE WHEN $2 = 'published' THEN $14 END, $14, $14)",
                )
                .bind(slug)
            }
        };
        q.bind(status)
            .bind(&title)
            .bind(r.get::<String, _>(8))
            .bind(r.get::<String, _>(9))
            .bind(r.get::<String, _>(10))
            .bind(r.get::<String, _>(11))
            .bind(r.get::<i64, _>(13))
            .bind(r.get::<String, _>(14))
            .bind(d.starts_on)
            .bind(d.ends_on)
            .bind(d.expires_on)
            .bind(course)
            .bind(now)
            .bind(run)
            .execute(&mut *conn)
            .await?;
    }
    // The subject tags of all the course's run listings: two statements, however many runs.
    sqlx::query(
        "DELETE FROM catalogue_listing_subjects WHERE listing_id IN \
         (SELECT l.id FROM catalogue_listings l JOIN course_runs r ON r.id = l.run_id WHERE r.course_id = $1)",
    )
    .bind(course)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO catalogue_listing_subjects (listing_id, subject) \
         SELECT l.id, s.subject FROM catalogue_listings l JOIN course_runs r ON r.id = l.run_id \
         JOIN course_subjects s ON s.course_id = r.course_id WHERE r.course_id = $1",
    )
    .bind(course)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Slugs that are catalogue pages, not listings (as `catalogue::db`'s).
const RESERVED_SLUGS: &[&str] = &["courses", "mobility", "partnerships", "new"];

/// The organisation's country moved: its run listings follow (in the organisation's
/// transaction). Its name is joined when the catalogue is read, so it needs nothing.
pub async fn sync_organisation(
    conn: &mut AnyConnection,
    org: i64,
    country: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE catalogue_listings SET country = $2, updated_at = $3 \
         WHERE organisation_id = $1 AND run_id IS NOT NULL AND country <> $2",
    )
    .bind(org)
    .bind(country)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Lists runs that have no listing yet (runs from before migration 0011, or written
/// directly, as the demo data is): one query when there are none. Run at start.
pub async fn backfill(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let courses: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT r.course_id FROM course_runs r \
         WHERE NOT EXISTS (SELECT 1 FROM catalogue_listings l WHERE l.run_id = r.id)",
    )
    .fetch_all(&db.pool)
    .await?;
    for course in &courses {
        let mut tx = db.pool.begin().await?;
        sync(&mut tx, *course, now).await?;
        tx.commit().await?;
    }
    Ok(courses.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courses::model::{DAY_MS, parse_day};

    fn at(day: &str) -> i64 {
        parse_day(day).unwrap()
    }

    #[test]
    fn s7_a_run_expires_after_its_last_enrolment_day_or_last_day() {
        // Enrolment 1–10 March (closes at the start of the 11th), run 15 March – 30 April.
        let d = run_dates(
            Some(at("2030-03-01")),
            Some(at("2030-03-11")),
            Some(at("2030-03-15")),
            Some(at("2030-05-01")),
            0,
        );
        assert_eq!(
            d,
            RunDates {
                starts_on: "2030-03-15".into(),
                ends_on: Some("2030-04-30".into()),
                expires_on: Some("2030-03-10".into()),
            }
        );
        // No enrolment end: listed until the run's last day.
        let d = run_dates(None, None, Some(at("2030-03-15")), Some(at("2030-05-01")), 0);
        assert_eq!(d.expires_on.as_deref(), Some("2030-04-30"));
        // Enrolment that would close after the end: the end wins.
        let d = run_dates(None, Some(at("2030-06-01")), None, Some(at("2030-05-01")), 0);
        assert_eq!(d.expires_on.as_deref(), Some("2030-04-30"));
    }

    #[test]
    fn self_paced_runs_start_when_enrolment_opens_and_never_expire_without_dates() {
        let d = run_dates(Some(at("2030-01-05")), None, None, None, at("2029-12-01"));
        assert_eq!(
            (d.starts_on.as_str(), d.ends_on, d.expires_on),
            ("2030-01-05", None, None)
        );
        let d = run_dates(None, None, None, None, at("2029-12-01") + DAY_MS / 2);
        assert_eq!(d.starts_on, "2029-12-01");
    }
}
