//! Integration tests of the foundation, each run on SQLite and on PostgreSQL.

use crate::common::browser::{PASSWORD, call, form, location, registered_and_signed_in, session_cookie};
use crate::common::{TestApp, TestDb, body_text};
use agora_server::{admin::create_admin, seed::seed_demo};
use app::platform::migrate::{MIGRATIONS, migrate, schema_columns};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};

async fn migrations_are_idempotent_and_tamper_evident(db: &TestDb) {
    let p = db.platform().await; // migrates once
    let again = migrate(&p.db, p.clock.now_ms()).await.unwrap();
    assert!(again.is_empty(), "second run applied {again:?}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(count, MIGRATIONS.len() as i64);
    sqlx::query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        .execute(&p.db.pool)
        .await
        .unwrap();
    let err = migrate(&p.db, p.clock.now_ms()).await.unwrap_err();
    assert!(
        err.to_string().contains("was changed after it was applied"),
        "{err}"
    );
}
on_both_databases!(migrations, migrations_are_idempotent_and_tamper_evident);

async fn sqlite_runs_with_wal_and_foreign_keys(db: &TestDb) {
    let p = db.platform().await;
    if db.backend != crate::common::Backend::Sqlite {
        return;
    }
    let mut conn = p.db.pool.acquire().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let orphan = sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES (999, 'platform_admin', '', 0)",
    )
    .execute(&mut *conn)
    .await;
    assert!(orphan.is_err(), "foreign keys are not enforced");
}
on_both_databases!(sqlite_pragmas, sqlite_runs_with_wal_and_foreign_keys);

/// The same tables and columns on both dialects.
#[tokio::test]
async fn both_dialects_have_the_same_schema() {
    let sqlite = TestDb::new(crate::common::Backend::Sqlite).await.unwrap();
    let Some(pg) = TestDb::new(crate::common::Backend::Postgres).await else {
        return;
    };
    let (ps, pp) = (sqlite.platform().await, pg.platform().await);
    let (a, b) = (
        schema_columns(&ps.db).await.unwrap(),
        schema_columns(&pp.db).await.unwrap(),
    );
    assert!(a.len() > 50, "suspiciously small schema: {a:?}");
    let only_sqlite: Vec<_> = a.iter().filter(|c| !b.contains(c)).collect();
    let only_pg: Vec<_> = b.iter().filter(|c| !a.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_pg:?}"
    );
    pg.cleanup(Some(pp)).await;
}

async fn demo_seed_loads_once_and_shows_on_public_pages(db: &TestDb) {
    let app = TestApp::new(db).await;
    assert!(seed_demo(&app.platform).await.unwrap());
    assert!(
        !seed_demo(&app.platform).await.unwrap(),
        "second seed must change nothing"
    );
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 15);
    // S12: learners of the Danish course's run with progress, attendance and a certificate
    // (the one who did every item), so its staff dashboard shows real numbers.
    let count = |sql: &'static str| {
        let pool = app.platform.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind("digital-dannelse-i-udskolingen")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM enrolments WHERE status = 'active' AND run_id IN \
             (SELECT r.id FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1)"
        )
        .await,
        7
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM item_progress WHERE run_id IN \
             (SELECT r.id FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1)"
        )
        .await,
        10
    );
    assert_eq!(
        count(
            "SELECT COUNT(DISTINCT user_id) FROM run_activity_days WHERE run_id IN \
             (SELECT r.id FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1)"
        )
        .await,
        4
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM certificates WHERE learner_name = 'Anna Jensen' AND run_id IN \
             (SELECT r.id FROM course_runs r JOIN courses c ON c.id = r.course_id WHERE c.slug = $1)"
        )
        .await,
        1
    );

    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    for title in [
        "Formative assessment in practice",
        "Digital dannelse i udskolingen",
        "Språkutvecklande undervisning i alla ämnen",
    ] {
        assert!(html.contains(title), "home page lacks {title}");
    }
    // Newest first.
    assert!(html.find("Språkutvecklande").unwrap() < html.find("Formative").unwrap());

    let html = body_text(app.get("/organisations").await).await;
    assert!(html.contains("Aarhus Læreakademi") && html.contains("European Teacher Institute"));
    // T8: private contact data never reaches public pages.
    assert!(!html.contains("@aarhus-akademi.example") && !html.contains("948372615"));
}
on_both_databases!(demo_seed, demo_seed_loads_once_and_shows_on_public_pages);

async fn drafts_stay_out_of_public_lists(db: &TestDb) {
    let app = TestApp::new(db).await;
    seed_demo(&app.platform).await.unwrap();
    sqlx::query("UPDATE courses SET status = 'draft' WHERE slug = 'digital-dannelse-i-udskolingen'")
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let html = body_text(app.get("/courses").await).await;
    assert!(!html.contains("Digital dannelse"));
    assert!(html.contains("Formative assessment in practice"));
    // The organisation's count follows: Aarhus now has no published course.
    let orgs = app::organisations::db::organisations(&app.platform.db, 10, 0)
        .await
        .unwrap();
    let aarhus = orgs.iter().find(|o| o.slug == "aarhus-laereakademi").unwrap();
    assert_eq!(aarhus.course_count, 0);
    let eti = orgs
        .iter()
        .find(|o| o.slug == "european-teacher-institute")
        .unwrap();
    assert_eq!(eti.course_count, 1);
}
on_both_databases!(drafts, drafts_stay_out_of_public_lists);

async fn create_admin_grants_once_and_validates_input(db: &TestDb) {
    let p = db.platform().await;
    let (id, created) = create_admin(&p, " Root@Example.org ", "Ada", "Admin", "dk")
        .await
        .unwrap();
    assert!(created);
    let (id2, created2) = create_admin(&p, "root@example.org", "X", "Y", "DK")
        .await
        .unwrap();
    assert_eq!((id2, created2), (id, false));
    let grants: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM role_grants WHERE user_id = $1 AND role = 'platform_admin'")
            .bind(id)
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(grants, 1);
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE subject = $1")
        .bind(format!("user:{id}"))
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(audit, 2);
    assert!(create_admin(&p, "not-an-email", "A", "B", "DK").await.is_err());
    assert!(create_admin(&p, "a@b.org", "A", "B", "Denmark").await.is_err());
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "a refused call must store nothing");
}
on_both_databases!(create_admin_cli, create_admin_grants_once_and_validates_input);

async fn unknown_routes_get_the_translated_404_page(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = body_text(res).await;
    assert!(html.contains("<html lang=\"en\"") && html.contains("Page not found"));

    let req = Request::get("/nope")
        .header(header::ACCEPT_LANGUAGE, "sv-SE,sv;q=0.9")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = body_text(res).await;
    assert!(html.contains("<html lang=\"sv\"") && html.contains("Sidan hittades inte"));
}
on_both_databases!(not_found, unknown_routes_get_the_translated_404_page);

async fn language_cookie_is_set_and_wins(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = app.get("/lang/da?next=/courses").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/courses");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("agora_lang=da;") && cookie.contains("SameSite=Lax"));

    let res = app.get("/lang/sv?next=//evil.example/").await;
    assert_eq!(res.headers()[header::LOCATION], "/", "open redirect");
    assert_eq!(app.get("/lang/xx").await.status(), StatusCode::NOT_FOUND);

    let req = Request::get("/courses")
        .header(header::COOKIE, "agora_lang=da")
        .header(header::ACCEPT_LANGUAGE, "sv")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.send(req).await).await;
    assert!(html.contains("<html lang=\"da\"") && html.contains("<title>Kurser · Agora</title>"));
}
on_both_databases!(language, language_cookie_is_set_and_wins);

async fn responses_carry_security_headers(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = app.get("/").await;
    let h = res.headers();
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    assert!(
        csp.contains("'nonce-")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("'wasm-unsafe-eval'")
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::REFERRER_POLICY], "strict-origin-when-cross-origin");
    assert!(h.contains_key("x-request-id"));
    // Every inline script carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = body_text(res).await;
    let scripts = html.matches("<script").count();
    assert!(scripts >= 2);
    assert_eq!(
        html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
            .count()
            + html.matches(&format!("<script nonce=\"{nonce}\"")).count(),
        scripts
    );

    let res = app.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}
on_both_databases!(security_headers, responses_carry_security_headers);

async fn oversized_and_malformed_bodies_get_clear_errors(db: &TestDb) {
    let app = TestApp::new(db).await;
    let big = vec![b'x'; 65 * 1024];
    let req = Request::post("/api/courses/published")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, big.len())
        .header(header::ACCEPT_LANGUAGE, "da")
        .body(Body::from(big))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body_text(res).await.contains("Forespørgslen er for stor"));

    let req = Request::post("/api/courses/published")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("limit=lots&offset=%%%"))
        .unwrap();
    let res = app.send(req).await;
    assert!(res.status().is_client_error() || res.status().is_server_error());
    assert_ne!(res.status(), StatusCode::OK);

    // A well-formed call works and answers JSON.
    let req = Request::post("/api/courses/published")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("limit=5&offset=0"))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_text(res).await, "[]");
}
on_both_databases!(bad_bodies, oversized_and_malformed_bodies_get_clear_errors);

async fn readiness_follows_the_database(db: &TestDb) {
    let app = TestApp::new(db).await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    app.platform.db.pool.close().await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}
on_both_databases!(readiness, readiness_follows_the_database);

async fn cross_site_posts_with_cookies_are_refused(db: &TestDb) {
    let app = TestApp::new(db).await;
    let post = |origin: Option<&str>, cookie: bool| {
        let mut b = Request::post("/api/courses/published")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        if cookie {
            b = b.header(header::COOKIE, "agora_session=abc");
        }
        b.body(Body::from("limit=5&offset=0")).unwrap()
    };
    assert_eq!(
        app.send(post(Some("https://evil.example"), true)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.send(post(None, true)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(post(Some("http://127.0.0.1:3000"), true)).await.status(),
        StatusCode::OK
    );
    // Issue 13: also without cookies (sign-in, registration and other pre-session forms),
    // or another site could sign a visitor in to an account of its choosing.
    assert_eq!(app.send(post(None, false)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(post(Some("https://evil.example"), false)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.send(post(Some("http://127.0.0.1:3000"), false))
            .await
            .status(),
        StatusCode::OK
    );
}
on_both_databases!(csrf, cross_site_posts_with_cookies_are_refused);

// Issue 13, login CSRF: another site's form cannot sign a visitor in, whatever account
// it names, and the refusal sets no session cookie.
async fn sign_in_from_another_site_is_refused(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "attacker@evil.example").await;
    let sign_in = |origin: &str| {
        Request::post("/api/accounts/sign-in")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, origin)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form(&[
                ("email", "attacker@evil.example"),
                ("password", PASSWORD),
            ])))
            .unwrap()
    };
    let res = app.send(sign_in("https://evil.example")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&res).is_none());
    let res = app.send(sign_in("http://127.0.0.1:3000")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(session_cookie(&res).is_some());
}
on_both_databases!(login_csrf, sign_in_from_another_site_is_refused);

async fn pages_travel_gzipped_when_the_browser_accepts_it(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = app
        .send(
            Request::get("/")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
    let plain = app.get("/").await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(body_text(plain).await.contains("<html"));
}
on_both_databases!(compression, pages_travel_gzipped_when_the_browser_accepts_it);

// S18: search engines find the public pages, and are asked to keep out of private ones.
async fn s18_sitemap_lists_public_pages_and_robots_points_to_it(db: &TestDb) {
    let app = TestApp::new(db).await;
    seed_demo(&app.platform).await.unwrap();
    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = body_text(res).await;
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM organisations")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(slugs.len(), 3);
    for path in ["/", "/courses", "/organisations"]
        .map(String::from)
        .into_iter()
        .chain(slugs.iter().map(|s| format!("/organisations/{s}")))
    {
        assert!(
            xml.contains(&format!("<loc>http://127.0.0.1:3000{path}</loc>")),
            "{path} in {xml}"
        );
    }
    assert!(
        !xml.contains("/settings") && !xml.contains("/people/"),
        "no private pages"
    );
    let robots = body_text(app.get("/robots.txt").await).await;
    assert!(robots.contains("Sitemap: http://127.0.0.1:3000/sitemap.xml"));
    assert!(robots.contains("Disallow: /settings") && robots.contains("Disallow: /api/"));
}
on_both_databases!(sitemap, s18_sitemap_lists_public_pages_and_robots_points_to_it);

// Issue 13: HSTS only where the public URL is https (a plain-http install must not tell
// browsers to insist on https it does not have).
async fn strict_transport_security_follows_the_public_url(db: &TestDb) {
    let plain = TestApp::new(db).await;
    let res = plain.get("/").await;
    assert!(res.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none());
    let mut settings = db.settings();
    settings.public_url = Some("https://agora.example".into());
    let https = TestApp::with_settings(settings).await;
    for path in ["/", "/healthz", "/agora.css", "/no-such-page"] {
        let res = https.get(path).await;
        assert_eq!(
            res.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}
on_both_databases!(hsts, strict_transport_security_follows_the_public_url);

// Issue 13, open redirects: every way in that takes a return path (the language switch,
// sign-in, provider sign-in) sends the browser home instead of to another site, also when
// the other site hides behind a tab, a backslash or percent-encoding.
async fn redirect_targets_stay_on_this_site(db: &TestDb) {
    let app = TestApp::new(db).await;
    let hostile = [
        "/%09/evil.example/",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "https://evil.example",
        "//evil.example",
        "/%0D%0ASet-Cookie:%20x=1",
        "/%252F%252Fevil.example",
    ];
    for next in hostile {
        let res = app.get(&format!("/lang/da?next={next}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(res.headers()[header::LOCATION], "/", "{next}");
    }
    let res = app.get("/lang/da?next=/courses%3Fx%3D1").await;
    assert_eq!(res.headers()[header::LOCATION], "/courses?x=1");

    registered_and_signed_in(&app, db, "next@agora.example").await;
    for next in hostile {
        let res = call(
            &app,
            "accounts/sign-in",
            &form(&[
                ("email", "next@agora.example"),
                ("password", PASSWORD),
                ("next", next),
            ]),
            None,
            true,
        )
        .await;
        assert_eq!(res.status(), StatusCode::FOUND, "{next}");
        assert_eq!(location(&res), "/", "{next}");
    }
    let res = call(
        &app,
        "accounts/sign-in",
        &form(&[
            ("email", "next@agora.example"),
            ("password", PASSWORD),
            ("next", "/my/courses"),
        ]),
        None,
        true,
    )
    .await;
    assert_eq!(location(&res), "/my/courses");
}
on_both_databases!(redirects, redirect_targets_stay_on_this_site);
