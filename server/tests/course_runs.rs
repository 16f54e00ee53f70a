//! Course runs over HTTP, on both databases (issue 7): every published run of a published
//! course is a course listing in the catalogue and its JSON API, following the course in
//! the same transaction (S7); copying a run; groups and theme-based groups in a run with
//! their members-only pages (S12, T2, S19).
mod common;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use common::browser::*;
use common::{TestApp, TestDb, body_text};
use serde_json::Value;

struct Person {
    cookie: String,
    id: i64,
}

async fn person(app: &TestApp, db: &TestDb, email: &str) -> Person {
    let cookie = registered_and_signed_in(app, db, email).await;
    let id = user_id(app, email).await;
    Person { cookie, id }
}

/// An organisation in Denmark with `members` (the first is its admin); returns its id.
async fn organisation(app: &TestApp, slug: &str, pic: &str, members: &[&Person]) -> i64 {
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

async fn post(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    who: Option<&Person>,
) -> Response<Body> {
    call(
        app,
        endpoint,
        &form(fields),
        who.map(|p| p.cookie.as_str()),
        false,
    )
    .await
}

async fn ok(app: &TestApp, endpoint: &str, fields: &[(&str, &str)], who: &Person) -> String {
    let res = post(app, endpoint, fields, Some(who)).await;
    let status = res.status();
    let body = body_text(res).await;
    assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    body
}

/// A draft course of the organisation `org`; returns its slug.
async fn course(app: &TestApp, teacher: &Person, org: &str, title: &str) -> String {
    ok(
        app,
        "courses/create",
        &[
            ("org", org),
            ("form[title]", title),
            ("form[summary]", "Fractions with pizza and number lines"),
            ("form[description]", "About **fractions**"),
            ("form[language]", "da"),
            ("form[target_audience]", "Teachers of grades 3 to 5"),
            ("form[subjects][]", "mathematics"),
            ("form[subjects][]", "science"),
        ],
        teacher,
    )
    .await;
    sqlx::query_scalar("SELECT slug FROM courses WHERE title = $1")
        .bind(title)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

/// A draft run; returns its id.
async fn run(app: &TestApp, teacher: &Person, slug: &str, fields: &[(&str, &str)]) -> i64 {
    let mut f = vec![("slug", slug)];
    f.extend_from_slice(fields);
    ok(app, "courses/create-run", &f, teacher).await;
    sqlx::query_scalar("SELECT MAX(id) FROM course_runs")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
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
    let karen = person(&app, db, "karen@nord.example").await;
    organisation(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Brøker i praksis").await;
    let spring = run(
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
    let autumn = run(
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
    let karen = person(&app, db, "karen@nord.example").await;
    let olga = person(&app, db, "olga@other.example").await;
    let org = organisation(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    let spring = run(
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
    let karen = person(&app, db, "karen@nord.example").await;
    organisation(&app, "nord", "123456789", &[&karen]).await;
    let slug = course(&app, &karen, "nord", "Geometri").await;
    set_status(&app, &karen, &slug, None, "published").await;
    let r = run(&app, &karen, &slug, &[("run[title]", "Spring")]).await;
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
