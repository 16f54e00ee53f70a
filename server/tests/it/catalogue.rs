//! The catalogue (S7, S16, S18) on both databases: listings of the three kinds, their
//! life (draft, published, withdrawn, expired), who may see and change them, the public
//! catalogue's filters, sorting and pages, and the listing page.

use crate::common::browser::*;
use crate::common::{TestApp, TestDb, body_text};
use app::catalogue::db as listings;
use app::catalogue::model::ListingForm;
use axum::http::StatusCode;

const DAY_MS: i64 = 86_400_000;

/// A signed-in member's organisation: `(cookie, user id, organisation id, slug)`.
async fn organisation_with_admin(
    app: &TestApp,
    db: &TestDb,
    email: &str,
    name: &str,
    pic: &str,
) -> (String, i64, i64, String) {
    let cookie = registered_and_signed_in(app, db, email).await;
    let user = user_id(app, email).await;
    let body = form(&[
        ("form[name]", name),
        ("form[org_type]", "school"),
        ("form[address]", "Skolevej 1"),
        ("form[city]", "Aarhus"),
        ("form[postcode]", "8000"),
        ("form[country]", "DK"),
        ("form[pic]", pic),
    ]);
    let res = call(app, "organisations/create", &body, Some(&cookie), true).await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    let slug = location(&res)
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let org: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    (cookie, user, org, slug)
}

/// A date `days` from the platform's today.
fn in_days(app: &TestApp, days: i64) -> String {
    app::platform::clock::date_of_ms(app.platform.clock.now_ms() + days * DAY_MS)
}

fn course(app: &TestApp, title: &str) -> ListingForm {
    ListingForm {
        kind: "course".into(),
        title: title.into(),
        summary: "Maths outside".into(),
        description: "Bring boots.".into(),
        language: "en".into(),
        country: "DK".into(),
        place: "Aarhus".into(),
        mode: "onsite".into(),
        starts_on: in_days(app, 30),
        ends_on: in_days(app, 34),
        fee: "450 EUR".into(),
        target_audience: "Primary teachers".into(),
        subjects: vec!["mathematics".into(), "science".into(), "mathematics".into()],
        ..Default::default()
    }
}

// S7: the core writes a listing and its subjects together, edits, publishes (setting
// published_at once), and refuses invalid input without writing anything.
async fn s7_core_create_update_status(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, user, org, _) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let d = &app.platform.db;
    let now = app.platform.clock.now_ms();
    let row = listings::create(d, org, Some(user), &course(&app, "Outdoor maths"), false, now)
        .await
        .unwrap();
    assert_eq!(row.slug, "outdoor-maths");
    assert_eq!(row.status, "draft");
    assert_eq!(row.published_at, None);
    assert_eq!(row.created_by, Some(user));
    assert_eq!(row.form.subjects, vec!["mathematics", "science"]);
    assert_eq!(row.form.fee, "450 EUR");

    // A listing titled like a catalogue page gets another address.
    let row2 = listings::create(d, org, None, &course(&app, "Courses"), true, now)
        .await
        .unwrap();
    assert_eq!(row2.slug, "courses-2");
    assert_eq!(row2.published_at, Some(now));

    let mut edit = course(&app, "Outdoor maths, again");
    edit.kind = "partnership".into(); // ignored: the kind stays
    edit.subjects = vec!["history".into()];
    edit.external_id = "ext-1".into();
    let updated = listings::update(d, row.id, &edit, now + 5).await.unwrap();
    assert_eq!(updated.kind, "course");
    assert_eq!(updated.slug, "outdoor-maths");
    assert_eq!(updated.form.title, "Outdoor maths, again");
    assert_eq!(updated.form.subjects, vec!["history"]);
    assert_eq!(updated.updated_at, now + 5);
    assert_eq!(
        listings::by_external_id(d, org, "ext-1")
            .await
            .unwrap()
            .map(|r| r.id),
        Some(row.id)
    );
    let mut clash = course(&app, "Other");
    clash.external_id = "ext-1".into();
    assert!(matches!(
        listings::create(d, org, None, &clash, false, now).await,
        Err(listings::ListingError::ExternalIdTaken)
    ));

    listings::set_status(d, row.id, "published", now + 10)
        .await
        .unwrap();
    listings::set_status(d, row.id, "draft", now + 20).await.unwrap();
    listings::set_status(d, row.id, "published", now + 30)
        .await
        .unwrap();
    let again = listings::by_slug(d, "outdoor-maths").await.unwrap().unwrap();
    assert_eq!(again.status, "published");
    assert_eq!(
        again.published_at,
        Some(now + 10),
        "published_at is the first publication"
    );
    listings::set_status(d, row.id, "withdrawn", now + 40)
        .await
        .unwrap();
    assert!(matches!(
        listings::set_status(d, row.id, "gone", now).await,
        Err(listings::ListingError::Invalid(_))
    ));
    assert!(matches!(
        listings::set_status(d, 999_999, "draft", now).await,
        Err(listings::ListingError::NotFound)
    ));

    // Invalid input: nothing is written, not even subjects.
    let pool = app.platform.db.pool.clone();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    let before = (
        count("SELECT COUNT(*) FROM catalogue_listings").await,
        count("SELECT COUNT(*) FROM catalogue_listing_subjects").await,
    );
    let mut bad = course(&app, "Bad");
    bad.ends_on = in_days(&app, 1);
    bad.country = "XX".into();
    let Err(listings::ListingError::Invalid(errors)) = listings::create(d, org, None, &bad, true, now).await
    else {
        panic!("invalid listing accepted");
    };
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["country", "ends_on"]);
    assert!(listings::update(d, row.id, &bad, now).await.is_err());
    let after = (
        count("SELECT COUNT(*) FROM catalogue_listings").await,
        count("SELECT COUNT(*) FROM catalogue_listing_subjects").await,
    );
    assert_eq!(before, after);
    assert_eq!(
        listings::by_id(d, row.id).await.unwrap().unwrap().form.title,
        "Outdoor maths, again"
    );
}
on_both_databases!(s7_core, s7_core_create_update_status);

/// The form fields of a listing of `kind`, as the new-listing page posts them.
fn listing_form(app: &TestApp, org: &str, kind: &str, title: &str) -> Vec<(String, String)> {
    let mut v: Vec<(&str, String)> = vec![
        ("org", org.into()),
        ("form[kind]", kind.into()),
        ("form[title]", title.into()),
        ("form[summary]", "A short summary".into()),
        (
            "form[description]",
            "Some **bold** text.\n\n<script>alert('x')</script><img src=x onerror=alert(1)>".into(),
        ),
        ("form[language]", "da".into()),
        ("form[country]", "DK".into()),
        ("form[mode]", "onsite".into()),
        ("form[place]", "Aarhus".into()),
        ("form[subjects][]", "mathematics".into()),
        ("form[subjects][]", "science".into()),
    ];
    match kind {
        "course" => {
            v.push(("form[starts_on]", in_days(app, 10)));
            v.push(("form[ends_on]", in_days(app, 12)));
            v.push(("form[fee]", "300 EUR".into()));
            v.push(("form[target_audience]", "Primary teachers".into()));
        }
        "mobility" => {
            v.push(("form[starts_on]", in_days(app, 10)));
            v.push(("form[mobility_type]", "job_shadowing".into()));
            v.push(("form[host]", "Vestby Skole".into()));
            v.push(("form[places]", "3".into()));
        }
        _ => {
            v.push(("form[project_idea]", "Climate and the sea".into()));
            v.push(("form[partners_sought]", "Two schools".into()));
            v.push(("form[deadline_on]", in_days(app, 20)));
        }
    }
    v.into_iter().map(|(k, val)| (k.to_string(), val)).collect()
}

fn encoded(fields: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form(&pairs)
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
    fields
}

async fn add_member(app: &TestApp, org: i64, user: i64, role: &str) {
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, $3, 0)",
    )
    .bind(org)
    .bind(user)
    .bind(role)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
}

/// The page's HTML without what differs between any two responses (the CSP nonce, also
/// used as `crossorigin`) and with `from` written as `to`, to compare a refused page with
/// a missing one.
fn normalised(html: &str, from: &str, to: &str) -> String {
    let mut html = if from.is_empty() {
        html.to_string()
    } else {
        html.replace(from, to)
    };
    for attr in ["nonce=\"", "crossorigin=\""] {
        let mut out = String::new();
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            out.push_str(&rest[..i + attr.len()]);
            rest = &rest[i + attr.len()..];
            rest = &rest[rest.find('"').unwrap()..];
        }
        out.push_str(rest);
        html = out;
    }
    html
}

/// A page for the refused listing answers exactly like the one for a missing listing.
async fn looks_missing(app: &TestApp, path: &str, slug: &str, cookie: Option<&str>) {
    let refused = page(app, path, cookie).await;
    let missing = page(app, &path.replace(slug, "no-such-listing"), cookie).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let (a, b) = (
        normalised(&body_text(refused).await, slug, "no-such-listing"),
        normalised(&body_text(missing).await, "", ""),
    );
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    assert!(
        a == b,
        "{path} differs from a missing listing at: {}",
        &a[at.saturating_sub(80)..(at + 80).min(a.len())]
    );
}

async fn listing_status(app: &TestApp, slug: &str) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, published_at FROM catalogue_listings WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

// S16, S7: a member publishes for the organisation through the form, edits, takes it back
// to draft, publishes again and withdraws; an ordinary member edits only their own
// listings, the organisation's admins all of them.
async fn s16_member_publishes_edits_and_withdraws(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _, org, org_slug) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let ole = registered_and_signed_in(&app, db, "ole@skole.example").await;
    let ole_id = user_id(&app, "ole@skole.example").await;
    add_member(&app, org, ole_id, "member").await;
    let eva = registered_and_signed_in(&app, db, "eva@skole.example").await;
    let eva_id = user_id(&app, "eva@skole.example").await;
    add_member(&app, org, eva_id, "member").await;

    // The form follows the kind, and without one offers the three.
    let choose = body_text(
        page(
            &app,
            &format!("/organisations/{org_slug}/listings/new"),
            Some(&ole),
        )
        .await,
    )
    .await;
    for k in ["kind=course", "kind=mobility", "kind=partnership"] {
        assert!(choose.contains(k), "{k}");
    }
    let mobility_form = body_text(
        page(
            &app,
            &format!("/organisations/{org_slug}/listings/new?kind=mobility"),
            Some(&ole),
        )
        .await,
    )
    .await;
    assert!(mobility_form.contains("form[host]") && mobility_form.contains("form[places]"));
    assert!(!mobility_form.contains("form[fee]") && !mobility_form.contains("form[deadline_on]"));
    let course_form = body_text(
        page(
            &app,
            &format!("/organisations/{org_slug}/listings/new?kind=course"),
            Some(&ole),
        )
        .await,
    )
    .await;
    assert!(course_form.contains("form[fee]") && !course_form.contains("form[host]"));

    // Ole publishes a course straight away (no JavaScript: a redirect).
    let fields = listing_form(&app, &org_slug, "course", "Outdoor maths");
    let res = call(
        &app,
        "catalogue/create",
        &encoded(&with(fields, "publish", "1")),
        Some(&ole),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    assert_eq!(location(&res), "/catalogue/outdoor-maths?status=published");
    let (status, published_at) = listing_status(&app, "outdoor-maths").await;
    assert_eq!(status, "published");
    assert!(published_at.is_some());
    let public = body_text(page(&app, "/catalogue/outdoor-maths", None).await).await;
    assert!(public.contains("Outdoor maths") && public.contains("300 EUR"));
    assert!(public.contains(&format!("href=\"/organisations/{org_slug}\"")));
    assert!(
        !public.contains("/catalogue/outdoor-maths/edit"),
        "no edit link for visitors"
    );
    let created_by: Option<i64> =
        sqlx::query_scalar("SELECT created_by FROM catalogue_listings WHERE slug = 'outdoor-maths'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(created_by, Some(ole_id));

    // A partnership offer saved as a draft (with JavaScript: the next path as JSON).
    let fields = listing_form(&app, &org_slug, "partnership", "Climate partners");
    let res = call(
        &app,
        "catalogue/create",
        &encoded(&with(fields, "publish", "0")),
        Some(&ole),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        body_text(res)
            .await
            .contains("/catalogue/climate-partners?status=saved")
    );
    assert_eq!(
        listing_status(&app, "climate-partners").await,
        ("draft".into(), None)
    );

    // Editing: the author and the organisation's admin may; a colleague may not (and
    // sees a missing listing); the kind stays.
    let edit = body_text(page(&app, "/catalogue/outdoor-maths/edit", Some(&ole)).await).await;
    assert!(edit.contains("Outdoor maths") && edit.contains("300 EUR"));
    looks_missing(&app, "/catalogue/outdoor-maths/edit", "outdoor-maths", Some(&eva)).await;
    let update = |title: &str| {
        let mut f = listing_form(&app, &org_slug, "course", title);
        f.retain(|(k, _)| k != "org");
        f.push(("slug".into(), "outdoor-maths".into()));
        encoded(&f)
    };
    let res = call(
        &app,
        "catalogue/update",
        &update("Colleague's title"),
        Some(&eva),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(
        &app,
        "catalogue/update",
        &update("Outdoor maths 2"),
        Some(&ole),
        true,
    )
    .await;
    assert_eq!(location(&res), "/catalogue/outdoor-maths/edit?status=saved");
    let res = call(
        &app,
        "catalogue/update",
        &update("Outdoor maths 3"),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(location(&res), "/catalogue/outdoor-maths/edit?status=saved");
    let title: String =
        sqlx::query_scalar("SELECT title FROM catalogue_listings WHERE slug = 'outdoor-maths'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(title, "Outdoor maths 3");

    // Back to draft: gone for the public, still there for the organisation.
    let status = |s: &str| form(&[("slug", "outdoor-maths"), ("status", s)]);
    let res = call(&app, "catalogue/status", &status("published"), Some(&eva), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(&app, "catalogue/status", &status("draft"), Some(&ole), true).await;
    assert_eq!(location(&res), "/catalogue/outdoor-maths/edit?status=draft");
    assert_eq!(listing_status(&app, "outdoor-maths").await.0, "draft");
    looks_missing(&app, "/catalogue/outdoor-maths", "outdoor-maths", None).await;
    let seen = page(&app, "/catalogue/outdoor-maths", Some(&eva)).await;
    assert_eq!(
        seen.status(),
        StatusCode::OK,
        "members see their organisation's drafts"
    );
    // Published again: published_at stays the first publication's.
    call(&app, "catalogue/status", &status("published"), Some(&karen), true).await;
    assert_eq!(
        listing_status(&app, "outdoor-maths").await,
        ("published".into(), published_at)
    );
    let res = call(&app, "catalogue/status", &status("withdrawn"), Some(&ole), true).await;
    assert_eq!(location(&res), "/catalogue/outdoor-maths/edit?status=withdrawn");
    looks_missing(&app, "/catalogue/outdoor-maths", "outdoor-maths", None).await;
    let res = call(&app, "catalogue/status", &status("deleted"), Some(&ole), false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The organisation page lists published listings by kind; members also see the
    // others and the way to publish.
    let fields = listing_form(&app, &org_slug, "mobility", "Shadow a teacher");
    call(
        &app,
        "catalogue/create",
        &encoded(&with(fields, "publish", "1")),
        Some(&karen),
        true,
    )
    .await;
    let org_public = body_text(page(&app, &format!("/organisations/{org_slug}"), None).await).await;
    assert!(org_public.contains("Shadow a teacher") && org_public.contains("Mobility opportunities"));
    assert!(!org_public.contains("Climate partners") && !org_public.contains("Outdoor maths"));
    assert!(!org_public.contains("/listings/new"));
    let org_member = body_text(page(&app, &format!("/organisations/{org_slug}"), Some(&eva)).await).await;
    assert!(org_member.contains("Climate partners") && org_member.contains("Outdoor maths 3"));
    assert!(org_member.contains(&format!("/organisations/{org_slug}/listings/new")));
}
on_both_databases!(publishing, s16_member_publishes_edits_and_withdraws);

// S7: outsiders cannot publish for an organisation or see its unpublished listings; the
// refusal is indistinguishable from a missing organisation or listing.
async fn s7_outsiders_are_refused_like_missing(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _, org, org_slug) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let johan = registered_and_signed_in(&app, db, "johan@skola.example").await;
    let now = app.platform.clock.now_ms();
    let draft = listings::create(
        &app.platform.db,
        org,
        None,
        &course(&app, "Secret draft"),
        false,
        now,
    )
    .await
    .unwrap();

    // Publishing for someone else's organisation: as for an organisation that is not there.
    let fields = listing_form(&app, &org_slug, "course", "Intruder");
    let refused = call(
        &app,
        "catalogue/create",
        &encoded(&with(fields.clone(), "publish", "1")),
        Some(&johan),
        false,
    )
    .await;
    let missing_fields = with(fields.clone(), "org", "no-such-org");
    let missing = call(
        &app,
        "catalogue/create",
        &encoded(&with(missing_fields, "publish", "1")),
        Some(&johan),
        false,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_text(refused).await, body_text(missing).await);
    let anonymous = call(
        &app,
        "catalogue/create",
        &encoded(&with(fields, "publish", "1")),
        None,
        false,
    )
    .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let res = page(
        &app,
        &format!("/organisations/{org_slug}/listings/new?kind=course"),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).starts_with("/sign-in?next="));
    let refused = page(
        &app,
        &format!("/organisations/{org_slug}/listings/new?kind=course"),
        Some(&johan),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalogue_listings")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);

    // A draft: its page, its edit page and the server functions answer like a missing one.
    for who in [None, Some(johan.as_str())] {
        looks_missing(&app, &format!("/catalogue/{}", draft.slug), &draft.slug, who).await;
    }
    looks_missing(
        &app,
        &format!("/catalogue/{}/edit", draft.slug),
        &draft.slug,
        Some(&johan),
    )
    .await;
    for (endpoint, body) in [
        ("catalogue/listing", form(&[("slug", &draft.slug)])),
        ("catalogue/for-edit", form(&[("slug", &draft.slug)])),
        (
            "catalogue/status",
            form(&[("slug", &draft.slug), ("status", "published")]),
        ),
    ] {
        let refused = call(&app, endpoint, &body, Some(&johan), false).await;
        let missing = call(
            &app,
            endpoint,
            &body.replace(&draft.slug, "no-such-listing"),
            Some(&johan),
            false,
        )
        .await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{endpoint}");
        assert_eq!(body_text(refused).await, body_text(missing).await, "{endpoint}");
    }
    assert_eq!(listing_status(&app, &draft.slug).await.0, "draft");
    // The organisation's admin sees it.
    assert_eq!(
        page(&app, &format!("/catalogue/{}", draft.slug), Some(&karen))
            .await
            .status(),
        StatusCode::OK
    );
}
on_both_databases!(outsiders, s7_outsiders_are_refused_like_missing);

async fn count_rows(app: &TestApp) -> (i64, i64) {
    let pool = &app.platform.db.pool;
    (
        sqlx::query_scalar("SELECT COUNT(*) FROM catalogue_listings")
            .fetch_one(pool)
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT COUNT(*) FROM catalogue_listing_subjects")
            .fetch_one(pool)
            .await
            .unwrap(),
    )
}

// S7: invalid listings are refused field by field, and nothing is written.
async fn s7_validation_errors_write_nothing(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _, _, org_slug) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let before = count_rows(&app).await;
    let course = listing_form(&app, &org_slug, "course", "Course");
    // (the form, the field in error, the message key)
    type Case<'a> = (Vec<(String, String)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            with(course.clone(), "form[ends_on]", &in_days(&app, 5)),
            "ends_on",
            "catalogue.error.ends_before_start",
        ),
        (
            with(course.clone(), "form[starts_on]", "2030-02-30"),
            "starts_on",
            "catalogue.error.date",
        ),
        (
            with(course.clone(), "form[country]", "XX"),
            "country",
            "field.invalid_choice",
        ),
        (
            with(course.clone(), "form[subjects][]", "alchemy"),
            "subjects",
            "field.invalid_choice",
        ),
        (
            with(course.clone(), "form[title]", " "),
            "title",
            "field.required",
        ),
        (
            with(course.clone(), "form[starts_on]", ""),
            "starts_on",
            "field.required",
        ),
        (
            with(course.clone(), "form[expires_on]", &in_days(&app, -1)),
            "expires_on",
            "catalogue.error.past",
        ),
        (
            with(
                listing_form(&app, &org_slug, "mobility", "M"),
                "form[places]",
                "three",
            ),
            "places",
            "catalogue.error.places",
        ),
        (
            with(listing_form(&app, &org_slug, "mobility", "M"), "form[host]", ""),
            "host",
            "field.required",
        ),
        (
            with(
                listing_form(&app, &org_slug, "partnership", "P"),
                "form[partners_sought]",
                "",
            ),
            "partners_sought",
            "field.required",
        ),
        (
            with(
                listing_form(&app, &org_slug, "partnership", "P"),
                "form[deadline_on]",
                "",
            ),
            "deadline_on",
            "field.required",
        ),
    ];
    for (fields, field, key) in cases {
        let res = call(
            &app,
            "catalogue/create",
            &encoded(&with(fields, "publish", "1")),
            Some(&karen),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let body = body_text(res).await;
        assert!(
            body.contains(&format!("\"field\":\"{field}\",\"message\":\"{key}\"")),
            "{field}: {body}"
        );
    }
    // Without JavaScript the form comes back with the error.
    let res = call(
        &app,
        "catalogue/create",
        &encoded(&with(with(course, "form[country]", "XX"), "publish", "1")),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).contains("__err"), "{}", location(&res));
    assert_eq!(count_rows(&app).await, before);
}
on_both_databases!(validation, s7_validation_errors_write_nothing);

/// A second organisation, with its own admin.
async fn second_organisation(app: &TestApp, db: &TestDb) -> (i64, String, i64) {
    let (_, user, org, slug) =
        organisation_with_admin(app, db, "lena@gymnasium.example", "Vestby Gymnasium", "987654321").await;
    (org, slug, user)
}

fn titles(page: &app::catalogue::model::CataloguePage) -> Vec<&str> {
    page.cards.iter().map(|c| c.title.as_str()).collect()
}

// S7: the public catalogue shows one kind's published, unexpired listings; each filter
// narrows the results, the sorts order them, the pages have 20 cards and the total.
async fn s7_catalogue_filters_sorts_and_pages(db: &TestDb) {
    use app::catalogue::model::CatalogueQuery;
    let app = TestApp::new(db).await;
    let (_, karen_id, org_a, slug_a) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let (org_b, slug_b, lena_id) = second_organisation(&app, db).await;
    let d = &app.platform.db;
    let t0 = app.platform.clock.now_ms();
    let mk =
        |title: &str, country: &str, language: &str, mode: &str, subject: &str, starts: i64| ListingForm {
            country: country.into(),
            language: language.into(),
            mode: mode.into(),
            subjects: vec![subject.into()],
            starts_on: in_days(&app, starts),
            ends_on: in_days(&app, starts + 1),
            ..course(&app, title)
        };
    let specs = [
        ("Alpha", "DK", "en", "onsite", "mathematics", 10, org_a),
        ("Beta", "SE", "sv", "online", "science", 20, org_b),
        ("Gamma", "DK", "da", "blended", "history", 30, org_a),
        ("delta", "BE", "en", "onsite", "mathematics", 40, org_b),
    ];
    let mut ids = Vec::new();
    for (i, (title, country, language, mode, subject, starts, org)) in specs.iter().enumerate() {
        let row = listings::create(
            d,
            *org,
            None,
            &mk(title, country, language, mode, subject, *starts),
            true,
            t0 + i as i64,
        )
        .await
        .unwrap();
        ids.push(row.id);
    }
    // Not in the course catalogue: a draft, a withdrawn course, a mobility opportunity.
    listings::create(
        d,
        org_a,
        None,
        &mk("Draft", "DK", "en", "onsite", "mathematics", 5),
        false,
        t0,
    )
    .await
    .unwrap();
    let w = listings::create(
        d,
        org_a,
        None,
        &mk("Withdrawn", "DK", "en", "onsite", "mathematics", 5),
        true,
        t0,
    )
    .await
    .unwrap();
    listings::set_status(d, w.id, "withdrawn", t0).await.unwrap();
    let mobility = ListingForm {
        kind: "mobility".into(),
        mobility_type: "job_shadowing".into(),
        host: "Host".into(),
        ..mk("Mobility", "DK", "en", "onsite", "mathematics", 5)
    };
    listings::create(d, org_a, None, &mobility, true, t0)
        .await
        .unwrap();

    let today = app.platform.clock.today();
    let q = |f: &dyn Fn(&mut CatalogueQuery)| {
        let mut q = CatalogueQuery {
            kind: "course".into(),
            sort: "title".into(),
            ..Default::default()
        };
        f(&mut q);
        q
    };
    let run = |q: CatalogueQuery| {
        let today = today.clone();
        async move { listings::catalogue(d, &q, &today).await.unwrap() }
    };
    let all = run(q(&|_| {})).await;
    assert_eq!(titles(&all), ["Alpha", "Beta", "delta", "Gamma"]);
    assert_eq!(all.total, 4);
    let cases: Vec<(CatalogueQuery, Vec<&str>)> = vec![
        (q(&|q| q.country = "DK".into()), vec!["Alpha", "Gamma"]),
        (q(&|q| q.language = "en".into()), vec!["Alpha", "delta"]),
        (q(&|q| q.subject = "mathematics".into()), vec!["Alpha", "delta"]),
        (q(&|q| q.mode = "online".into()), vec!["Beta"]),
        (q(&|q| q.from = in_days(&app, 15)), vec!["Beta", "delta", "Gamma"]),
        (q(&|q| q.until = in_days(&app, 25)), vec!["Alpha", "Beta"]),
        (q(&|q| q.org = slug_b.clone()), vec!["Beta", "delta"]),
        (q(&|q| q.org = "GYMN".into()), vec!["Beta", "delta"]),
        (q(&|q| q.org = "%".into()), vec![]),
        (
            q(&|q| {
                q.country = "DK".into();
                q.subject = "mathematics".into();
            }),
            vec!["Alpha"],
        ),
        (q(&|q| q.country = "DK' OR '1'='1".into()), vec![]),
    ];
    for (query, expected) in cases {
        let page = run(query.clone()).await;
        assert_eq!(titles(&page), expected, "{query:?}");
        assert_eq!(page.total, expected.len() as i64, "{query:?}");
    }
    let _ = slug_a;

    // Sorting: newest first, starting soonest, and best rated (from the reviews, in SQL).
    let sorted = |sort: &str| q(&|q| q.sort = sort.into());
    assert_eq!(
        titles(&run(sorted("newest")).await),
        ["delta", "Gamma", "Beta", "Alpha"]
    );
    assert_eq!(
        titles(&run(sorted("")).await),
        ["delta", "Gamma", "Beta", "Alpha"]
    );
    assert_eq!(
        titles(&run(sorted("starts")).await),
        ["Alpha", "Beta", "Gamma", "delta"]
    );
    for (listing, user, stars) in [(ids[2], karen_id, 5), (ids[2], lena_id, 4), (ids[1], karen_id, 3)] {
        sqlx::query(
            "INSERT INTO listing_reviews (listing_id, user_id, stars, created_at, updated_at) VALUES ($1, $2, $3, 0, 0)",
        )
        .bind(listing)
        .bind(user)
        .bind(stars)
        .execute(&d.pool)
        .await
        .unwrap();
    }
    let rated = run(sorted("rating")).await;
    assert_eq!(titles(&rated), ["Gamma", "Beta", "delta", "Alpha"]);
    assert_eq!(rated.cards[0].rating_avg, Some(4.5));
    assert_eq!(rated.cards[0].rating_count, 2);
    assert_eq!(rated.cards[2].rating_avg, None);
    assert_eq!(rated.cards[0].organisation_name, "Nørre Skole");

    // Pages of 20 with the total, in the query and on the page (links keep the filters).
    for i in 0..45 {
        listings::create(
            d,
            org_b,
            None,
            &mk(&format!("Paged {i:02}"), "SE", "sv", "online", "music", 50),
            true,
            t0 + 100 + i,
        )
        .await
        .unwrap();
    }
    let paged = |page: i64| {
        q(&|q| {
            q.country = "SE".into();
            q.subject = "music".into();
            q.page = page;
        })
    };
    let p1 = run(paged(1)).await;
    assert_eq!((p1.cards.len(), p1.total), (20, 45));
    assert_eq!(p1.cards[0].title, "Paged 00");
    let p3 = run(paged(3)).await;
    assert_eq!((p3.cards.len(), p3.total), (5, 45));
    assert_eq!(p3.cards[4].title, "Paged 44");
    assert!(run(paged(4)).await.cards.is_empty());

    let html = body_text(
        page(
            &app,
            "/catalogue/courses?country=SE&subject=music&sort=title&page=2",
            None,
        )
        .await,
    )
    .await;
    assert!(html.contains("45 listings found."));
    assert!(
        html.contains("Paged 20")
            && html.contains("Paged 39")
            && !html.contains("Paged 19")
            && !html.contains("Paged 40")
    );
    let amp = |s: &str| s.replace('&', "&amp;");
    for link in [
        "/catalogue/courses?country=SE&subject=music&sort=title",
        "/catalogue/courses?country=SE&subject=music&sort=title&page=3",
    ] {
        assert!(html.contains(&format!("href=\"{}\"", amp(link))), "{link}");
    }
    // The filter form keeps the chosen values, and works as a plain GET form.
    assert!(html.contains("<form method=\"get\" action=\"/catalogue/courses\""));
    assert!(html.contains("<option value=\"SE\" selected"));
    let html = body_text(page(&app, "/catalogue/courses?country=DK&language=en", None).await).await;
    assert!(html.contains("1 listing found.") && html.contains("Alpha"));
    assert!(
        !html.contains("Gamma")
            && !html.contains("Beta")
            && !html.contains(">Draft<")
            && !html.contains("Mobility")
    );
    let html = body_text(page(&app, "/catalogue/mobility", None).await).await;
    assert!(html.contains("1 listing found.") && html.contains("Mobility"));
    let overview = body_text(page(&app, "/catalogue", None).await).await;
    for link in [
        "/catalogue/courses",
        "/catalogue/mobility",
        "/catalogue/partnerships",
    ] {
        assert!(overview.contains(&format!("href=\"{link}\"")), "{link}");
    }
}
on_both_databases!(catalogue_pages, s7_catalogue_filters_sorts_and_pages);

// S7: a listing leaves the catalogue (and the sitemap) once the clock passes its expiry
// date, or a partnership offer's deadline; its page stays and says it has expired.
async fn s7_expired_listings_leave_the_catalogue(db: &TestDb) {
    use app::catalogue::model::CatalogueQuery;
    let app = TestApp::new(db).await;
    let (_, _, org, org_slug) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let d = &app.platform.db;
    let now = app.platform.clock.now_ms();
    let short = ListingForm {
        expires_on: in_days(&app, 5),
        ..course(&app, "Short offer")
    };
    listings::create(d, org, None, &short, true, now).await.unwrap();
    listings::create(d, org, None, &course(&app, "Lasting offer"), true, now)
        .await
        .unwrap();
    let partnership = ListingForm {
        kind: "partnership".into(),
        project_idea: "Idea".into(),
        partners_sought: "Schools".into(),
        deadline_on: in_days(&app, 3),
        ..course(&app, "Partners wanted")
    };
    listings::create(d, org, None, &partnership, true, now)
        .await
        .unwrap();
    let shown = |kind: &'static str| {
        let app = &app;
        async move {
            let q = CatalogueQuery {
                kind: kind.into(),
                ..Default::default()
            };
            let page = listings::catalogue(&app.platform.db, &q, &app.platform.clock.today())
                .await
                .unwrap();
            page.cards.into_iter().map(|c| c.title).collect::<Vec<_>>()
        }
    };
    assert_eq!(shown("course").await, ["Lasting offer", "Short offer"]);
    assert_eq!(shown("partnership").await, ["Partners wanted"]);
    let sitemap = body_text(app.get("/sitemap.xml").await).await;
    assert!(sitemap.contains("/catalogue/short-offer<") && sitemap.contains("/catalogue/partners-wanted<"));
    assert!(sitemap.contains("/catalogue/courses<"));

    // The last day still counts; the day after, they are gone.
    app.platform
        .clock
        .advance(std::time::Duration::from_secs(5 * 86_400));
    assert_eq!(shown("course").await, ["Lasting offer", "Short offer"]);
    assert!(shown("partnership").await.is_empty(), "the deadline has passed");
    app.platform.clock.advance(std::time::Duration::from_secs(86_400));
    assert_eq!(shown("course").await, ["Lasting offer"]);
    let html = body_text(page(&app, "/catalogue/courses", None).await).await;
    assert!(html.contains("Lasting offer") && !html.contains("Short offer"));
    let sitemap = body_text(app.get("/sitemap.xml").await).await;
    assert!(!sitemap.contains("/catalogue/short-offer<") && sitemap.contains("/catalogue/lasting-offer<"));
    let res = page(&app, "/catalogue/short-offer", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("This listing has expired"));
    // The organisation shows it to its members only, marked.
    let org_page = body_text(page(&app, &format!("/organisations/{org_slug}"), None).await).await;
    assert!(org_page.contains("Lasting offer") && !org_page.contains("Short offer"));
}
on_both_databases!(expiry, s7_expired_listings_leave_the_catalogue);

// S18: a listing's page is for search engines too: schema.org Course data that user text
// cannot break out of, the canonical address, and Markdown without scripts.
async fn s18_listing_page_json_ld_canonical_and_safe_markdown(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, _, org, _) =
        organisation_with_admin(&app, db, "karen@skole.example", "Nørre Skole", "123456789").await;
    let d = &app.platform.db;
    let form = ListingForm {
        summary: "Ends the script? </script><script>alert(1)</script>".into(),
        description: "Some **bold** words.\n\n<script>alert('x')</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
            .into(),
        ..course(&app, "Safe & sound")
    };
    listings::create(d, org, None, &form, true, app.platform.clock.now_ms())
        .await
        .unwrap();
    let res = page(&app, "/catalogue/safe-sound", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    let canonical = format!(
        "<link href=\"{}/catalogue/safe-sound\" rel=\"canonical\">",
        app.platform.public_url.trim_end_matches('/')
    );
    let head = &html[..html.find("</head>").unwrap()];
    assert!(head.contains(&canonical), "{canonical}");
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD");
    let rest = &html[start + "<script type=\"application/ld+json\">".len()..];
    let json = &rest[..rest.find("</script>").unwrap()];
    assert!(!json.contains('<') && !json.contains('>'), "{json}");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["@type"], "Course");
    assert_eq!(v["name"], "Safe & sound");
    assert_eq!(
        v["description"],
        "Ends the script? </script><script>alert(1)</script>"
    );
    assert_eq!(v["provider"]["name"], "Nørre Skole");
    assert!(html.contains("<strong>bold</strong>"));
    for bad in ["alert('x')", "javascript:", "onerror", "alert(1)</script>"] {
        assert!(!html.contains(bad), "{bad} in the page");
    }
    // Only course listings are schema.org Courses.
    let mobility = ListingForm {
        kind: "mobility".into(),
        mobility_type: "teaching_assignment".into(),
        host: "Host".into(),
        ..course(&app, "Teach abroad")
    };
    listings::create(d, org, None, &mobility, true, app.platform.clock.now_ms())
        .await
        .unwrap();
    let html = body_text(page(&app, "/catalogue/teach-abroad", None).await).await;
    assert!(!html.contains("application/ld+json") && html.contains("rel=\"canonical\""));
    assert!(html.contains("Teaching assignment"));
}
on_both_databases!(listing_page, s18_listing_page_json_ld_canonical_and_safe_markdown);
