//! The course staff's queries of a run (S12): the progress table, its summary and charts,
//! one learner's items, and the changes staff make (marking an item complete, enrolling
//! again, removing), each audited in its own transaction. Access is decided by the callers.
//!
//! Every page of the table costs the same number of queries whatever the number of
//! learners: the module heads with the funnel (1), the summary (1), the matching count
//! (1), the page of learners (1), their module cells (1), and the weekly chart (2). The
//! per-learner figures are aggregated in SQL (`GROUP BY` over the run's rows of
//! `item_progress` and `run_activity_days`, found by their primary keys' `run_id`
//! prefix); only the page's rows leave the database.
use super::model::*;
use crate::courses::db::{CourseError, MarkedBy, Promoted, RunRow, complete_in, end_enrolment, lock_run};
use crate::courses::model::{DAY_MS, day_of, parse_day};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::platform::{AuditEntry, Db, Platform, audit};
use sqlx::{Any, Row, any::AnyRow};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, CourseError>;
type DbResult<T> = std::result::Result<T, sqlx::Error>;

/// A run of the course named by its slug, with its course's facts.
pub struct StaffRun {
    pub run: RunRow,
    pub capacity: Option<i64>,
}

/// The run, if it belongs to the course `slug` (one query).
pub async fn run_of_course(db: &Db, slug: &str, run: i64) -> DbResult<Option<StaffRun>> {
    let r = sqlx::query(
        "SELECT r.id, r.title, r.status, c.id, c.slug, c.title, c.status, c.completion_rule, r.capacity \
         FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE r.id = $1 AND c.slug = $2",
    )
    .bind(run)
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(|r| StaffRun {
        run: RunRow {
            id: r.get(0),
            title: r.get(1),
            status: r.get(2),
            course_id: r.get(3),
            course_slug: r.get(4),
            course_title: r.get(5),
            course_status: r.get(6),
            completion_rule: r.get(7),
        },
        capacity: r.get(8),
    }))
}

/// The course's modules in order, each with its required items and how many of the run's
/// active learners did all of them (the completion funnel), in one query. A module
/// without required items counts as completed by every active learner.
pub async fn modules(db: &Db, course: i64, run: i64, active: i64) -> DbResult<Vec<ModuleHead>> {
    let rows = sqlx::query(
        "SELECT m.id, m.title, \
                (SELECT COUNT(*) FROM course_items i WHERE i.module_id = m.id AND i.required = 1), \
                COALESCE(f.completed, 0) \
         FROM course_modules m LEFT JOIN ( \
             SELECT x.module_id AS module_id, COUNT(*) AS completed FROM ( \
                 SELECT i.module_id AS module_id, p.user_id AS user_id, COUNT(*) AS n \
                 FROM item_progress p JOIN course_items i ON i.id = p.item_id \
                 JOIN enrolments e ON e.run_id = p.run_id AND e.user_id = p.user_id AND e.status = 'active' \
                 WHERE p.run_id = $2 AND i.required = 1 GROUP BY i.module_id, p.user_id) x \
             JOIN (SELECT i.module_id AS module_id, COUNT(*) AS n FROM course_items i \
                   JOIN course_modules mm ON mm.id = i.module_id \
                   WHERE mm.course_id = $1 AND i.required = 1 GROUP BY i.module_id) rc \
               ON rc.module_id = x.module_id AND rc.n = x.n \
             GROUP BY x.module_id) f ON f.module_id = m.id \
         WHERE m.course_id = $1 ORDER BY m.position",
    )
    .bind(course)
    .bind(run)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let required: i64 = r.get(2);
            ModuleHead {
                id: r.get(0),
                title: r.get(1),
                required,
                completed: if required == 0 { active } else { r.get(3) },
            }
        })
        .collect())
}

enum Arg {
    I(i64),
    S(String),
}

/// SQL text assembled from fixed pieces only; every value is bound.
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::I(i) => q.bind(*i),
                Arg::S(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

/// Which learners a query is about.
pub struct Filter<'a> {
    pub query: &'a ProgressQuery,
    /// The course's module ids: a `module` filter naming another is ignored.
    pub modules: &'a [i64],
    /// Only this learner (the learner's page).
    pub user: Option<i64>,
}

/// `(SELECT … ) x`: one row per enrolment of the run with the learner's required items
/// done (`done`, `by_staff`) and the course's (`total`); with `full` also attendance and
/// the certificate. `$1` is the run, `$2` the course.
fn learners_sql(run: i64, course: i64, f: &Filter<'_>, full: bool) -> Sql {
    let mut s = Sql {
        text: String::new(),
        args: vec![Arg::I(run), Arg::I(course)],
    };
    let mut text = String::from(
        "SELECT e.user_id AS user_id, \
         CASE WHEN u.status = 'active' THEN u.first_name ELSE '' END AS first_name, \
         CASE WHEN u.status = 'active' THEN u.last_name ELSE '' END AS last_name, \
         CASE WHEN u.status = 'active' THEN 0 ELSE 1 END AS hidden, \
         e.status AS status, e.enrolled_at AS enrolled_at, e.ended_at AS ended_at, \
         COALESCE(d.done, 0) AS done, COALESCE(d.by_staff, 0) AS by_staff, t.total AS total",
    );
    if full {
        text.push_str(
            ", COALESCE(a.days, 0) AS days, a.last_day AS last_day, \
             CASE WHEN cert.id IS NULL THEN 0 ELSE 1 END AS certificate",
        );
    }
    text.push_str(
        " FROM enrolments e JOIN users u ON u.id = e.user_id \
         CROSS JOIN (SELECT COUNT(*) AS total FROM course_items i JOIN course_modules m ON m.id = i.module_id \
             WHERE m.course_id = $2 AND i.required = 1) t \
         LEFT JOIN (SELECT p.user_id AS user_id, COUNT(*) AS done, \
             SUM(CASE WHEN p.mark_reason IS NULL THEN 0 ELSE 1 END) AS by_staff \
             FROM item_progress p JOIN course_items i ON i.id = p.item_id \
             WHERE p.run_id = $1 AND i.required = 1 GROUP BY p.user_id) d ON d.user_id = e.user_id",
    );
    if full {
        text.push_str(
            " LEFT JOIN (SELECT user_id, COUNT(*) AS days, MAX(day) AS last_day FROM run_activity_days \
                 WHERE run_id = $1 GROUP BY user_id) a ON a.user_id = e.user_id \
             LEFT JOIN certificates cert ON cert.run_id = e.run_id AND cert.user_id = e.user_id",
        );
    }
    text.push_str(" WHERE e.run_id = $1");
    if let Some(user) = f.user {
        let p = s.arg(Arg::I(user));
        text.push_str(&format!(" AND e.user_id = {p}"));
    } else {
        text.push_str(match f.query.enrolment() {
            "waiting" => " AND e.status = 'waiting'",
            "ended" => " AND e.status IN ('left', 'removed')",
            "all" => "",
            _ => " AND e.status = 'active'",
        });
    }
    let name = f.query.q.trim().to_lowercase();
    if f.user.is_none() && !name.is_empty() {
        let pattern: String = name
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let p = s.arg(Arg::S(format!("%{pattern}%")));
        // T7: a deactivated learner's name is never searched (nor shown, nor sorted by).
        text.push_str(&format!(
            " AND u.status = 'active' AND LOWER(u.first_name || ' ' || u.last_name) LIKE {p} ESCAPE '\\'"
        ));
    }
    if let Some(module) = f
        .query
        .module()
        .filter(|m| f.user.is_none() && f.modules.contains(m))
    {
        let m = s.arg(Arg::I(module));
        text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM course_items i WHERE i.module_id = {m} AND i.required = 1 \
               AND NOT EXISTS (SELECT 1 FROM item_progress p WHERE p.run_id = $1 AND p.user_id = e.user_id \
                   AND p.item_id = i.id))"
        ));
    }
    s.text = format!("(SELECT * FROM ({text}) y WHERE 1 = 1");
    if f.user.is_none() {
        s.text.push_str(match f.query.state() {
            Some("completed") => " AND y.total > 0 AND y.done >= y.total",
            Some("in_progress") => " AND y.done > 0 AND (y.total = 0 OR y.done < y.total)",
            Some("not_started") => " AND y.done = 0",
            _ => "",
        });
    }
    s.text.push_str(") x");
    s
}

fn order_by(q: &ProgressQuery) -> &'static str {
    match q.sort() {
        "progress" => " ORDER BY x.done DESC, x.hidden, LOWER(x.last_name), LOWER(x.first_name), x.user_id",
        "progress_asc" => " ORDER BY x.done, x.hidden, LOWER(x.last_name), LOWER(x.first_name), x.user_id",
        _ => " ORDER BY x.hidden, LOWER(x.last_name), LOWER(x.first_name), x.user_id",
    }
}

/// How many learners match the filters.
pub async fn matching(db: &Db, run: i64, course: i64, f: &Filter<'_>) -> DbResult<i64> {
    let mut s = learners_sql(run, course, f, false);
    s.text = format!("SELECT COUNT(*) FROM {}", s.text);
    Ok(s.query().fetch_one(&db.pool).await?.get(0))
}

/// The run's numbers over all its learners (one query).
pub async fn summary(db: &Db, run: i64, course: i64, total: i64) -> DbResult<Summary> {
    let all = ProgressQuery {
        enrolment: "all".into(),
        ..Default::default()
    };
    let mut s = learners_sql(
        run,
        course,
        &Filter {
            query: &all,
            modules: &[],
            user: None,
        },
        false,
    );
    s.text = format!(
        "SELECT \
           COALESCE(SUM(CASE WHEN x.status = 'active' THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN x.status = 'waiting' THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN x.status IN ('left', 'removed') THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN x.status = 'active' AND x.total > 0 AND x.done >= x.total THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN x.status = 'active' AND x.done > 0 AND (x.total = 0 OR x.done < x.total) \
               THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN x.status = 'active' AND x.done = 0 THEN 1 ELSE 0 END), 0), \
           CAST(COALESCE(SUM(CASE WHEN x.status = 'active' THEN x.done ELSE 0 END), 0) AS BIGINT) \
         FROM {}",
        s.text
    );
    let r = s.query().fetch_one(&db.pool).await?;
    let active: i64 = r.get(0);
    let done_sum: i64 = r.get(6);
    Ok(Summary {
        active,
        waiting: r.get(1),
        ended: r.get(2),
        completed: r.get(3),
        in_progress: r.get(4),
        not_started: r.get(5),
        average_percent: if active > 0 && total > 0 {
            done_sum * 100 / (active * total)
        } else {
            0
        },
    })
}

fn learner_row(r: &AnyRow, modules: usize) -> LearnerRow {
    let first: String = r.get("first_name");
    let last: String = r.get("last_name");
    let deactivated = r.get::<i64, _>("hidden") != 0;
    LearnerRow {
        user_id: r.get("user_id"),
        // T7: the query already left a deactivated learner's name out.
        name: if deactivated {
            String::new()
        } else {
            format!("{first} {last}")
        },
        deactivated,
        status: r.get("status"),
        enrolled_on: day_of(r.get("enrolled_at")),
        ended_on: r
            .get::<Option<i64>, _>("ended_at")
            .map(day_of)
            .unwrap_or_default(),
        done: r.get("done"),
        by_staff: r.get("by_staff"),
        total: r.get("total"),
        last_active: r.get::<Option<String>, _>("last_day").unwrap_or_default(),
        days: r.get("days"),
        modules: vec![ModuleCell::default(); modules],
        certificate: r.get::<i64, _>("certificate") != 0,
    }
}

/// Learners matching the filters, in the query's order: `limit` from `offset`, or all
/// (`limit` `None`, the CSV export). Two queries: the rows, then their module cells.
pub async fn learners(
    db: &Db,
    run: i64,
    course: i64,
    f: &Filter<'_>,
    modules: &[ModuleHead],
    limit: Option<(i64, i64)>,
) -> DbResult<Vec<LearnerRow>> {
    let mut s = learners_sql(run, course, f, true);
    s.text = format!("SELECT x.* FROM {}{}", s.text, order_by(f.query));
    if let Some((limit, offset)) = limit {
        let (l, o) = (s.arg(Arg::I(limit)), s.arg(Arg::I(offset)));
        s.text.push_str(&format!(" LIMIT {l} OFFSET {o}"));
    }
    let rows = s.query().fetch_all(&db.pool).await?;
    let mut out: Vec<LearnerRow> = rows.iter().map(|r| learner_row(r, modules.len())).collect();
    if out.is_empty() || modules.is_empty() {
        return Ok(out);
    }
    // The page's cells: its learners by id (at most a page's worth of placeholders); for
    // every learner (the export), the run's cells whole.
    let mut cells = Sql {
        text:
            "SELECT p.user_id, i.module_id, COUNT(*), SUM(CASE WHEN p.mark_reason IS NULL THEN 0 ELSE 1 END) \
               FROM item_progress p JOIN course_items i ON i.id = p.item_id \
               WHERE p.run_id = $1 AND i.required = 1"
                .into(),
        args: vec![Arg::I(run)],
    };
    if limit.is_some() {
        let ids: Vec<String> = out.iter().map(|r| cells.arg(Arg::I(r.user_id))).collect();
        cells
            .text
            .push_str(&format!(" AND p.user_id IN ({})", ids.join(", ")));
    }
    cells.text.push_str(" GROUP BY p.user_id, i.module_id");
    let column: HashMap<i64, usize> = modules.iter().enumerate().map(|(n, m)| (m.id, n)).collect();
    let row_of: HashMap<i64, usize> = out.iter().enumerate().map(|(n, r)| (r.user_id, n)).collect();
    for c in cells.query().fetch_all(&db.pool).await? {
        let (user, module): (i64, i64) = (c.get(0), c.get(1));
        if let (Some(&r), Some(&m)) = (row_of.get(&user), column.get(&module)) {
            out[r].modules[m] = ModuleCell {
                done: c.get(2),
                by_staff: c.get(3),
            };
        }
    }
    Ok(out)
}

/// Active learners per week (Monday to Sunday, UTC) from the run's attendance days: the
/// weeks from the first to the last with a visit, at most the last [`CHART_WEEKS`]. Two
/// queries, both on the `(run_id, day)` index: the first and last day, then the weeks.
pub async fn weeks(db: &Db, run: i64) -> DbResult<Vec<WeekCount>> {
    let r = sqlx::query("SELECT MIN(day), MAX(day) FROM run_activity_days WHERE run_id = $1")
        .bind(run)
        .fetch_one(&db.pool)
        .await?;
    let (Some(first), Some(last)) = (
        r.get::<Option<String>, _>(0).as_deref().and_then(parse_day),
        r.get::<Option<String>, _>(1).as_deref().and_then(parse_day),
    ) else {
        return Ok(Vec::new());
    };
    let monday = |ms: i64| {
        let days = ms.div_euclid(DAY_MS);
        // 1970-01-01 was a Thursday.
        (days - (days + 3).rem_euclid(7)) * DAY_MS
    };
    let end = monday(last);
    let start = monday(first).max(end - (CHART_WEEKS as i64 - 1) * 7 * DAY_MS);
    let starts: Vec<i64> = (0..)
        .map(|k| start + k * 7 * DAY_MS)
        .take_while(|w| *w <= end)
        .collect();
    let mut s = Sql {
        text: String::new(),
        args: vec![Arg::I(run)],
    };
    let from = s.arg(Arg::S(day_of(start)));
    let mut case = String::from("CASE");
    for (k, w) in starts.iter().enumerate().skip(1) {
        let p = s.arg(Arg::S(day_of(*w)));
        case.push_str(&format!(" WHEN day < {p} THEN {}", k - 1));
    }
    case.push_str(&format!(" ELSE {} END", starts.len() - 1));
    if starts.len() == 1 {
        case = "0".into();
    }
    s.text = format!(
        "SELECT w.week, COUNT(DISTINCT w.user_id) FROM (SELECT {case} AS week, user_id FROM run_activity_days \
         WHERE run_id = $1 AND day >= {from}) w GROUP BY w.week"
    );
    let mut counts = vec![0i64; starts.len()];
    for r in s.query().fetch_all(&db.pool).await? {
        let k: i64 = r.get(0);
        if let Some(c) = counts.get_mut(k as usize) {
            *c = r.get(1);
        }
    }
    Ok(starts
        .iter()
        .zip(counts)
        .map(|(w, active)| WeekCount {
            week: day_of(*w),
            active,
        })
        .collect())
}

/// One learner of the run with their numbers (any enrolment status), or `None` if they
/// never enrolled in it.
pub async fn learner(
    db: &Db,
    run: i64,
    course: i64,
    user: i64,
    modules: &[ModuleHead],
) -> DbResult<Option<LearnerRow>> {
    let q = ProgressQuery::default();
    let f = Filter {
        query: &q,
        modules: &[],
        user: Some(user),
    };
    Ok(learners(db, run, course, &f, modules, Some((1, 0))).await?.pop())
}

/// Every item of the course with the learner's progress in the run (one query).
pub async fn learner_items(db: &Db, course: i64, run: i64, user: i64) -> DbResult<Vec<LearnerItem>> {
    let rows = sqlx::query(
        "SELECT i.id, m.title, COALESCE(l.title, ''), i.required, p.completed_at, p.mark_reason \
         FROM course_modules m JOIN course_items i ON i.module_id = m.id \
         LEFT JOIN lessons l ON l.id = i.lesson_id \
         LEFT JOIN item_progress p ON p.item_id = i.id AND p.run_id = $2 AND p.user_id = $3 \
         WHERE m.course_id = $1 ORDER BY m.position, i.position",
    )
    .bind(course)
    .bind(run)
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let reason: Option<String> = r.get(5);
            LearnerItem {
                id: r.get(0),
                module_title: r.get(1),
                title: r.get(2),
                required: r.get::<i64, _>(3) != 0,
                done_on: r.get::<Option<i64>, _>(4).map(day_of).unwrap_or_default(),
                by_staff: reason.is_some(),
                reason: reason.unwrap_or_default(),
            }
        })
        .collect())
}

fn reason_checked(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "reason",
            Msg::FieldRequired,
        )]));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(CourseError::Invalid(vec![FieldError::new(
            "reason",
            Msg::CoursesFieldTooLong,
        )]));
    }
    Ok(reason.to_string())
}

async fn status_of(tx: &mut sqlx::Transaction<'_, Any>, run: i64, user: i64) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2")
        .bind(run)
        .bind(user)
        .fetch_optional(&mut **tx)
        .await
}

/// Staff mark an active learner's item complete with a reason. It counts as the learner's
/// own progress would (`courses::db::complete_in`, which also issues the certificate when
/// this completes the course); the progress row keeps who and why, and `audit_log` gets a
/// row in the same transaction. Returns `false` when the item was already done.
pub async fn mark_complete(
    p: &Platform,
    r: &RunRow,
    learner: i64,
    item: i64,
    by: i64,
    reason: &str,
) -> Result<bool> {
    let reason = reason_checked(reason)?;
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    if status_of(&mut tx, r.id, learner).await?.as_deref() != Some("active") {
        return Err(CourseError::NotFound);
    }
    let marked = MarkedBy {
        user: by,
        reason: &reason,
    };
    if !complete_in(&mut tx, r, learner, item, now, Some(&marked)).await? {
        return Ok(false);
    }
    audit(
        &mut *tx,
        &AuditEntry {
            at: now,
            actor: Some(by),
            action: "progress_marked_by_staff",
            subject: format!("user:{learner}"),
            detail: format!("run:{} item:{item} reason:{reason}", r.id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// An account that staff may enrol or invite: active, with a confirmed address.
pub struct Account {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub locale: String,
}

const ACCOUNT: &str = "SELECT id, email, first_name, locale FROM users \
     WHERE status = 'active' AND email_verified_at IS NOT NULL";

fn account(r: AnyRow) -> Account {
    Account {
        id: r.get(0),
        email: r.get(1),
        first_name: r.get(2),
        locale: r.get(3),
    }
}

pub async fn account_by_id(db: &Db, user: i64) -> DbResult<Option<Account>> {
    let r = sqlx::query(&format!("{ACCOUNT} AND id = $1"))
        .bind(user)
        .fetch_optional(&db.pool)
        .await?;
    Ok(r.map(account))
}

/// Staff enrol a user in a published run of a published course: active at once, whatever
/// the enrolment dates and the capacity (the limits are for self-enrolment; staff decide
/// deliberately, and the dashboard shows the numbers), also from the waiting list or after
/// leaving or being removed. Audited in the same transaction. Returns `false` when the user was
/// already an active learner (nothing changes). Only for people who were in the run
/// (`api::staff_reenrol`); anyone else joins by accepting an invitation
/// (`courses::invitations`), which goes through [`enrol_in`] too.
pub async fn enrol(p: &Platform, r: &RunRow, user: i64, by: i64) -> Result<bool> {
    if r.status != "published" || r.course_status != "published" {
        return Err(CourseError::Refused(Msg::CourseStaffRunNotPublished));
    }
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let entry = AuditEntry {
        at: now,
        actor: Some(by),
        action: "learner_enrolled_by_staff",
        subject: format!("user:{user}"),
        detail: format!("run:{}", r.id),
    };
    let added = enrol_in(&mut tx, r, user, now, &entry).await?;
    tx.commit().await?;
    Ok(added)
}

/// The enrolment of [`enrol`] inside the caller's transaction, with `entry` written to
/// `audit_log` when it changes anything. The caller has checked that the run and the
/// course are published.
pub async fn enrol_in(
    tx: &mut sqlx::Transaction<'_, Any>,
    r: &RunRow,
    user: i64,
    now: i64,
    entry: &AuditEntry<'_>,
) -> Result<bool> {
    lock_run(tx, r.id).await?;
    if status_of(tx, r.id, user).await?.as_deref() == Some("active") {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO enrolments (run_id, user_id, status, enrolled_at, waiting_seq, ended_at) \
         VALUES ($1, $2, 'active', $3, NULL, NULL) \
         ON CONFLICT (run_id, user_id) DO UPDATE SET status = 'active', enrolled_at = excluded.enrolled_at, \
         waiting_seq = NULL, ended_at = NULL",
    )
    .bind(r.id)
    .bind(user)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit(&mut **tx, entry).await?;
    Ok(true)
}

/// Staff remove an active or waiting learner: `courses::db::end_enrolment` with status
/// `removed` (progress stays; the first on the waiting list takes a freed place, returned
/// to be told by e-mail), audited in the same transaction.
pub async fn remove(p: &Platform, r: &RunRow, user: i64, by: i64) -> Result<Vec<Promoted>> {
    let entry = AuditEntry {
        at: p.clock.now_ms(),
        actor: Some(by),
        action: "learner_removed_by_staff",
        subject: format!("user:{user}"),
        detail: format!("run:{}", r.id),
    };
    end_enrolment(p, r.id, user, Some(&entry)).await
}

/// The run's unexpired invitations, oldest first (one query).
pub async fn staff_list(db: &Db, run: i64, now: i64) -> DbResult<Vec<super::model::StaffInvitation>> {
    let rows = sqlx::query(
        "SELECT id, email, status, expires_at FROM run_invitations \
         WHERE run_id = $1 AND expires_at > $2 ORDER BY created_at, id",
    )
    .bind(run)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| super::model::StaffInvitation {
            id: r.get(0),
            email: r.get(1),
            declined: r.get::<String, _>(2) == "declined",
            expires_on: day_of(r.get(3)),
        })
        .collect())
}
