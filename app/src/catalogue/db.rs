//! Catalogue queries. Access is decided by the callers (`api.rs`, the JSON API). Every
//! write is one transaction: a listing and its subject tags are saved together or not at
//! all.
use super::model::{CataloguePage, CatalogueQuery, ListingCard, ListingForm, PAGE_SIZE, STATUSES};
use super::validate::{places, validate};
use crate::error::FieldError;
use crate::platform::Db;
use crate::platform::clock::date_of_ms;
use crate::platform::slug::{SlugTable, free_slug, is_unique_violation};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug)]
pub enum ListingError {
    Invalid(Vec<FieldError>),
    /// Another listing of the organisation has this external id.
    ExternalIdTaken,
    NotFound,
    /// The listing of an Agora course run: it follows its course (`courses::listing`) and
    /// is changed there, never as a listing.
    FollowsCourse,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ListingError {
    fn from(e: sqlx::Error) -> Self {
        ListingError::Db(e)
    }
}

/// One listing as stored, with its subject tags.
#[derive(Clone, Debug, PartialEq)]
pub struct ListingRow {
    pub id: i64,
    pub slug: String,
    pub organisation_id: i64,
    pub kind: String,
    pub status: String,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The member who created it (`None` when created through the API or the user is gone).
    pub created_by: Option<i64>,
    pub form: ListingForm,
    /// The Agora course run this listing shows (`courses::listing`), if any.
    pub run_id: Option<i64>,
    /// That run's course's slug, for the link to `/courses/{slug}`.
    pub course_slug: Option<String>,
}

impl ListingRow {
    /// Published and past its expiry date (`expires_on`, else a partnership's deadline) on `today`.
    pub fn expired(&self, today: &str) -> bool {
        let f = &self.form;
        let expiry = if f.expires_on.is_empty() {
            &f.deadline_on
        } else {
            &f.expires_on
        };
        self.status == "published" && !expiry.is_empty() && expiry.as_str() < today
    }
}

/// The SQL of "still shown on `$1`": no expiry date, or not passed.
const NOT_EXPIRED: &str =
    "(COALESCE(l.expires_on, l.deadline_on) IS NULL OR COALESCE(l.expires_on, l.deadline_on) >= $1)";

const ROW_COLUMNS: &str = "l.id, l.slug, l.organisation_id, l.kind, l.status, l.published_at, l.created_at, \
     l.updated_at, l.created_by, l.title, l.summary, l.description_md, l.language, l.country, l.place, l.mode, \
     l.starts_on, l.ends_on, l.expires_on, l.fee, l.target_audience, l.mobility_type, l.host, l.places, \
     l.project_idea, l.partners_sought, l.deadline_on, l.external_id, l.run_id, \
     (SELECT c.slug FROM courses c WHERE c.id = l.course_id AND l.run_id IS NOT NULL)";

fn row_of(r: &AnyRow, subjects: Vec<String>) -> ListingRow {
    let text = |i: usize| r.get::<Option<String>, _>(i).unwrap_or_default();
    ListingRow {
        id: r.get(0),
        slug: r.get(1),
        organisation_id: r.get(2),
        kind: r.get(3),
        status: r.get(4),
        published_at: r.get(5),
        created_at: r.get(6),
        updated_at: r.get(7),
        created_by: r.get(8),
        form: ListingForm {
            kind: r.get(3),
            title: r.get(9),
            summary: r.get(10),
            description: r.get(11),
            language: r.get(12),
            country: r.get(13),
            place: r.get(14),
            mode: r.get(15),
            starts_on: text(16),
            ends_on: text(17),
            expires_on: text(18),
            fee: r.get(19),
            target_audience: r.get(20),
            mobility_type: r.get(21),
            host: r.get(22),
            places: r
                .get::<Option<i64>, _>(23)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            project_idea: r.get(24),
            partners_sought: r.get(25),
            deadline_on: text(26),
            subjects,
            external_id: text(27),
        },
        run_id: r.get(28),
        course_slug: r.get(29),
    }
}

/// How a listing is looked up.
enum Key<'a> {
    Id(i64),
    Slug(&'a str),
    External(i64, &'a str),
}

async fn load(conn: &mut sqlx::AnyConnection, key: Key<'_>) -> Result<Option<ListingRow>, sqlx::Error> {
    let where_sql = match key {
        Key::Id(_) => "l.id = $1",
        Key::Slug(_) => "l.slug = $1",
        Key::External(..) => "l.organisation_id = $1 AND l.external_id = $2",
    };
    let sql = format!("SELECT {ROW_COLUMNS} FROM catalogue_listings l WHERE {where_sql}");
    let q = sqlx::query(&sql);
    let q = match key {
        Key::Id(id) => q.bind(id),
        Key::Slug(slug) => q.bind(slug),
        Key::External(org, ext) => q.bind(org).bind(ext),
    };
    let Some(r) = q.fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let id: i64 = r.get(0);
    let subjects = sqlx::query_scalar(
        "SELECT subject FROM catalogue_listing_subjects WHERE listing_id = $1 ORDER BY subject",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(row_of(&r, subjects)))
}

/// The listing with this slug, whatever its status.
pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<ListingRow>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, Key::Slug(slug)).await
}

/// The listing with this id, whatever its status.
pub async fn by_id(db: &Db, id: i64) -> Result<Option<ListingRow>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, Key::Id(id)).await
}

/// An organisation's listing by the organisation's own id for it.
pub async fn by_external_id(
    db: &Db,
    org_id: i64,
    external_id: &str,
) -> Result<Option<ListingRow>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, Key::External(org_id, external_id)).await
}

/// The values written to the table: trimmed, empty optional values as NULL, and the other
/// kinds' fields left empty.
struct Stored {
    f: ListingForm,
    places: Option<i64>,
    subjects: Vec<String>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn stored(form: &ListingForm, today: &str) -> Result<Stored, ListingError> {
    let errors = validate(form, today);
    if !errors.is_empty() {
        return Err(ListingError::Invalid(errors));
    }
    let t = |s: &str| s.trim().to_string();
    let kind = t(&form.kind);
    let only = |k: &str, s: &str| if kind == k { t(s) } else { String::new() };
    let mut subjects: Vec<String> = form.subjects.iter().map(|s| t(s)).collect();
    subjects.sort();
    subjects.dedup();
    Ok(Stored {
        places: if kind == "mobility" {
            places(&form.places).ok().flatten()
        } else {
            None
        },
        f: ListingForm {
            kind: kind.clone(),
            title: t(&form.title),
            summary: t(&form.summary),
            description: t(&form.description),
            language: t(&form.language),
            country: t(&form.country),
            place: t(&form.place),
            mode: t(&form.mode),
            starts_on: t(&form.starts_on),
            ends_on: t(&form.ends_on),
            expires_on: t(&form.expires_on),
            fee: only("course", &form.fee),
            target_audience: only("course", &form.target_audience),
            mobility_type: only("mobility", &form.mobility_type),
            host: only("mobility", &form.host),
            places: String::new(),
            project_idea: only("partnership", &form.project_idea),
            partners_sought: only("partnership", &form.partners_sought),
            deadline_on: only("partnership", &form.deadline_on),
            subjects: Vec::new(),
            external_id: t(&form.external_id),
        },
        subjects,
    })
}

/// Slugs that are catalogue pages, not listings.
const RESERVED_SLUGS: &[&str] = &["courses", "mobility", "partnerships", "new"];

async fn external_id_taken(
    conn: &mut sqlx::AnyConnection,
    org_id: i64,
    external_id: &str,
    except: i64,
) -> Result<bool, sqlx::Error> {
    if external_id.is_empty() {
        return Ok(false);
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM catalogue_listings WHERE organisation_id = $1 AND external_id = $2 AND id <> $3",
    )
    .bind(org_id)
    .bind(external_id)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

async fn write_subjects(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    subjects: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM catalogue_listing_subjects WHERE listing_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if subjects.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..subjects.len()).map(|i| format!("($1, ${})", i + 2)).collect();
    let sql = format!(
        "INSERT INTO catalogue_listing_subjects (listing_id, subject) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(id);
    for s in subjects {
        q = q.bind(s);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Creates a listing of an organisation, as a draft or published at once.
pub async fn create(
    db: &Db,
    org_id: i64,
    created_by: Option<i64>,
    form: &ListingForm,
    publish: bool,
    now_ms: i64,
) -> Result<ListingRow, ListingError> {
    let s = stored(form, &date_of_ms(now_ms))?;
    let f = &s.f;
    let mut tx = db.pool.begin().await?;
    if external_id_taken(&mut tx, org_id, &f.external_id, -1).await? {
        return Err(ListingError::ExternalIdTaken);
    }
    let slug = free_slug(&mut tx, SlugTable::CatalogueListings, &f.title, RESERVED_SLUGS).await?;
    let inserted = sqlx::query(
        "INSERT INTO catalogue_listings (slug, organisation_id, kind, status, title, summary, description_md, \
         language, country, place, mode, starts_on, ends_on, expires_on, fee, target_audience, mobility_type, host, \
         places, project_idea, partners_sought, deadline_on, external_id, created_by, published_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, $26, $26) RETURNING id",
    )
    .bind(&slug)
    .bind(org_id)
    .bind(&f.kind)
    .bind(if publish { "published" } else { "draft" })
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.description)
    .bind(&f.language)
    .bind(&f.country)
    .bind(&f.place)
    .bind(&f.mode)
    .bind(opt(&f.starts_on))
    .bind(opt(&f.ends_on))
    .bind(opt(&f.expires_on))
    .bind(&f.fee)
    .bind(&f.target_audience)
    .bind(&f.mobility_type)
    .bind(&f.host)
    .bind(s.places)
    .bind(&f.project_idea)
    .bind(&f.partners_sought)
    .bind(opt(&f.deadline_on))
    .bind(opt(&f.external_id))
    .bind(created_by)
    .bind(publish.then_some(now_ms))
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(r) => r.get(0),
        // A concurrent save took the external id or the slug first.
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            let mut conn = db.pool.acquire().await?;
            return Err(
                if external_id_taken(&mut conn, org_id, &f.external_id, -1).await? {
                    ListingError::ExternalIdTaken
                } else {
                    ListingError::Db(e)
                },
            );
        }
        Err(e) => return Err(e.into()),
    };
    write_subjects(&mut tx, id, &s.subjects).await?;
    let row = load(&mut tx, Key::Id(id)).await?.ok_or(ListingError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Saves a listing's fields and subjects. The kind, slug and status stay (the form's
/// `kind` is ignored).
pub async fn update(
    db: &Db,
    listing_id: i64,
    form: &ListingForm,
    now_ms: i64,
) -> Result<ListingRow, ListingError> {
    let mut tx = db.pool.begin().await?;
    let current: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT organisation_id, kind, run_id FROM catalogue_listings WHERE id = $1")
            .bind(listing_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((org_id, kind, run)) = current else {
        return Err(ListingError::NotFound);
    };
    if run.is_some() {
        return Err(ListingError::FollowsCourse);
    }
    let form = ListingForm { kind, ..form.clone() };
    let s = stored(&form, &date_of_ms(now_ms))?;
    let f = &s.f;
    if external_id_taken(&mut tx, org_id, &f.external_id, listing_id).await? {
        return Err(ListingError::ExternalIdTaken);
    }
    let done = sqlx::query(
        "UPDATE catalogue_listings SET title = $2, summary = $3, description_md = $4, language = $5, country = $6, \
         place = $7, mode = $8, starts_on = $9, ends_on = $10, expires_on = $11, fee = $12, target_audience = $13, \
         mobility_type = $14, host = $15, places = $16, project_idea = $17, partners_sought = $18, deadline_on = $19, \
         external_id = $20, updated_at = $21 WHERE id = $1",
    )
    .bind(listing_id)
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.description)
    .bind(&f.language)
    .bind(&f.country)
    .bind(&f.place)
    .bind(&f.mode)
    .bind(opt(&f.starts_on))
    .bind(opt(&f.ends_on))
    .bind(opt(&f.expires_on))
    .bind(&f.fee)
    .bind(&f.target_audience)
    .bind(&f.mobility_type)
    .bind(&f.host)
    .bind(s.places)
    .bind(&f.project_idea)
    .bind(&f.partners_sought)
    .bind(opt(&f.deadline_on))
    .bind(opt(&f.external_id))
    .bind(now_ms)
    .execute(&mut *tx)
    .await;
    match done {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(ListingError::ExternalIdTaken),
        Err(e) => return Err(e.into()),
    }
    write_subjects(&mut tx, listing_id, &s.subjects).await?;
    let row = load(&mut tx, Key::Id(listing_id))
        .await?
        .ok_or(ListingError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Publishes (the first time also sets `published_at`), unpublishes to draft or withdraws.
pub async fn set_status(db: &Db, listing_id: i64, status: &str, now_ms: i64) -> Result<(), ListingError> {
    if !STATUSES.contains(&status) {
        return Err(ListingError::Invalid(vec![FieldError::new(
            "status",
            crate::i18n::Msg::FieldInvalidChoice,
        )]));
    }
    let run: Option<Option<i64>> = sqlx::query_scalar("SELECT run_id FROM catalogue_listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(&db.pool)
        .await?;
    match run {
        None => return Err(ListingError::NotFound),
        Some(Some(_)) => return Err(ListingError::FollowsCourse),
        Some(None) => {}
    }
    let done = sqlx::query(
        "UPDATE catalogue_listings SET status = $2, updated_at = $3, \
         published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END \
         WHERE id = $1 AND run_id IS NULL",
    )
    .bind(listing_id)
    .bind(status)
    .bind(now_ms)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ListingError::NotFound);
    }
    Ok(())
}

/// Average stars and number of reviews of one listing. Like every rating here, it counts
/// the reviews that are shown: those of active users (as `reviews::db`).
pub async fn rating(db: &Db, listing_id: i64) -> Result<(Option<f64>, i64), sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST(AVG(stars) AS DOUBLE PRECISION), COUNT(*) FROM listing_reviews lr JOIN users ru ON ru.id = lr.user_id AND ru.status = 'active' WHERE listing_id = $1",
    )
    .bind(listing_id)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.get(0), r.get(1)))
}

/// The columns of a [`ListingCard`] over `l` (listing), `o` (organisation) and `r`
/// (`listing_id`, `avg_stars`, `n` of its reviews); `$1` is today.
const CARD_COLUMNS: &str = "l.slug, l.kind, l.title, l.summary, o.name, o.slug, l.country, l.place, l.mode, \
     l.language, l.starts_on, l.ends_on, l.deadline_on, l.status, \
     CASE WHEN l.status = 'published' AND COALESCE(l.expires_on, l.deadline_on) < $1 THEN 1 ELSE 0 END, \
     r.avg_stars, COALESCE(r.n, 0), \
     (SELECT c.slug FROM courses c WHERE c.id = l.course_id AND l.run_id IS NOT NULL)";

fn card_of(r: &AnyRow) -> ListingCard {
    ListingCard {
        slug: r.get(0),
        kind: r.get(1),
        title: r.get(2),
        summary: r.get(3),
        organisation_name: r.get(4),
        organisation_slug: r.get(5),
        country: r.get(6),
        place: r.get(7),
        mode: r.get(8),
        language: r.get(9),
        starts_on: r.get(10),
        ends_on: r.get(11),
        deadline_on: r.get(12),
        status: r.get(13),
        expired: r.get::<i64, _>(14) != 0,
        rating_avg: r.get(15),
        rating_count: r.get(16),
        course_slug: r.get(17),
    }
}

/// An organisation's listings for its page (S16): published ones still shown, and with
/// `with_unpublished` also its drafts, withdrawn and expired ones; by kind, newest first.
/// One query; at most 500.
/// The organisation a listing is published for, found by its page's address: id, slug and
/// name. (Read here rather than through `organisations`, which shows listings on its
/// pages and so sits above this area.)
pub async fn organisation(db: &Db, slug: &str) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    let r = sqlx::query("SELECT id, slug, name FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    Ok(r.map(|r| (r.get(0), r.get(1), r.get(2))))
}

pub async fn for_organisation(
    db: &Db,
    org_id: i64,
    with_unpublished: bool,
    today: &str,
) -> Result<Vec<ListingCard>, sqlx::Error> {
    let shown = if with_unpublished {
        "1 = 1".to_string()
    } else {
        format!("l.status = 'published' AND {NOT_EXPIRED}")
    };
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM catalogue_listings l JOIN organisations o ON o.id = l.organisation_id \
         LEFT JOIN (SELECT listing_id, CAST(AVG(stars) AS DOUBLE PRECISION) AS avg_stars, COUNT(*) AS n \
                    FROM listing_reviews lr JOIN users ru ON ru.id = lr.user_id AND ru.status = 'active' WHERE listing_id IN \
                    (SELECT id FROM catalogue_listings WHERE organisation_id = $2) GROUP BY listing_id) r \
                ON r.listing_id = l.id \
         WHERE l.organisation_id = $2 AND {shown} \
         ORDER BY l.kind, COALESCE(l.published_at, l.created_at) DESC, l.id DESC LIMIT 500"
    );
    let rows = sqlx::query(&sql)
        .bind(today)
        .bind(org_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(card_of).collect())
}

/// The WHERE clause of a catalogue query and its arguments (`$1` is today, `$2` the kind).
/// Only fixed SQL text is put together here; every value from the visitor is bound.
fn catalogue_where(q: &CatalogueQuery, kind: &str) -> (String, Vec<String>, bool) {
    let mut sql = format!("l.kind = $2 AND l.status = 'published' AND {NOT_EXPIRED}");
    let mut args = vec![kind.to_string()];
    let mut add = |sql: &mut String, clause: &str, arg: String| {
        args.push(arg);
        let n = args.len() + 1;
        sql.push_str(&clause.replace("$?", &format!("${n}")));
    };
    let date_col = if kind == "partnership" {
        "l.deadline_on"
    } else {
        "l.starts_on"
    };
    let v = |s: &str| s.trim().to_string();
    if !q.country.trim().is_empty() {
        add(&mut sql, " AND l.country = $?", v(&q.country));
    }
    if !q.language.trim().is_empty() {
        add(&mut sql, " AND l.language = $?", v(&q.language));
    }
    if !q.mode.trim().is_empty() {
        add(&mut sql, " AND l.mode = $?", v(&q.mode));
    }
    if !q.subject.trim().is_empty() {
        add(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM catalogue_listing_subjects s WHERE s.listing_id = l.id AND s.subject = $?)",
            v(&q.subject),
        );
    }
    if super::validate::is_date(q.from.trim()) {
        add(&mut sql, &format!(" AND {date_col} >= $?"), v(&q.from));
    }
    if super::validate::is_date(q.until.trim()) {
        add(&mut sql, &format!(" AND {date_col} <= $?"), v(&q.until));
    }
    let org = q.org.trim();
    let by_org = !org.is_empty();
    if by_org {
        let pattern: String = org
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        add(&mut sql, " AND (o.slug = $?", org.to_string());
        add(
            &mut sql,
            " OR LOWER(o.name) LIKE $? ESCAPE '\\')",
            format!("%{pattern}%"),
        );
    }
    (sql, args, by_org)
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    today: &'q str,
    args: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q = q.bind(today);
    for a in args {
        q = q.bind(a.as_str());
    }
    q
}

/// The SQL of a catalogue query: the page (binds: today, the arguments, limit, offset) and
/// the count (binds: today, the arguments), and the arguments. Public for the benchmark's
/// query plans.
pub fn catalogue_sql(q: &CatalogueQuery) -> (String, String, Vec<String>) {
    let kind = q.kind.as_str();
    let (where_sql, args, by_org) = catalogue_where(q, kind);
    let org_join = if by_org {
        " JOIN organisations o ON o.id = l.organisation_id"
    } else {
        ""
    };
    let count_sql = format!("SELECT COUNT(*) FROM catalogue_listings l{org_join} WHERE {where_sql}");
    let date_col = if kind == "partnership" {
        "deadline_on"
    } else {
        "starts_on"
    };
    let rating_sort = q.sort == "rating" && kind == "course";
    let order = match q.sort.as_str() {
        "starts" => format!("l.{date_col}, l.id"),
        "title" => "LOWER(l.title), l.id".to_string(),
        _ if rating_sort => {
            "COALESCE(rr.avg_stars, 0) DESC, COALESCE(rr.n, 0) DESC, l.published_at DESC, l.id DESC"
                .to_string()
        }
        _ => "l.published_at DESC, l.id DESC".to_string(),
    };
    let rating_join = if rating_sort {
        " LEFT JOIN (SELECT listing_id, CAST(AVG(stars) AS DOUBLE PRECISION) AS avg_stars, COUNT(*) AS n \
          FROM listing_reviews lr JOIN users ru ON ru.id = lr.user_id AND ru.status = 'active' GROUP BY listing_id) rr ON rr.listing_id = l.id"
    } else {
        ""
    };
    let limit_n = args.len() + 2;
    // The inner query picks the page's ids in order (walking the kind/status indexes and
    // stopping at the page's end); the outer one adds the organisation and the reviews of
    // only those listings and repeats the order (a window function for the position would
    // make SQLite number every matching row before the limit applies).
    let outer_order = order.replace("rr.", "r.");
    let page_sql = format!(
        "WITH page AS (SELECT l.id \
           FROM catalogue_listings l{org_join}{rating_join} WHERE {where_sql} ORDER BY {order} \
           LIMIT ${limit_n} OFFSET ${offset_n}) \
         SELECT {CARD_COLUMNS} FROM page p \
         JOIN catalogue_listings l ON l.id = p.id \
         JOIN organisations o ON o.id = l.organisation_id \
         LEFT JOIN (SELECT listing_id, CAST(AVG(stars) AS DOUBLE PRECISION) AS avg_stars, COUNT(*) AS n \
                    FROM listing_reviews lr JOIN users ru ON ru.id = lr.user_id AND ru.status = 'active' WHERE listing_id IN (SELECT id FROM page) GROUP BY listing_id) r \
                ON r.listing_id = l.id \
         ORDER BY {outer_order}",
        offset_n = limit_n + 1,
    );
    (page_sql, count_sql, args)
}

/// One page of one kind's public catalogue (S7): published, unexpired listings matching
/// the filters, in the asked order, with the total. Two queries: the page (listings,
/// organisation names and the rating of just those listings) and the count.
pub async fn catalogue(db: &Db, q: &CatalogueQuery, today: &str) -> Result<CataloguePage, sqlx::Error> {
    catalogue_sized(db, q, today, PAGE_SIZE).await
}

/// [`catalogue`] with `page_size` listings a page (the JSON API's `per_page`).
pub async fn catalogue_sized(
    db: &Db,
    q: &CatalogueQuery,
    today: &str,
    page_size: i64,
) -> Result<CataloguePage, sqlx::Error> {
    let page = q.page.clamp(1, 1_000_000);
    let (page_sql, count_sql, args) = catalogue_sql(q);
    let total: i64 = bind_all(sqlx::query(&count_sql), today, &args)
        .fetch_one(&db.pool)
        .await?
        .get(0);
    let rows = bind_all(sqlx::query(&page_sql), today, &args)
        .bind(page_size)
        .bind((page - 1) * page_size)
        .fetch_all(&db.pool)
        .await?;
    Ok(CataloguePage {
        cards: rows.iter().map(card_of).collect(),
        total,
        page,
        page_size,
    })
}

/// Published, unexpired listings for the sitemap (S18): slug and last change, newest
/// first, at most `limit`.
pub async fn public_slugs(db: &Db, today: &str, limit: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT l.slug, l.updated_at FROM catalogue_listings l WHERE l.status = 'published' AND {NOT_EXPIRED} \
         ORDER BY l.updated_at DESC, l.id DESC LIMIT $2"
    );
    sqlx::query_as(&sql)
        .bind(today)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}
