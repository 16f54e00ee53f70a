//! Review queries (S7, S16, S18). Access is decided by the callers (`api.rs`).
//!
//! Reviews of users who are not active (deactivated, anonymised: T7, S14) are neither
//! listed nor counted, so what a page shows is exactly what its average is made of.
use super::model::{
    MAX_REASON_CHARS, MAX_REVIEW_CHARS, OrganisationReview, OwnReview, Rating, ReportedReview, Review,
};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::audit::{AuditEntry, record};
use crate::platform::{Db, Platform};
use crate::ui::markdown::to_safe_html;
use sqlx::Row;

pub enum ReviewError {
    Invalid(Vec<FieldError>),
    /// The organisation has replied to this review already.
    AlreadyReplied,
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ReviewError {
    fn from(e: sqlx::Error) -> Self {
        ReviewError::Db(e)
    }
}

/// The few columns of a catalogue listing that reviews and comments need.
#[derive(Clone, Debug)]
pub struct ListingRow {
    pub id: i64,
    pub slug: String,
    pub organisation_id: i64,
    /// `course`, `mobility` or `partnership`.
    pub kind: String,
    pub title: String,
}

/// A published listing by its slug; drafts, withdrawn and missing listings are all `None`.
pub async fn published_listing(db: &Db, slug: &str) -> Result<Option<ListingRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, slug, organisation_id, kind, title FROM catalogue_listings \
         WHERE slug = $1 AND status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| ListingRow {
        id: r.get(0),
        slug: r.get(1),
        organisation_id: r.get(2),
        kind: r.get(3),
        title: r.get(4),
    }))
}

fn rating_of(row: &sqlx::any::AnyRow) -> (Option<f64>, i64) {
    (row.get(0), row.get(1))
}

/// The average stars and the number of reviews of one listing.
pub async fn listing_rating(db: &Db, listing_id: i64) -> Result<(Option<f64>, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(AVG(CAST(r.stars AS DOUBLE PRECISION)) AS DOUBLE PRECISION), COUNT(r.id) \
         FROM listing_reviews r JOIN users u ON u.id = r.user_id \
         WHERE r.listing_id = $1 AND u.status = 'active'",
    )
    .bind(listing_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(rating_of(&row))
}

/// S16: the average over all reviews of the organisation's published course listings
/// (each review counts once, so a course with many reviews weighs more).
/// An organisation's id by its page's address. (Read here rather than through
/// `organisations`, whose page shows these reviews and so sits above this area.)
pub async fn organisation_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

pub async fn organisation_rating(db: &Db, org_id: i64) -> Result<(Option<f64>, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(AVG(CAST(r.stars AS DOUBLE PRECISION)) AS DOUBLE PRECISION), COUNT(r.id) \
         FROM listing_reviews r \
         JOIN catalogue_listings l ON l.id = r.listing_id \
         JOIN users u ON u.id = r.user_id \
         WHERE l.organisation_id = $1 AND l.kind = 'course' AND l.status = 'published' AND u.status = 'active'",
    )
    .bind(org_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(rating_of(&row))
}

pub fn rating((average, count): (Option<f64>, i64)) -> Rating {
    Rating { average, count }
}

/// The columns of [`review_of`], for a review `r` joined with its author `u`.
const REVIEW_COLUMNS: &str = "r.id, r.user_id, u.first_name, u.last_name, r.stars, r.body, \
     r.created_at, r.updated_at, r.reply_body, r.replied_at";

fn review_of(r: &sqlx::any::AnyRow) -> Review {
    let body: String = r.get(5);
    let reply: Option<String> = r.get(8);
    Review {
        id: r.get(0),
        author_id: r.get(1),
        first_name: r.get(2),
        last_name: r.get(3),
        stars: r.get(4),
        body_html: to_safe_html(&body),
        created_at: r.get(6),
        updated_at: r.get(7),
        reply_html: reply.as_deref().map(to_safe_html),
        replied_at: r.get(9),
    }
}

/// A page of a listing's reviews, newest first, with their authors' names (never their
/// e-mail addresses). One query.
pub async fn listing_reviews(
    db: &Db,
    listing_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Review>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS} FROM listing_reviews r JOIN users u ON u.id = r.user_id \
         WHERE r.listing_id = $1 AND u.status = 'active' \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(listing_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(review_of).collect())
}

/// S16: a page of the reviews of the organisation's published course listings, newest
/// first, each with its course's title and slug. One query.
pub async fn organisation_reviews(
    db: &Db,
    org_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<OrganisationReview>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS}, l.slug, l.title FROM listing_reviews r \
         JOIN catalogue_listings l ON l.id = r.listing_id \
         JOIN users u ON u.id = r.user_id \
         WHERE l.organisation_id = $1 AND l.kind = 'course' AND l.status = 'published' AND u.status = 'active' \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(org_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| OrganisationReview {
            listing_slug: r.get(10),
            listing_title: r.get(11),
            review: review_of(r),
        })
        .collect())
}

/// The user's review of a listing, if they wrote one.
pub async fn own_review(db: &Db, listing_id: i64, user: i64) -> Result<Option<OwnReview>, sqlx::Error> {
    let row =
        sqlx::query("SELECT id, stars, body FROM listing_reviews WHERE listing_id = $1 AND user_id = $2")
            .bind(listing_id)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|r| OwnReview {
        id: r.get(0),
        stars: r.get(1),
        body: r.get(2),
    }))
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Writes the user's review of a listing, or changes it if they wrote one already: one row
/// per user and listing, whatever the order of concurrent submissions.
pub async fn save_review(
    p: &Platform,
    listing_id: i64,
    user: i64,
    stars: i64,
    body: &str,
) -> Result<(), ReviewError> {
    let body = body.trim();
    let mut errors = Vec::new();
    if !(1..=5).contains(&stars) {
        errors.push(FieldError::new("stars", Msg::ReviewsStarsRequired));
    }
    if too_long(body, MAX_REVIEW_CHARS) {
        errors.push(FieldError::new("body", Msg::ReviewsTooLong));
    }
    if !errors.is_empty() {
        return Err(ReviewError::Invalid(errors));
    }
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO listing_reviews (listing_id, user_id, stars, body, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (listing_id, user_id) DO UPDATE \
         SET stars = excluded.stars, body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(listing_id)
    .bind(user)
    .bind(stars)
    .bind(body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the user's review of a listing. `NotFound` when there is none.
pub async fn delete_review(db: &Db, listing_id: i64, user: i64) -> Result<(), ReviewError> {
    let gone = sqlx::query("DELETE FROM listing_reviews WHERE listing_id = $1 AND user_id = $2")
        .bind(listing_id)
        .bind(user)
        .execute(&db.pool)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(ReviewError::NotFound);
    }
    Ok(())
}

/// Whether a review of a visible author belongs to the listing.
pub async fn review_exists(db: &Db, listing_id: i64, review: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT r.id FROM listing_reviews r JOIN users u ON u.id = r.user_id \
         WHERE r.id = $1 AND r.listing_id = $2 AND u.status = 'active'",
    )
    .bind(review)
    .bind(listing_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The organisation's one reply to a review. The single conditional UPDATE makes a second
/// reply impossible, also when two admins answer at once.
pub async fn reply(
    p: &Platform,
    listing_id: i64,
    review: i64,
    by: i64,
    body: &str,
) -> Result<(), ReviewError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ReviewError::Invalid(vec![FieldError::new(
            "reply",
            Msg::ReviewsReplyRequired,
        )]));
    }
    if too_long(body, MAX_REVIEW_CHARS) {
        return Err(ReviewError::Invalid(vec![FieldError::new(
            "reply",
            Msg::ReviewsTooLong,
        )]));
    }
    if !review_exists(&p.db, listing_id, review).await? {
        return Err(ReviewError::NotFound);
    }
    let done = sqlx::query(
        "UPDATE listing_reviews SET reply_body = $1, reply_user_id = $2, replied_at = $3 \
         WHERE id = $4 AND listing_id = $5 AND reply_body IS NULL",
    )
    .bind(body)
    .bind(by)
    .bind(p.clock.now_ms())
    .bind(review)
    .bind(listing_id)
    .execute(&p.db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(ReviewError::AlreadyReplied);
    }
    Ok(())
}

/// Reports a review to the platform admins. Returns false when this user had reported it
/// already (nothing changes).
pub async fn report(
    p: &Platform,
    listing_id: i64,
    review: i64,
    by: i64,
    reason: &str,
) -> Result<bool, ReviewError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ReviewError::Invalid(vec![FieldError::new(
            "reason",
            Msg::ReviewsReasonRequired,
        )]));
    }
    if too_long(reason, MAX_REASON_CHARS) {
        return Err(ReviewError::Invalid(vec![FieldError::new(
            "reason",
            Msg::ReviewsTooLong,
        )]));
    }
    if !review_exists(&p.db, listing_id, review).await? {
        return Err(ReviewError::NotFound);
    }
    let added = sqlx::query(
        "INSERT INTO listing_review_reports (review_id, reporter_user_id, reason, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (review_id, reporter_user_id) DO NOTHING",
    )
    .bind(review)
    .bind(by)
    .bind(reason)
    .bind(p.clock.now_ms())
    .execute(&p.db.pool)
    .await?
    .rows_affected();
    Ok(added > 0)
}

/// Reviews with open reports, the longest-waiting first, each with every open report's
/// reason (one query; the reporters' names are not shown). Admins see reviews of
/// deactivated authors too.
pub async fn open_reports(db: &Db) -> Result<Vec<ReportedReview>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS}, l.slug, l.title, rep.reason, rep.created_at \
         FROM listing_review_reports rep \
         JOIN listing_reviews r ON r.id = rep.review_id \
         JOIN catalogue_listings l ON l.id = r.listing_id \
         JOIN users u ON u.id = r.user_id \
         WHERE rep.resolved_at IS NULL \
         ORDER BY rep.created_at, rep.id"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<ReportedReview> = Vec::new();
    for r in &rows {
        let id: i64 = r.get(0);
        let reason: String = r.get(12);
        match out.iter_mut().find(|x| x.review.id == id) {
            Some(x) => x.reasons.push(reason),
            None => out.push(ReportedReview {
                listing_slug: r.get(10),
                listing_title: r.get(11),
                review: review_of(r),
                reasons: vec![reason],
                first_reported_at: r.get(13),
            }),
        }
    }
    Ok(out)
}

/// A platform admin's decision on a reported review: keep it (its open reports are closed)
/// or remove it (the review goes, and with it its reports). Either way an `audit_log` row
/// records who decided what. `NotFound` when the review has no open report.
pub async fn resolve(p: &Platform, review: i64, by: i64, remove: bool) -> Result<(), ReviewError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let row = sqlx::query(
        "SELECT r.listing_id, r.user_id, r.stars FROM listing_reviews r \
         WHERE r.id = $1 AND EXISTS (SELECT 1 FROM listing_review_reports rep \
         WHERE rep.review_id = r.id AND rep.resolved_at IS NULL)",
    )
    .bind(review)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(ReviewError::NotFound);
    };
    let (listing, author, stars): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let resolution = if remove { "removed" } else { "kept" };
    let closed = sqlx::query(
        "UPDATE listing_review_reports SET resolved_at = $1, resolved_by = $2, resolution = $3 \
         WHERE review_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(resolution)
    .bind(review)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        // Another admin decided in the meantime.
        return Err(ReviewError::NotFound);
    }
    let detail = format!("listing:{listing} author:{author} stars:{stars} reports:{closed}");
    let action = if remove { "review_removed" } else { "review_kept" };
    record(
        &mut *tx,
        &AuditEntry {
            at: now,
            actor: Some(by),
            action,
            subject: format!("review:{review}"),
            detail,
        },
    )
    .await?;
    if remove {
        sqlx::query("DELETE FROM listing_reviews WHERE id = $1")
            .bind(review)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Active platform admins' addresses and languages, for the report notice.
pub async fn platform_admins(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.email, u.locale FROM role_grants g JOIN users u ON u.id = g.user_id \
         WHERE g.role = 'platform_admin' AND u.status = 'active' ORDER BY u.email",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
