//! Group queries and rules. Access is decided by the callers (`api.rs`). Member lists and
//! counts include only members who are learners of the run (active enrolment) with an
//! active account: someone who left the run is out of its groups' pages until they return.
use super::model::{GROUP_KINDS, GroupForm, GroupPerson, GroupSummary};
use crate::courses::db::CourseError;
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::slug::is_unique_violation;
use crate::platform::{Db, Platform};
use sqlx::Row;
use sqlx::any::AnyRow;

type Result<T> = std::result::Result<T, CourseError>;

/// Members of group `g` who count: learners of the run with an active account.
const MEMBERS_OF_G: &str = "(SELECT COUNT(*) FROM run_group_members m \
     JOIN enrolments e ON e.run_id = g.run_id AND e.user_id = m.user_id AND e.status = 'active' \
     JOIN users u ON u.id = m.user_id AND u.status = 'active' WHERE m.group_id = g.id)";

fn summary_sql(one: bool) -> String {
    format!(
        "SELECT g.id, g.name, g.theme, g.kind, g.capacity, g.description_md, {MEMBERS_OF_G}, \
                CASE WHEN EXISTS (SELECT 1 FROM run_group_members me WHERE me.group_id = g.id AND me.user_id = $2) \
                     THEN 1 ELSE 0 END \
         FROM run_groups g WHERE g.run_id = $1{} ORDER BY LOWER(g.name), g.id",
        if one { " AND g.id = $3" } else { "" }
    )
}

fn summary_of(r: &AnyRow) -> GroupSummary {
    GroupSummary {
        id: r.get(0),
        name: r.get(1),
        theme: r.get(2),
        kind: r.get(3),
        capacity: r.get(4),
        description_html: crate::ui::markdown::to_safe_html(&r.get::<String, _>(5)),
        members: r.get(6),
        mine: r.get::<i64, _>(7) != 0,
    }
}

/// The run's groups with their member counts and whether `viewer` is in each (one query).
pub async fn groups(db: &Db, run: i64, viewer: i64) -> std::result::Result<Vec<GroupSummary>, sqlx::Error> {
    let rows = sqlx::query(&summary_sql(false))
        .bind(run)
        .bind(viewer)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(summary_of).collect())
}

/// One group of the run.
pub async fn group(
    db: &Db,
    run: i64,
    group: i64,
    viewer: i64,
) -> std::result::Result<Option<GroupSummary>, sqlx::Error> {
    let row = sqlx::query(&summary_sql(true))
        .bind(run)
        .bind(viewer)
        .bind(group)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.as_ref().map(summary_of))
}

fn person(r: &AnyRow, from: usize) -> GroupPerson {
    GroupPerson {
        user_id: r.get(from),
        name: format!(
            "{} {}",
            r.get::<String, _>(from + 1),
            r.get::<String, _>(from + 2)
        ),
    }
}

/// The members of the run's groups (all of them, or one), by group (one query).
pub async fn members(
    db: &Db,
    run: i64,
    only: Option<i64>,
) -> std::result::Result<Vec<(i64, GroupPerson)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.id, u.id, u.first_name, u.last_name FROM run_groups g \
         JOIN run_group_members m ON m.group_id = g.id \
         JOIN enrolments e ON e.run_id = g.run_id AND e.user_id = m.user_id AND e.status = 'active' \
         JOIN users u ON u.id = m.user_id AND u.status = 'active' \
         WHERE g.run_id = $1 AND ($2 < 0 OR g.id = $2) \
         ORDER BY g.id, u.last_name, u.first_name, u.id",
    )
    .bind(run)
    .bind(only.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), person(r, 1))).collect())
}

/// The run's learners (active enrolments, active accounts), to place in groups.
pub async fn learners(db: &Db, run: i64) -> std::result::Result<Vec<GroupPerson>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.first_name, u.last_name FROM enrolments e JOIN users u ON u.id = e.user_id \
         WHERE e.run_id = $1 AND e.status = 'active' AND u.status = 'active' \
         ORDER BY u.last_name, u.first_name, u.id",
    )
    .bind(run)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(|r| person(r, 0)).collect())
}

/// A checked group form: trimmed text and the capacity.
fn validated(f: &GroupForm) -> Result<(GroupForm, Option<i64>)> {
    let mut errors = Vec::new();
    let name = f.name.trim();
    if let Some(m) = crate::check::line_problem(name, true, 100, Msg::CoursesFieldTooLong) {
        errors.push(FieldError::new("group_name", m));
    }
    if let Some(m) = crate::check::line_problem(&f.theme, false, 100, Msg::CoursesFieldTooLong) {
        errors.push(FieldError::new("theme", m));
    }
    if f.description.trim().chars().count() > 5_000 {
        errors.push(FieldError::new("group_description", Msg::CoursesFieldTooLong));
    }
    if !GROUP_KINDS.contains(&f.kind.as_str()) {
        errors.push(FieldError::new("group_kind", Msg::FieldInvalidChoice));
    }
    let capacity = match f.capacity.trim() {
        "" => None,
        c => {
            let n = c.parse::<i64>().ok().filter(|n| (1..=10_000).contains(n));
            if n.is_none() {
                errors.push(FieldError::new("group_capacity", Msg::CoursesCapacityInvalid));
            }
            n
        }
    };
    if !errors.is_empty() {
        return Err(CourseError::Invalid(errors));
    }
    Ok((
        GroupForm {
            name: name.into(),
            description: f.description.trim().into(),
            theme: f.theme.trim().into(),
            kind: f.kind.clone(),
            capacity: String::new(),
        },
        capacity,
    ))
}

/// Creates a group in the run. A name is used once per run.
pub async fn create(p: &Platform, run: i64, by: i64, form: &GroupForm) -> Result<i64> {
    let (f, capacity) = validated(form)?;
    let inserted = sqlx::query(
        "INSERT INTO run_groups (run_id, name, description_md, theme, kind, capacity, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(run)
    .bind(&f.name)
    .bind(&f.description)
    .bind(&f.theme)
    .bind(&f.kind)
    .bind(capacity)
    .bind(by)
    .bind(p.clock.now_ms())
    .fetch_one(&p.db.pool)
    .await;
    match inserted {
        Ok(r) => Ok(r.get(0)),
        Err(e) if is_unique_violation(&e) => Err(CourseError::Invalid(vec![FieldError::new(
            "group_name",
            Msg::RunsGroupNameTaken,
        )])),
        Err(e) => Err(e.into()),
    }
}

/// The group's form as stored, for editing (the description as its Markdown).
pub async fn form(db: &Db, run: i64, group: i64) -> std::result::Result<Option<GroupForm>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT name, description_md, theme, kind, capacity FROM run_groups WHERE id = $1 AND run_id = $2",
    )
    .bind(group)
    .bind(run)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| GroupForm {
        name: r.get(0),
        description: r.get(1),
        theme: r.get(2),
        kind: r.get(3),
        capacity: r
            .get::<Option<i64>, _>(4)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    }))
}

/// Changes a group's name, description, theme, kind and capacity; its members stay (also
/// beyond a smaller capacity, as when the staff place them).
pub async fn update(db: &Db, run: i64, group: i64, form: &GroupForm) -> Result<()> {
    let (f, capacity) = validated(form)?;
    let done = sqlx::query(
        "UPDATE run_groups SET name = $3, description_md = $4, theme = $5, kind = $6, capacity = $7 \
         WHERE id = $1 AND run_id = $2",
    )
    .bind(group)
    .bind(run)
    .bind(&f.name)
    .bind(&f.description)
    .bind(&f.theme)
    .bind(&f.kind)
    .bind(capacity)
    .execute(&db.pool)
    .await;
    match done {
        Ok(d) if d.rows_affected() == 0 => Err(CourseError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(CourseError::Invalid(vec![FieldError::new(
            "group_name",
            Msg::RunsGroupNameTaken,
        )])),
        Err(e) => Err(e.into()),
    }
}

/// Deletes a group of the run with its memberships.
pub async fn delete(db: &Db, run: i64, group: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM run_groups WHERE id = $1 AND run_id = $2")
        .bind(group)
        .bind(run)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    Ok(())
}

async fn group_kind(db: &Db, run: i64, group: i64) -> Result<String> {
    sqlx::query_scalar("SELECT kind FROM run_groups WHERE id = $1 AND run_id = $2")
        .bind(group)
        .bind(run)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(CourseError::NotFound)
}

/// The staff place a learner of the run in a group (any kind; the staff may go beyond an
/// open group's capacity). Adding a member again changes nothing.
pub async fn add_member(p: &Platform, run: i64, group: i64, user: i64, by: i64) -> Result<()> {
    group_kind(&p.db, run, group).await?;
    let learner: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE run_id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(run)
    .bind(user)
    .fetch_one(&p.db.pool)
    .await?;
    if learner == 0 {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "member",
            Msg::FieldInvalidChoice,
        )]));
    }
    sqlx::query(
        "INSERT INTO run_group_members (group_id, user_id, added_by, joined_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group)
    .bind(user)
    .bind(by)
    .bind(p.clock.now_ms())
    .execute(&p.db.pool)
    .await?;
    Ok(())
}

/// The staff take someone out of a group of the run.
pub async fn remove_member(db: &Db, run: i64, group: i64, user: i64) -> Result<()> {
    group_kind(db, run, group).await?;
    sqlx::query("DELETE FROM run_group_members WHERE group_id = $1 AND user_id = $2")
        .bind(group)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What joining did.
#[derive(Debug, PartialEq, Eq)]
pub enum Joined {
    Now,
    Already,
}

/// A learner joins an open group of the run while it has room. The group's row lock is
/// taken first (a no-op `UPDATE`), so two learners cannot both take its last place. An
/// assigned group, or one of another run, is "not found".
pub async fn join(p: &Platform, run: i64, group: i64, user: i64) -> Result<Joined> {
    let mut tx = p.db.pool.begin().await?;
    let locked = sqlx::query(
        "UPDATE run_groups SET capacity = capacity WHERE id = $1 AND run_id = $2 AND kind = 'open'",
    )
    .bind(group)
    .bind(run)
    .execute(&mut *tx)
    .await?;
    if locked.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    let r = sqlx::query(&format!(
        "SELECT g.capacity, {MEMBERS_OF_G}, \
                (SELECT COUNT(*) FROM run_group_members me WHERE me.group_id = g.id AND me.user_id = $2) \
         FROM run_groups g WHERE g.id = $1"
    ))
    .bind(group)
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    let (capacity, members, mine): (Option<i64>, i64, i64) = (r.get(0), r.get(1), r.get(2));
    if mine > 0 {
        return Ok(Joined::Already);
    }
    if capacity.is_some_and(|c| members >= c) {
        return Err(CourseError::Refused(Msg::RunsGroupFull));
    }
    sqlx::query(
        "INSERT INTO run_group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group)
    .bind(user)
    .bind(p.clock.now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Joined::Now)
}

/// A learner leaves an open group of the run they are in (assigned groups are left only
/// through the staff).
pub async fn leave(db: &Db, run: i64, group: i64, user: i64) -> Result<()> {
    let done = sqlx::query(
        "DELETE FROM run_group_members WHERE group_id = $1 AND user_id = $2 \
         AND group_id IN (SELECT id FROM run_groups WHERE id = $1 AND run_id = $3 AND kind = 'open')",
    )
    .bind(group)
    .bind(user)
    .bind(run)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CourseError::NotFound);
    }
    Ok(())
}
