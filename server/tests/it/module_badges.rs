//! Module badges (issue 7, S12), on both databases: a course's teachers switch a module's
//! badge on and name it; learners earn it with the progress that completes the module's
//! required items (never from optional items alone); it shows on their profile for those
//! who may see the profile (S17), and not when the profile is hidden (T7).

use crate::common::courses::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::http::StatusCode;
use sqlx::Row;

async fn badge(
    app: &TestApp,
    who: &Person,
    b: &Built,
    module: i64,
    on: bool,
    name: &str,
) -> (StatusCode, String) {
    let module = module.to_string();
    let mut fields = vec![
        ("slug", b.slug.as_str()),
        ("module", module.as_str()),
        ("badge_name", name),
    ];
    if on {
        fields.push(("badge", "on"));
    }
    let res = post(app, "courses/module-badge", &fields, Some(who)).await;
    let status = res.status();
    (status, body_text(res).await)
}

/// (run, badge name) of a learner's badges, oldest first.
async fn badges_of(app: &TestApp, who: &Person) -> Vec<(i64, String)> {
    sqlx::query("SELECT run_id, name FROM module_badges WHERE user_id = $1 ORDER BY id")
        .bind(who.id)
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// "Basics" (both lessons required), "Practice" (the second optional), "Extras" (both
/// optional), "Closing" (no badge).
async fn course(app: &TestApp, karen: &Person) -> Built {
    let org = organisation(app, "nord", karen).await;
    let b = build_course(
        app,
        karen,
        &org,
        "Geometri",
        &["Basics", "Practice", "Extras", "Closing"],
        2,
    )
    .await;
    set_required(app, karen, &b, b.items[1][1], false).await;
    set_required(app, karen, &b, b.items[2][0], false).await;
    set_required(app, karen, &b, b.items[2][1], false).await;
    for (module, name) in [(0, "Geometry starter"), (1, ""), (2, "Extra mile")] {
        let (status, body) = badge(app, karen, &b, b.modules[module], true, name).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    b
}

async fn earning(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lukasz = person(&app, db, "lukasz@learner.example", "Łukasz", "Dvořák").await;
    let b = course(&app, &karen).await;
    enrol(&app, &b, &lukasz).await;

    let (_, page) = status_of(&app, &format!("/learn/{}", b.run), Some(&lukasz)).await;
    assert!(page.contains("earns the badge “Geometry starter”"), "{page}");
    assert!(
        page.contains("earns the badge “Practice”"),
        "an unnamed badge is called like its module"
    );
    assert!(page.contains("class=\"badge-icon\""));
    assert!(!page.contains("“Closing”"), "Closing awards no badge");

    view(&app, &b, b.items[0][0], &lukasz).await;
    assert!(
        badges_of(&app, &lukasz).await.is_empty(),
        "half a module earns nothing"
    );
    view(&app, &b, b.items[0][1], &lukasz).await;
    assert_eq!(
        badges_of(&app, &lukasz).await,
        [(b.run, "Geometry starter".to_string())]
    );
    // Again: nothing more.
    view(&app, &b, b.items[0][1], &lukasz).await;
    assert_eq!(badges_of(&app, &lukasz).await.len(), 1);

    // Practice: its one required lesson is enough; the optional one is not needed.
    view(&app, &b, b.items[1][0], &lukasz).await;
    assert_eq!(badges_of(&app, &lukasz).await[1].1, "Practice");
    // Extras has only optional lessons: no badge, even with both done.
    view(&app, &b, b.items[2][0], &lukasz).await;
    view(&app, &b, b.items[2][1], &lukasz).await;
    // Closing awards none.
    view(&app, &b, b.items[3][0], &lukasz).await;
    view(&app, &b, b.items[3][1], &lukasz).await;
    let names: Vec<String> = badges_of(&app, &lukasz)
        .await
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names, ["Geometry starter", "Practice"]);
    assert!(
        certificate_code(&app, &b, &lukasz).await.is_some(),
        "the certificate too"
    );

    let (_, page) = status_of(&app, &format!("/learn/{}", b.run), Some(&lukasz)).await;
    assert!(page.contains("You earned the badge “Geometry starter”"), "{page}");
    assert!(page.contains("earns the badge “Extra mile”"));

    // Staff previewing the run leave no progress and earn nothing.
    view(&app, &b, b.items[0][0], &karen).await;
    view(&app, &b, b.items[0][1], &karen).await;
    assert!(badges_of(&app, &karen).await.is_empty());

    // Renaming the badge later does not change one already earned; switching it off does
    // not take it away.
    badge(&app, &karen, &b, b.modules[0], false, "Renamed").await;
    let names: Vec<String> = badges_of(&app, &lukasz)
        .await
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names, ["Geometry starter", "Practice"]);
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_badges_earned_with_the_required_items_of_a_module, earning);

async fn on_the_profile(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lukasz = person(&app, db, "lukasz@learner.example", "Łukasz", "Dvořák").await;
    let johan = person(&app, db, "johan@skola.example", "Johan", "Berg").await;
    let b = course(&app, &karen).await;
    enrol(&app, &b, &lukasz).await;
    for item in b.items[0].clone() {
        view(&app, &b, item, &lukasz).await;
    }
    let earned: i64 = sqlx::query_scalar("SELECT earned_at FROM module_badges WHERE user_id = $1")
        .bind(lukasz.id)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let day = app::courses::model::day_of(earned);
    let profile = format!("/people/{}", lukasz.id);

    // S17: another signed-in user sees the badge, its course and its date.
    let (status, page) = status_of(&app, &profile, Some(&johan)).await;
    assert_eq!(status, StatusCode::OK);
    for fact in [
        "Badges",
        "Geometry starter",
        "href=\"/courses/geometri\"",
        "Geometri",
        &format!("datetime=\"{day}\""),
    ] {
        assert!(page.contains(fact), "{fact} in {page}");
    }
    assert!(page.contains("class=\"badge-icon\""), "drawn inline");
    // A profile without badges has no badge section.
    let (_, johans) = status_of(&app, &format!("/people/{}", johan.id), Some(&lukasz)).await;
    assert!(!johans.contains("badges-heading"));

    // Anonymous visitors are sent to sign in and see nothing of it (S17).
    let (status, page) = status_of(&app, &profile, None).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(!page.contains("Geometry starter"));

    // A course taken back to draft does not exist for others; nor do its badges.
    ok(
        &app,
        "courses/status",
        &[("slug", "geometri"), ("status", "draft")],
        &karen,
    )
    .await;
    let (_, page) = status_of(&app, &profile, Some(&johan)).await;
    assert!(!page.contains("Geometry starter") && !page.contains("badges-heading"));
    ok(
        &app,
        "courses/status",
        &[("slug", "geometri"), ("status", "published")],
        &karen,
    )
    .await;

    // T7: a hidden profile is the 404 of a missing one, badges and all.
    let (_, missing) = status_of(&app, "/people/999999", Some(&johan)).await;
    sqlx::query("UPDATE users SET status = 'deactivated' WHERE id = $1")
        .bind(lukasz.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let (status, page) = status_of(&app, &profile, Some(&johan)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("Geometry starter") && !page.contains("Dvořák"));
    let strip = |s: &str| {
        s.split("<main")
            .nth(1)
            .unwrap_or("")
            .split("</main>")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(strip(&page), strip(&missing));
    let res = post(
        &app,
        "accounts/profile",
        &[("user", &lukasz.id.to_string())],
        Some(&johan),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!body_text(res).await.contains("Geometry starter"));
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s17_t7_badges_on_the_profile_only_while_it_is_visible,
    on_the_profile
);

async fn toggling(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lars = person(&app, db, "lars@nord.example", "Lars", "Moderator").await;
    let lukasz = person(&app, db, "lukasz@learner.example", "Łukasz", "Dvořák").await;
    let eve = person(&app, db, "eve@outsider.example", "Eve", "Outsider").await;
    let org = organisation(&app, "nord", &karen).await;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) \
         SELECT id, $1, 'member', 0 FROM organisations WHERE slug = 'nord'",
    )
    .bind(lars.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    let b = build_course(&app, &karen, &org, "Geometri", &["Basics"], 1).await;
    let other = build_course(&app, &karen, &org, "Algebra", &["Start"], 1).await;
    ok(
        &app,
        "courses/add-staff",
        &[
            ("slug", &b.slug),
            ("user", &lars.id.to_string()),
            ("kind", "moderator"),
        ],
        &karen,
    )
    .await;
    enrol(&app, &b, &lukasz).await;
    let module = b.modules[0];
    let state = || async {
        let r = sqlx::query("SELECT badge_enabled, badge_name FROM course_modules WHERE id = $1")
            .bind(module)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
        (r.get::<i64, _>(0), r.get::<String, _>(1))
    };

    // The missing course's answer, to compare refusals with.
    let ghost = Built {
        slug: "no-such-course".into(),
        course: 0,
        run: 0,
        modules: vec![],
        items: vec![],
    };
    let (missing_status, missing_body) = badge(&app, &eve, &ghost, module, true, "x").await;
    assert_eq!(missing_status, StatusCode::NOT_FOUND);
    // A moderator, a learner and an outsider: refused like a missing course; nothing changes.
    for who in [&lars, &lukasz, &eve] {
        let (status, body) = badge(&app, who, &b, module, true, "Mine").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", who.email);
        assert_eq!(body, missing_body);
    }
    let res = post(
        &app,
        "courses/module-badge",
        &[
            ("slug", &b.slug),
            ("module", &module.to_string()),
            ("badge", "on"),
            ("badge_name", "x"),
        ],
        None,
    )
    .await;
    assert_ne!(res.status(), StatusCode::OK, "anonymous");
    assert_eq!(state().await, (0, String::new()));
    // The edit page offers the form to its teacher only.
    let (status, _) = status_of(&app, &format!("/courses/{}/edit", b.slug), Some(&lars)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, editor) = status_of(&app, &format!("/courses/{}/edit", b.slug), Some(&karen)).await;
    assert!(editor.contains(&format!("id=\"f-badge-{module}\"")), "{editor}");

    // The teacher switches it on and names it; a module of another course is not found.
    let (status, _) = badge(&app, &karen, &b, module, true, "  Geometry starter  ").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state().await, (1, "Geometry starter".to_string()));
    let (status, _) = badge(&app, &karen, &b, other.modules[0], true, "Sneaky").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = badge(&app, &karen, &b, module, true, &"x".repeat(101)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(state().await, (1, "Geometry starter".to_string()));
    // Platform admins may too; and off again.
    let admin = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', 0)",
    )
    .bind(admin.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    let (status, _) = badge(&app, &admin, &b, module, false, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state().await, (0, String::new()));
    // Switched off, the module awards nothing.
    view(&app, &b, b.items[0][0], &lukasz).await;
    assert!(badges_of(&app, &lukasz).await.is_empty());
    app.platform.db.pool.close().await;
}
on_both_databases!(badges_are_switched_by_the_courses_teachers_only, toggling);
