//! The catalogue (S7, S16, S18) on both databases: listings of the three kinds, their
//! life (draft, published, withdrawn, expired), who may see and change them, the public
//! catalogue's filters, sorting and pages, and the listing page.
mod common;

use app::catalogue::db as listings;
use app::catalogue::model::ListingForm;
use axum::http::StatusCode;
use common::browser::*;
use common::{TestApp, TestDb, body_text};

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

fn today(app: &TestApp) -> String {
    app.platform.clock.today()
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
    let _ = today(&app);
}
on_both_databases!(s7_core, s7_core_create_update_status);
