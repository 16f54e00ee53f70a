//! The public catalogue's page and count queries (S7) over 100,000 listings, on SQLite and,
//! when `AGORA_TEST_POSTGRES_URL` is set, PostgreSQL (a fresh database, dropped after).
//! Prints min/median/max per filter and sort. Run: `cargo bench -p agora --bench catalogue`.
mod support;

use app::catalogue::model::CatalogueQuery;
use app::platform::{Db, clock::date_of_ms};
use std::time::Instant;
use support::Lcg;

const LISTINGS: usize = 100_000;
const ORGS: usize = 200;
const RUNS: usize = 15;

const COUNTRIES: &[&str] = &["DK", "SE", "BE", "DE", "FR", "IT", "ES", "PL", "NL", "FI"];
const LANGUAGES: &[&str] = &["en", "da", "sv", "de", "fr", "it", "es", "pl"];
const MODES: &[&str] = &["online", "onsite", "blended"];
const KINDS: &[&str] = &["course", "course", "mobility", "partnership"];
const SUBJECTS: &[&str] = &["mathematics", "science", "history", "music", "arts", "computing"];

async fn fill(db: &Db, now: i64) {
    let mut tx = db.pool.begin().await.unwrap();
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at) \
         VALUES ('bench@agora.example', 'B', 'B', 'teacher', 'DK', 'en', 0) RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    for o in 0..ORGS {
        sqlx::query(
            "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
             contact_user_id, created_at, updated_at) VALUES ($1, $2, 'school', 'a', 'c', 'p', 'DK', '', $3, $4, 0, 0)",
        )
        .bind(format!("org-{o}"))
        .bind(format!("Organisation {o}"))
        .bind(format!("{:09}", 100_000_000 + o))
        .bind(user)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let first_org: i64 = sqlx::query_scalar("SELECT MIN(id) FROM organisations")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let mut rng = Lcg(42);
    let day = |d: i64| date_of_ms(now + d * 86_400_000);
    // Multi-row INSERTs of 500 rows (13 values each, under every placeholder limit).
    const BATCH: usize = 500;
    for start in (0..LISTINGS).step_by(BATCH) {
        let n = BATCH.min(LISTINGS - start);
        let mut sql = String::from(
            "INSERT INTO catalogue_listings (slug, organisation_id, kind, status, title, language, country, mode, \
             starts_on, expires_on, deadline_on, published_at, created_at, updated_at) VALUES ",
        );
        let rows: Vec<String> = (0..n)
            .map(|r| {
                let b = r * 13;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11,
                    b + 12,
                    b + 13,
                    b + 13
                )
            })
            .collect();
        sql.push_str(&rows.join(", "));
        let mut q = sqlx::query(&sql);
        for i in start..start + n {
            let kind = KINDS[rng.next(KINDS.len())];
            // 90% published; some expired.
            let status = if rng.next(10) == 0 { "draft" } else { "published" };
            let starts = rng.next(400) as i64 - 30;
            let expires = (rng.next(8) == 0).then(|| day(-(rng.next(30) as i64) - 1));
            q = q
                .bind(format!("listing-{i}"))
                .bind(first_org + rng.next(ORGS) as i64)
                .bind(kind)
                .bind(status)
                .bind(format!("Listing {:06}", rng.next(1_000_000)))
                .bind(LANGUAGES[rng.next(LANGUAGES.len())])
                .bind(COUNTRIES[rng.next(COUNTRIES.len())])
                .bind(MODES[rng.next(MODES.len())])
                .bind((kind != "partnership").then(|| day(starts)))
                .bind(expires)
                .bind((kind == "partnership").then(|| day(starts)))
                .bind((status == "published").then_some(now - i as i64 * 1000))
                .bind(now - i as i64 * 1000);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    // Subjects for every listing, one or two each, and reviews for one listing in ten.
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM catalogue_listings ORDER BY id")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    for chunk in ids.chunks(400) {
        let mut sql = String::from("INSERT INTO catalogue_listing_subjects (listing_id, subject) VALUES ");
        let mut binds: Vec<(i64, &str)> = Vec::new();
        for id in chunk {
            let a = rng.next(SUBJECTS.len());
            binds.push((*id, SUBJECTS[a]));
            if rng.next(2) == 0 {
                binds.push((*id, SUBJECTS[(a + 1) % SUBJECTS.len()]));
            }
        }
        let rows: Vec<String> = (0..binds.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        sql.push_str(&rows.join(", "));
        let mut q = sqlx::query(&sql);
        for (id, s) in binds {
            q = q.bind(id).bind(s);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    for chunk in ids.iter().step_by(10).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, ${}, 0, 0)", 2 * i + 2, 2 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO listing_reviews (listing_id, user_id, stars, created_at, updated_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(user);
        for id in chunk {
            q = q.bind(**id).bind(1 + rng.next(5) as i64);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn cases(now: i64) -> Vec<(&'static str, CatalogueQuery)> {
    let q = |kind: &str| CatalogueQuery {
        kind: kind.into(),
        ..Default::default()
    };
    vec![
        ("courses, newest", q("course")),
        (
            "courses, newest, page 50",
            CatalogueQuery {
                page: 50,
                ..q("course")
            },
        ),
        (
            "courses, country DK",
            CatalogueQuery {
                country: "DK".into(),
                ..q("course")
            },
        ),
        (
            "courses, language+country",
            CatalogueQuery {
                country: "SE".into(),
                language: "sv".into(),
                ..q("course")
            },
        ),
        (
            "courses, subject",
            CatalogueQuery {
                subject: "music".into(),
                ..q("course")
            },
        ),
        (
            "courses, mode online",
            CatalogueQuery {
                mode: "online".into(),
                ..q("course")
            },
        ),
        (
            "courses, date range, starts",
            CatalogueQuery {
                from: date_of_ms(now + 30 * 86_400_000),
                until: date_of_ms(now + 60 * 86_400_000),
                sort: "starts".into(),
                ..q("course")
            },
        ),
        (
            "courses, title",
            CatalogueQuery {
                sort: "title".into(),
                ..q("course")
            },
        ),
        (
            "courses, best rated",
            CatalogueQuery {
                sort: "rating".into(),
                ..q("course")
            },
        ),
        (
            "courses, organisation name",
            CatalogueQuery {
                org: "organisation 17".into(),
                ..q("course")
            },
        ),
        (
            "mobility, country+subject",
            CatalogueQuery {
                country: "DK".into(),
                subject: "science".into(),
                ..q("mobility")
            },
        ),
        (
            "partnerships, deadline soonest",
            CatalogueQuery {
                sort: "starts".into(),
                ..q("partnership")
            },
        ),
    ]
}

async fn bench(name: &str, url: &str) {
    let db = Db::connect(url).await.expect("connect");
    let now = 1_780_000_000_000;
    app::platform::migrate::migrate(&db, now).await.expect("migrate");
    let t = Instant::now();
    fill(&db, now).await;
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    println!(
        "\n{name}: {LISTINGS} listings inserted in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<34} {:>7} {:>9} {:>9} {:>9}",
        "query (page + count)", "total", "min ms", "median ms", "max ms"
    );
    let today = date_of_ms(now);
    for (label, q) in cases(now) {
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = app::catalogue::db::catalogue(&db, &q, &today).await.unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = page.total;
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if std::env::var("AGORA_BENCH_PLANS").is_ok() {
            print_plans(&db, &q, &today).await;
        }
        println!(
            "{label:<34} {total:>7} {:>9.2} {:>9.2} {:>9.2}",
            times[0],
            times[RUNS / 2],
            times[RUNS - 1]
        );
    }
    db.pool.close().await;
}

/// The query plans of a case (`AGORA_BENCH_PLANS=1`): SQLite's EXPLAIN QUERY PLAN,
/// PostgreSQL's EXPLAIN.
async fn print_plans(db: &Db, q: &CatalogueQuery, today: &str) {
    use sqlx::Row;
    let (page_sql, count_sql, args) = app::catalogue::db::catalogue_sql(q);
    let explain = match db.dialect {
        app::platform::Dialect::Sqlite => "EXPLAIN QUERY PLAN",
        app::platform::Dialect::Postgres => "EXPLAIN",
    };
    for (sql, paged) in [(page_sql, true), (count_sql, false)] {
        let sql = format!("{explain} {sql}");
        let mut query = sqlx::query(&sql).bind(today);
        for a in &args {
            query = query.bind(a.as_str());
        }
        if paged {
            query = query.bind(20i64).bind(0i64);
        }
        for row in query.fetch_all(&db.pool).await.unwrap() {
            let line: String = match db.dialect {
                app::platform::Dialect::Sqlite => row.get(3),
                app::platform::Dialect::Postgres => row.get(0),
            };
            println!("    {line}");
        }
        println!();
    }
}

#[tokio::main]
async fn main() {
    if support::benching() {
        support::on_each_database("catalogue", |name, url| async move { bench(name, &url).await }).await;
    }
}
