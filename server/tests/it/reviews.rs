//! Reviews with star ratings, review reports and public comments on catalogue listings
//! (S7, S16, S18), over HTTP and on both databases. Listings are plain rows here (the
//! catalogue pages are another area's); organisations are made through their form.

use crate::common::browser::*;
use crate::common::{TestApp, TestDb, body_text};
use app::reviews::db::{listing_rating, organisation_rating};
use axum::{
    body::Body,
    http::{Response, StatusCode},
};
use std::time::Duration;

/// A registered, signed-in user with the given name; returns the cookie and the id.
async fn person(app: &TestApp, db: &TestDb, email: &str, first: &str, last: &str) -> (String, i64) {
    let cookie = registered_and_signed_in(app, db, email).await;
    let id = user_id(app, email).await;
    sqlx::query("UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3")
        .bind(first)
        .bind(last)
        .bind(id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    (cookie, id)
}

/// An organisation made through its form by `cookie`'s user, who becomes its admin.
async fn organisation(app: &TestApp, cookie: &str, name: &str, pic: &str) -> (String, i64) {
    let body = form(&[
        ("form[name]", name),
        ("form[org_type]", "training_provider"),
        ("form[address]", "Skolevej 1"),
        ("form[city]", "Aarhus"),
        ("form[postcode]", "8000"),
        ("form[country]", "DK"),
        ("form[pic]", pic),
    ]);
    let res = call(app, "organisations/create", &body, Some(cookie), true).await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    let slug = location(&res)
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let id = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    (slug, id)
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

async fn make_admin(app: &TestApp, user: i64) {
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', 0)",
    )
    .bind(user)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
}

/// A catalogue listing as a plain row; returns its id.
async fn listing(app: &TestApp, org: i64, slug: &str, title: &str, kind: &str, status: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO catalogue_listings (slug, organisation_id, kind, status, title, language, country, \
         published_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'en', 'DK', 1, 1, 1) RETURNING id",
    )
    .bind(slug)
    .bind(org)
    .bind(kind)
    .bind(status)
    .bind(title)
    .fetch_one(&app.platform.db.pool)
    .await
    .unwrap()
}

/// Posts a form to a server function; `html` as a plain browser form (302 on success).
async fn post(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
    html: bool,
) -> Response<Body> {
    call(app, endpoint, &form(fields), cookie, html).await
}

async fn review(app: &TestApp, cookie: &str, slug: &str, stars: &str, body: &str) -> Response<Body> {
    post(
        app,
        "reviews/save",
        &[
            ("slug", slug),
            ("stars", stars),
            ("body", body),
            ("back", &format!("/catalogue/{slug}")),
        ],
        Some(cookie),
        true,
    )
    .await
}

async fn comment(app: &TestApp, cookie: &str, slug: &str, body: &str) -> Response<Body> {
    post(
        app,
        "comments/post",
        &[
            ("slug", slug),
            ("body", body),
            ("back", &format!("/catalogue/{slug}/reviews")),
        ],
        Some(cookie),
        true,
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<(i64, String, String)> {
    use sqlx::Row;
    sqlx::query("SELECT actor_user_id, subject, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

async fn html(app: &TestApp, path: &str, cookie: Option<&str>) -> String {
    let res = page(app, path, cookie).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    body_text(res).await
}

/// A course of a fresh organisation whose admin is Olga; returns (olga's cookie, olga's
/// id, organisation slug, organisation id, listing id).
async fn course_of_new_org(app: &TestApp, db: &TestDb) -> (String, i64, String, i64, i64) {
    let (olga, olga_id) = person(app, db, "olga@kursus.example", "Olga", "Admin").await;
    let (org_slug, org) = organisation(app, &olga, "Kursus Akademi", "123456789").await;
    let id = listing(
        app,
        org,
        "classroom-drama",
        "Drama in the classroom",
        "course",
        "published",
    )
    .await;
    (olga, olga_id, org_slug, org, id)
}

// S7, S18: reviews, ratings and comments of a published listing are public, also to
// anonymous visitors; names are shown, never e-mail addresses; comments are oldest first
// and paged.
async fn s7_s18_reviews_and_comments_are_public(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_olga, _, _, _, course) = course_of_new_org(&app, db).await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let res = review(&app, &rita, "classroom-drama", "4", "Very *practical* ideas.").await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    assert_eq!(
        location(&res),
        "/catalogue/classroom-drama?review_status=saved#reviews"
    );
    let res = comment(&app, &rita, "classroom-drama", "Is there a **spring** edition?").await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    assert!(
        location(&res)
            .starts_with("/catalogue/classroom-drama/reviews?comments_page=0&comment_status=posted#comment-"),
        "{}",
        location(&res)
    );

    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains("Drama in the classroom"), "the listing's title");
    assert!(page.contains("<em>practical</em>"), "the review, rendered");
    assert!(page.contains("<strong>spring</strong>"), "the comment, rendered");
    assert!(page.contains("Rita Reviewer"), "the author's name");
    assert!(!page.contains("rita@skole.example"), "never the e-mail address");
    assert!(
        page.contains(r#"aria-label="Rated 4.0 out of 5 from 1 review""#),
        "{page}"
    );
    assert!(page.contains(r#"aria-label="4 stars out of 5""#));
    assert!(page.contains("Sign in to write a review") && page.contains("Sign in to comment"));
    assert!(!page.contains(r#"id="review-body""#) && !page.contains(r#"id="comment-body""#));
    // The listing page itself carries both.
    let listing_page = html(&app, "/catalogue/classroom-drama", None).await;
    assert!(listing_page.contains("<em>practical</em>") && listing_page.contains("<strong>spring</strong>"));
    assert!(listing_page.contains(r#"id="reviews""#) && listing_page.contains(r#"id="comments""#));
    assert_eq!(
        listing_page.matches(r#"id="reviews""#).count(),
        1,
        "one element per id"
    );
    // The server functions answer anonymous visitors too.
    let res = post(
        &app,
        "reviews/listing",
        &[("slug", "classroom-drama"), ("page", "0")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("practical"));
    let res = post(
        &app,
        "comments/list",
        &[("slug", "classroom-drama"), ("page", "0")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Oldest first, 20 a page.
    let rita_id = user_id(&app, "rita@skole.example").await;
    for n in 1..=24 {
        sqlx::query(
            "INSERT INTO listing_comments (listing_id, user_id, body_md, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(course)
        .bind(rita_id)
        .bind(format!("Numbered comment {n:02}"))
        .bind(app.platform.clock.now_ms() + n)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    }
    let first = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(first.contains("Comments (25)"));
    let (a, b) = (
        first.find("spring").unwrap(),
        first.find("Numbered comment 01").unwrap(),
    );
    assert!(a < b, "oldest first");
    assert!(first.contains("Numbered comment 19") && !first.contains("Numbered comment 20"));
    assert!(
        first.contains("comments_page=1#comments"),
        "a link to the next page"
    );
    let second = html(&app, "/catalogue/classroom-drama/reviews?comments_page=1", None).await;
    assert!(second.contains("Numbered comment 20") && second.contains("Numbered comment 24"));
    assert!(!second.contains("Numbered comment 19"));
}
on_both_databases!(s7_s18_public, s7_s18_reviews_and_comments_are_public);

// S7: one review per user and listing: a second submission edits it; the author edits
// and deletes it.
async fn s7_one_review_per_user_edited_and_deleted(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, _, _, _, course) = course_of_new_org(&app, db).await;
    let (rita, rita_id) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    assert_eq!(
        review(&app, &rita, "classroom-drama", "5", "Excellent.")
            .await
            .status(),
        StatusCode::FOUND
    );
    let res = review(&app, &rita, "classroom-drama", "3", "Good, on second thought.").await;
    assert_eq!(
        res.status(),
        StatusCode::FOUND,
        "a second submission is an edit, not an error"
    );
    let rows = count(&app, "SELECT COUNT(*) FROM listing_reviews").await;
    assert_eq!(rows, 1, "one review per user and listing");
    let stars: i64 =
        sqlx::query_scalar("SELECT stars FROM listing_reviews WHERE user_id = $1 AND listing_id = $2")
            .bind(rita_id)
            .bind(course)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(stars, 3);
    // The author's page shows their review in the form, ready to edit or delete.
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&rita)).await;
    assert!(page.contains("Your review") && page.contains("Good, on second thought."));
    assert!(page.contains(r#"id="review-stars-3""#));
    let checked = page.split(r#"id="review-stars-3""#).next().unwrap();
    let tag_start = checked.rfind('<').unwrap();
    let tag_end = page[tag_start..].find('>').unwrap();
    assert!(
        page[tag_start..tag_start + tag_end].contains("checked"),
        "the current stars are chosen"
    );
    assert!(page.contains("Delete my review"));
    for n in 1..=5 {
        let label = if n == 1 {
            "1 star out of 5".to_string()
        } else {
            format!("{n} stars out of 5")
        };
        assert!(
            page.contains(&format!(r#"for="review-stars-{n}""#)) && page.contains(&label),
            "{label}"
        );
    }
    // Bad input changes nothing.
    for (stars, key) in [
        ("0", "reviews.stars_required"),
        ("6", "reviews.stars_required"),
        ("", "reviews.stars_required"),
    ] {
        let res = post(
            &app,
            "reviews/save",
            &[("slug", "classroom-drama"), ("stars", stars), ("body", "x")],
            Some(&rita),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{stars}");
        assert!(body_text(res).await.contains(key));
    }
    let long = "x".repeat(5_001);
    let res = post(
        &app,
        "reviews/save",
        &[("slug", "classroom-drama"), ("stars", "2"), ("body", &long)],
        Some(&rita),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("reviews.too_long"));
    let listed = listing_rating(&app.platform.db, course).await.unwrap();
    assert_eq!(listed, (Some(3.0), 1));

    let res = post(
        &app,
        "reviews/delete",
        &[("slug", "classroom-drama")],
        Some(&rita),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        "/catalogue/classroom-drama?review_status=deleted#reviews"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_reviews").await, 0);
    let res = post(
        &app,
        "reviews/delete",
        &[("slug", "classroom-drama")],
        Some(&rita),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "nothing left to delete");
    // A form may only lead back to the listing's own pages.
    let res = post(
        &app,
        "reviews/save",
        &[
            ("slug", "classroom-drama"),
            ("stars", "4"),
            ("back", "https://evil.example/"),
        ],
        Some(&rita),
        true,
    )
    .await;
    assert_eq!(
        location(&res),
        "/catalogue/classroom-drama?review_status=saved#reviews"
    );
}
on_both_databases!(s7_one_review_per_user, s7_one_review_per_user_edited_and_deleted);

// Members of the organisation that offers a course cannot review it, and are told why in
// their language; anonymous visitors are asked to sign in.
async fn own_organisation_and_anonymous_refused(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (olga, _, _, org, _) = course_of_new_org(&app, db).await;
    let (mads, mads_id) = person(&app, db, "mads@kursus.example", "Mads", "Member").await;
    add_member(&app, org, mads_id, "member").await;
    for cookie in [&olga, &mads] {
        let res = post(
            &app,
            "reviews/save",
            &[("slug", "classroom-drama"), ("stars", "5")],
            Some(cookie),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains("reviews.own_organisation"));
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_reviews").await, 0);
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&mads)).await;
    assert!(
        page.contains("You cannot review your own organisation&#x27;s course.")
            || page.contains("You cannot review your own organisation's course.")
    );
    assert!(!page.contains(r#"id="review-body""#), "no form for them");
    let res = call(
        &app,
        "reviews/save",
        &form(&[("slug", "classroom-drama"), ("stars", "5")]),
        Some(&mads),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // In Danish too.
    let res = app
        .send(
            axum::http::Request::get("/catalogue/classroom-drama/reviews")
                .header("cookie", format!("{mads}; agora_lang=da"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        body_text(res)
            .await
            .contains("Du kan ikke anmelde et kursus fra din egen organisation.")
    );

    // Anonymous: sign in first.
    let res = post(
        &app,
        "reviews/save",
        &[("slug", "classroom-drama"), ("stars", "5")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = post(
        &app,
        "comments/post",
        &[("slug", "classroom-drama"), ("body", "hi")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains(r#"href="/sign-in?next=/catalogue/classroom-drama/reviews""#));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_comments").await, 0);
}
on_both_databases!(own_organisation_refused, own_organisation_and_anonymous_refused);

// Draft, withdrawn and missing listings look the same: 404, for reading and for writing;
// reviews are for courses only.
async fn unpublished_listings_are_not_found(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (olga, _, _, org, _) = course_of_new_org(&app, db).await;
    listing(&app, org, "draft-course", "Secret draft", "course", "draft").await;
    listing(&app, org, "old-course", "Withdrawn course", "course", "withdrawn").await;
    listing(
        &app,
        org,
        "job-shadowing",
        "Job shadowing in Aarhus",
        "mobility",
        "published",
    )
    .await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let mut bodies = Vec::new();
    for slug in ["draft-course", "old-course", "no-such-course"] {
        for (endpoint, fields) in [
            ("reviews/save", vec![("slug", slug), ("stars", "4")]),
            ("reviews/listing", vec![("slug", slug), ("page", "0")]),
            ("comments/post", vec![("slug", slug), ("body", "hello")]),
            ("comments/list", vec![("slug", slug), ("page", "0")]),
        ] {
            let res = post(&app, endpoint, &fields, Some(&rita), false).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint} {slug}");
            bodies.push((endpoint, body_text(res).await));
        }
        // The organisation's own admin gets the same answer for a draft.
        let res = post(
            &app,
            "comments/list",
            &[("slug", slug), ("page", "0")],
            Some(&olga),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = page(&app, &format!("/catalogue/{slug}/reviews"), None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{slug}");
        let text = body_text(res).await;
        assert!(!text.contains("Secret draft") && !text.contains("Withdrawn course"));
    }
    for (endpoint, body) in &bodies {
        let first = &bodies.iter().find(|(e, _)| e == endpoint).unwrap().1;
        assert_eq!(body, first, "{endpoint}: identical answers");
    }
    // A published mobility offer takes comments but no reviews.
    let res = review(&app, &rita, "job-shadowing", "5", "").await;
    assert_eq!(
        res.status(),
        StatusCode::FOUND,
        "plain form posts are redirected, also for errors"
    );
    let res = post(
        &app,
        "reviews/save",
        &[("slug", "job-shadowing"), ("stars", "5")],
        Some(&rita),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_text(res).await, bodies[0].1);
    assert_eq!(
        comment(&app, &rita, "job-shadowing", "Which school?")
            .await
            .status(),
        StatusCode::FOUND
    );
    let page = html(&app, "/catalogue/job-shadowing/reviews", None).await;
    assert!(page.contains("Which school?") && !page.contains(r#"id="reviews""#));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_reviews").await, 0);
}
on_both_databases!(unpublished_not_found, unpublished_listings_are_not_found);

async fn reply(app: &TestApp, cookie: &str, id: i64, text: &str, html: bool) -> Response<Body> {
    post(
        app,
        "reviews/reply",
        &[
            ("slug", "classroom-drama"),
            ("review", &id.to_string()),
            ("reply", text),
        ],
        Some(cookie),
        html,
    )
    .await
}

// The organisation's admins reply once to a review; members and others cannot.
async fn organisation_replies_once(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (olga, _, _, org, _) = course_of_new_org(&app, db).await;
    let (mads, mads_id) = person(&app, db, "mads@kursus.example", "Mads", "Member").await;
    add_member(&app, org, mads_id, "member").await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (admin, admin_id) = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    make_admin(&app, admin_id).await;
    review(&app, &rita, "classroom-drama", "2", "Too short.").await;
    let id: i64 = count(&app, "SELECT id FROM listing_reviews").await;
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&olga)).await;
    assert!(
        page.contains(&format!(r#"id="reply-{id}""#)),
        "the reply form for the organisation's admin"
    );
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&mads)).await;
    assert!(!page.contains(&format!(r#"id="reply-{id}""#)), "not for members");

    for cookie in [&mads, &rita, &admin] {
        let res = reply(&app, cookie, id, "Not mine to say.", false).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let res = reply(&app, &olga, id, "", false).await;
    assert!(body_text(res).await.contains("reviews.reply_required"));
    let res = reply(&app, &olga, id, "Thank you, we have made it **longer**.", true).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        format!("/catalogue/classroom-drama?review_status=replied#review-{id}")
    );
    let res = reply(&app, &olga, id, "A second word.", false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("reviews.already_replied"));
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains("Reply from the organisation") && page.contains("<strong>longer</strong>"));
    assert!(!page.contains("A second word.") && !page.contains("Not mine to say."));
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&olga)).await;
    assert!(
        !page.contains(&format!(r#"id="reply-{id}""#)),
        "no second reply form"
    );
}
on_both_databases!(reply_once, organisation_replies_once);

// Reports reach the platform admins (by mail too); they keep or remove the review, and
// both decisions are audited. Nobody else sees /admin/reports.
async fn reports_resolved_by_platform_admins(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (olga, _, _, _, _) = course_of_new_org(&app, db).await;
    let (rita, rita_id) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (sven, _) = person(&app, db, "sven@skola.example", "Sven", "Reporter").await;
    let (admin, admin_id) = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    make_admin(&app, admin_id).await;
    review(&app, &rita, "classroom-drama", "1", "Rude words.").await;
    let id: i64 = count(&app, "SELECT id FROM listing_reviews").await;
    let report = |cookie: &str, reason: &str| {
        let fields = [
            ("slug", "classroom-drama".to_string()),
            ("review", id.to_string()),
            ("reason", reason.to_string()),
        ];
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(app, "reviews/report", &f, Some(&cookie), true).await
        }
    };
    let res = report(&sven, "Insulting the teacher.").await;
    assert_eq!(
        location(&res),
        "/catalogue/classroom-drama?review_status=reported#reviews"
    );
    let res = report(&sven, "Again!").await;
    assert_eq!(
        location(&res),
        "/catalogue/classroom-drama?review_status=already_reported#reviews",
        "a repeat changes nothing and says so"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM listing_review_reports").await,
        1
    );
    let res = post(
        &app,
        "reviews/report",
        &[
            ("slug", "classroom-drama"),
            ("review", &id.to_string()),
            ("reason", " "),
        ],
        Some(&olga),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("reviews.reason_required"));
    let res = post(
        &app,
        "reviews/report",
        &[
            ("slug", "classroom-drama"),
            ("review", &id.to_string()),
            ("reason", "x"),
        ],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // The admins are told by mail, with a link to the list and nothing about the reporter.
    let outbox = db.dir.0.join("outbox");
    let mails: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|t| t.contains("To: admin@agora.example") && t.contains("/admin/reports"))
        .collect();
    assert_eq!(mails.len(), 1, "one mail for one new report");
    assert!(mails[0].contains("Drama in the classroom") && !mails[0].contains("sven@"));

    // Only platform admins reach the list; for others it does not exist.
    let res = page(&app, "/admin/reports", Some(&sven)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!body_text(res).await.contains("Insulting"));
    let res = page(&app, "/admin/reports", Some(&olga)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        location(&page(&app, "/admin/reports", None).await),
        "/sign-in?next=/admin/reports"
    );
    let res = post(&app, "reviews/reports", &[], Some(&sven), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let list = html(&app, "/admin/reports", Some(&admin)).await;
    assert!(
        list.contains("Insulting the teacher.")
            && list.contains("Rude words.")
            && list.contains("Drama in the classroom")
    );
    assert!(
        list.contains(r#"href="/admin/users""#),
        "the admin pages link each other"
    );
    let users = html(&app, "/admin/users", Some(&admin)).await;
    assert!(users.contains(r#"href="/admin/reports""#));

    let resolve = |cookie: &str, decision: &str| {
        let body = form(&[("review", &id.to_string()), ("decision", decision)]);
        let cookie = cookie.to_string();
        let app = &app;
        async move { call(app, "reviews/resolve", &body, Some(&cookie), true).await }
    };
    let res = resolve(&sven, "remove").await;
    assert_eq!(res.status(), StatusCode::FOUND, "a plain form post is redirected");
    assert!(location(&res).contains("__err"), "{}", location(&res));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM listing_reviews").await,
        1,
        "not removed by a user"
    );
    let res = resolve(&admin, "keep").await;
    assert_eq!(location(&res), "/admin/reports?status=kept");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM listing_reviews").await,
        1,
        "kept"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM listing_review_reports WHERE resolved_at IS NOT NULL AND resolution = 'kept'").await,
        1
    );
    let kept = audit_rows(&app, "review_kept").await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].0, kept[0].1.as_str()),
        (admin_id, format!("review:{id}").as_str())
    );
    assert!(kept[0].2.contains(&format!("author:{rita_id}")));
    let list = html(&app, "/admin/reports", Some(&admin)).await;
    assert!(!list.contains("Insulting the teacher.") && list.contains("No reviews wait for a decision."));
    let res = resolve(&admin, "keep").await;
    assert!(location(&res).contains("__err"), "nothing open to decide");

    // Reported again by someone else, then removed.
    report(&olga, "Still rude.").await;
    let res = resolve(&admin, "remove").await;
    assert_eq!(location(&res), "/admin/reports?status=removed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_reviews").await, 0);
    let removed = audit_rows(&app, "review_removed").await;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].0, admin_id);
    assert!(removed[0].2.contains("stars:1"));
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(!page.contains("Rude words."));
}
on_both_databases!(reports, reports_resolved_by_platform_admins);

// S16: averages are computed from the reviews whenever they are shown, so they follow
// every change exactly, for the listing and for the organisation.
async fn s16_averages_are_exact_and_computed(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, _, org_slug, org, course) = course_of_new_org(&app, db).await;
    let other = listing(&app, org, "outdoor-maths", "Outdoor maths", "course", "published").await;
    let draft = listing(&app, org, "draft-course", "Draft", "course", "draft").await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (sven, sven_id) = person(&app, db, "sven@skola.example", "Sven", "Svensson").await;
    let pool = &app.platform.db.pool;
    assert_eq!(listing_rating(&app.platform.db, course).await.unwrap(), (None, 0));
    assert_eq!(
        organisation_rating(&app.platform.db, org).await.unwrap(),
        (None, 0)
    );

    review(&app, &rita, "classroom-drama", "5", "").await;
    review(&app, &sven, "classroom-drama", "4", "").await;
    assert_eq!(
        listing_rating(&app.platform.db, course).await.unwrap(),
        (Some(4.5), 2)
    );
    assert_eq!(
        organisation_rating(&app.platform.db, org).await.unwrap(),
        (Some(4.5), 2)
    );
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains("Rated 4.5 out of 5 from 2 reviews"));

    review(&app, &sven, "classroom-drama", "2", "").await;
    assert_eq!(
        listing_rating(&app.platform.db, course).await.unwrap(),
        (Some(3.5), 2)
    );
    // A review of another course counts for the organisation, not for this listing.
    review(&app, &sven, "outdoor-maths", "3", "").await;
    assert_eq!(
        listing_rating(&app.platform.db, other).await.unwrap(),
        (Some(3.0), 1)
    );
    let (avg, n) = organisation_rating(&app.platform.db, org).await.unwrap();
    assert_eq!(n, 3);
    assert!((avg.unwrap() - 10.0 / 3.0).abs() < 1e-9, "{avg:?}");
    // Reviews of a course that is no longer published do not count.
    sqlx::query("INSERT INTO listing_reviews (listing_id, user_id, stars, created_at, updated_at) VALUES ($1, $2, 1, 0, 0)")
        .bind(draft)
        .bind(sven_id)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(organisation_rating(&app.platform.db, org).await.unwrap().1, 3);

    post(
        &app,
        "reviews/delete",
        &[("slug", "classroom-drama")],
        Some(&sven),
        true,
    )
    .await;
    assert_eq!(
        listing_rating(&app.platform.db, course).await.unwrap(),
        (Some(5.0), 1)
    );
    let org_page = html(&app, &format!("/organisations/{org_slug}"), None).await;
    assert!(org_page.contains("Rated 4.0 out of 5 from 2 reviews"), "5 and 3");
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains("Rated 5.0 out of 5 from 1 review"));
    // A deactivated reviewer's review is neither shown nor counted (T7).
    sqlx::query("UPDATE users SET status = 'deactivated' WHERE email = 'rita@skole.example'")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(listing_rating(&app.platform.db, course).await.unwrap(), (None, 0));
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert!(page.contains("No reviews yet.") && !page.contains("Rita"));
}
on_both_databases!(s16_averages, s16_averages_are_exact_and_computed);

// S18 is public, so user text must not carry scripts into other people's browsers.
async fn user_text_is_sanitised(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, _, org_slug, _, _) = course_of_new_org(&app, db).await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let evil = "Nice <script>alert('x1')</script> [click](javascript:alert('x2')) <img src=x onerror=alert('x3')> _ok_ </textarea><b>out</b>";
    assert_eq!(
        review(&app, &rita, "classroom-drama", "3", evil).await.status(),
        StatusCode::FOUND
    );
    assert_eq!(
        comment(&app, &rita, "classroom-drama", evil).await.status(),
        StatusCode::FOUND
    );
    // Also for the author, whose page carries the Markdown for the edit forms.
    for (path, cookie) in [
        ("/catalogue/classroom-drama/reviews".to_string(), None),
        (
            "/catalogue/classroom-drama/reviews".to_string(),
            Some(rita.as_str()),
        ),
        (format!("/organisations/{org_slug}"), None),
    ] {
        let page = html(&app, &path, cookie).await;
        assert!(page.contains("<em>ok</em>"), "{path}: the Markdown is rendered");
        // No script element, no javascript: link, no image with its handler: the tag is
        // inert text (and in the hydration data every `<` is escaped).
        for bad in ["<script>alert", "href=\"javascript", "<img src=x"] {
            assert!(!page.contains(bad), "{path} {cookie:?}: {bad} survived");
        }
        assert!(
            !page.contains("</textarea><b>out"),
            "{path}: user text ended a textarea"
        );
        if cookie.is_none() {
            assert!(
                !page.contains("alert('x1')")
                    && !page.contains("alert(&#x27;x1")
                    && !page.contains("javascript:"),
                "{path}: the script's text is gone"
            );
        } else {
            assert!(
                page.contains("Nice &lt;script&gt;alert("),
                "the author edits their text as typed"
            );
        }
    }
}
on_both_databases!(sanitised, user_text_is_sanitised);

// Comments: authors edit and remove their own; the listing's organisation admins and
// platform admins remove any (audited); nobody else can.
async fn comments_edited_and_removed(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (olga, olga_id, _, org, _) = course_of_new_org(&app, db).await;
    let (mads, mads_id) = person(&app, db, "mads@kursus.example", "Mads", "Member").await;
    add_member(&app, org, mads_id, "member").await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (sven, _) = person(&app, db, "sven@skola.example", "Sven", "Svensson").await;
    let (admin, admin_id) = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    make_admin(&app, admin_id).await;
    let res = post(
        &app,
        "comments/post",
        &[("slug", "classroom-drama"), ("body", "  ")],
        Some(&rita),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("comments.required"));
    for text in ["First by Rita", "Second by Rita", "Third by Rita"] {
        assert_eq!(
            comment(&app, &rita, "classroom-drama", text).await.status(),
            StatusCode::FOUND
        );
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM listing_comments ORDER BY id")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap();
    let act = |endpoint: &'static str, cookie: String, id: i64, body: &'static str| {
        let app = &app;
        async move {
            post(
                app,
                endpoint,
                &[
                    ("slug", "classroom-drama"),
                    ("comment", &id.to_string()),
                    ("body", body),
                    ("back", "/catalogue/classroom-drama"),
                ],
                Some(&cookie),
                false,
            )
            .await
        }
    };
    // Editing is for the author only.
    for cookie in [&sven, &olga, &admin] {
        let res = act("comments/edit", cookie.clone(), ids[0], "Hijacked").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let res = act("comments/edit", rita.clone(), ids[0], "First by Rita, *edited*").await;
    assert_eq!(res.status(), StatusCode::OK);
    // Removing: not by other users or ordinary members of the organisation.
    for cookie in [&sven, &mads] {
        let res = act("comments/remove", cookie.clone(), ids[1], "").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&sven)).await;
    assert!(!page.contains("comment-remove"), "no remove buttons for others");
    let page = html(&app, "/catalogue/classroom-drama/reviews", Some(&olga)).await;
    assert!(
        page.contains("Remove the comment by Rita Reviewer"),
        "the organisation's admin may remove"
    );

    assert_eq!(
        act("comments/remove", rita.clone(), ids[0], "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act("comments/remove", olga.clone(), ids[1], "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act("comments/remove", admin.clone(), ids[2], "").await.status(),
        StatusCode::OK
    );
    let res = act("comments/remove", admin.clone(), ids[2], "").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "already removed");
    let res = act("comments/edit", rita.clone(), ids[0], "Back again").await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "a removed comment is not edited back"
    );
    let audited = audit_rows(&app, "comment_removed").await;
    assert_eq!(
        audited.iter().map(|a| (a.0, a.1.clone())).collect::<Vec<_>>(),
        vec![
            (olga_id, format!("comment:{}", ids[1])),
            (admin_id, format!("comment:{}", ids[2]))
        ],
        "moderators' removals are audited, the author's own is not"
    );
    let left: i64 = count(&app, "SELECT COUNT(*) FROM listing_comments WHERE body_md <> ''").await;
    assert_eq!(left, 0, "removed text is erased");
    let page = html(&app, "/catalogue/classroom-drama/reviews", None).await;
    assert_eq!(
        page.matches("Comment removed.").count(),
        3,
        "the thread keeps its shape"
    );
    assert!(!page.contains("by Rita") && page.contains("Comments (3)"));
}
on_both_databases!(comments_removal, comments_edited_and_removed);

// S16: the organisation page shows the rating of its courses and their reviews, and
// search engines get it as schema.org `aggregateRating`.
async fn s16_organisation_page_shows_rating_and_reviews(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (_, _, org_slug, org, _) = course_of_new_org(&app, db).await;
    listing(&app, org, "outdoor-maths", "Outdoor maths", "course", "published").await;
    let page = html(&app, &format!("/organisations/{org_slug}"), None).await;
    assert!(page.contains("Reviews of our courses") && page.contains("No reviews yet."));
    assert!(!page.contains("aggregateRating"));
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (sven, _) = person(&app, db, "sven@skola.example", "Sven", "Svensson").await;
    review(
        &app,
        &rita,
        "classroom-drama",
        "5",
        "Loved the improvisation games.",
    )
    .await;
    review(&app, &sven, "outdoor-maths", "4", "Muddy but *fun*.").await;
    let page = html(&app, &format!("/organisations/{org_slug}"), None).await;
    assert!(page.contains(r#"aria-label="Rated 4.5 out of 5 from 2 reviews""#));
    assert!(page.contains("Loved the improvisation games.") && page.contains("<em>fun</em>"));
    assert!(page.contains(r#"href="/catalogue/classroom-drama""#) && page.contains("Outdoor maths"));
    assert!(page.contains("Rita Reviewer") && !page.contains("rita@skole.example"));
    assert!(page.contains(r#""aggregateRating":{"#), "{page}");
    assert!(page.contains(r#""ratingValue":4.5"#) && page.contains(r#""reviewCount":2"#));
    let res = post(
        &app,
        "reviews/organisation",
        &[("slug", &org_slug), ("page", "0")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = post(
        &app,
        "reviews/organisation",
        &[("slug", "nope"), ("page", "0")],
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both_databases!(
    s16_organisation_page,
    s16_organisation_page_shows_rating_and_reviews
);

// Comments are limited per user against floods; waiting works.
async fn comments_are_rate_limited(db: &TestDb) {
    let app = TestApp::new(db).await;
    course_of_new_org(&app, db).await;
    let (rita, _) = person(&app, db, "rita@skole.example", "Rita", "Reviewer").await;
    let (sven, _) = person(&app, db, "sven@skola.example", "Sven", "Svensson").await;
    for n in 0..5 {
        let res = post(
            &app,
            "comments/post",
            &[("slug", "classroom-drama"), ("body", &format!("Flood {n}"))],
            Some(&rita),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{n}");
    }
    let res = post(
        &app,
        "comments/post",
        &[("slug", "classroom-drama"), ("body", "One too many")],
        Some(&rita),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let res = post(
        &app,
        "comments/post",
        &[("slug", "classroom-drama"), ("body", "Someone else")],
        Some(&sven),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "per user");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM listing_comments").await, 6);
    app.platform.clock.advance(Duration::from_secs(61));
    let res = post(
        &app,
        "comments/post",
        &[("slug", "classroom-drama"), ("body", "After a minute")],
        Some(&rita),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}
on_both_databases!(comment_rate_limit, comments_are_rate_limited);
