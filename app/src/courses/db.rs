//! Course queries and rules: authoring, runs, enrolment with its waiting list, progress,
//! attendance and certificates. Access is decided by the callers (`api.rs`).
use super::model::*;
use crate::check::line_problem;
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::{Db, Platform};
use crate::taxonomy::{LANGUAGES, is_subject};
use sqlx::{Any, Row, Transaction};

pub enum CourseError {
    Invalid(Vec<FieldError>),
    /// A whole-form refusal; the message says why.
    Refused(Msg),
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for CourseError {
    fn from(e: sqlx::Error) -> Self {
        CourseError::Db(e)
    }
}

pub(super) type Result<T> = std::result::Result<T, CourseError>;

/// Published courses, newest first, with their organisation (one query).
pub async fn published_courses(
    db: &Db,
    limit: i64,
    offset: i64,
) -> std::result::Result<Vec<CourseCard>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.title, c.summary, c.language, c.estimated_hours, \
                o.name AS organisation_name, o.slug AS organisation_slug, c.image_updated_at \
         FROM courses c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.status = 'published' \
         ORDER BY c.created_at DESC, c.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}

/// A course with its organisation.
pub struct CourseRow {
    pub id: i64,
    pub slug: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub status: String,
    pub version: i64,
    pub hours: i64,
    pub form: CourseForm,
    /// When the course image was set; `None` without one.
    pub image_version: Option<i64>,
}

impl CourseRow {
    pub fn published(&self) -> bool {
        self.status == "published"
    }
}

pub async fn course_by_slug(db: &Db, slug: &str) -> std::result::Result<Option<CourseRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT c.id, c.slug, c.organisation_id, o.name, o.slug, c.status, c.content_version, \
                c.title, c.summary, c.description_md, c.language, c.level, c.estimated_hours, \
                c.target_audience, c.completion_rule, c.image_updated_at \
         FROM courses c JOIN organisations o ON o.id = c.organisation_id WHERE c.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let id: i64 = r.get(0);
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM course_subjects WHERE course_id = $1 ORDER BY subject")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    let hours: i64 = r.get(12);
    Ok(Some(CourseRow {
        id,
        slug: r.get(1),
        organisation_id: r.get(2),
        organisation_name: r.get(3),
        organisation_slug: r.get(4),
        status: r.get(5),
        version: r.get(6),
        hours,
        form: CourseForm {
            title: r.get(7),
            summary: r.get(8),
            description: r.get(9),
            language: r.get(10),
            level: r.get(11),
            estimated_hours: hours.to_string(),
            target_audience: r.get(13),
            subjects,
            completion_rule: r.get(14),
        },
        image_version: r.get(15),
    }))
}

/// The organisation's id and name by its slug.
pub async fn organisation(db: &Db, slug: &str) -> std::result::Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, name FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// A checked and trimmed course form, and its hours.
fn validated(f: &CourseForm) -> Result<(CourseForm, i64)> {
    let mut errors = Vec::new();
    let title = f.title.trim().to_string();
    if let Some(m) = line_problem(&title, true, 200, Msg::CoursesFieldTooLong) {
        errors.push(FieldError::new("title", m));
    }
    if let Some(m) = line_problem(&f.summary, false, 500, Msg::CoursesFieldTooLong) {
        errors.push(FieldError::new("summary", m));
    }
    if !LANGUAGES.contains(&f.language.as_str()) {
        errors.push(FieldError::new("language", Msg::FieldInvalidChoice));
    }
    if !f.level.is_empty() && !LEVELS.contains(&f.level.as_str()) {
        errors.push(FieldError::new("level", Msg::FieldInvalidChoice));
    }
    let rule = if f.completion_rule.is_empty() {
        "viewed".to_string()
    } else {
        f.completion_rule.clone()
    };
    if !COMPLETION_RULES.contains(&rule.as_str()) {
        errors.push(FieldError::new("completion_rule", Msg::FieldInvalidChoice));
    }
    if f.subjects.iter().any(|s| !is_subject(s)) {
        errors.push(FieldError::new("subjects", Msg::FieldInvalidChoice));
    }
    let hours_text = f.estimated_hours.trim();
    let hours = if hours_text.is_empty() {
        Some(0)
    } else {
        hours_text
            .parse::<i64>()
            .ok()
            .filter(|h| (0..=10_000).contains(h))
    };
    if hours.is_none() {
        errors.push(FieldError::new("estimated_hours", Msg::CoursesHoursInvalid));
    }
    if !errors.is_empty() {
        return Err(CourseError::Invalid(errors));
    }
    let mut subjects = f.subjects.clone();
    subjects.sort();
    subjects.dedup();
    Ok((
        CourseForm {
            title,
            summary: f.summary.trim().into(),
            description: f.description.trim().into(),
            language: f.language.clone(),
            level: f.level.clone(),
            estimated_hours: String::new(),
            target_audience: f.target_audience.trim().into(),
            subjects,
            completion_rule: rule,
        },
        hours.unwrap_or(0),
    ))
}

async fn set_subjects(
    tx: &mut Transaction<'_, Any>,
    course: i64,
    subjects: &[String],
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM course_subjects WHERE course_id = $1")
        .bind(course)
        .execute(&mut **tx)
        .await?;
    for s in subjects {
        sqlx::query("INSERT INTO course_subjects (course_id, subject) VALUES ($1, $2)")
            .bind(course)
            .bind(s)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Course slugs never take these: `/courses/files/…` serves course files.
const RESERVED_SLUGS: &[&str] = &["files"];

/// Creates a draft course for an organisation; `user` becomes its teacher. Returns its slug.
pub async fn create_course(p: &Platform, org: i64, user: i64, form: &CourseForm) -> Result<String> {
    let (f, hours) = validated(form)?;
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let slug = crate::platform::slug::free_slug(
        &mut tx,
        crate::platform::slug::SlugTable::Courses,
        &f.title,
        RESERVED_SLUGS,
    )
    .await?;
    let id: i64 = sqlx::query(
        "INSERT INTO courses (slug, organisation_id, title, summary, description_md, language, level, \
         estimated_hours, target_audience, completion_rule, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $11) RETURNING id",
    )
    .bind(&slug)
    .bind(org)
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.description)
    .bind(&f.language)
    .bind(&f.level)
    .bind(hours)
    .bind(&f.target_audience)
    .bind(&f.completion_rule)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    sqlx::query("INSERT INTO course_staff (course_id, user_id, kind) VALUES ($1, $2, 'teacher')")
        .bind(id)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    set_subjects(&mut tx, id, &f.subjects).await?;
    tx.commit().await?;
    Ok(slug)
}

pub async fn update_course(p: &Platform, course: i64, form: &CourseForm) -> Result<()> {
    let (f, hours) = validated(form)?;
    let mut tx = p.db.pool.begin().await?;
    sqlx::query(
        "UPDATE courses SET title = $2, summary = $3, description_md = $4, language = $5, level = $6, \
         estimated_hours = $7, target_audience = $8, completion_rule = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(course)
    .bind(&f.title)
    .bind(&f.summary)
    .bind(&f.description)
    .bind(&f.language)
    .bind(&f.level)
    .bind(hours)
    .bind(&f.target_audience)
    .bind(&f.completion_rule)
    .bind(p.clock.now_ms())
    .execute(&mut *tx)
    .await?;
    set_subjects(&mut tx, course, &f.subjects).await?;
    super::listing::sync(&mut tx, course, p.clock.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a course or takes it back to draft; its runs' catalogue listings follow.
pub async fn set_course_status(p: &Platform, course: i64, status: &str) -> Result<()> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    sqlx::query("UPDATE courses SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(course)
        .bind(status)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    super::listing::sync(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Modules with their items in order (one query).
pub async fn modules(db: &Db, course: i64) -> std::result::Result<Vec<EditModule>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.id, m.title, i.id, i.kind, COALESCE(l.title, ''), COALESCE(i.required, 1), \
                m.badge_enabled, m.badge_name \
         FROM course_modules m \
         LEFT JOIN course_items i ON i.module_id = m.id \
         LEFT JOIN lessons l ON l.id = i.lesson_id \
         WHERE m.course_id = $1 ORDER BY m.position, i.position",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<EditModule> = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        if out.last().is_none_or(|m| m.id != id) {
            out.push(EditModule {
                id,
                title: r.get(1),
                items: Vec::new(),
                badge: r.get::<i64, _>(6) != 0,
                badge_name: r.get(7),
            });
        }
        if let Some(item) = r.get::<Option<i64>, _>(2) {
            out.last_mut().unwrap().items.push(EditItem {
                id: item,
                kind: r.get::<Option<String>, _>(3).unwrap_or_default(),
                title: r.get(4),
                required: r.get::<i64, _>(5) != 0,
            });
        }
    }
    Ok(out)
}

/// Raises the course's content version; with `expected`, only from that version (a page
/// showing an older order gets `CoursesStale` and nothing changes).
pub(super) async fn bump(
    tx: &mut Transaction<'_, Any>,
    course: i64,
    expected: Option<i64>,
    now: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE courses SET content_version = content_version + 1, updated_at = $3 \
         WHERE id = $1 AND ($2 < 0 OR content_version = $2)",
    )
    .bind(course)
    .bind(expected.unwrap_or(-1))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::Refused(Msg::CoursesStale));
    }
    Ok(())
}

fn title_checked(title: &str, field: &str) -> Result<String> {
    let t = title.trim();
    match line_problem(t, true, 200, Msg::CoursesFieldTooLong) {
        Some(m) => Err(CourseError::Invalid(vec![FieldError::new(field, m)])),
        None => Ok(t.to_string()),
    }
}

pub async fn add_module(p: &Platform, course: i64, title: &str) -> Result<()> {
    let title = title_checked(title, "module_title")?;
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, None, p.clock.now_ms()).await?;
    sqlx::query(
        "INSERT INTO course_modules (course_id, position, title) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2 FROM course_modules WHERE course_id = $1",
    )
    .bind(course)
    .bind(&title)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn module_in_course(tx: &mut Transaction<'_, Any>, course: i64, module: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT position FROM course_modules WHERE id = $1 AND course_id = $2")
        .bind(module)
        .bind(course)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(CourseError::NotFound)
}

/// Adds a lesson at the end of a module. Returns the new item's id.
pub async fn add_lesson(p: &Platform, course: i64, module: i64, title: &str) -> Result<i64> {
    let title = title_checked(title, "lesson_title")?;
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, None, p.clock.now_ms()).await?;
    module_in_course(&mut tx, course, module).await?;
    let lesson: i64 = sqlx::query(
        "INSERT INTO lessons (module_id, position, title, body_md) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2, '' FROM lessons WHERE module_id = $1 RETURNING id",
    )
    .bind(module)
    .bind(&title)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    let item: i64 = sqlx::query(
        "INSERT INTO course_items (module_id, position, kind, lesson_id, required) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, 'lesson', $2, 1 FROM course_items WHERE module_id = $1 \
         RETURNING id",
    )
    .bind(module)
    .bind(lesson)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    tx.commit().await?;
    Ok(item)
}

/// Moves a module one place up or down. `version` is the content version the page showed.
pub async fn move_module(p: &Platform, course: i64, module: i64, up: bool, version: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, Some(version), p.clock.now_ms()).await?;
    let pos = module_in_course(&mut tx, course, module).await?;
    let sql = if up {
        "SELECT id, position FROM course_modules WHERE course_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
    } else {
        "SELECT id, position FROM course_modules WHERE course_id = $1 AND position > $2 ORDER BY position LIMIT 1"
    };
    let Some(other) = sqlx::query(sql)
        .bind(course)
        .bind(pos)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(()); // already first or last
    };
    let (other_id, other_pos): (i64, i64) = (other.get(0), other.get(1));
    // Through a free position: the unique (course, position) is checked row by row.
    for (id, to) in [(module, -1), (other_id, pos), (module, other_pos)] {
        sqlx::query("UPDATE course_modules SET position = $2 WHERE id = $1")
            .bind(id)
            .bind(to)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An item's module and position, if it belongs to the course.
pub(super) async fn item_in_course(
    tx: &mut Transaction<'_, Any>,
    course: i64,
    item: i64,
) -> Result<(i64, i64, Option<i64>)> {
    let r = sqlx::query(
        "SELECT i.module_id, i.position, i.lesson_id FROM course_items i \
         JOIN course_modules m ON m.id = i.module_id WHERE i.id = $1 AND m.course_id = $2",
    )
    .bind(item)
    .bind(course)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CourseError::NotFound)?;
    Ok((r.get(0), r.get(1), r.get(2)))
}

/// Moves an item one place up or down inside its module.
pub async fn move_item(p: &Platform, course: i64, item: i64, up: bool, version: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, Some(version), p.clock.now_ms()).await?;
    let (module, pos, _) = item_in_course(&mut tx, course, item).await?;
    let sql = if up {
        "SELECT id, position FROM course_items WHERE module_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
    } else {
        "SELECT id, position FROM course_items WHERE module_id = $1 AND position > $2 ORDER BY position LIMIT 1"
    };
    let Some(other) = sqlx::query(sql)
        .bind(module)
        .bind(pos)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(());
    };
    let (other_id, other_pos): (i64, i64) = (other.get(0), other.get(1));
    for (id, to) in [(item, -1), (other_id, pos), (item, other_pos)] {
        sqlx::query("UPDATE course_items SET position = $2 WHERE id = $1")
            .bind(id)
            .bind(to)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_module(p: &Platform, course: i64, module: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, None, p.clock.now_ms()).await?;
    module_in_course(&mut tx, course, module).await?;
    sqlx::query("DELETE FROM course_modules WHERE id = $1")
        .bind(module)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_item(p: &Platform, course: i64, item: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, None, p.clock.now_ms()).await?;
    let (_, _, lesson) = item_in_course(&mut tx, course, item).await?;
    sqlx::query("DELETE FROM course_items WHERE id = $1")
        .bind(item)
        .execute(&mut *tx)
        .await?;
    if let Some(lesson) = lesson {
        sqlx::query("DELETE FROM lessons WHERE id = $1")
            .bind(lesson)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether anyone ever enrolled in a run of the course (also those who left since).
pub async fn ever_enrolled(
    conn: &mut sqlx::AnyConnection,
    course: i64,
) -> std::result::Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments e JOIN course_runs r ON r.id = e.run_id WHERE r.course_id = $1",
    )
    .bind(course)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Takes the course row's lock (a no-op update) so that checks made in `tx` hold until it
/// ends. `false` when there is no such course.
pub(crate) async fn lock_course(
    tx: &mut Transaction<'_, Any>,
    course: i64,
) -> std::result::Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE courses SET updated_at = updated_at WHERE id = $1")
        .bind(course)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes a whole course that no learner ever enrolled in (their progress, results and
/// certificates belong to it): modules, lessons, runs with their listings and groups,
/// staff, files. `confirm` must be the course's title. The files' objects go on the
/// orphan list in the same transaction and are deleted after it (the sweep retries).
pub async fn delete_course(p: &Platform, course: i64, by: i64, confirm: &str) -> Result<()> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    if !lock_course(&mut tx, course).await? {
        return Err(CourseError::NotFound);
    }
    // Enrolling locks its run first (`lock_run`): with every run locked, a learner who
    // enrols now is either counted below or finds the run gone.
    sqlx::query("UPDATE course_runs SET capacity = capacity WHERE course_id = $1")
        .bind(course)
        .execute(&mut *tx)
        .await?;
    let title: String = sqlx::query_scalar("SELECT title FROM courses WHERE id = $1")
        .bind(course)
        .fetch_one(&mut *tx)
        .await?;
    if ever_enrolled(&mut tx, course).await? {
        return Err(CourseError::Refused(Msg::CoursesDeleteHasLearners));
    }
    if confirm.trim() != title.trim() {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "confirm_title",
            Msg::CoursesDeleteConfirmMismatch,
        )]));
    }
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT object_key FROM course_files WHERE course_id = $1 \
         UNION SELECT image_key FROM courses WHERE id = $1 AND image_key IS NOT NULL",
    )
    .bind(course)
    .fetch_all(&mut *tx)
    .await?;
    crate::platform::orphans::list(&mut tx, &keys, now).await?;
    sqlx::query("DELETE FROM courses WHERE id = $1")
        .bind(course)
        .execute(&mut *tx)
        .await?;
    crate::platform::audit(
        &mut *tx,
        &crate::platform::AuditEntry {
            at: now,
            actor: Some(by),
            action: "course_deleted",
            subject: format!("course:{course}"),
            detail: title,
        },
    )
    .await?;
    tx.commit().await?;
    crate::platform::orphans::discard(p, &keys).await;
    Ok(())
}

/// A lesson's title, Markdown and whether it is required, if the item is a lesson of the course.
pub async fn lesson(
    db: &Db,
    course: i64,
    item: i64,
) -> std::result::Result<Option<(String, String, bool)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT l.title, l.body_md, i.required FROM course_items i \
         JOIN course_modules m ON m.id = i.module_id JOIN lessons l ON l.id = i.lesson_id \
         WHERE i.id = $1 AND m.course_id = $2",
    )
    .bind(item)
    .bind(course)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get::<i64, _>(2) != 0)))
}

pub async fn update_lesson(
    p: &Platform,
    course: i64,
    item: i64,
    title: &str,
    body: &str,
    required: bool,
) -> Result<()> {
    let title = title_checked(title, "title")?;
    if body.len() > 200_000 {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "body",
            Msg::CoursesFieldTooLong,
        )]));
    }
    let mut tx = p.db.pool.begin().await?;
    let (_, _, lesson) = item_in_course(&mut tx, course, item).await?;
    let lesson = lesson.ok_or(CourseError::NotFound)?;
    sqlx::query("UPDATE lessons SET title = $2, body_md = $3 WHERE id = $1")
        .bind(lesson)
        .bind(&title)
        .bind(body.trim())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE course_items SET required = $2 WHERE id = $1")
        .bind(item)
        .bind(i64::from(required))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches a module's badge on or off and names it (empty: the module's title). Badges
/// already earned keep the name they were earned under.
pub async fn set_module_badge(db: &Db, course: i64, module: i64, enabled: bool, name: &str) -> Result<()> {
    let name = name.trim();
    if let Some(m) = line_problem(name, false, BADGE_NAME_MAX, Msg::CoursesFieldTooLong) {
        return Err(CourseError::Invalid(vec![FieldError::new("badge_name", m)]));
    }
    let done = sqlx::query(
        "UPDATE course_modules SET badge_enabled = $3, badge_name = $4 WHERE id = $1 AND course_id = $2",
    )
    .bind(module)
    .bind(course)
    .bind(i64::from(enabled))
    .bind(name)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    Ok(())
}

pub async fn staff(db: &Db, course: i64) -> std::result::Result<Vec<StaffMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.user_id, u.first_name, u.last_name, s.kind FROM course_staff s JOIN users u ON u.id = s.user_id \
         WHERE s.course_id = $1 ORDER BY s.kind DESC, u.last_name, u.first_name, u.id",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| StaffMember {
            user_id: r.get(0),
            name: format!("{} {}", r.get::<String, _>(1), r.get::<String, _>(2)),
            kind: r.get(3),
        })
        .collect())
}

/// Members of the course's organisation who are not yet its staff: the people a teacher
/// may add (picked from a list, so nobody learns which addresses have accounts).
pub async fn staff_candidates(
    db: &Db,
    course: i64,
    org: i64,
) -> std::result::Result<Vec<StaffMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.first_name, u.last_name FROM organisation_members m JOIN users u ON u.id = m.user_id \
         WHERE m.organisation_id = $1 AND u.status = 'active' \
         AND NOT EXISTS (SELECT 1 FROM course_staff s WHERE s.course_id = $2 AND s.user_id = u.id) \
         ORDER BY u.last_name, u.first_name, u.id",
    )
    .bind(org)
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| StaffMember {
            user_id: r.get(0),
            name: format!("{} {}", r.get::<String, _>(1), r.get::<String, _>(2)),
            kind: String::new(),
        })
        .collect())
}

pub async fn add_staff(db: &Db, course: i64, org: i64, user: i64, kind: &str) -> Result<()> {
    if kind != "teacher" && kind != "moderator" {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "kind",
            Msg::FieldInvalidChoice,
        )]));
    }
    let member: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1 AND user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    if member == 0 {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "user",
            Msg::FieldInvalidChoice,
        )]));
    }
    sqlx::query(
        "INSERT INTO course_staff (course_id, user_id, kind) VALUES ($1, $2, $3) \
         ON CONFLICT (course_id, user_id) DO UPDATE SET kind = excluded.kind",
    )
    .bind(course)
    .bind(user)
    .bind(kind)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Removes someone from the staff; the last teacher stays.
pub async fn remove_staff(p: &Platform, course: i64, user: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    // The course's row lock first, so two removals cannot both pass the last-teacher check.
    lock_course(&mut tx, course).await?;
    let teachers: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM course_staff WHERE course_id = $1 AND kind = 'teacher'")
            .bind(course)
            .fetch_all(&mut *tx)
            .await?;
    if teachers == [user] {
        return Err(CourseError::Refused(Msg::CoursesLastTeacher));
    }
    sqlx::query("DELETE FROM course_staff WHERE course_id = $1 AND user_id = $2")
        .bind(course)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

fn optional_day(s: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    if s.trim().is_empty() {
        return None;
    }
    let day = parse_day(s);
    if day.is_none() {
        errors.push(FieldError::new(field, Msg::CoursesDateInvalid));
    }
    day
}

/// A run's settings from its form, or every field's error. Enrolment closes, and a run
/// ends, at the end of the day given.
fn run_settings(f: &RunForm) -> Result<(String, NewRun)> {
    let mut errors = Vec::new();
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("run_title", Msg::FieldRequired));
    }
    let opens = optional_day(&f.enrol_opens, "enrol_opens", &mut errors);
    let closes = optional_day(&f.enrol_closes, "enrol_closes", &mut errors).map(|d| d + DAY_MS);
    let starts = optional_day(&f.starts, "starts", &mut errors);
    let ends = optional_day(&f.ends, "ends", &mut errors).map(|d| d + DAY_MS);
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        errors.push(FieldError::new("enrol_closes", Msg::CoursesDateOrder));
    }
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.push(FieldError::new("ends", Msg::CoursesDateOrder));
    }
    let capacity = match f.capacity.trim() {
        "" => None,
        c => {
            let n = c.parse::<i64>().ok().filter(|n| (1..=100_000).contains(n));
            if n.is_none() {
                errors.push(FieldError::new("capacity", Msg::CoursesCapacityInvalid));
            }
            n
        }
    };
    if !errors.is_empty() {
        return Err(CourseError::Invalid(errors));
    }
    let self_paced = f.self_paced.as_deref().is_some_and(|v| !v.is_empty());
    Ok((
        title.to_string(),
        NewRun {
            enrol_opens: opens,
            enrol_closes: closes,
            starts: if self_paced { None } else { starts },
            ends: if self_paced { None } else { ends },
            self_paced,
            capacity,
        },
    ))
}

/// Creates a draft run.
pub async fn create_run(p: &Platform, course: i64, f: &RunForm) -> Result<i64> {
    let (title, settings) = run_settings(f)?;
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let id = insert_run(&mut tx, course, &title, settings, now).await?;
    super::listing::sync(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a run's settings, whether or not learners are in it. Learners stay when the
/// capacity goes below their number (new ones wait); a larger capacity takes the first on
/// the waiting list in, in order, in the same transaction. The catalogue listing follows.
pub async fn update_run(p: &Platform, course: i64, run: i64, f: &RunForm) -> Result<Vec<Promoted>> {
    let (title, r) = run_settings(f)?;
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    lock_run(&mut tx, run).await?;
    let done = sqlx::query(
        "UPDATE course_runs SET title = $3, enrol_opens_at = $4, enrol_closes_at = $5, starts_at = $6, \
         ends_at = $7, self_paced = $8, capacity = $9 WHERE id = $1 AND course_id = $2",
    )
    .bind(run)
    .bind(course)
    .bind(&title)
    .bind(r.enrol_opens)
    .bind(r.enrol_closes)
    .bind(r.starts)
    .bind(r.ends)
    .bind(i64::from(r.self_paced))
    .bind(r.capacity)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    let promoted = promote_waiting(&mut tx, run, now).await?;
    super::listing::sync(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(promoted)
}

/// Takes the first learners on the run's waiting list in, in order, while the run has
/// room (two statements, whatever their number). The caller holds the run's lock.
async fn promote_waiting(
    tx: &mut Transaction<'_, Any>,
    run: i64,
    now: i64,
) -> std::result::Result<Vec<Promoted>, sqlx::Error> {
    let room = sqlx::query(
        "SELECT r.capacity, (SELECT COUNT(*) FROM enrolments e WHERE e.run_id = r.id AND e.status = 'active') \
         FROM course_runs r WHERE r.id = $1",
    )
    .bind(run)
    .fetch_one(&mut **tx)
    .await?;
    let (capacity, learners): (Option<i64>, i64) = (room.get(0), room.get(1));
    let free = capacity.map_or(i64::MAX, |c| c - learners);
    if free <= 0 {
        return Ok(Vec::new());
    }
    let next = sqlx::query(
        "SELECT e.waiting_seq, u.email, u.first_name, u.locale, c.title FROM enrolments e \
         JOIN users u ON u.id = e.user_id JOIN course_runs r ON r.id = e.run_id JOIN courses c ON c.id = r.course_id \
         WHERE e.run_id = $1 AND e.status = 'waiting' ORDER BY e.waiting_seq LIMIT $2",
    )
        .bind(run)
        .bind(free)
        .fetch_all(&mut **tx)
        .await?;
    let Some(last) = next.last().map(|r| r.get::<i64, _>(0)) else {
        return Ok(Vec::new());
    };
    sqlx::query(
        "UPDATE enrolments SET status = 'active', waiting_seq = NULL, enrolled_at = $3 \
         WHERE run_id = $1 AND status = 'waiting' AND waiting_seq <= $2",
    )
    .bind(run)
    .bind(last)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(next
        .iter()
        .map(|r| Promoted {
            email: r.get(1),
            first_name: r.get(2),
            locale: r.get(3),
            course_title: r.get(4),
        })
        .collect())
}

/// A run's settings (instants in milliseconds).
struct NewRun {
    enrol_opens: Option<i64>,
    enrol_closes: Option<i64>,
    starts: Option<i64>,
    ends: Option<i64>,
    self_paced: bool,
    capacity: Option<i64>,
}

async fn insert_run(
    tx: &mut Transaction<'_, Any>,
    course: i64,
    title: &str,
    r: NewRun,
    now: i64,
) -> std::result::Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO course_runs (course_id, title, enrol_opens_at, enrol_closes_at, starts_at, ends_at, \
         self_paced, capacity, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9) RETURNING id",
    )
    .bind(course)
    .bind(title)
    .bind(r.enrol_opens)
    .bind(r.enrol_closes)
    .bind(r.starts)
    .bind(r.ends)
    .bind(i64::from(r.self_paced))
    .bind(r.capacity)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .get(0))
}

/// Publishes a run or takes it back to draft; its catalogue listing follows.
pub async fn set_run_status(p: &Platform, course: i64, run: i64, status: &str) -> Result<()> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let done = sqlx::query("UPDATE course_runs SET status = $3 WHERE id = $1 AND course_id = $2")
        .bind(run)
        .bind(course)
        .bind(status)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    super::listing::sync(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(())
}

fn enrolment_state(
    now: i64,
    opens: Option<i64>,
    closes: Option<i64>,
    capacity: Option<i64>,
    learners: i64,
) -> &'static str {
    if opens.is_some_and(|o| now < o) {
        "not_yet"
    } else if closes.is_some_and(|c| now >= c) {
        "closed"
    } else if capacity.is_some_and(|c| learners >= c) {
        "full"
    } else {
        "open"
    }
}

/// A course's runs with their numbers and the viewer's place (one query). `all` includes
/// drafts (for staff).
pub async fn runs(
    db: &Db,
    course: i64,
    viewer: Option<i64>,
    all: bool,
    now: i64,
) -> std::result::Result<Vec<RunSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.title, r.status, r.enrol_opens_at, r.enrol_closes_at, r.starts_at, r.ends_at, \
                r.self_paced, r.capacity, \
                (SELECT COUNT(*) FROM enrolments e WHERE e.run_id = r.id AND e.status = 'active'), \
                (SELECT COUNT(*) FROM enrolments e WHERE e.run_id = r.id AND e.status = 'waiting'), \
                COALESCE(me.status, ''), \
                (SELECT COUNT(*) FROM enrolments w WHERE w.run_id = r.id AND w.status = 'waiting' \
                    AND w.waiting_seq <= me.waiting_seq), \
                CASE WHEN l.status = 'published' THEN l.slug END \
         FROM course_runs r LEFT JOIN enrolments me ON me.run_id = r.id AND me.user_id = $2 \
         LEFT JOIN catalogue_listings l ON l.run_id = r.id \
         WHERE r.course_id = $1 AND ($3 = 1 OR r.status = 'published') ORDER BY r.created_at, r.id",
    )
    .bind(course)
    .bind(viewer.unwrap_or(-1))
    .bind(i64::from(all))
    .fetch_all(&db.pool)
    .await?;
    let day = |ms: Option<i64>| ms.map(day_of).unwrap_or_default();
    // Exclusive end instants are shown as the last day.
    let last_day = |ms: Option<i64>| ms.map(|m| day_of(m - 1)).unwrap_or_default();
    Ok(rows
        .iter()
        .map(|r| {
            let (opens, closes): (Option<i64>, Option<i64>) = (r.get(3), r.get(4));
            let capacity: Option<i64> = r.get(8);
            let learners: i64 = r.get(9);
            let mine: String = r.get(11);
            RunSummary {
                id: r.get(0),
                title: r.get(1),
                status: r.get(2),
                enrol_opens: day(opens),
                enrol_closes: last_day(closes),
                starts: day(r.get(5)),
                ends: last_day(r.get(6)),
                self_paced: r.get::<i64, _>(7) != 0,
                capacity,
                learners,
                waiting: r.get(10),
                enrolment: enrolment_state(now, opens, closes, capacity, learners).into(),
                mine: if mine == "left" { String::new() } else { mine },
                waiting_position: r.get(12),
                listing: r.get(13),
            }
        })
        .collect())
}

/// S7: the average stars and number of reviews of all the course's run listings, counted
/// as the catalogue counts them (published listings, reviews of active users).
pub async fn course_rating(db: &Db, course: i64) -> std::result::Result<(Option<f64>, i64), sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST(AVG(lr.stars) AS DOUBLE PRECISION), COUNT(*) FROM listing_reviews lr \
         JOIN users ru ON ru.id = lr.user_id AND ru.status = 'active' \
         JOIN catalogue_listings l ON l.id = lr.listing_id AND l.status = 'published' \
         JOIN course_runs r ON r.id = l.run_id WHERE r.course_id = $1",
    )
    .bind(course)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.get(0), r.get(1)))
}

/// What enrolling did.
#[derive(Debug, PartialEq, Eq)]
pub enum Enrolled {
    Now,
    Already,
    /// On the waiting list (a full run), now or before.
    Waiting,
}

/// Takes the run's row lock first, so two enrolments cannot both take the last place.
pub(crate) async fn lock_run(
    tx: &mut Transaction<'_, Any>,
    run: i64,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("UPDATE course_runs SET capacity = capacity WHERE id = $1")
        .bind(run)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// S4: enrols a signed-in user in a published run of a published course: active while
/// there is room, otherwise on the waiting list. Enrolling again changes nothing.
pub async fn enrol(p: &Platform, run: i64, user: i64) -> Result<Enrolled> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    lock_run(&mut tx, run).await?;
    let r = sqlx::query(
        "SELECT r.status, c.status, r.enrol_opens_at, r.enrol_closes_at, r.capacity FROM course_runs r \
         JOIN courses c ON c.id = r.course_id WHERE r.id = $1",
    )
    .bind(run)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(CourseError::NotFound)?;
    if r.get::<String, _>(0) != "published" || r.get::<String, _>(1) != "published" {
        return Err(CourseError::NotFound);
    }
    let existing: Option<String> =
        sqlx::query_scalar("SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2")
            .bind(run)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    match existing.as_deref() {
        Some("active") => return Ok(Enrolled::Already),
        Some("waiting") => return Ok(Enrolled::Waiting),
        // Removed by the course staff: only they can enrol the learner again.
        Some("removed") => return Err(CourseError::Refused(Msg::CourseStaffRemovedCannotEnrol)),
        _ => {}
    }
    let learners: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM enrolments WHERE run_id = $1 AND status = 'active'")
            .bind(run)
            .fetch_one(&mut *tx)
            .await?;
    let state = enrolment_state(now, r.get(2), r.get(3), r.get(4), learners);
    let (status, seq) = match state {
        "open" => ("active", None),
        "full" => {
            let seq: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(waiting_seq), 0) + 1 FROM enrolments WHERE run_id = $1",
            )
            .bind(run)
            .fetch_one(&mut *tx)
            .await?;
            ("waiting", Some(seq))
        }
        _ => return Err(CourseError::Refused(Msg::CoursesEnrolClosed)),
    };
    sqlx::query(
        "INSERT INTO enrolments (run_id, user_id, status, enrolled_at, waiting_seq) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (run_id, user_id) DO UPDATE SET status = excluded.status, enrolled_at = excluded.enrolled_at, \
         waiting_seq = excluded.waiting_seq, ended_at = NULL",
    )
    .bind(run)
    .bind(user)
    .bind(status)
    .bind(now)
    .bind(seq)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(if seq.is_some() {
        Enrolled::Waiting
    } else {
        Enrolled::Now
    })
}

/// Someone promoted from the waiting list, to be told by e-mail.
pub struct Promoted {
    pub email: String,
    pub first_name: String,
    pub locale: String,
    pub course_title: String,
}

/// Leaves a run (or its waiting list). A freed place goes to the first on the waiting
/// list, in the same transaction. Progress stays, should the learner come back.
pub async fn unenrol(p: &Platform, run: i64, user: i64) -> Result<Vec<Promoted>> {
    end_enrolment(p, run, user, None).await
}

/// Ends an active or waiting enrolment: `left` by the learner, or `removed` when the
/// course staff do it (`removed_by`, whose audit record is written in the same
/// transaction). Progress stays; a freed place goes to the first on the waiting list.
pub async fn end_enrolment(
    p: &Platform,
    run: i64,
    user: i64,
    removed_by: Option<&crate::platform::AuditEntry<'_>>,
) -> Result<Vec<Promoted>> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    lock_run(&mut tx, run).await?;
    let existing: Option<String> =
        sqlx::query_scalar("SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2")
            .bind(run)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let was_active = match existing.as_deref() {
        Some("active") => true,
        Some("waiting") => false,
        _ => return Err(CourseError::NotFound),
    };
    sqlx::query(
        "UPDATE enrolments SET status = $3, waiting_seq = NULL, ended_at = $4 WHERE run_id = $1 AND user_id = $2",
    )
    .bind(run)
    .bind(user)
    .bind(if removed_by.is_some() { "removed" } else { "left" })
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some(entry) = removed_by {
        crate::platform::audit(&mut *tx, entry).await?;
    }
    let promoted = if was_active {
        promote_waiting(&mut tx, run, now).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(promoted)
}

/// A run with its course, for the learning pages.
pub struct RunRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub course_id: i64,
    pub course_slug: String,
    pub course_title: String,
    pub course_status: String,
    pub completion_rule: String,
}

pub async fn run(db: &Db, run: i64) -> std::result::Result<Option<RunRow>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT r.id, r.title, r.status, c.id, c.slug, c.title, c.status, c.completion_rule \
         FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE r.id = $1",
    )
    .bind(run)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(|r| RunRow {
        id: r.get(0),
        title: r.get(1),
        status: r.get(2),
        course_id: r.get(3),
        course_slug: r.get(4),
        course_title: r.get(5),
        course_status: r.get(6),
        completion_rule: r.get(7),
    }))
}

/// The course's modules and items with one learner's progress in a run (one query).
pub async fn progress(
    db: &Db,
    course: i64,
    run: i64,
    user: i64,
) -> std::result::Result<Vec<LearnModule>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.id, m.title, i.id, COALESCE(l.title, ''), COALESCE(i.required, 1), \
                CASE WHEN p.completed_at IS NULL THEN 0 ELSE 1 END, \
                m.badge_enabled, CASE WHEN m.badge_name = '' THEN m.title ELSE m.badge_name END, \
                CASE WHEN b.id IS NULL THEN 0 ELSE 1 END \
         FROM course_modules m \
         LEFT JOIN course_items i ON i.module_id = m.id \
         LEFT JOIN lessons l ON l.id = i.lesson_id \
         LEFT JOIN item_progress p ON p.item_id = i.id AND p.run_id = $2 AND p.user_id = $3 \
         LEFT JOIN module_badges b ON b.module_id = m.id AND b.run_id = $2 AND b.user_id = $3 \
         WHERE m.course_id = $1 ORDER BY m.position, i.position",
    )
    .bind(course)
    .bind(run)
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(i64, LearnModule)> = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        if out.last().is_none_or(|(m, _)| *m != id) {
            out.push((
                id,
                LearnModule {
                    title: r.get(1),
                    items: Vec::new(),
                    done: false,
                    badge: (r.get::<i64, _>(6) != 0).then(|| r.get(7)),
                    badge_earned: r.get::<i64, _>(8) != 0,
                },
            ));
        }
        if let Some(item) = r.get::<Option<i64>, _>(2) {
            out.last_mut().unwrap().1.items.push(LearnItem {
                id: item,
                title: r.get(3),
                required: r.get::<i64, _>(4) != 0,
                done: r.get::<i64, _>(5) != 0,
            });
        }
    }
    Ok(out
        .into_iter()
        .map(|(_, mut m)| {
            // A module is complete when all its required items are.
            m.done = m.items.iter().all(|i| i.done || !i.required);
            m
        })
        .collect())
}

/// Percentage of required items done, 0–100.
pub fn percent(modules: &[LearnModule]) -> i64 {
    let required = modules.iter().flat_map(|m| &m.items).filter(|i| i.required);
    let (total, done) = required.fold((0i64, 0i64), |(t, d), i| (t + 1, d + i64::from(i.done)));
    if total == 0 { 0 } else { done * 100 / total }
}

/// S12 attendance: one row per learner, run and day.
pub async fn record_day(p: &Platform, run: i64, user: i64) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO run_activity_days (run_id, user_id, day) VALUES ($1, $2, $3) \
         ON CONFLICT (run_id, user_id, day) DO NOTHING",
    )
    .bind(run)
    .bind(user)
    .bind(day_of(p.clock.now_ms()))
    .execute(&p.db.pool)
    .await?;
    Ok(())
}

/// Marks an item done for a learner. When that completes every required item of its
/// module and the module awards a badge, the badge is earned; when it completes every
/// required item of the course, the certificate is issued; all in the same transaction,
/// and all idempotent.
pub async fn complete(p: &Platform, r: &RunRow, user: i64, item: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    if complete_in(&mut tx, r, user, item, p.clock.now_ms(), None).await? {
        tx.commit().await?;
    }
    Ok(())
}

/// Who marked an item done for a learner, and why (course staff, `courses::staff`).
pub struct MarkedBy<'a> {
    pub user: i64,
    pub reason: &'a str,
}

/// The rule of [`complete`] inside the caller's transaction: the progress row (with the
/// staff member and reason when `by` is set) and, when that completes the course, the
/// certificate. Returns whether the item was newly done; `false` leaves nothing to commit.
pub async fn complete_in(
    tx: &mut Transaction<'_, Any>,
    r: &RunRow,
    user: i64,
    item: i64,
    now: i64,
    by: Option<&MarkedBy<'_>>,
) -> Result<bool> {
    item_in_course(tx, r.course_id, item).await?;
    let added = sqlx::query(
        "INSERT INTO item_progress (run_id, user_id, item_id, completed_at, marked_by, mark_reason) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (run_id, user_id, item_id) DO NOTHING",
    )
    .bind(r.id)
    .bind(user)
    .bind(item)
    .bind(now)
    .bind(by.map(|b| b.user))
    .bind(by.map(|b| b.reason))
    .execute(&mut **tx)
    .await?;
    if added.rows_affected() == 0 {
        return Ok(false);
    }
    // The item's module awards a badge and now has every required item done: the badge.
    // A module with no required item awards none.
    sqlx::query(
        "INSERT INTO module_badges (user_id, run_id, course_id, module_id, name, earned_at) \
         SELECT $3, $2, m.course_id, m.id, CASE WHEN m.badge_name = '' THEN m.title ELSE m.badge_name END, $4 \
         FROM course_items i JOIN course_modules m ON m.id = i.module_id \
         WHERE i.id = $1 AND m.badge_enabled = 1 \
           AND EXISTS (SELECT 1 FROM course_items r WHERE r.module_id = m.id AND r.required = 1) \
           AND NOT EXISTS (SELECT 1 FROM course_items r WHERE r.module_id = m.id AND r.required = 1 \
               AND NOT EXISTS (SELECT 1 FROM item_progress p \
                   WHERE p.item_id = r.id AND p.run_id = $2 AND p.user_id = $3)) \
         ON CONFLICT (run_id, user_id, module_id) DO NOTHING",
    )
    .bind(item)
    .bind(r.id)
    .bind(user)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let counts = sqlx::query(
        "SELECT COUNT(*), COUNT(p.item_id) FROM course_items i JOIN course_modules m ON m.id = i.module_id \
         LEFT JOIN item_progress p ON p.item_id = i.id AND p.run_id = $2 AND p.user_id = $3 \
         WHERE m.course_id = $1 AND i.required = 1",
    )
    .bind(r.course_id)
    .bind(r.id)
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    let (required, done): (i64, i64) = (counts.get(0), counts.get(1));
    if required > 0 && done == required {
        let code = hex::encode(rand::random::<[u8; 10]>());
        sqlx::query(
            "INSERT INTO certificates (code, run_id, user_id, issued_at, learner_name, course_title, organisation_name, hours) \
             SELECT $1, r.id, u.id, $4, u.first_name || ' ' || u.last_name, c.title, o.name, c.estimated_hours \
             FROM course_runs r JOIN courses c ON c.id = r.course_id JOIN organisations o ON o.id = c.organisation_id \
             JOIN users u ON u.id = $3 WHERE r.id = $2 \
             ON CONFLICT (run_id, user_id) DO NOTHING",
        )
        .bind(&code)
        .bind(r.id)
        .bind(user)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

pub async fn certificate_code(
    db: &Db,
    run: i64,
    user: i64,
) -> std::result::Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM certificates WHERE run_id = $1 AND user_id = $2")
        .bind(run)
        .bind(user)
        .fetch_optional(&db.pool)
        .await
}

/// A certificate and its owner.
pub async fn certificate(
    db: &Db,
    code: &str,
) -> std::result::Result<Option<(i64, Certificate)>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT code, user_id, learner_name, course_title, organisation_name, hours, issued_at \
         FROM certificates WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(|r| {
        (
            r.get(1),
            Certificate {
                code: r.get(0),
                learner_name: r.get(2),
                course_title: r.get(3),
                organisation_name: r.get(4),
                hours: r.get(5),
                issued_on: day_of(r.get(6)),
            },
        )
    }))
}

/// "My courses": every run the user is enrolled or waiting in, with progress, the first
/// item not yet done, and the certificate (one query for all runs).
/// The courses `user` teaches or moderates, drafts included, most recently changed first
/// (one query).
pub async fn taught_courses(db: &Db, user: i64) -> std::result::Result<Vec<TaughtCourse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS slug, c.title AS title, c.status AS status, s.kind AS kind, o.name AS organisation_name \
         FROM course_staff s JOIN courses c ON c.id = s.course_id JOIN organisations o ON o.id = c.organisation_id \
         WHERE s.user_id = $1 ORDER BY c.updated_at DESC, c.id DESC",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

pub async fn my_courses(db: &Db, user: i64) -> std::result::Result<Vec<MyCourse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id AS run_id, c.title AS course_title, c.slug AS course_slug, r.title AS run_title, \
                e.status AS status, \
                (SELECT COUNT(*) FROM item_progress p JOIN course_items i ON i.id = p.item_id \
                    WHERE p.run_id = r.id AND p.user_id = e.user_id AND i.required = 1) AS done, \
                (SELECT COUNT(*) FROM course_items i JOIN course_modules m ON m.id = i.module_id \
                    WHERE m.course_id = c.id AND i.required = 1) AS total, \
                (SELECT i.id FROM course_items i JOIN course_modules m ON m.id = i.module_id \
                    WHERE m.course_id = c.id AND NOT EXISTS (SELECT 1 FROM item_progress p \
                        WHERE p.item_id = i.id AND p.run_id = r.id AND p.user_id = e.user_id) \
                    ORDER BY m.position, i.position LIMIT 1) AS resume, \
                cert.code AS certificate \
         FROM enrolments e JOIN course_runs r ON r.id = e.run_id JOIN courses c ON c.id = r.course_id \
         LEFT JOIN certificates cert ON cert.run_id = r.id AND cert.user_id = e.user_id \
         WHERE e.user_id = $1 AND e.status IN ('active', 'waiting') \
           AND r.status = 'published' AND c.status = 'published' \
         ORDER BY e.enrolled_at DESC, r.id DESC",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

/// The new run's start day for [`copy_run`]: every date of the old run moves by the same
/// number of days. The anchor is the old run's start, else (self-paced) its enrolment
/// opening; a run without either gets the chosen day as its start (or, self-paced, as the
/// day enrolment opens).
pub fn shifted_dates(
    old: &CopiedRun,
    new_start: i64,
) -> (Option<i64>, Option<i64>, Option<i64>, Option<i64>) {
    let shift = |delta: i64, t: Option<i64>| t.map(|t| t + delta);
    match old.starts.or(old.enrol_opens) {
        Some(anchor) => {
            let d = new_start - anchor;
            (
                shift(d, old.enrol_opens),
                shift(d, old.enrol_closes),
                shift(d, old.starts),
                shift(d, old.ends),
            )
        }
        None if old.self_paced => (Some(new_start), None, None, None),
        None => (None, None, Some(new_start), None),
    }
}

/// What a copy takes from a run.
#[derive(Clone, Debug, Default)]
pub struct CopiedRun {
    pub enrol_opens: Option<i64>,
    pub enrol_closes: Option<i64>,
    pub starts: Option<i64>,
    pub ends: Option<i64>,
    pub self_paced: bool,
    pub capacity: Option<i64>,
}

/// Copies a run of the course into a new draft run: its capacity, whether it is
/// self-paced, its dates moved to `form.starts`, and its groups without members. No
/// learners, progress or attendance: the content is the course's and shared by all runs.
/// Audited (`run_copied`) with the new run and its listing, in one transaction.
pub async fn copy_run(p: &Platform, course: i64, by: i64, form: &CopyRunForm) -> Result<i64> {
    let mut errors = Vec::new();
    let title = form.title.trim();
    if let Some(m) = line_problem(title, true, 200, Msg::CoursesFieldTooLong) {
        errors.push(FieldError::new("copy_title", m));
    }
    let starts = parse_day(&form.starts);
    if starts.is_none() {
        errors.push(FieldError::new(
            "copy_starts",
            if form.starts.trim().is_empty() {
                Msg::FieldRequired
            } else {
                Msg::CoursesDateInvalid
            },
        ));
    }
    let old_id: i64 = form.run.trim().parse().unwrap_or(-1);
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let old = sqlx::query(
        "SELECT enrol_opens_at, enrol_closes_at, starts_at, ends_at, self_paced, capacity FROM course_runs \
         WHERE id = $1 AND course_id = $2",
    )
    .bind(old_id)
    .bind(course)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else {
        errors.push(FieldError::new("copy_run", Msg::FieldInvalidChoice));
        return Err(CourseError::Invalid(errors));
    };
    let (Some(starts), true) = (starts, errors.is_empty()) else {
        return Err(CourseError::Invalid(errors));
    };
    let old = CopiedRun {
        enrol_opens: old.get(0),
        enrol_closes: old.get(1),
        starts: old.get(2),
        ends: old.get(3),
        self_paced: old.get::<i64, _>(4) != 0,
        capacity: old.get(5),
    };
    let (enrol_opens, enrol_closes, new_starts, ends) = shifted_dates(&old, starts);
    let id = insert_run(
        &mut tx,
        course,
        title,
        NewRun {
            enrol_opens,
            enrol_closes,
            starts: new_starts,
            ends,
            self_paced: old.self_paced,
            capacity: old.capacity,
        },
        now,
    )
    .await?;
    // Groups are the run's settings too (themes repeat from one edition to the next);
    // their members are not.
    sqlx::query(
        "INSERT INTO run_groups (run_id, name, description_md, theme, kind, capacity, created_by, created_at) \
         SELECT $1, name, description_md, theme, kind, capacity, $3, $4 FROM run_groups WHERE run_id = $2",
    )
    .bind(id)
    .bind(old_id)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::platform::audit(
        &mut *tx,
        &crate::platform::AuditEntry {
            at: now,
            actor: Some(by),
            action: "run_copied",
            subject: format!("run:{id}"),
            detail: format!("from run:{old_id}"),
        },
    )
    .await?;
    super::listing::sync(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(id)
}
