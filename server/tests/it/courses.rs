//! Online courses over HTTP, on both databases (issue 7): authoring and its permissions,
//! reordering with stale pages, sanitised lessons, enrolment with its waiting list (S4),
//! who sees a run's content (S19), progress, completion and certificates (S12).

use crate::common::browser::*;
use crate::common::courses::{
    Built, CourseSpec, Person, build, new_run, ok, organisation, organisation_with, post, scalar, signed_in,
    status_of,
};
use crate::common::{TestApp, TestDb, body_text};
use axum::http::StatusCode;
use sqlx::Row;

/// The fields of `courses/create` after the organisation and the title, with the
/// completion rule `rule`.
fn course_fields(rule: &str) -> [(&str, &str); 8] {
    [
        ("form[summary]", "Short summary"),
        (
            "form[description]",
            "About **this** course <script>alert(1)</script>",
        ),
        ("form[language]", "da"),
        ("form[level]", "introductory"),
        ("form[estimated_hours]", "12"),
        ("form[target_audience]", "Teachers of mathematics"),
        ("form[subjects][]", "mathematics"),
        ("form[completion_rule]", rule),
    ]
}

async fn create_course(
    app: &TestApp,
    who: &Person,
    org: &str,
    title: &str,
    rule: &str,
) -> axum::http::Response<axum::body::Body> {
    let mut fields = vec![("org", org), ("form[title]", title)];
    fields.extend_from_slice(&course_fields(rule));
    post(app, "courses/create", &fields, Some(who)).await
}

async fn course_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn version(app: &TestApp, course: i64) -> String {
    scalar(app, "SELECT content_version FROM courses WHERE id = $1", course)
        .await
        .to_string()
}

/// Module ids of a course in order.
async fn module_ids(app: &TestApp, course: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM course_modules WHERE course_id = $1 ORDER BY position")
        .bind(course)
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
}

/// (item id, lesson title) of a module in order.
async fn items(app: &TestApp, module: i64) -> Vec<(i64, String)> {
    sqlx::query(
        "SELECT i.id, l.title FROM course_items i JOIN lessons l ON l.id = i.lesson_id \
         WHERE i.module_id = $1 ORDER BY i.position",
    )
    .bind(module)
    .fetch_all(&app.platform.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect()
}

/// A published course with the completion rule `rule` and two modules ("Basics",
/// "Practice") of two lessons each (the last optional), and one published, self-paced run
/// "Spring" of that `capacity` (empty: unlimited).
async fn build_course(
    app: &TestApp,
    teacher: &Person,
    org: &str,
    title: &str,
    rule: &str,
    capacity: &str,
) -> Built {
    let spec = CourseSpec {
        fields: &course_fields(rule),
        modules: &["Basics", "Practice"],
        lessons: &["Lesson {m}.1", "Lesson {m}.2"],
        last_optional: true,
        published: true,
        run: Some(&[
            ("run[title]", "Spring"),
            ("run[enrol_closes]", ""),
            ("run[self_paced]", "on"),
            ("run[capacity]", capacity),
        ]),
    };
    build(app, teacher, org, title, &spec).await
}

/// A self-paced draft run; returns its id.
async fn create_run(
    app: &TestApp,
    teacher: &Person,
    slug: &str,
    title: &str,
    closes: &str,
    capacity: &str,
) -> i64 {
    new_run(
        app,
        teacher,
        slug,
        &[
            ("run[title]", title),
            ("run[enrol_closes]", closes),
            ("run[self_paced]", "on"),
            ("run[capacity]", capacity),
        ],
    )
    .await
}

// Issue 7: organisation members create courses and become their teacher; nobody else may
// create or edit them, and a refusal is the same 404 as a missing course. A draft course
// is hidden from everyone but its staff.
async fn authoring_permissions(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (res, _) = status_of(&app, "/organisations/nord/courses/new", None).await;
    assert_eq!(res, StatusCode::FOUND);
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let lars = signed_in(&app, db, "lars@nord.example").await;
    let olga = signed_in(&app, db, "olga@other.example").await;
    organisation_with(&app, "nord", "123456789", &[&karen, &lars]).await;
    let org = "nord".to_string();

    let (missing_status, missing_page) =
        status_of(&app, "/organisations/nowhere/courses/new", Some(&olga)).await;
    assert_eq!(missing_status, StatusCode::NOT_FOUND);
    let (status, body) = status_of(&app, "/organisations/nord/courses/new", Some(&olga)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an outsider is refused");
    assert_eq!(main_of(&body), main_of(&missing_page));
    let res = create_course(&app, &olga, &org, "Olga's course", "viewed").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, body) = status_of(&app, "/organisations/nord/courses/new", Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Skole nord"), "{body}");

    // Created as a draft; the creator is its teacher.
    let res = call(
        &app,
        "courses/create",
        &form(&[
            ("org", &org),
            ("form[title]", "Brøker i 4. klasse"),
            ("form[language]", "da"),
        ]),
        Some(&karen.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/courses/broeker-i-4-klasse/edit?status=created");
    let course = course_id(&app, "broeker-i-4-klasse").await;
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM course_staff WHERE course_id = $1 AND user_id = $2")
            .bind(course)
            .bind(karen.id)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(kind, "teacher");
    let res = create_course(&app, &karen, &org, "", "viewed").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A draft is not found for anyone but its staff, exactly like a missing course.
    let (missing_status, missing) = status_of(&app, "/courses/no-such-course", None).await;
    assert_eq!(missing_status, StatusCode::NOT_FOUND);
    for who in [None, Some(&olga), Some(&lars)] {
        let (status, body) = status_of(&app, "/courses/broeker-i-4-klasse", who).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(main_of(&body), main_of(&missing));
        let (status, _) = status_of(&app, "/courses/broeker-i-4-klasse/edit", who).await;
        assert_ne!(status, StatusCode::OK);
    }
    let (status, _) = status_of(&app, "/courses/broeker-i-4-klasse/edit", Some(&olga)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = status_of(&app, "/courses/broeker-i-4-klasse", Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Brøker i 4. klasse"));
    let (status, body) = status_of(&app, "/courses/broeker-i-4-klasse/edit", Some(&karen)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Server functions refuse non-teachers with the not-found of a missing course.
    for (endpoint, fields) in [
        ("courses/add-module", vec![("module_title", "X")]),
        ("courses/status", vec![("status", "published")]),
        (
            "courses/update",
            vec![("form[title]", "X"), ("form[language]", "da")],
        ),
    ] {
        for slug in ["broeker-i-4-klasse", "no-such-course"] {
            let mut f = vec![("slug", slug)];
            f.extend(fields.iter().cloned());
            let res = post(&app, endpoint, &f, Some(&lars)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint} {slug}");
        }
    }
    assert!(module_ids(&app, course).await.is_empty());

    // The teacher adds Lars as moderator: he then sees the draft but still cannot edit.
    ok(
        &app,
        "courses/add-staff",
        &[
            ("slug", "broeker-i-4-klasse"),
            ("user", &lars.id.to_string()),
            ("kind", "moderator"),
        ],
        &karen,
    )
    .await;
    let (status, _) = status_of(&app, "/courses/broeker-i-4-klasse", Some(&lars)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = status_of(&app, "/courses/broeker-i-4-klasse/edit", Some(&lars)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Only organisation members can be added; the last teacher stays.
    let res = post(
        &app,
        "courses/add-staff",
        &[
            ("slug", "broeker-i-4-klasse"),
            ("user", &olga.id.to_string()),
            ("kind", "teacher"),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(
        &app,
        "courses/remove-staff",
        &[("slug", "broeker-i-4-klasse"), ("user", &karen.id.to_string())],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("courses.last_teacher"));

    // Published: public, with the sanitised description and the syllabus titles only.
    let built = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let (status, body) = status_of(&app, "/courses/geometri", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<strong>this</strong>"), "{body}");
    assert!(!body.contains("alert(1)"), "{body}");
    assert!(body.contains("Lesson 1.1") && body.contains("Practice"));
    assert!(body.contains("Spring"));
    let _ = built;
    app.platform.db.pool.close().await;
}
on_both_databases!(authoring_permissions_and_draft_courses, authoring_permissions);

// Issue 7: reordering by buttons (keyboard) checks the content version: a move posted from
// an older page is refused with a clear message and nothing moves or is lost.
async fn reorder_with_stale_page(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let modules = module_ids(&app, b.course).await;
    let before = items(&app, modules[0]).await;
    let old = version(&app, b.course).await;
    let second = before[1].0.to_string();
    ok(
        &app,
        "courses/move",
        &[
            ("slug", "geometri"),
            ("what", "item"),
            ("id", &second),
            ("direction", "up"),
            ("version", &old),
        ],
        &karen,
    )
    .await;
    let after = items(&app, modules[0]).await;
    assert_eq!(after, vec![before[1].clone(), before[0].clone()]);

    // The same page posts again (stale version): refused, nothing changes.
    for (what, id) in [("item", before[0].0), ("module", modules[1])] {
        let res = post(
            &app,
            "courses/move",
            &[
                ("slug", "geometri"),
                ("what", what),
                ("id", &id.to_string()),
                ("direction", "up"),
                ("version", &old),
            ],
            Some(&karen),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains("courses.stale"));
    }
    assert_eq!(items(&app, modules[0]).await, after);
    assert_eq!(module_ids(&app, b.course).await, modules);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM lessons WHERE module_id = $1",
            modules[0]
        )
        .await,
        2
    );

    // With the current version modules move; moving past the end changes nothing.
    let now = version(&app, b.course).await;
    ok(
        &app,
        "courses/move",
        &[
            ("slug", "geometri"),
            ("what", "module"),
            ("id", &modules[1].to_string()),
            ("direction", "up"),
            ("version", &now),
        ],
        &karen,
    )
    .await;
    assert_eq!(module_ids(&app, b.course).await, vec![modules[1], modules[0]]);
    let now = version(&app, b.course).await;
    ok(
        &app,
        "courses/move",
        &[
            ("slug", "geometri"),
            ("what", "module"),
            ("id", &modules[1].to_string()),
            ("direction", "up"),
            ("version", &now),
        ],
        &karen,
    )
    .await;
    assert_eq!(module_ids(&app, b.course).await, vec![modules[1], modules[0]]);
    // An item of another course cannot be moved through this one.
    let other = build_course(&app, &karen, &org, "Algebra", "viewed", "").await;
    let now = version(&app, b.course).await;
    let res = post(
        &app,
        "courses/move",
        &[
            ("slug", "geometri"),
            ("what", "item"),
            ("id", &other.all_items()[1].to_string()),
            ("direction", "up"),
            ("version", &now),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Deleting an item removes its lesson too.
    ok(
        &app,
        "courses/delete",
        &[("slug", "geometri"), ("what", "item"), ("id", &second)],
        &karen,
    )
    .await;
    assert_eq!(items(&app, modules[0]).await, vec![before[0].clone()]);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM lessons WHERE module_id = $1",
            modules[0]
        )
        .await,
        1
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(
    reorder_with_stale_version_is_refused_and_nothing_lost,
    reorder_with_stale_page
);

/// Posts `courses/place` for the course "geometri".
async fn place(
    app: &TestApp,
    who: &Person,
    what: &str,
    id: i64,
    module: Option<i64>,
    index: Option<i64>,
    version: &str,
) -> axum::http::Response<axum::body::Body> {
    let (id, module, index) = (
        id.to_string(),
        module.map(|m| m.to_string()),
        index.map(|i| i.to_string()),
    );
    let mut fields = vec![
        ("slug", "geometri"),
        ("what", what),
        ("id", id.as_str()),
        ("version", version),
    ];
    if let Some(m) = &module {
        fields.push(("module", m));
    }
    if let Some(i) = &index {
        fields.push(("index", i));
    }
    post(app, "courses/place", &fields, Some(who)).await
}

// Issue 7: dragging and "move to module" put an item at a place in any module of the course
// (with its lesson and the learners' progress), or a module among the modules; stale pages,
// other courses' modules and non-teachers change nothing.
async fn place_items_and_modules(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let modules = module_ids(&app, b.course).await;
    let first = items(&app, modules[0]).await;
    let second = items(&app, modules[1]).await;
    // Ida has done the first lesson; that stays with it wherever it goes.
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;
    let (seen, _) = status_of(
        &app,
        &format!("/learn/{}/items/{}", b.run, first[0].0),
        Some(&ida),
    )
    .await;
    assert_eq!(seen, StatusCode::OK);
    let done_before = scalar(
        &app,
        "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
        ida.id,
    )
    .await;
    assert_eq!(done_before, 1);

    // The first lesson to the second module, between its two lessons.
    let v = version(&app, b.course).await;
    let res = place(&app, &karen, "item", first[0].0, Some(modules[1]), Some(1), &v).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    assert_eq!(items(&app, modules[0]).await, vec![first[1].clone()]);
    assert_eq!(
        items(&app, modules[1]).await,
        vec![second[0].clone(), first[0].clone(), second[1].clone()]
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM lessons WHERE module_id = $1",
            modules[1]
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            ida.id
        )
        .await,
        1
    );

    // Without an index ("move to module" by keyboard) it goes to the end; within a module an
    // index reorders.
    let v = version(&app, b.course).await;
    let res = place(&app, &karen, "item", second[0].0, Some(modules[0]), None, &v).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        items(&app, modules[0]).await,
        vec![first[1].clone(), second[0].clone()]
    );
    let v = version(&app, b.course).await;
    let res = place(&app, &karen, "item", second[0].0, Some(modules[0]), Some(0), &v).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        items(&app, modules[0]).await,
        vec![second[0].clone(), first[1].clone()]
    );

    // Modules: the second becomes the first.
    let v = version(&app, b.course).await;
    let res = place(&app, &karen, "module", modules[1], None, Some(0), &v).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(module_ids(&app, b.course).await, vec![modules[1], modules[0]]);

    // A stale page: refused, nothing moves.
    let stale = (version(&app, b.course).await.parse::<i64>().unwrap() - 1).to_string();
    let before = (items(&app, modules[0]).await, items(&app, modules[1]).await);
    let res = place(
        &app,
        &karen,
        "item",
        first[1].0,
        Some(modules[1]),
        Some(0),
        &stale,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("courses.stale"));
    assert_eq!(
        (items(&app, modules[0]).await, items(&app, modules[1]).await),
        before
    );

    // Into a module of another course, or another course's item: not found, nothing moves.
    let other = build_course(&app, &karen, &org, "Algebra", "viewed", "").await;
    let other_module = module_ids(&app, other.course).await[0];
    let v = version(&app, b.course).await;
    let res = place(&app, &karen, "item", first[1].0, Some(other_module), Some(0), &v).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = place(
        &app,
        &karen,
        "item",
        other.all_items()[0],
        Some(modules[0]),
        Some(0),
        &v,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        (items(&app, modules[0]).await, items(&app, modules[1]).await),
        before
    );

    // A learner of the course is no teacher: the same "not found" as a missing course.
    let res = place(&app, &ida, "item", first[1].0, Some(modules[1]), Some(0), &v).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        (items(&app, modules[0]).await, items(&app, modules[1]).await),
        before
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(
    place_items_across_modules_and_modules_in_order,
    place_items_and_modules
);

// Issue 7: lesson Markdown is rendered and sanitised: scripts, event handlers,
// javascript: and data: links and iframes from anywhere are stripped.
async fn lesson_markdown_sanitised(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let evil = "# Triangles\n\nA **right** angle.\n\n<script>alert('s')</script>\n\n\
                <img src=x onerror=\"alert('h')\">\n\n<p onclick=\"alert('c')\">click</p>\n\n\
                [js](javascript:alert('j')) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n\
                <iframe src=\"https://evil.example/embed\"></iframe>\n\n[ok](https://example.org/a)";
    ok(
        &app,
        "courses/update-lesson",
        &[
            ("slug", "geometri"),
            ("item", &b.all_items()[0].to_string()),
            ("title", "Triangles"),
            ("body", evil),
            ("required", "on"),
        ],
        &karen,
    )
    .await;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;
    let (status, body) = status_of(
        &app,
        &format!("/learn/{}/items/{}", b.run, b.all_items()[0]),
        Some(&ida),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<strong>right</strong>"), "{body}");
    assert!(body.contains("https://example.org/a"));
    for bad in [
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "data:text",
        "<iframe",
        "evil.example",
    ] {
        assert!(!body.contains(bad), "{bad} in {body}");
    }
    app.platform.db.pool.close().await;
}
on_both_databases!(
    lesson_markdown_strips_scripts_handlers_and_iframes,
    lesson_markdown_sanitised
);

// S4: one click enrols; twice changes nothing; a closed run refuses; a draft course or run
// is not found; a full run keeps a waiting list, promoted in order with an e-mail.
async fn s4_enrolment_rules(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let [a, b, c] = [
        signed_in(&app, db, "a@learner.example").await,
        signed_in(&app, db, "b@learner.example").await,
        signed_in(&app, db, "c@learner.example").await,
    ];
    let org = organisation(&app, "nord", &karen).await;

    // A draft course's run: not found, like a missing run.
    let res = create_course(&app, &karen, &org, "Kladde", "viewed").await;
    assert_eq!(res.status(), StatusCode::OK);
    let draft_run = create_run(&app, &karen, "kladde", "Draft run", "", "").await;
    ok(
        &app,
        "courses/run-status",
        &[
            ("slug", "kladde"),
            ("run", &draft_run.to_string()),
            ("status", "published"),
        ],
        &karen,
    )
    .await;
    for run in [draft_run, 999_999] {
        let res = post(&app, "courses/enrol", &[("run", &run.to_string())], Some(&a)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let res = post(&app, "courses/enrol", &[("run", &draft_run.to_string())], None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let built = build_course(&app, &karen, &org, "Geometri", "viewed", "1").await;
    let run = built.run.to_string();
    // A published course's draft run: not found either.
    let second = create_run(&app, &karen, "geometri", "Autumn", "", "").await;
    let res = post(&app, "courses/enrol", &[("run", &second.to_string())], Some(&a)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // One click, without JavaScript: to the run's page.
    let res = call(
        &app,
        "courses/enrol",
        &form(&[("run", &run)]),
        Some(&a.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/learn/{run}?status=enrolled"));
    let res = call(
        &app,
        "courses/enrol",
        &form(&[("run", &run)]),
        Some(&a.cookie),
        true,
    )
    .await;
    assert_eq!(location(&res), format!("/learn/{run}?status=already-enrolled"));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM enrolments WHERE run_id = $1",
            built.run
        )
        .await,
        1
    );

    // Full: B and C join the waiting list, in that order.
    for (p, n) in [(&b, "1"), (&c, "2")] {
        let res = call(
            &app,
            "courses/enrol",
            &form(&[("run", &run)]),
            Some(&p.cookie),
            true,
        )
        .await;
        assert_eq!(location(&res), "/courses/geometri?status=waiting");
        let (_, body) = status_of(&app, "/courses/geometri", Some(p)).await;
        assert!(
            body.contains(&format!("You are number {n} on the waiting list")),
            "{body}"
        );
    }
    let (status, _) = status_of(&app, &format!("/learn/{run}"), Some(&b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "waiting is not enrolled");
    assert!(
        outbox_mails_to(db, &b.email)
            .iter()
            .all(|m| !m.contains("/learn/"))
    );

    // A leaves: B gets the place and an e-mail; C moves up.
    let res = call(
        &app,
        "courses/unenrol",
        &form(&[("run", &run)]),
        Some(&a.cookie),
        true,
    )
    .await;
    assert_eq!(location(&res), "/courses/geometri?status=left");
    let status_of_user = |u: i64| {
        let pool = app.platform.db.pool.clone();
        let run = built.run;
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2",
            )
            .bind(run)
            .bind(u)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(status_of_user(a.id).await, "left");
    assert_eq!(status_of_user(b.id).await, "active");
    assert_eq!(status_of_user(c.id).await, "waiting");
    let mails = outbox_mails_to(db, &b.email);
    assert!(
        mails
            .iter()
            .any(|m| m.contains("Geometri") && m.contains(&format!("/learn/{run}"))),
        "{mails:?}"
    );
    assert!(
        outbox_mails_to(db, &c.email)
            .iter()
            .all(|m| !m.contains("/learn/"))
    );
    let (_, body) = status_of(&app, "/courses/geometri", Some(&c)).await;
    assert!(body.contains("You are number 1 on the waiting list"), "{body}");
    let (status, _) = status_of(&app, &format!("/learn/{run}"), Some(&b)).await;
    assert_eq!(status, StatusCode::OK);
    // A comes back: the run is full again, so A waits behind C.
    let res = call(
        &app,
        "courses/enrol",
        &form(&[("run", &run)]),
        Some(&a.cookie),
        true,
    )
    .await;
    assert_eq!(location(&res), "/courses/geometri?status=waiting");
    let (_, body) = status_of(&app, "/courses/geometri", Some(&a)).await;
    assert!(body.contains("You are number 2 on the waiting list"), "{body}");
    // Leaving the waiting list frees no place and promotes nobody.
    ok(&app, "courses/unenrol", &[("run", &run)], &c).await;
    assert_eq!(status_of_user(a.id).await, "waiting");

    // Closed: enrolment ended yesterday or earlier.
    let closed = create_run(&app, &karen, "geometri", "Closed", "2020-01-31", "").await;
    ok(
        &app,
        "courses/run-status",
        &[
            ("slug", "geometri"),
            ("run", &closed.to_string()),
            ("status", "published"),
        ],
        &karen,
    )
    .await;
    let res = post(&app, "courses/enrol", &[("run", &closed.to_string())], Some(&c)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("courses.enrol_closed"));
    let (_, body) = status_of(&app, "/courses/geometri", Some(&c)).await;
    assert!(body.contains("Enrolment is closed."));
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s4_enrol_twice_closed_full_waiting_list_promotion_draft,
    s4_enrolment_rules
);

// S19: a run's lessons only for that run's learners, the course's staff and platform
// admins. Everyone else, learners of another run of the same course included, gets
// exactly the 404 of a missing lesson; anonymous visitors are sent to sign in.
async fn s19_run_content(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let ole = signed_in(&app, db, "ole@learner.example").await;
    let eve = signed_in(&app, db, "eve@outsider.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let other_run = create_run(&app, &karen, "geometri", "Autumn", "", "").await;
    ok(
        &app,
        "courses/run-status",
        &[
            ("slug", "geometri"),
            ("run", &other_run.to_string()),
            ("status", "published"),
        ],
        &karen,
    )
    .await;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;
    ok(&app, "courses/enrol", &[("run", &other_run.to_string())], &ole).await;

    let lesson = format!("/learn/{}/items/{}", b.run, b.all_items()[0]);
    let (status, body) = status_of(&app, &lesson, Some(&ida)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Lesson 1.1"));

    let missing_item = format!("/learn/{}/items/999999", b.run);
    let (status, missing) = status_of(&app, &missing_item, Some(&ida)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for who in [&ole, &eve] {
        for path in [lesson.clone(), format!("/learn/{}", b.run)] {
            let (status, body) = status_of(&app, &path, Some(who)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{} {path}", who.email);
            assert!(!body.contains("Lesson 1.1"));
        }
        let (_, body) = status_of(&app, &lesson, Some(who)).await;
        assert_eq!(
            main_of(&body),
            main_of(&missing),
            "indistinguishable from a missing lesson"
        );
        let res = post(
            &app,
            "courses/item",
            &[
                ("run", &b.run.to_string()),
                ("item", &b.all_items()[0].to_string()),
            ],
            Some(who),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = post(
            &app,
            "courses/complete",
            &[
                ("run", &b.run.to_string()),
                ("item", &b.all_items()[0].to_string()),
            ],
            Some(who),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    // An item of another course through this run: not found.
    let algebra = build_course(&app, &karen, &org, "Algebra", "viewed", "").await;
    let (status, body) = status_of(
        &app,
        &format!("/learn/{}/items/{}", b.run, algebra.all_items()[0]),
        Some(&ida),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(main_of(&body), main_of(&missing));
    // Nobody's progress was written by those attempts.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            ole.id
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            eve.id
        )
        .await,
        0
    );

    // Anonymous: sent to sign in, for an existing and a missing lesson alike.
    for path in [lesson.clone(), missing_item.clone()] {
        let res = page(&app, &path, None).await;
        assert_eq!(res.status(), StatusCode::FOUND);
        assert!(location(&res).starts_with("/sign-in?next="), "{path}");
    }

    // Staff preview every run without leaving progress.
    for run in [b.run, other_run] {
        let (status, body) = status_of(
            &app,
            &format!("/learn/{run}/items/{}", b.all_items()[0]),
            Some(&karen),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Lesson 1.1"));
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            karen.id
        )
        .await,
        0
    );

    // A learner who left loses access.
    ok(&app, "courses/unenrol", &[("run", &b.run.to_string())], &ida).await;
    let (status, _) = status_of(&app, &lesson, Some(&ida)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.platform.db.pool.close().await;
}
on_both_databases!(s19_lessons_only_for_the_runs_learners_and_staff, s19_run_content);

// S12: viewing lessons completes them; modules and the course complete when every required
// item is done; the certificate is issued once, printable by its owner, and verifiable
// by anyone at /verify/<code>, which shows only what the certificate prints.
async fn s12_progress_and_certificate(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let eve = signed_in(&app, db, "eve@outsider.example").await;
    sqlx::query("UPDATE users SET first_name = 'Ida', last_name = 'Holm' WHERE id = $1")
        .bind(ida.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    // The last item is optional.
    ok(
        &app,
        "courses/update-lesson",
        &[
            ("slug", "geometri"),
            ("item", &b.all_items()[3].to_string()),
            ("title", "Extra reading"),
            ("body", "x"),
        ],
        &karen,
    )
    .await;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;

    let (_, body) = status_of(&app, "/my/courses", Some(&ida)).await;
    assert!(
        body.contains("Geometri") && body.contains("value=\"0\""),
        "{body}"
    );
    assert!(
        body.contains(&format!("/learn/{}/items/{}", b.run, b.all_items()[0])),
        "resume at the first lesson"
    );

    for (n, item) in b.all_items()[..3].iter().enumerate() {
        let (status, body) = status_of(&app, &format!("/learn/{}/items/{item}", b.run), Some(&ida)).await;
        assert_eq!(status, StatusCode::OK);
        if n < 2 {
            assert!(!body.contains("/certificates/"), "no certificate before the end");
        }
    }
    // Viewing again changes nothing.
    status_of(
        &app,
        &format!("/learn/{}/items/{}", b.run, b.all_items()[0]),
        Some(&ida),
    )
    .await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            ida.id
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM certificates WHERE user_id = $1",
            ida.id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM run_activity_days WHERE user_id = $1",
            ida.id
        )
        .await,
        1
    );

    let (_, body) = status_of(&app, &format!("/learn/{}", b.run), Some(&ida)).await;
    assert!(body.contains("value=\"100\""), "{body}");
    let (_, mine) = status_of(&app, "/my/courses", Some(&ida)).await;
    assert!(mine.contains("value=\"100\""), "{mine}");
    let code: String = sqlx::query_scalar("SELECT code FROM certificates WHERE user_id = $1")
        .bind(ida.id)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert!(mine.contains(&format!("/certificates/{code}")));

    let (status, cert) = status_of(&app, &format!("/certificates/{code}"), Some(&ida)).await;
    assert_eq!(status, StatusCode::OK);
    for fact in [
        "Ida Holm",
        "Geometri",
        "Skole nord",
        "12",
        &format!("/verify/{code}"),
    ] {
        assert!(cert.contains(fact), "{fact} in {cert}");
    }
    let (status, _) = status_of(&app, &format!("/certificates/{code}"), Some(&eve)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = status_of(&app, &format!("/certificates/{code}"), Some(&karen)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not even the teacher prints it");

    // Anyone verifies it, and sees only what it prints.
    let (status, verify) = status_of(&app, &format!("/verify/{code}"), None).await;
    assert_eq!(status, StatusCode::OK);
    for fact in ["Ida Holm", "Geometri", "Skole nord", "12"] {
        assert!(verify.contains(fact), "{fact} in {verify}");
    }
    assert!(!verify.contains(&ida.email) && !verify.contains("Lesson 1.1"));
    let (status, _) = status_of(&app, "/verify/0000000000", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Renaming the course later does not change the issued certificate.
    sqlx::query("UPDATE courses SET title = 'Renamed' WHERE id = $1")
        .bind(b.course)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let (_, verify) = status_of(&app, &format!("/verify/{code}"), None).await;
    assert!(verify.contains("Geometri"));
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s12_progress_completion_certificate_and_anonymous_verification,
    s12_progress_and_certificate
);

// S12: with the rule "marked", viewing does not complete a lesson; the learner's button
// does, and only the run's learners may press it.
async fn s12_marked_completion(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "marked", "").await;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;
    let lesson = format!("/learn/{}/items/{}", b.run, b.all_items()[0]);
    let (_, body) = status_of(&app, &lesson, Some(&ida)).await;
    assert!(body.contains("Mark as complete"), "{body}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            ida.id
        )
        .await,
        0
    );
    let res = post(
        &app,
        "courses/complete",
        &[
            ("run", &b.run.to_string()),
            ("item", &b.all_items()[0].to_string()),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "staff do not take part");
    for item in &b.all_items()[..3] {
        ok(
            &app,
            "courses/complete",
            &[("run", &b.run.to_string()), ("item", &item.to_string())],
            &ida,
        )
        .await;
    }
    let (_, body) = status_of(&app, &lesson, Some(&ida)).await;
    assert!(!body.contains("Mark as complete") && body.contains("You have completed this lesson."));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM certificates WHERE user_id = $1",
            ida.id
        )
        .await,
        1
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_marked_rule_completes_by_button, s12_marked_completion);

// "My courses" lists every run with its own progress.
async fn my_courses_lists_runs(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let ida = signed_in(&app, db, "ida@learner.example").await;
    let org = organisation(&app, "nord", &karen).await;
    let g = build_course(&app, &karen, &org, "Geometri", "viewed", "").await;
    let a = build_course(&app, &karen, &org, "Algebra", "viewed", "").await;
    let (status, _) = status_of(&app, "/my/courses", None).await;
    assert_eq!(status, StatusCode::FOUND);
    let (_, body) = status_of(&app, "/my/courses", Some(&ida)).await;
    assert!(body.contains("You are not enrolled in any course yet."));
    ok(&app, "courses/enrol", &[("run", &g.run.to_string())], &ida).await;
    ok(&app, "courses/enrol", &[("run", &a.run.to_string())], &ida).await;
    status_of(
        &app,
        &format!("/learn/{}/items/{}", a.run, a.all_items()[0]),
        Some(&ida),
    )
    .await;
    let (_, body) = status_of(&app, "/my/courses", Some(&ida)).await;
    assert!(body.contains("Geometri") && body.contains("Algebra"));
    assert!(
        body.contains("value=\"33\"") && body.contains("value=\"0\""),
        "{body}"
    );
    assert!(
        body.contains(&format!("/learn/{}/items/{}", a.run, a.all_items()[1])),
        "resume after the first lesson"
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(my_courses_with_progress_of_each_run, my_courses_lists_runs);
