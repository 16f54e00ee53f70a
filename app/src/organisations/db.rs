//! Organisation queries. Access is decided by the callers (`api.rs`).
use super::model::{
    InvitationPage, OrganisationCard, OrganisationForm, OrganisationMember, OrganisationPrivate,
    PendingInvitation,
};
use crate::platform::slug::{SlugTable, free_slug, is_unique_violation};
use crate::platform::{Db, Platform};
use sqlx::Row;

pub enum OrgError {
    Invalid(Vec<crate::error::FieldError>),
    PicTaken,
    /// The last admin may not leave or stop being admin.
    LastAdmin,
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for OrgError {
    fn from(e: sqlx::Error) -> Self {
        OrgError::Db(e)
    }
}

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

/// How many organisations there are (the totals of the API's pages).
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&db.pool)
        .await
}

/// An organisation's slug by its id.
pub async fn slug_by_id(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// One organisation's id, country and every field.
pub struct OrgRow {
    pub id: i64,
    pub slug: String,
    pub form: OrganisationForm,
}

impl OrgRow {
    pub fn private(&self) -> OrganisationPrivate {
        OrganisationPrivate {
            official_email: self.form.official_email.clone(),
            head_name: self.form.head_name.clone(),
            head_email: self.form.head_email.clone(),
        }
    }
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<OrgRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, slug, name, org_type, address, city, postcode, country, region, pic, description, \
         COALESCE(website, ''), facebook_url, linkedin_url, official_email, head_name, head_email \
         FROM organisations WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| OrgRow {
        id: r.get(0),
        slug: r.get(1),
        form: OrganisationForm {
            name: r.get(2),
            org_type: r.get(3),
            address: r.get(4),
            city: r.get(5),
            postcode: r.get(6),
            country: r.get(7),
            region: r.get(8),
            pic: r.get(9),
            description: r.get(10),
            website: r.get(11),
            facebook_url: r.get(12),
            linkedin_url: r.get(13),
            official_email: r.get(14),
            head_name: r.get(15),
            head_email: r.get(16),
        },
    }))
}

fn trimmed(f: &OrganisationForm) -> OrganisationForm {
    use crate::check::normalise_email;
    OrganisationForm {
        name: f.name.trim().into(),
        org_type: f.org_type.trim().into(),
        address: f.address.trim().into(),
        city: f.city.trim().into(),
        postcode: f.postcode.trim().into(),
        country: f.country.trim().into(),
        region: f.region.trim().into(),
        pic: f.pic.trim().into(),
        description: f.description.trim().into(),
        website: f.website.trim().into(),
        facebook_url: f.facebook_url.trim().into(),
        linkedin_url: f.linkedin_url.trim().into(),
        official_email: normalise_email(&f.official_email),
        head_name: f.head_name.trim().into(),
        head_email: normalise_email(&f.head_email),
    }
}

async fn pic_taken(
    conn: &mut sqlx::AnyConnection,
    pic: &str,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE pic = $1 AND id <> $2")
        .bind(pic)
        .bind(except.unwrap_or(-1))
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Creates an organisation; `user` becomes its admin and contact person. Returns its slug.
pub async fn create(p: &Platform, user: i64, form: &OrganisationForm) -> Result<String, OrgError> {
    let errors = super::validate::organisation(form);
    if !errors.is_empty() {
        return Err(OrgError::Invalid(errors));
    }
    let f = trimmed(form);
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    if pic_taken(&mut tx, &f.pic, None).await? {
        return Err(OrgError::PicTaken);
    }
    let slug = free_slug(&mut tx, SlugTable::Organisations, &f.name, &[]).await?;
    let inserted = sqlx::query(
        "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
         contact_user_id, description, website, facebook_url, linkedin_url, official_email, head_name, head_email, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(&slug)
    .bind(&f.name)
    .bind(&f.org_type)
    .bind(&f.address)
    .bind(&f.city)
    .bind(&f.postcode)
    .bind(&f.country)
    .bind(&f.region)
    .bind(&f.pic)
    .bind(user)
    .bind(&f.description)
    .bind(&f.website)
    .bind(&f.facebook_url)
    .bind(&f.linkedin_url)
    .bind(&f.official_email)
    .bind(&f.head_name)
    .bind(&f.head_email)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(r) => r.get(0),
        // A concurrent creation took the PIC or the slug first: say so for the PIC; a
        // taken slug is an error this time, and a new attempt picks the next number.
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            let mut conn = p.db.pool.acquire().await?;
            return Err(if pic_taken(&mut conn, &f.pic, None).await? {
                OrgError::PicTaken
            } else {
                OrgError::Db(e)
            });
        }
        Err(e) => return Err(e.into()),
    };
    sqlx::query("INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'admin', $3)")
        .bind(id)
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Saves an organisation's details (the slug stays).
/// `audit`, when given, is recorded in the same transaction.
pub async fn update(
    p: &Platform,
    id: i64,
    form: &OrganisationForm,
    audit: Option<&crate::platform::AuditEntry<'_>>,
) -> Result<(), OrgError> {
    let errors = super::validate::organisation(form);
    if !errors.is_empty() {
        return Err(OrgError::Invalid(errors));
    }
    let f = trimmed(form);
    let mut tx = p.db.pool.begin().await?;
    if pic_taken(&mut tx, &f.pic, Some(id)).await? {
        return Err(OrgError::PicTaken);
    }
    let done = sqlx::query(
        "UPDATE organisations SET name = $2, org_type = $3, address = $4, city = $5, postcode = $6, country = $7, \
         region = $8, pic = $9, description = $10, website = $11, facebook_url = $12, linkedin_url = $13, \
         official_email = $14, head_name = $15, head_email = $16, updated_at = $17 WHERE id = $1",
    )
    .bind(id)
    .bind(&f.name)
    .bind(&f.org_type)
    .bind(&f.address)
    .bind(&f.city)
    .bind(&f.postcode)
    .bind(&f.country)
    .bind(&f.region)
    .bind(&f.pic)
    .bind(&f.description)
    .bind(&f.website)
    .bind(&f.facebook_url)
    .bind(&f.linkedin_url)
    .bind(&f.official_email)
    .bind(&f.head_name)
    .bind(&f.head_email)
    .bind(p.clock.now_ms())
    .execute(&mut *tx)
    .await;
    match done {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(OrgError::PicTaken),
        Err(e) => return Err(e.into()),
    }
    crate::courses::listing::sync_organisation(&mut tx, id, &f.country, p.clock.now_ms()).await?;
    if let Some(entry) = audit {
        crate::platform::audit(&mut *tx, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn member(r: &sqlx::any::AnyRow) -> OrganisationMember {
    OrganisationMember {
        user_id: r.get(0),
        first_name: r.get(1),
        last_name: r.get(2),
        country: r.get(3),
        role: r.get(4),
        photo_version: r.get(5),
    }
}

/// Active members (admins first, then by name); deactivated and anonymised users are left
/// out. Never e-mail addresses.
pub async fn members(db: &Db, org: i64) -> Result<Vec<OrganisationMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.first_name, u.last_name, u.country, m.role, \
         CASE WHEN u.photo_key IS NULL THEN NULL ELSE u.photo_updated_at END \
         FROM organisation_members m JOIN users u ON u.id = m.user_id \
         WHERE m.organisation_id = $1 AND u.status = 'active' \
         ORDER BY CASE WHEN m.role = 'admin' THEN 0 ELSE 1 END, u.last_name, u.first_name, u.id",
    )
    .bind(org)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(member).collect())
}

/// Pending join requests of active users, oldest first.
pub async fn requests(db: &Db, org: i64) -> Result<Vec<OrganisationMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.first_name, u.last_name, u.country, 'pending', \
         CASE WHEN u.photo_key IS NULL THEN NULL ELSE u.photo_updated_at END \
         FROM organisation_join_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.organisation_id = $1 AND u.status = 'active' ORDER BY r.requested_at, u.id",
    )
    .bind(org)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(member).collect())
}

/// `admin`, `member`, `pending` or empty: a user's relation to an organisation.
pub async fn membership(db: &Db, org: i64, user: i64) -> Result<String, sqlx::Error> {
    let role: Option<String> = sqlx::query_scalar(
        "SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2 \
         UNION ALL SELECT 'pending' FROM organisation_join_requests WHERE organisation_id = $1 AND user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    Ok(role.unwrap_or_default())
}

/// Asks to join; nothing happens for members and repeated requests.
pub async fn request_to_join(p: &Platform, org: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_join_requests (organisation_id, user_id, requested_at) \
         SELECT $1, $2, $3 WHERE NOT EXISTS \
         (SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(user)
    .bind(p.clock.now_ms())
    .execute(&p.db.pool)
    .await?;
    Ok(())
}

/// Approves or declines a pending request. `NotFound` when there is none.
pub async fn answer_request(p: &Platform, org: i64, user: i64, approve: bool) -> Result<(), OrgError> {
    let mut tx = p.db.pool.begin().await?;
    let gone =
        sqlx::query("DELETE FROM organisation_join_requests WHERE organisation_id = $1 AND user_id = $2")
            .bind(org)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if gone == 0 {
        return Err(OrgError::NotFound);
    }
    if approve {
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(org)
        .bind(user)
        .bind(p.clock.now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a member's role (`None`: removes them), keeping at least one admin. The
/// organisation's row is locked first (a no-op update), so two admins stepping down at
/// once cannot both pass the count.
pub async fn change_member(p: &Platform, org: i64, user: i64, role: Option<&str>) -> Result<(), OrgError> {
    let mut tx = p.db.pool.begin().await?;
    sqlx::query("UPDATE organisations SET updated_at = updated_at WHERE id = $1")
        .bind(org)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT m.role, (SELECT COUNT(*) FROM organisation_members a WHERE a.organisation_id = $1 AND a.role = 'admin') \
         FROM organisation_members m WHERE m.organisation_id = $1 AND m.user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(OrgError::NotFound);
    };
    let (current, admins): (String, i64) = (row.get(0), row.get(1));
    if current == "admin" && role != Some("admin") && admins <= 1 {
        return Err(OrgError::LastAdmin);
    }
    match role {
        Some(role) => {
            sqlx::query(
                "UPDATE organisation_members SET role = $3 WHERE organisation_id = $1 AND user_id = $2",
            )
            .bind(org)
            .bind(user)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
                .bind(org)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// How long an invitation link works.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// Stores an invitation to `email` and returns the link's secret; only its SHA-256 is kept.
pub async fn invite(p: &Platform, org: i64, by: i64, email: &str) -> Result<String, sqlx::Error> {
    use crate::auth::sessions::{hash_secret, new_secret};
    let secret = new_secret();
    let now = p.clock.now_ms();
    sqlx::query(
        "INSERT INTO organisation_invitations (token_hash, organisation_id, email, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_secret(&secret))
    .bind(org)
    .bind(email)
    .bind(by)
    .bind(now)
    .bind(now + INVITATION_LIFETIME_MS)
    .execute(&p.db.pool)
    .await?;
    Ok(secret)
}

/// The organisation an unused, unexpired invitation is for.
pub async fn invitation(p: &Platform, secret: &str) -> Result<Option<InvitationPage>, sqlx::Error> {
    use crate::auth::sessions::hash_secret;
    let row = sqlx::query(
        "SELECT o.slug, o.name, o.city, o.country FROM organisation_invitations i \
         JOIN organisations o ON o.id = i.organisation_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
    )
    .bind(hash_secret(secret))
    .bind(p.clock.now_ms())
    .fetch_optional(&p.db.pool)
    .await?;
    Ok(row.map(|r| InvitationPage {
        slug: r.get(0),
        name: r.get(1),
        city: r.get(2),
        country: r.get(3),
    }))
}

/// Uses an invitation: `user` becomes a member, and the address it was sent to is erased (no duplicate if they already are one, and
/// a pending join request is answered by it). Returns the organisation's slug, or `None`
/// for an unknown, used or expired link. The single UPDATE makes a second use impossible.
pub async fn accept_invitation(p: &Platform, secret: &str, user: i64) -> Result<Option<String>, sqlx::Error> {
    use crate::auth::sessions::hash_secret;
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let org: Option<i64> = sqlx::query_scalar(
        "UPDATE organisation_invitations SET used_at = $1, used_by = $2, email = '' \
         WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $1 RETURNING organisation_id",
    )
    .bind(now)
    .bind(user)
    .bind(hash_secret(secret))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(org) = org else {
        return Ok(None);
    };
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM organisation_join_requests WHERE organisation_id = $1 AND user_id = $2")
        .bind(org)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let slug: String = sqlx::query_scalar("SELECT slug FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(slug))
}

/// Unused, unexpired invitations, oldest first.
pub async fn invitations(p: &Platform, org: i64) -> Result<Vec<PendingInvitation>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT token_hash, email FROM organisation_invitations \
         WHERE organisation_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at, token_hash",
    )
    .bind(org)
    .bind(p.clock.now_ms())
    .fetch_all(&p.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PendingInvitation {
            id: r.get(0),
            email: r.get(1),
        })
        .collect())
}

/// Withdraws an unused invitation. `NotFound` when there is none.
pub async fn withdraw_invitation(db: &Db, org: i64, id: &str) -> Result<(), OrgError> {
    let gone = sqlx::query(
        "DELETE FROM organisation_invitations WHERE organisation_id = $1 AND token_hash = $2 AND used_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(OrgError::NotFound);
    }
    Ok(())
}

/// Deletes invitations that expired unused: nobody can accept them any more, so the
/// addresses they were sent to have no purpose left. Returns how many were deleted.
pub async fn purge_expired_invitations(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM organisation_invitations WHERE used_at IS NULL AND expires_at <= $1")
            .bind(now_ms)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

/// "First Last" of a user, for mails.
pub async fn user_name(db: &Db, user: i64) -> Result<String, sqlx::Error> {
    let row = sqlx::query("SELECT first_name, last_name FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&db.pool)
        .await?;
    Ok(format!("{} {}", row.get::<String, _>(0), row.get::<String, _>(1))
        .trim()
        .to_string())
}
