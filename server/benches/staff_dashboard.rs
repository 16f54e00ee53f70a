//! The course staff's progress dashboard (S12) of a run with 5,000 learners, beside a second
//! run of the same course with as many, on SQLite and, when `AGORA_TEST_POSTGRES_URL` is
//! set, PostgreSQL (a fresh database, dropped after). Prints min/median/max per page
//! (every query a page of the dashboard runs) and per query of the default page.
//! Run: `cargo bench -p agora --bench staff_dashboard`.
mod support;

use app::courses::staff::db::{self, Filter};
use app::courses::staff::model::{ModuleHead, PAGE_SIZE, ProgressQuery};
use app::platform::Db;
use std::time::Instant;
use support::Lcg;

const LEARNERS: usize = 5_000;
const MODULES: usize = 8;
const ITEMS_PER_MODULE: usize = 5;
const RUNS: usize = 11;
const DAY_MS: i64 = 86_400_000;

/// Multi-row INSERTs: `cols` values a row, at most 500 rows a statement.
async fn insert_rows<'c>(
    tx: &mut sqlx::Transaction<'c, sqlx::Any>,
    head: &str,
    cols: usize,
    rows: &[Vec<Value>],
) {
    for chunk in rows.chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let ps: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
                format!("({})", ps.join(", "))
            })
            .collect();
        let sql = format!("{head} VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::I(i) => q.bind(*i),
                    Value::S(s) => q.bind(s.clone()),
                    Value::N => q.bind(None::<i64>),
                    Value::NS => q.bind(None::<String>),
                };
            }
        }
        q.execute(&mut **tx).await.unwrap();
    }
}

enum Value {
    I(i64),
    S(String),
    /// NULL of an integer column.
    N,
    /// NULL of a text column.
    NS,
}
use Value::{I, N, NS, S};

/// One course of 8 modules × 5 lessons and two runs of 5,000 learners each: progress spread
/// from nothing to everything, one mark in twenty by staff, up to 30 attendance days each
/// over the last 20 weeks, some waiting and some who left. Returns (course, run).
async fn fill(db: &Db, now: i64) -> (i64, i64) {
    let mut tx = db.pool.begin().await.unwrap();
    let teacher: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at) \
         VALUES ('teacher@bench.example', 'T', 'T', 'teacher', 'DK', 'en', 0) RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
         contact_user_id, created_at, updated_at) VALUES ('org', 'Org', 'school', 'a', 'c', 'p', 'DK', '', \
         '100000000', $1, 0, 0) RETURNING id",
    )
    .bind(teacher)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let course: i64 = sqlx::query_scalar(
        "INSERT INTO courses (slug, organisation_id, title, summary, language, status, created_at, updated_at) \
         VALUES ('bench', $1, 'Bench', 's', 'en', 'published', 0, 0) RETURNING id",
    )
    .bind(org)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let mut items = Vec::new();
    for m in 0..MODULES {
        let module: i64 = sqlx::query_scalar(
            "INSERT INTO course_modules (course_id, position, title) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(course)
        .bind(m as i64)
        .bind(format!("Module {m}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for l in 0..ITEMS_PER_MODULE {
            let lesson: i64 = sqlx::query_scalar(
                "INSERT INTO lessons (module_id, position, title) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(module)
            .bind(l as i64)
            .bind(format!("Lesson {m}.{l}"))
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            let item: i64 = sqlx::query_scalar(
                "INSERT INTO course_items (module_id, position, kind, lesson_id, required) \
                 VALUES ($1, $2, 'lesson', $3, 1) RETURNING id",
            )
            .bind(module)
            .bind(l as i64)
            .bind(lesson)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            items.push(item);
        }
    }
    let users: Vec<Vec<Value>> = (0..2 * LEARNERS)
        .map(|i| {
            vec![
                S(format!("learner{i}@bench.example")),
                S(format!("First{}", i % 97)),
                S(format!("Last{:05}", (i * 7919) % 100_000)),
                S("teacher".into()),
                S("DK".into()),
                S("en".into()),
                I(0),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at)",
        7,
        &users,
    )
    .await;
    let first_user: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE email LIKE 'learner%'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let mut runs = Vec::new();
    for r in 0..2 {
        let run: i64 = sqlx::query_scalar(
            "INSERT INTO course_runs (course_id, title, status, created_at) VALUES ($1, $2, 'published', 0) \
             RETURNING id",
        )
        .bind(course)
        .bind(format!("Run {r}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        runs.push(run);
    }
    let mut rng = Lcg(7);
    for (r, run) in runs.iter().enumerate() {
        let (mut enrolments, mut progress, mut days) = (Vec::new(), Vec::new(), Vec::new());
        let mut waiting = 0;
        for i in 0..LEARNERS {
            let user = first_user + (r * LEARNERS + i) as i64;
            let (status, seq, ended) = match rng.next(50) {
                0 => {
                    waiting += 1;
                    ("waiting", I(waiting), N)
                }
                1 => ("left", N, I(now - DAY_MS)),
                _ => ("active", N, N),
            };
            enrolments.push(vec![
                I(*run),
                I(user),
                S(status.into()),
                I(now - 100 * DAY_MS),
                seq,
                ended,
            ]);
            let done = rng.next(items.len() + 1);
            for item in &items[..done] {
                let reason = if rng.next(20) == 0 {
                    S("attended in person".into())
                } else {
                    NS
                };
                progress.push(vec![I(*run), I(user), I(*item), I(now - DAY_MS), reason]);
            }
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..rng.next(30) {
                seen.insert(rng.next(140) as i64);
            }
            for d in seen {
                days.push(vec![
                    I(*run),
                    I(user),
                    S(app::platform::clock::date_of_ms(now - d * DAY_MS)),
                ]);
            }
        }
        insert_rows(
            &mut tx,
            "INSERT INTO enrolments (run_id, user_id, status, enrolled_at, waiting_seq, ended_at)",
            6,
            &enrolments,
        )
        .await;
        insert_rows(
            &mut tx,
            "INSERT INTO item_progress (run_id, user_id, item_id, completed_at, mark_reason)",
            5,
            &progress,
        )
        .await;
        insert_rows(
            &mut tx,
            "INSERT INTO run_activity_days (run_id, user_id, day)",
            3,
            &days,
        )
        .await;
    }
    tx.commit().await.unwrap();
    (course, runs[0])
}

fn cases(modules: &[ModuleHead]) -> Vec<(&'static str, ProgressQuery)> {
    let q = ProgressQuery::default;
    vec![
        ("active, by name", q()),
        (
            "page 40, most progress first",
            ProgressQuery {
                sort: "progress".into(),
                page: 40,
                ..q()
            },
        ),
        (
            "in progress, least first",
            ProgressQuery {
                state: "in_progress".into(),
                sort: "progress_asc".into(),
                ..q()
            },
        ),
        (
            "module 5 not completed",
            ProgressQuery {
                module: modules[4].id.to_string(),
                ..q()
            },
        ),
        (
            "name search",
            ProgressQuery {
                q: "first42".into(),
                ..q()
            },
        ),
        (
            "everyone, completed",
            ProgressQuery {
                enrolment: "all".into(),
                state: "completed".into(),
                ..q()
            },
        ),
    ]
}

fn stats(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (times[0], times[times.len() / 2], times[times.len() - 1])
}

/// What the dashboard asks for one page, in the server function's order.
async fn page(db: &Db, course: i64, run: i64, query: &ProgressQuery, times: &mut [Vec<f64>; 5]) -> i64 {
    let mut lap = Instant::now();
    let mut clock = |k: usize, times: &mut [Vec<f64>; 5]| {
        times[k].push(lap.elapsed().as_secs_f64() * 1000.0);
        lap = Instant::now();
    };
    let modules = db::modules(db, course, run, 0).await.unwrap();
    clock(0, times);
    let total = modules.iter().map(|m| m.required).sum();
    db::summary(db, run, course, total).await.unwrap();
    clock(1, times);
    let ids: Vec<i64> = modules.iter().map(|m| m.id).collect();
    let f = Filter {
        query,
        modules: &ids,
        user: None,
    };
    let matching = db::matching(db, run, course, &f).await.unwrap();
    clock(2, times);
    let pages = ((matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let p = query.page().min(pages);
    let rows = db::learners(
        db,
        run,
        course,
        &f,
        &modules,
        Some((PAGE_SIZE, (p - 1) * PAGE_SIZE)),
    )
    .await
    .unwrap();
    assert!(rows.len() as i64 <= PAGE_SIZE);
    clock(3, times);
    db::weeks(db, run).await.unwrap();
    clock(4, times);
    matching
}

async fn bench(name: &str, url: &str) {
    let db = Db::connect(url).await.expect("connect");
    let now = 1_780_000_000_000;
    app::platform::migrate::migrate(&db, now).await.expect("migrate");
    let t = Instant::now();
    let (course, run) = fill(&db, now).await;
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    println!(
        "\n{name}: 2 runs × {LEARNERS} learners, {} required items, inserted in {:.1} s",
        MODULES * ITEMS_PER_MODULE,
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<32} {:>8} {:>9} {:>9} {:>9}",
        "dashboard page (5 queries)", "matching", "min ms", "median ms", "max ms"
    );
    let modules = db::modules(&db, course, run, 0).await.unwrap();
    let parts = [
        "module heads + funnel",
        "summary",
        "matching count",
        "page of learners + cells",
        "weekly chart",
    ];
    for (n, (label, q)) in cases(&modules).into_iter().enumerate() {
        let mut times: [Vec<f64>; 5] = Default::default();
        let mut totals = Vec::with_capacity(RUNS);
        let mut matching = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            matching = page(&db, course, run, &q, &mut times).await;
            totals.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (min, med, max) = stats(totals);
        println!("{label:<32} {matching:>8} {min:>9.2} {med:>9.2} {max:>9.2}");
        if n == 0 {
            for (part, t) in parts.iter().zip(times) {
                let (min, med, max) = stats(t);
                println!("  {part:<30} {:>8} {min:>9.2} {med:>9.2} {max:>9.2}", "");
            }
        }
    }
    let ids: Vec<i64> = modules.iter().map(|m| m.id).collect();
    let all = ProgressQuery::default();
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let f = Filter {
            query: &all,
            modules: &ids,
            user: None,
        };
        rows = db::learners(&db, run, course, &f, &modules, None)
            .await
            .unwrap()
            .len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (min, med, max) = stats(times);
    println!(
        "{:<32} {rows:>8} {min:>9.2} {med:>9.2} {max:>9.2}",
        "CSV export rows (all active)"
    );
    db.pool.close().await;
}

#[tokio::main]
async fn main() {
    if support::benching() {
        support::on_each_database("staff", |name, url| async move { bench(name, &url).await }).await;
    }
}
