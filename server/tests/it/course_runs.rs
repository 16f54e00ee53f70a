//! Course runs over HTTP, on both databases (issue 7): every published run of a published
//! course is a course listing in the catalogue and its JSON API, following the course in
//! the same transaction (S7); copying a run; groups and theme-based groups in a run with
//! their members-only pages (S12, T2, S19).

use crate::common::browser::*;
use crate::common::courses::{
    CourseSpec, Person, add_staff, build, new_run, ok, organisation_with, post, scalar, signed_in, status_of,
};
use crate::common::{TestApp, TestDb, body_text};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

/// A draft course of the organisation `org`; returns its slug.
async fn course(app: &TestApp, teacher: &Person, org: &str, title: &str) -> String {
    let spec = CourseSpec {
        fields: &[
            ("form[summary]", "Fractions with pizza and number lines"),
            ("form[description]", "About **fractions**"),
            ("form[language]", "da"),
            ("form[target_audience]", "Teachers of grades 3 to 5"),
            ("form[subjects][]", "mathematics"),
            ("form[subjects][]", "science"),
        ],
        modules: &[],
        lessons: &[],
        last_optional: false,
        published: false,
        run: None,
    };
    build(app, teacher, org, title, &spec).await.slug
}

async fn set_status(app: &TestApp, who: &Person, slug: &str, run: Option<i64>, status: &str) {
    match run {
        Some(r) => {
            let r = r.to_string();
            ok(
                app,
                "courses/run-status",
                &[("slug", slug), ("run", &r), ("status", status)],
                who,
            )
            .await
        }
        None => ok(app, "courses/status", &[("slug", slug), ("status", status)], who).await,
    };
}

async fn get_json(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut b = Request::get(path).header(header::ACCEPT, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = app.send(b.body(Body::empty()).unwrap()).await;
    let status = res.status();
    let text = body_text(res).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn send_json(app: &TestApp, method: &str, path: &str, token: &str, body: &str) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.send(req).await;
    let status = res.status();
    let text = body_text(res).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn listing_of_run(app: &TestApp, run: i64) -> (String, String) {
    sqlx::query_as("SELECT slug, status FROM catalogue_listings WHERE run_id = $1")
        .bind(run)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

/// The titles of the public course catalogue's first page, through the JSON API.
async fn api_titles(app: &TestApp) -> Vec<String> {
    let (status, v) = get_json(app, "/api/v1/listings?kind=course&per_page=100", None).await;
    assert_eq!(status, StatusCode::OK);
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn catalogue_page(app: &TestApp) -> String {
    let res = page(app, "/catalogue/courses", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    body_text(res).await
}

// S7: a run is in the course catalogue (page and JSON API) exactly while it and its course
// are published, with the course's details and the run's dates, linking to the course
// page; a changed course title follows at once; going back to draft takes it out.
async fn s7_published_runs_are_course_listings(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    organisation_with(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Brøker i praksis").await;
    let spring = new_run(
        &app,
        &karen,
        &slug,
        &[
            ("run[title]", "Spring"),
            ("run[enrol_opens]", "2030-03-01"),
            ("run[enrol_closes]", "2030-03-10"),
            ("run[starts]", "2030-03-15"),
            ("run[ends]", "2030-04-30"),
        ],
    )
    .await;
    // Every run has its listing from the start, as a draft while anything is a draft.
    let (listing, status) = listing_of_run(&app, spring).await;
    assert_eq!(
        (listing.as_str(), status.as_str()),
        ("broeker-i-praksis", "draft")
    );
    set_status(&app, &karen, &slug, Some(spring), "published").await;
    assert_eq!(
        listing_of_run(&app, spring).await.1,
        "draft",
        "the course is still a draft"
    );
    assert!(!catalogue_page(&app).await.contains("Brøker i praksis"));
    assert!(api_titles(&app).await.is_empty());
    let (status, _) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a draft listing is not public");

    // Publish the course: the run is listed.
    set_status(&app, &karen, &slug, None, "published").await;
    assert!(catalogue_page(&app).await.contains("Brøker i praksis"));
    assert_eq!(api_titles(&app).await, ["Brøker i praksis"]);
    let (status, v) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["kind"], "course");
    assert_eq!(v["status"], "published");
    assert_eq!(v["summary"], "Fractions with pizza and number lines");
    assert_eq!(v["language"], "da");
    assert_eq!(v["country"], "DK", "the organisation's country");
    assert_eq!(v["mode"], "online");
    assert_eq!(v["target_audience"], "Teachers of grades 3 to 5");
    assert_eq!(v["subjects"], serde_json::json!(["mathematics", "science"]));
    assert_eq!(v["starts_on"], "2030-03-15");
    assert_eq!(v["ends_on"], "2030-04-30");
    assert_eq!(
        v["expires_on"], "2030-03-10",
        "it leaves the catalogue when enrolment closes"
    );
    assert_eq!(v["organisation"], "nord");
    assert!(
        v["course_url"]
            .as_str()
            .unwrap()
            .ends_with("/courses/broeker-i-praksis"),
        "{v}"
    );
    assert!(
        v["description_html"]
            .as_str()
            .unwrap()
            .contains("<strong>fractions</strong>")
    );
    let published_at = v["published_at"].clone();
    // The listing's page links to the course page.
    let res = page(&app, "/catalogue/broeker-i-praksis", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    assert!(html.contains("href=\"/courses/broeker-i-praksis\""), "{html}");
    // ... and the catalogue's card too.
    assert!(
        catalogue_page(&app)
            .await
            .contains("href=\"/courses/broeker-i-praksis\"")
    );

    // The course's title and subjects follow, in the same request; the address stays.
    ok(
        &app,
        "courses/update",
        &[
            ("slug", &slug),
            ("form[title]", "Brøker og decimaltal"),
            ("form[summary]", "Now with decimals"),
            ("form[language]", "sv"),
            ("form[subjects][]", "history"),
        ],
        &karen,
    )
    .await;
    let (_, v) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(v["title"], "Brøker og decimaltal");
    assert_eq!(v["summary"], "Now with decimals");
    assert_eq!(v["language"], "sv");
    assert_eq!(v["subjects"], serde_json::json!(["history"]));
    assert_eq!(v["published_at"], published_at);
    assert_eq!(api_titles(&app).await, ["Brøker og decimaltal"]);
    let html = catalogue_page(&app).await;
    assert!(html.contains("Brøker og decimaltal") && !html.contains("Brøker i praksis"));

    // A second run is a second listing; the run back to draft takes its listing out.
    let autumn = new_run(
        &app,
        &karen,
        &slug,
        &[("run[title]", "Autumn"), ("run[self_paced]", "on")],
    )
    .await;
    set_status(&app, &karen, &slug, Some(autumn), "published").await;
    assert_eq!(listing_of_run(&app, autumn).await.0, "broeker-og-decimaltal");
    assert_eq!(api_titles(&app).await.len(), 2);
    set_status(&app, &karen, &slug, Some(spring), "draft").await;
    let (status, _) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        page(&app, "/catalogue/broeker-i-praksis", None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(api_titles(&app).await.len(), 1);
    // The course back to draft: none is listed.
    set_status(&app, &karen, &slug, None, "draft").await;
    assert!(api_titles(&app).await.is_empty());
    assert!(!catalogue_page(&app).await.contains("Brøker og decimaltal"));
    // Published again: back, with its first publication date.
    set_status(&app, &karen, &slug, None, "published").await;
    set_status(&app, &karen, &slug, Some(spring), "published").await;
    let (_, v) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(v["published_at"], published_at);
    assert_eq!(api_titles(&app).await.len(), 2);

    // Enrolment closed: the run has expired from the catalogue (its page stays, marked).
    app.platform.clock.advance(std::time::Duration::from_secs(
        (app::courses::model::parse_day("2030-03-12").unwrap() / 1000) as u64
            - (app.platform.clock.now_ms() / 1000) as u64,
    ));
    assert_eq!(
        api_titles(&app).await,
        ["Brøker og decimaltal"],
        "only the self-paced run"
    );
    let (_, v) = get_json(&app, "/api/v1/listings/broeker-i-praksis", None).await;
    assert_eq!(v["expired"], true);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s7_published_runs_are_course_listings,
    s7_published_runs_are_course_listings
);

// S7: a run's listing is changed only through its course: the catalogue's edit page and
// server functions and the organisation's API token are refused; the organisation's
// country follows; reviews work as on any course listing and the course page shows the
// rating; a run deleted with its course takes its listing along.
async fn s7_run_listings_follow_their_course_and_are_reviewed(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let olga = signed_in(&app, db, "olga@other.example").await;
    let org = organisation_with(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    let spring = new_run(
        &app,
        &karen,
        &slug,
        &[("run[title]", "Spring"), ("run[self_paced]", "on")],
    )
    .await;
    set_status(&app, &karen, &slug, None, "published").await;
    set_status(&app, &karen, &slug, Some(spring), "published").await;
    let (listing, _) = listing_of_run(&app, spring).await;

    // The catalogue's own edit page and functions: even the organisation's admin is refused.
    let res = page(&app, &format!("/catalogue/{listing}/edit"), Some(&karen.cookie)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = body_text(page(&app, &format!("/catalogue/{listing}"), Some(&karen.cookie)).await).await;
    assert!(
        !html.contains(&format!("/catalogue/{listing}/edit")),
        "no edit link"
    );
    for (endpoint, fields) in [
        ("catalogue/status", vec![("status", "withdrawn")]),
        (
            "catalogue/update",
            vec![
                ("form[title]", "Hijacked"),
                ("form[language]", "da"),
                ("form[country]", "DK"),
            ],
        ),
    ] {
        let mut f = vec![("slug", listing.as_str())];
        f.extend(fields);
        let res = post(&app, endpoint, &f, Some(&karen)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    // The organisation's API token: a conflict that says why (it sees the listing).
    let token = app::api_tokens::db::create(&app.platform, org, karen.id, "Sync")
        .await
        .ok()
        .unwrap();
    let path = format!("/api/v1/listings/{listing}");
    let (status, v) = send_json(
        &app,
        "PUT",
        &path,
        &token,
        r#"{"kind":"course","title":"Hijacked","language":"da","country":"DK","mode":"online","starts_on":"2031-01-01"}"#,
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("follows_course")),
        "{v}"
    );
    let (status, v) = send_json(&app, "POST", &format!("{path}/withdraw"), &token, "").await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("follows_course")),
        "{v}"
    );
    let (_, v) = get_json(&app, &path, None).await;
    assert_eq!(
        (v["title"].as_str(), v["status"].as_str()),
        (Some("Geometri"), Some("published"))
    );

    // The organisation moves to Sweden: its run listings follow.
    let mut o = app::organisations::db::by_slug(&app.platform.db, "nord")
        .await
        .unwrap()
        .unwrap();
    o.form.country = "SE".into();
    o.form.pic = "123456789".into();
    assert!(
        app::organisations::db::update(&app.platform, org, &o.form, None)
            .await
            .is_ok()
    );
    let (_, v) = get_json(&app, &path, None).await;
    assert_eq!(v["country"], "SE");

    // S7: reviewed like any course listing, by someone outside the organisation.
    let res = call(
        &app,
        "reviews/save",
        &form(&[
            ("slug", &listing),
            ("stars", "4"),
            ("body", "Clear and practical"),
            ("back", &format!("/catalogue/{listing}")),
        ]),
        Some(&olga.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    let html = body_text(page(&app, &format!("/courses/{slug}"), None).await).await;
    assert!(
        html.contains("4.0 out of 5 (1 reviews)"),
        "the course page shows the rating: {html}"
    );
    assert!(
        html.contains(&format!("/catalogue/{listing}#reviews")),
        "and links to the reviews"
    );
    let (_, v) = get_json(&app, "/api/v1/listings?kind=course", None).await;
    assert_eq!(v["items"][0]["rating_count"], 1);

    // Deleting the course (no page does that yet) takes the runs' listings along.
    let course_id: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    for sql in [
        "DELETE FROM course_staff WHERE course_id = $1",
        "DELETE FROM courses WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(course_id)
            .execute(&app.platform.db.pool)
            .await
            .unwrap();
    }
    assert!(api_titles(&app).await.is_empty());
    let (status, _) = get_json(&app, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s7_run_listings_follow_their_course_and_are_reviewed,
    s7_run_listings_follow_their_course_and_are_reviewed
);

// Runs from before the catalogue listed them (or written directly) get their listing when
// the server starts, once.
async fn s7_runs_without_listing_are_listed_at_start(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    organisation_with(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    set_status(&app, &karen, &slug, None, "published").await;
    let r = new_run(&app, &karen, &slug, &[("run[title]", "Spring")]).await;
    set_status(&app, &karen, &slug, Some(r), "published").await;
    sqlx::query("DELETE FROM catalogue_listings")
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    assert!(api_titles(&app).await.is_empty());
    let now = app.platform.clock.now_ms();
    assert_eq!(
        app::courses::listing::backfill(&app.platform.db, now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(api_titles(&app).await, ["Geometri"]);
    assert_eq!(
        app::courses::listing::backfill(&app.platform.db, now)
            .await
            .unwrap(),
        0
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s7_runs_without_listing_are_listed_at_start,
    s7_runs_without_listing_are_listed_at_start
);

/// title, status, enrolment opens and closes, starts, ends, self-paced, capacity.
type CopiedRunRow = (
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
);

// Issue 7: "copy run" makes a new draft run with the old one's capacity, pace and dates
// moved to the chosen start, its groups without members, and no learners, progress or
// attendance; audited. Only the course's teachers and platform admins copy, and a
// refusal is the 404 of a missing course.
async fn copy_run_into_a_new_draft(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let lars = signed_in(&app, db, "lars@nord.example").await;
    let olga = signed_in(&app, db, "olga@other.example").await;
    let anna = signed_in(&app, db, "anna@skole.example").await;
    organisation_with(&app, "nord", "123456789", &[&karen, &lars]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    add_staff(&app, &karen, &slug, &lars, "moderator").await;
    let spring = new_run(
        &app,
        &karen,
        &slug,
        &[
            ("run[title]", "Spring 2030"),
            ("run[enrol_opens]", "2030-03-01"),
            ("run[enrol_closes]", "2030-03-10"),
            ("run[starts]", "2030-03-15"),
            ("run[ends]", "2030-04-30"),
            ("run[capacity]", "25"),
        ],
    )
    .await;
    set_status(&app, &karen, &slug, Some(spring), "published").await;
    // A learner with activity, and a group with a member, in the old run.
    let pool = &app.platform.db.pool;
    sqlx::query("INSERT INTO enrolments (run_id, user_id, status, enrolled_at) VALUES ($1, $2, 'active', 0)")
        .bind(spring)
        .bind(anna.id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO run_activity_days (run_id, user_id, day) VALUES ($1, $2, '2030-03-16')")
        .bind(spring)
        .bind(anna.id)
        .execute(pool)
        .await
        .unwrap();
    let spring_s = spring.to_string();
    ok(
        &app,
        "courses/group-create",
        &[
            ("slug", &slug),
            ("run", &spring_s),
            ("group[name]", "Outdoor"),
            ("group[kind]", "open"),
            ("group[theme]", "Outdoor learning"),
            ("group[capacity]", "8"),
        ],
        &karen,
    )
    .await;
    let group: i64 = scalar(&app, "SELECT id FROM run_groups WHERE run_id = $1", spring).await;
    ok(
        &app,
        "courses/group-add",
        &[
            ("slug", &slug),
            ("run", &spring_s),
            ("group", &group.to_string()),
            ("member", &anna.id.to_string()),
        ],
        &karen,
    )
    .await;

    let runs_before = scalar(&app, "SELECT COUNT(*) FROM course_runs WHERE course_id > $1", 0).await;
    // Refused: a moderator, an outsider, a learner; as for a missing course.
    for who in [&lars, &olga, &anna] {
        for s in [slug.as_str(), "no-such-course"] {
            let fields = [
                ("slug", s),
                ("copy[run]", spring_s.as_str()),
                ("copy[title]", "Spring 2031"),
                ("copy[starts]", "2031-03-15"),
            ];
            let res = post(&app, "courses/copy-run", &fields, Some(who)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{s}");
        }
    }
    // Invalid: no start; a run that is not this course's.
    for (starts, run, field) in [
        ("", spring_s.clone(), "copy_starts"),
        ("2031-03-15", "999999".to_string(), "copy_run"),
    ] {
        let res = post(
            &app,
            "courses/copy-run",
            &[
                ("slug", &slug),
                ("copy[run]", &run),
                ("copy[title]", "Spring 2031"),
                ("copy[starts]", starts),
            ],
            Some(&karen),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains(field));
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM course_runs WHERE course_id > $1", 0).await,
        runs_before
    );

    let res = call(
        &app,
        "courses/copy-run",
        &form(&[
            ("slug", &slug),
            ("copy[run]", &spring_s),
            ("copy[title]", "Spring 2031"),
            ("copy[starts]", "2031-03-15"),
        ]),
        Some(&karen.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/courses/{slug}/edit?status=run-copied"));
    let new: i64 = scalar(&app, "SELECT MAX(id) FROM course_runs WHERE id > $1", spring).await;
    let r: CopiedRunRow = sqlx::query_as(
        "SELECT title, status, enrol_opens_at, enrol_closes_at, starts_at, ends_at, self_paced, capacity \
         FROM course_runs WHERE id = $1",
    )
    .bind(new)
    .fetch_one(pool)
    .await
    .unwrap();
    let day = |ms: Option<i64>| ms.map(app::courses::model::day_of);
    let at = |d: &str| app::courses::model::parse_day(d);
    assert_eq!((r.0.as_str(), r.1.as_str()), ("Spring 2031", "draft"));
    assert_eq!(day(r.2).as_deref(), Some("2031-03-01"));
    assert_eq!(
        r.3,
        at("2031-03-11"),
        "enrolment still closes after its tenth day"
    );
    assert_eq!(day(r.4).as_deref(), Some("2031-03-15"));
    assert_eq!(r.5, at("2031-05-01"));
    assert_eq!((r.6, r.7), (0, Some(25)));
    // No learners, activity or group members; the group itself came along.
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM enrolments WHERE run_id = $1", new).await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM run_activity_days WHERE run_id = $1",
            new
        )
        .await,
        0
    );
    let copied: (String, String, String, Option<i64>) =
        sqlx::query_as("SELECT name, kind, theme, capacity FROM run_groups WHERE run_id = $1")
            .bind(new)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(
        copied,
        (
            "Outdoor".into(),
            "open".into(),
            "Outdoor learning".into(),
            Some(8)
        )
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM run_group_members m JOIN run_groups g ON g.id = m.group_id WHERE g.run_id = $1", new).await,
        0
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM enrolments WHERE run_id = $1", spring).await,
        1,
        "the old run keeps its learner"
    );
    // Its catalogue listing, a draft like the run; the copy is audited.
    assert_eq!(listing_of_run(&app, new).await.1, "draft");
    let audit: (Option<i64>, String, String) =
        sqlx::query_as("SELECT actor_user_id, subject, detail FROM audit_log WHERE action = 'run_copied'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(
        audit,
        (Some(karen.id), format!("run:{new}"), format!("from run:{spring}"))
    );
    let html = body_text(page(&app, &format!("/courses/{slug}/edit"), Some(&karen.cookie)).await).await;
    assert!(
        html.contains("Spring 2031") && html.contains("Copy the run"),
        "{html}"
    );

    // A self-paced run without dates: enrolment opens on the chosen day.
    let open = new_run(
        &app,
        &karen,
        &slug,
        &[("run[title]", "Any time"), ("run[self_paced]", "on")],
    )
    .await;
    ok(
        &app,
        "courses/copy-run",
        &[
            ("slug", &slug),
            ("copy[run]", &open.to_string()),
            ("copy[title]", "Any time 2"),
            ("copy[starts]", "2031-01-05"),
        ],
        &karen,
    )
    .await;
    let r: (Option<i64>, Option<i64>, i64) = sqlx::query_as(
        "SELECT enrol_opens_at, starts_at, self_paced FROM course_runs WHERE title = 'Any time 2'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((day(r.0).as_deref(), r.1, r.2), (Some("2031-01-05"), None, 1));
    app.platform.db.pool.close().await;
}
on_both_databases!(copy_run_into_a_new_draft, copy_run_into_a_new_draft);

// S12, T2, S19: the course's staff create assigned and open theme groups in a run and
// place the run's learners; learners see their own groups and the open ones on the run's
// page, join open groups while there is room and leave them; a group's page is for its
// members (while learners of the run) and the staff only, and everyone else gets the 404
// of a missing group.
async fn s12_t2_groups_in_a_run(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = signed_in(&app, db, "karen@nord.example").await;
    let lars = signed_in(&app, db, "lars@nord.example").await;
    let olga = signed_in(&app, db, "olga@other.example").await;
    let anna = signed_in(&app, db, "anna@skole.example").await;
    let bo = signed_in(&app, db, "bo@skole.example").await;
    let cy = signed_in(&app, db, "cy@skole.example").await;
    let dora = signed_in(&app, db, "dora@skole.example").await;
    organisation_with(&app, "nord", "123456789", &[&karen, &lars]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    add_staff(&app, &karen, &slug, &lars, "moderator").await;
    set_status(&app, &karen, &slug, None, "published").await;
    let spring = new_run(
        &app,
        &karen,
        &slug,
        &[("run[title]", "Spring"), ("run[self_paced]", "on")],
    )
    .await;
    let autumn = new_run(
        &app,
        &karen,
        &slug,
        &[("run[title]", "Autumn"), ("run[self_paced]", "on")],
    )
    .await;
    for r in [spring, autumn] {
        set_status(&app, &karen, &slug, Some(r), "published").await;
    }
    let (s, a) = (spring.to_string(), autumn.to_string());
    for who in [&anna, &bo, &cy] {
        ok(&app, "courses/enrol", &[("run", &s)], who).await;
    }
    ok(&app, "courses/enrol", &[("run", &a)], &dora).await;

    // The staff's page: the teacher and the moderator; for others, a missing course's 404.
    let editor = format!("/courses/{slug}/runs/{spring}/groups");
    let (status, _) = status_of(&app, &editor, None).await;
    assert_eq!(status, StatusCode::FOUND, "anonymous visitors sign in first");
    let (_, missing) = status_of(
        &app,
        &format!("/courses/no-such/runs/{spring}/groups"),
        Some(&olga),
    )
    .await;
    for who in [&olga, &anna] {
        let (status, body) = status_of(&app, &editor, Some(who)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(main_of(&body), main_of(&missing));
    }
    for who in [&karen, &lars] {
        assert_eq!(status_of(&app, &editor, Some(who)).await.0, StatusCode::OK);
    }
    // A run of another course under this course's address: not found.
    let other = course(&app, &karen, "nord", "Algebra").await;
    let (status, _) = status_of(
        &app,
        &format!("/courses/{other}/runs/{spring}/groups"),
        Some(&karen),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let create = |name: &'static str, kind: &'static str, capacity: &'static str| {
        [
            ("slug", slug.clone()),
            ("run", s.clone()),
            ("group[name]", name.to_string()),
            ("group[kind]", kind.to_string()),
            (
                "group[theme]",
                if kind == "open" {
                    "Outdoor learning".into()
                } else {
                    String::new()
                },
            ),
            ("group[description]", "We meet **outside**".to_string()),
            ("group[capacity]", capacity.to_string()),
        ]
    };
    let res = post(
        &app,
        "courses/group-create",
        &as_fields(&create("Team A", "assigned", "")),
        Some(&anna),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "learners do not create groups"
    );
    ok(
        &app,
        "courses/group-create",
        &as_fields(&create("Team A", "assigned", "")),
        &karen,
    )
    .await;
    ok(
        &app,
        "courses/group-create",
        &as_fields(&create("Outdoor", "open", "2")),
        &lars,
    )
    .await;
    let res = post(
        &app,
        "courses/group-create",
        &as_fields(&create("Team A", "open", "")),
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("runs.group_name_taken"));
    let res = post(
        &app,
        "courses/group-create",
        &as_fields(&create("Team B", "secret", "")),
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let id = |name: &'static str| {
        let pool = app.platform.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM run_groups WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (team, outdoor) = (id("Team A").await, id("Outdoor").await);
    let (team_s, outdoor_s) = (team.to_string(), outdoor.to_string());

    // The staff place learners of the run, nobody else.
    let place = |group: &str, member: i64| {
        vec![
            ("slug", slug.clone()),
            ("run", s.clone()),
            ("group", group.to_string()),
            ("member", member.to_string()),
        ]
    };
    ok(
        &app,
        "courses/group-add",
        &as_fields(&place(&team_s, anna.id)),
        &karen,
    )
    .await;
    for outsider in [olga.id, dora.id] {
        let res = post(
            &app,
            "courses/group-add",
            &as_fields(&place(&team_s, outsider)),
            Some(&karen),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "only the run's learners"
        );
    }
    let res = post(
        &app,
        "courses/group-add",
        &as_fields(&place(&team_s, bo.id)),
        Some(&anna),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The run's page: Anna sees her assigned group and the open one; Bo only the open one.
    let learn = format!("/learn/{spring}");
    let (_, html) = status_of(&app, &learn, Some(&anna)).await;
    assert!(
        html.contains(&format!("/learn/{spring}/groups/{team}")) && html.contains("Join Outdoor"),
        "{html}"
    );
    let (_, html) = status_of(&app, &learn, Some(&bo)).await;
    assert!(
        !html.contains("Team A") && html.contains("Join Outdoor"),
        "{html}"
    );
    let (_, html) = status_of(&app, &learn, Some(&karen)).await;
    assert!(
        html.contains("Team A") && html.contains("Outdoor") && html.contains(&editor),
        "the staff see every group"
    );

    // The group's page: its members and the staff; others the 404 of a missing group.
    let team_page = format!("/learn/{spring}/groups/{team}");
    let (status, body) = status_of(&app, &team_page, Some(&anna)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<strong>outside</strong>") && body.contains(&format!("/people/{}", anna.id)));
    for who in [&karen, &lars] {
        assert_eq!(status_of(&app, &team_page, Some(who)).await.0, StatusCode::OK);
    }
    let (_, missing) = status_of(&app, &format!("/learn/{spring}/groups/999999"), Some(&bo)).await;
    for who in [&bo, &olga, &dora] {
        let (status, body) = status_of(&app, &team_page, Some(who)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(main_of(&body), main_of(&missing));
    }
    assert_eq!(
        status_of(&app, &team_page, None).await.0,
        StatusCode::FOUND,
        "sign in first"
    );
    // A group under another run's address does not exist.
    let (status, _) = status_of(&app, &format!("/learn/{autumn}/groups/{team}"), Some(&karen)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Joining: open groups while there is room, learners of the run only.
    let join = |g: &str| vec![("run", s.clone()), ("group", g.to_string())];
    let res = call(
        &app,
        "courses/group-join",
        &form(&as_fields(&join(&outdoor_s))),
        Some(&bo.cookie),
        true,
    )
    .await;
    assert_eq!(
        location(&res),
        format!("/learn/{spring}/groups/{outdoor}?status=group-joined")
    );
    ok(&app, "courses/group-join", &as_fields(&join(&outdoor_s)), &cy).await;
    let res = call(
        &app,
        "courses/group-join",
        &form(&as_fields(&join(&outdoor_s))),
        Some(&cy.cookie),
        true,
    )
    .await;
    assert_eq!(
        location(&res),
        format!("/learn/{spring}/groups/{outdoor}?status=group-already")
    );
    let res = post(
        &app,
        "courses/group-join",
        &as_fields(&join(&outdoor_s)),
        Some(&anna),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("runs.group_full"));
    for (who, group) in [
        (&bo, &team_s),
        (&olga, &outdoor_s),
        (&dora, &outdoor_s),
        (&karen, &outdoor_s),
    ] {
        let res = post(&app, "courses/group-join", &as_fields(&join(group)), Some(who)).await;
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "assigned group, not a learner of the run, or staff"
        );
    }
    let members = "SELECT COUNT(*) FROM run_group_members WHERE group_id = $1";
    assert_eq!(scalar(&app, members, outdoor).await, 2);
    let (status, body) = status_of(&app, &format!("/learn/{spring}/groups/{outdoor}"), Some(&bo)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("2 of 2 places taken") && body.contains("Leave the group"),
        "{body}"
    );
    // Leaving: open groups only.
    let res = call(
        &app,
        "courses/group-leave",
        &form(&as_fields(&join(&outdoor_s))),
        Some(&bo.cookie),
        true,
    )
    .await;
    assert_eq!(location(&res), format!("/learn/{spring}?status=group-left"));
    let res = post(
        &app,
        "courses/group-leave",
        &as_fields(&join(&outdoor_s)),
        Some(&bo),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "not in it any more");
    let res = post(
        &app,
        "courses/group-leave",
        &as_fields(&join(&team_s)),
        Some(&anna),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "assigned groups are left through the staff"
    );
    ok(&app, "courses/group-join", &as_fields(&join(&outdoor_s)), &anna).await;

    // S19: a learner who leaves the run leaves its groups' pages and member lists.
    ok(&app, "courses/unenrol", &[("run", &s)], &cy).await;
    assert_eq!(
        status_of(&app, &format!("/learn/{spring}/groups/{outdoor}"), Some(&cy))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, body) = status_of(&app, &format!("/learn/{spring}/groups/{outdoor}"), Some(&anna)).await;
    assert!(!body.contains(&format!("/people/{}", cy.id)) && body.contains("1 of 2 places taken"));

    // The staff take members out and delete groups.
    ok(
        &app,
        "courses/group-remove",
        &as_fields(&place(&team_s, anna.id)),
        &lars,
    )
    .await;
    assert_eq!(
        status_of(&app, &team_page, Some(&anna)).await.0,
        StatusCode::NOT_FOUND
    );
    let del = [
        ("slug", slug.as_str()),
        ("run", s.as_str()),
        ("group", outdoor_s.as_str()),
    ];
    let res = post(&app, "courses/group-delete", &del, Some(&anna)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    ok(&app, "courses/group-delete", &del, &karen).await;
    assert_eq!(scalar(&app, members, outdoor).await, 0);
    assert_eq!(
        status_of(&app, &format!("/learn/{spring}/groups/{outdoor}"), Some(&karen))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_t2_groups_in_a_run, s12_t2_groups_in_a_run);

fn as_fields<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
