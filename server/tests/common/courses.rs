//! Courses built through their server functions, as a teacher would: for tests of what
//! learners get out of them (certificates, badges).
use super::browser::*;
use super::{TestApp, TestDb, body_text};
use axum::http::StatusCode;
use sqlx::Row;

pub struct Person {
    pub cookie: String,
    pub id: i64,
    pub email: String,
}

/// A registered, verified and signed-in account named `first last`.
pub async fn person(app: &TestApp, db: &TestDb, email: &str, first: &str, last: &str) -> Person {
    let cookie = registered_and_signed_in(app, db, email).await;
    let id = user_id(app, email).await;
    sqlx::query("UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3")
        .bind(first)
        .bind(last)
        .bind(id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    Person {
        cookie,
        id,
        email: email.to_string(),
    }
}

/// An organisation "Skole {slug}" whose admin is `admin`.
pub async fn organisation(app: &TestApp, slug: &str, admin: &Person) -> String {
    let pool = &app.platform.db.pool;
    let org: i64 = sqlx::query(
        "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
         contact_user_id, created_at, updated_at) \
         VALUES ($1, $2, 'school', 'Skolevej 1', 'Aarhus', '8000', 'DK', '', '123456789', $3, 0, 0) RETURNING id",
    )
    .bind(slug)
    .bind(format!("Skole {slug}"))
    .bind(admin.id)
    .fetch_one(pool)
    .await
    .unwrap()
    .get(0);
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'admin', 0)",
    )
    .bind(org)
    .bind(admin.id)
    .execute(pool)
    .await
    .unwrap();
    slug.to_string()
}

/// A server function call as a script would make it (JSON answer).
pub async fn post(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    who: Option<&Person>,
) -> axum::http::Response<axum::body::Body> {
    call(
        app,
        endpoint,
        &form(fields),
        who.map(|p| p.cookie.as_str()),
        false,
    )
    .await
}

/// A call that must succeed; returns its answer.
pub async fn ok(app: &TestApp, endpoint: &str, fields: &[(&str, &str)], who: &Person) -> String {
    let res = post(app, endpoint, fields, Some(who)).await;
    let status = res.status();
    let body = body_text(res).await;
    assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    body
}

pub async fn status_of(app: &TestApp, path: &str, who: Option<&Person>) -> (StatusCode, String) {
    let res = page(app, path, who.map(|p| p.cookie.as_str())).await;
    let status = res.status();
    (status, body_text(res).await)
}

pub struct Built {
    pub slug: String,
    pub course: i64,
    pub run: i64,
    /// Module ids in order.
    pub modules: Vec<i64>,
    /// Item ids of each module, in order.
    pub items: Vec<Vec<i64>>,
}

/// A published course (rule "viewed", 12 hours) with the given modules of `lessons` lessons
/// each, all required, and one published, self-paced run.
pub async fn build_course(
    app: &TestApp,
    teacher: &Person,
    org: &str,
    title: &str,
    modules: &[&str],
    lessons: usize,
) -> Built {
    ok(
        app,
        "courses/create",
        &[
            ("org", org),
            ("form[title]", title),
            ("form[language]", "da"),
            ("form[estimated_hours]", "12"),
            ("form[completion_rule]", "viewed"),
        ],
        teacher,
    )
    .await;
    let (course, slug): (i64, String) = {
        let r = sqlx::query("SELECT id, slug FROM courses WHERE title = $1")
            .bind(title)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    for m in modules {
        ok(
            app,
            "courses/add-module",
            &[("slug", &slug), ("module_title", m)],
            teacher,
        )
        .await;
    }
    let module_ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM course_modules WHERE course_id = $1 ORDER BY position")
            .bind(course)
            .fetch_all(&app.platform.db.pool)
            .await
            .unwrap();
    let mut items = Vec::new();
    for (n, module) in module_ids.iter().enumerate() {
        for l in 1..=lessons {
            ok(
                app,
                "courses/add-lesson",
                &[
                    ("slug", &slug),
                    ("module", &module.to_string()),
                    ("lesson_title", &format!("Lesson {}.{l}", n + 1)),
                ],
                teacher,
            )
            .await;
        }
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM course_items WHERE module_id = $1 ORDER BY position")
                .bind(module)
                .fetch_all(&app.platform.db.pool)
                .await
                .unwrap();
        items.push(ids);
    }
    ok(
        app,
        "courses/status",
        &[("slug", &slug), ("status", "published")],
        teacher,
    )
    .await;
    ok(
        app,
        "courses/create-run",
        &[
            ("slug", &slug),
            ("run[title]", "Spring"),
            ("run[self_paced]", "on"),
        ],
        teacher,
    )
    .await;
    let run: i64 = sqlx::query_scalar("SELECT MAX(id) FROM course_runs WHERE course_id = $1")
        .bind(course)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    ok(
        app,
        "courses/run-status",
        &[
            ("slug", &slug),
            ("run", &run.to_string()),
            ("status", "published"),
        ],
        teacher,
    )
    .await;
    Built {
        slug,
        course,
        run,
        modules: module_ids,
        items,
    }
}

/// Makes an item optional (or required again).
pub async fn set_required(app: &TestApp, teacher: &Person, b: &Built, item: i64, required: bool) {
    let item = item.to_string();
    let mut fields = vec![
        ("slug", b.slug.as_str()),
        ("item", item.as_str()),
        ("title", "A lesson"),
        ("body", "Text"),
    ];
    if required {
        fields.push(("required", "on"));
    }
    ok(app, "courses/update-lesson", &fields, teacher).await;
}

pub async fn enrol(app: &TestApp, b: &Built, who: &Person) {
    ok(app, "courses/enrol", &[("run", &b.run.to_string())], who).await;
}

/// The learner opens a lesson (which completes it under the rule "viewed").
pub async fn view(app: &TestApp, b: &Built, item: i64, who: &Person) {
    let (status, _) = status_of(app, &format!("/learn/{}/items/{item}", b.run), Some(who)).await;
    assert_eq!(status, StatusCode::OK);
}

/// The learner's certificate code in the run, if issued.
pub async fn certificate_code(app: &TestApp, b: &Built, who: &Person) -> Option<String> {
    sqlx::query_scalar("SELECT code FROM certificates WHERE run_id = $1 AND user_id = $2")
        .bind(b.run)
        .bind(who.id)
        .fetch_optional(&app.platform.db.pool)
        .await
        .unwrap()
}
