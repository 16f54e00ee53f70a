//! Courses built through their server functions, as a teacher would: for tests of what
//! learners get out of them (certificates, badges).
use super::browser::*;
use super::{TestApp, TestDb, body_text};
use app::auth::sessions;
use axum::http::StatusCode;
use sqlx::Row;

pub struct Person {
    pub cookie: String,
    pub id: i64,
    pub email: String,
}

/// A registered, verified and signed-in account, with the registration's name (Karen
/// Nielsen).
pub async fn signed_in(app: &TestApp, db: &TestDb, email: &str) -> Person {
    let cookie = registered_and_signed_in(app, db, email).await;
    let id = user_id(app, email).await;
    Person {
        cookie,
        id,
        email: email.to_string(),
    }
}

/// A registered, verified and signed-in account named `first last`.
pub async fn person(app: &TestApp, db: &TestDb, email: &str, first: &str, last: &str) -> Person {
    let p = signed_in(app, db, email).await;
    sqlx::query("UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3")
        .bind(first)
        .bind(last)
        .bind(p.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    p
}

/// A verified teacher Karen Nielsen written straight into the database, with a session:
/// for tests that need no registration (and no outbox).
pub async fn inserted_person(app: &TestApp, email: &str) -> Person {
    let p = &app.platform;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, first_name, last_name, user_type, country, created_at, email_verified_at) \
         VALUES ($1, 'Karen', 'Nielsen', 'teacher', 'DK', $2, $2) RETURNING id",
    )
    .bind(email)
    .bind(p.clock.now_ms())
    .fetch_one(&p.db.pool)
    .await
    .unwrap();
    let secret = sessions::create(&p.db, id, None, p.clock.now_ms()).await.unwrap();
    Person {
        cookie: format!("{}={secret}", sessions::COOKIE),
        id,
        email: email.to_string(),
    }
}

/// An organisation "Skole {slug}" in Aarhus, Denmark, with the PIC `pic`, whose members
/// are `members`: the first is its admin and contact, the others plain members. Returns
/// its id.
pub async fn organisation_with(app: &TestApp, slug: &str, pic: &str, members: &[&Person]) -> i64 {
    let pool = &app.platform.db.pool;
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (slug, name, org_type, address, city, postcode, country, region, pic, \
         contact_user_id, created_at, updated_at) \
         VALUES ($1, $2, 'school', 'Skolevej 1', 'Aarhus', '8000', 'DK', '', $3, $4, 0, 0) RETURNING id",
    )
    .bind(slug)
    .bind(format!("Skole {slug}"))
    .bind(pic)
    .bind(members[0].id)
    .fetch_one(pool)
    .await
    .unwrap();
    for (i, m) in members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, $3, 0)",
        )
        .bind(org)
        .bind(m.id)
        .bind(if i == 0 { "admin" } else { "member" })
        .execute(pool)
        .await
        .unwrap();
    }
    org
}

/// An organisation "Skole {slug}" whose admin is `admin`; returns its slug.
pub async fn organisation(app: &TestApp, slug: &str, admin: &Person) -> String {
    organisation_with(app, slug, "123456789", &[admin]).await;
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

/// Like [`status_of`], but a redirect answers with where it sends the browser instead of
/// its body.
pub async fn status_or_location(app: &TestApp, path: &str, who: Option<&Person>) -> (StatusCode, String) {
    let res = page(app, path, who.map(|p| p.cookie.as_str())).await;
    let status = res.status();
    let location = location(&res);
    let body = body_text(res).await;
    (
        status,
        if status == StatusCode::FOUND {
            location
        } else {
            body
        },
    )
}

/// The one number a query with one parameter selects.
pub async fn scalar(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

/// The course's teacher makes `who` course staff of the `kind` ("teacher", "moderator").
pub async fn add_staff(app: &TestApp, teacher: &Person, slug: &str, who: &Person, kind: &str) {
    ok(
        app,
        "courses/add-staff",
        &[("slug", slug), ("user", &who.id.to_string()), ("kind", kind)],
        teacher,
    )
    .await;
}

/// A draft run of the course `slug`, created with `fields` (`run[title]`, …); returns its id.
pub async fn new_run(app: &TestApp, teacher: &Person, slug: &str, fields: &[(&str, &str)]) -> i64 {
    let mut f = vec![("slug", slug)];
    f.extend_from_slice(fields);
    ok(app, "courses/create-run", &f, teacher).await;
    sqlx::query_scalar(
        "SELECT MAX(r.id) FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.platform.db.pool)
    .await
    .unwrap()
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

impl Built {
    /// Every item id in course order.
    pub fn all_items(&self) -> Vec<i64> {
        self.items.concat()
    }
}

/// What [`build`] makes of a course.
#[derive(Clone, Copy)]
pub struct CourseSpec<'a> {
    /// The fields of `courses/create` after the organisation and the title.
    pub fields: &'a [(&'a str, &'a str)],
    /// Module titles, in order.
    pub modules: &'a [&'a str],
    /// The lesson titles added to every module, in order; `{m}` stands for the module's
    /// number (from 1).
    pub lessons: &'a [&'a str],
    /// The course's last item becomes optional ("Extra reading").
    pub last_optional: bool,
    /// The course is published, and so is its run if it has one.
    pub published: bool,
    /// One run, created with these fields after the slug (`None`: no run; then
    /// [`Built::run`] is 0).
    pub run: Option<&'a [(&'a str, &'a str)]>,
}

/// A course of the organisation `org` titled `title`, built as `spec` says through the
/// teacher's server functions.
pub async fn build(app: &TestApp, teacher: &Person, org: &str, title: &str, spec: &CourseSpec<'_>) -> Built {
    let mut create = vec![("org", org), ("form[title]", title)];
    create.extend_from_slice(spec.fields);
    ok(app, "courses/create", &create, teacher).await;
    let (course, slug): (i64, String) = {
        let r = sqlx::query("SELECT id, slug FROM courses WHERE title = $1")
            .bind(title)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    for m in spec.modules {
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
        for lesson in spec.lessons {
            ok(
                app,
                "courses/add-lesson",
                &[
                    ("slug", &slug),
                    ("module", &module.to_string()),
                    ("lesson_title", &lesson.replace("{m}", &(n + 1).to_string())),
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
    if spec.last_optional {
        ok(
            app,
            "courses/update-lesson",
            &[
                ("slug", &slug),
                ("item", &items.concat().last().unwrap().to_string()),
                ("title", "Extra reading"),
                ("body", "Optional"),
            ],
            teacher,
        )
        .await;
    }
    if spec.published {
        ok(
            app,
            "courses/status",
            &[("slug", &slug), ("status", "published")],
            teacher,
        )
        .await;
    }
    let mut run = 0;
    if let Some(fields) = spec.run {
        run = new_run(app, teacher, &slug, fields).await;
        if spec.published {
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
        }
    }
    Built {
        slug,
        course,
        run,
        modules: module_ids,
        items,
    }
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
    let titles: Vec<String> = (1..=lessons).map(|l| format!("Lesson {{m}}.{l}")).collect();
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    build(
        app,
        teacher,
        org,
        title,
        &CourseSpec {
            fields: &[
                ("form[language]", "da"),
                ("form[estimated_hours]", "12"),
                ("form[completion_rule]", "viewed"),
            ],
            modules,
            lessons: &titles,
            last_optional: false,
            published: true,
            run: Some(&[("run[title]", "Spring"), ("run[self_paced]", "on")]),
        },
    )
    .await
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
