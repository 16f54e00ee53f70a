//! The JSON API /api/v1 and organisations' API tokens (#6, S2, S7, S16), over HTTP on both
//! databases: tokens shown once and stored hashed, revoked at once; listings created,
//! updated and withdrawn with a token and refused with another organisation's token
//! exactly like a missing listing; JSON errors with stable codes; pagination; rate limits;
//! the OpenAPI document.

use crate::common::browser::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use serde_json::{Value, json};

/// A registered, signed-in user; returns the session cookie and the user's id.
async fn person(app: &TestApp, db: &TestDb, email: &str) -> (String, i64) {
    let cookie = registered_and_signed_in(app, db, email).await;
    (cookie, user_id(app, email).await)
}

/// Creates an organisation through its page's server function; returns its slug.
async fn organisation(app: &TestApp, cookie: &str, name: &str, pic: &str) -> String {
    let body = form(&[
        ("form[name]", name),
        ("form[org_type]", "school"),
        ("form[address]", "Skolevej 1"),
        ("form[city]", "Aarhus"),
        ("form[postcode]", "8000"),
        ("form[country]", "DK"),
        ("form[pic]", pic),
        ("form[description]", "A school by the sea."),
        ("form[official_email]", "kontor@skole.example.dk"),
        ("form[head_name]", "Birthe Skoleleder"),
        ("form[head_email]", "birthe@skole.example.dk"),
    ]);
    let res = call(app, "organisations/create", &body, Some(cookie), true).await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    location(&res)
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

async fn org_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn add_member(app: &TestApp, slug: &str, user: i64, role: &str) {
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) VALUES ($1, $2, $3, 0)",
    )
    .bind(org_id(app, slug).await)
    .bind(user)
    .bind(role)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
}

/// The `name=value` of a Set-Cookie header named `name`.
fn set_cookie(res: &Response<Body>, name: &str) -> Option<String> {
    res.headers().get_all(header::SET_COOKIE).iter().find_map(|v| {
        let pair = v.to_str().unwrap().split(';').next().unwrap();
        pair.starts_with(&format!("{name}=")).then(|| pair.to_string())
    })
}

/// The secret shown on the token page, if any.
fn shown_secret(html: &str) -> Option<String> {
    let start = html.find("value=\"agora_")? + "value=\"".len();
    let rest = &html[start..];
    Some(rest[..rest.find('"').unwrap()].to_string())
}

/// A page with its per-response script nonce blanked out.
fn without_nonce(html: &str) -> String {
    let Some(start) = html.find("nonce=\"").map(|i| i + 7) else {
        return html.to_string();
    };
    let nonce = &html[start..start + html[start..].find('"').unwrap()];
    html.replace(nonce, "NONCE")
}

/// Creates a token through the page's server function (as the page's script does) and
/// reads its secret from the one page view that shows it.
async fn new_token(app: &TestApp, cookie: &str, slug: &str, name: &str) -> String {
    let res = call(
        app,
        "api-tokens/create",
        &form(&[("slug", slug), ("name", name)]),
        Some(cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let flash = set_cookie(&res, "agora_new_api_token").expect("the secret travels in a cookie");
    assert_eq!(
        serde_json::from_str::<String>(&body_text(res).await).unwrap(),
        format!("/organisations/{slug}/api-tokens?status=created")
    );
    let res = page(
        app,
        &format!("/organisations/{slug}/api-tokens?status=created"),
        Some(&format!("{cookie}; {flash}")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        set_cookie(&res, "agora_new_api_token").as_deref(),
        Some("agora_new_api_token="),
        "the page deletes the cookie as it shows the secret"
    );
    shown_secret(&body_text(res).await).expect("the secret is shown")
}

/// An API request with an optional bearer token and JSON body.
async fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Response<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    app.send(b.body(Body::from(body.unwrap_or("").to_string())).unwrap())
        .await
}

/// Status, headers and parsed JSON of an answer.
async fn json_of(res: Response<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let status = res.status();
    let headers = res.headers().clone();
    let text = body_text(res).await;
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, headers, v)
}

async fn token_rows(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT name, prefix, token_hash FROM organisation_api_tokens ORDER BY id")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'api_token%' ORDER BY id")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
}

// S2, #6: an organisation admin creates a token; its secret is shown once, the database
// holds only its hash; it works until revoked, then it is `unauthorized` at once.
async fn s2_token_shown_once_stored_hashed_and_revoked(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _) = person(&app, db, "karen@skole.example").await;
    let slug = organisation(&app, &karen, "Nørre Skole", "123456789").await;

    let secret = new_token(&app, &karen, &slug, "Course database").await;
    assert!(secret.starts_with("agora_") && secret.len() == 49, "{secret}");
    // Shown once: the next view of the page (without the cookie) lists it without it.
    let html = body_text(page(&app, &format!("/organisations/{slug}/api-tokens"), Some(&karen)).await).await;
    assert!(html.contains("Course database"), "listed by name");
    assert!(!html.contains(&secret), "never shown again");
    assert!(html.contains(&secret[..14]), "its prefix tells it apart");
    // A forged cookie shows nothing: only a live token of this organisation is shown.
    let forged = format!("{karen}; agora_new_api_token=agora_forged");
    let html = body_text(page(&app, &format!("/organisations/{slug}/api-tokens"), Some(&forged)).await).await;
    assert!(shown_secret(&html).is_none());

    let rows = token_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let (name, prefix, hash) = &rows[0];
    assert_eq!(name, "Course database");
    assert_eq!(prefix, &secret[..14]);
    assert_ne!(hash, &secret);
    assert!(!hash.contains(&secret[6..]), "only the hash is stored");
    assert_eq!(hash.len(), 64, "SHA-256 in hex");
    let dump: Vec<(String,)> =
        sqlx::query_as("SELECT name || prefix || token_hash FROM organisation_api_tokens")
            .fetch_all(&app.platform.db.pool)
            .await
            .unwrap();
    assert!(dump.iter().all(|(r,)| !r.contains(&secret)));

    // It works, and its use is noted.
    let res = api(&app, "GET", "/api/v1/organisations", Some(&secret), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let used: Option<i64> = sqlx::query_scalar("SELECT last_used_at FROM organisation_api_tokens")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert!(used.is_some());

    // Revoked: refused at once, and the page says so.
    let id: i64 = sqlx::query_scalar("SELECT id FROM organisation_api_tokens")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let res = call(
        &app,
        "api-tokens/revoke",
        &form(&[("slug", &slug), ("id", &id.to_string())]),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        format!("/organisations/{slug}/api-tokens?status=revoked")
    );
    let (status, headers, v) =
        json_of(api(&app, "GET", "/api/v1/organisations", Some(&secret), None).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(v["error"]["code"], "unauthorized");
    assert!(headers.contains_key(header::WWW_AUTHENTICATE));
    let html = body_text(page(&app, &format!("/organisations/{slug}/api-tokens"), Some(&karen)).await).await;
    assert!(html.contains("Revoked"));
    assert_eq!(
        audit_actions(&app).await,
        ["api_token_create", "api_token_revoke"]
    );

    // A token name is required; nothing is created without one.
    let res = call(
        &app,
        "api-tokens/create",
        &form(&[("slug", &slug), ("name", "  ")]),
        Some(&karen),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(token_rows(&app).await.len(), 1);
}
on_both_databases!(
    s2_token_shown_once_stored_hashed_and_revoked,
    s2_token_shown_once_stored_hashed_and_revoked
);

// S2: only the organisation's admins (and platform admins) reach its token page; a member
// or another user gets exactly what a missing organisation gives.
async fn s2_token_page_only_for_org_admins(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _) = person(&app, db, "karen@skole.example").await;
    let slug = organisation(&app, &karen, "Nørre Skole", "123456789").await;
    let (mads, mads_id) = person(&app, db, "mads@skole.example").await;
    add_member(&app, &slug, mads_id, "member").await;
    let (eva, _) = person(&app, db, "eva@andet.example").await;

    let list = |slug: String, cookie: String| {
        let app = &app;
        async move {
            let res = call(
                app,
                "api-tokens/list",
                &form(&[("slug", &slug)]),
                Some(&cookie),
                false,
            )
            .await;
            (res.status(), body_text(res).await)
        }
    };
    let missing = list("no-such-school".into(), mads.clone()).await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    for who in [&mads, &eva] {
        assert_eq!(list(slug.clone(), who.clone()).await, missing);
        let create = call(
            &app,
            "api-tokens/create",
            &form(&[("slug", &slug), ("name", "x")]),
            Some(who),
            false,
        )
        .await;
        assert_eq!(create.status(), StatusCode::NOT_FOUND);
        let real = page(&app, &format!("/organisations/{slug}/api-tokens"), Some(who)).await;
        let fake = page(&app, "/organisations/no-such-school/api-tokens", Some(who)).await;
        assert_eq!(real.status(), StatusCode::NOT_FOUND);
        assert_eq!(fake.status(), StatusCode::NOT_FOUND);
        // The same page but for the address itself (in the language links) and the nonce.
        let real = without_nonce(&body_text(real).await).replace(&slug, "no-such-school");
        assert_eq!(real, without_nonce(&body_text(fake).await));
    }
    assert!(token_rows(&app).await.is_empty());
    // Anonymous visitors are sent to sign in.
    let res = page(&app, &format!("/organisations/{slug}/api-tokens"), None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    // The admin's edit page links to it.
    let html = body_text(page(&app, &format!("/organisations/{slug}/edit"), Some(&karen)).await).await;
    assert!(html.contains(&format!("/organisations/{slug}/api-tokens")));
}
on_both_databases!(
    s2_token_page_only_for_org_admins,
    s2_token_page_only_for_org_admins
);

// #6: organisations are public, paged, with totals and Link headers; never the private
// school fields (T8).
async fn s16_organisations_paged(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _) = person(&app, db, "karen@skole.example").await;
    for (name, pic) in [
        ("Alfa Skole", "111111111"),
        ("Beta Skole", "222222222"),
        ("Gamma Skole", "333333333"),
    ] {
        organisation(&app, &karen, name, pic).await;
    }
    let (status, headers, v) =
        json_of(api(&app, "GET", "/api/v1/organisations?per_page=2", None, None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 3);
    assert_eq!(v["page"], 1);
    assert_eq!(v["per_page"], 2);
    let names: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alfa Skole", "Beta Skole"]);
    let link = headers[header::LINK].to_str().unwrap();
    assert!(
        link.contains("/api/v1/organisations?page=2&per_page=2>; rel=\"next\""),
        "{link}"
    );
    assert!(!link.contains("prev"));

    let (_, headers, v) =
        json_of(api(&app, "GET", "/api/v1/organisations?page=2&per_page=2", None, None).await).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let link = headers[header::LINK].to_str().unwrap();
    assert!(
        link.contains("page=1&per_page=2>; rel=\"prev\"") && !link.contains("next"),
        "{link}"
    );

    // per_page is at most 100; a page that is not a number is `invalid_parameter`.
    let (_, _, v) = json_of(api(&app, "GET", "/api/v1/organisations?per_page=1000", None, None).await).await;
    assert_eq!(v["per_page"], 100);
    let (status, _, v) = json_of(api(&app, "GET", "/api/v1/organisations?page=two", None, None).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "invalid_parameter");

    let (status, _, v) =
        json_of(api(&app, "GET", "/api/v1/organisations/alfa-skole", None, None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["name"], "Alfa Skole");
    assert_eq!(v["country"], "DK");
    let text = v.to_string();
    assert!(
        !text.contains("kontor@") && !text.contains("Birthe"),
        "no private fields: {text}"
    );

    let (status, _, v) = json_of(api(&app, "GET", "/api/v1/organisations/nope", None, None).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    // Unknown paths and methods under /api/v1 answer in JSON too.
    let (status, _, v) = json_of(api(&app, "GET", "/api/v1/nothing-here", None, None).await).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _, v) = json_of(api(&app, "DELETE", "/api/v1/organisations", None, None).await).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
}
on_both_databases!(s16_organisations_paged, s16_organisations_paged);

// #6: without a valid token, nothing is written: no token, an unknown one, another scheme.
// Messages follow Accept-Language; codes stay.
async fn api_refuses_requests_without_a_valid_token(db: &TestDb) {
    let app = TestApp::new(db).await;
    for auth in [
        None,
        Some("Bearer agora_not-a-real-token"),
        Some("Basic a2FyZW46cGFzcw=="),
    ] {
        let mut b = Request::post("/api/v1/listings").header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        let (status, headers, v) = json_of(app.send(b.body(Body::from("{}")).unwrap()).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(v["error"]["code"], "unauthorized");
        assert!(headers.contains_key(header::WWW_AUTHENTICATE));
    }
    let res = app
        .send(
            Request::post("/api/v1/listings")
                .header(header::ACCEPT_LANGUAGE, "da-DK,da;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let (_, _, v) = json_of(res).await;
    assert_eq!(v["error"]["code"], "unauthorized");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("API-nøgle"),
        "{v}"
    );
}
on_both_databases!(
    api_refuses_requests_without_a_valid_token,
    api_refuses_requests_without_a_valid_token
);

// #6: the OpenAPI document is generated from the code and lists every path.
async fn openapi_document_lists_the_paths(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (status, headers, v) = json_of(api(&app, "GET", "/api/v1/openapi.json", None, None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/listings",
        "/api/v1/listings/{slug}",
        "/api/v1/listings/{slug}/withdraw",
        "/api/v1/organisations/{org}/listings/by-external-id/{external_id}",
    ] {
        assert!(paths.contains_key(p), "{p} in {:?}", paths.keys());
    }
    assert!(v["components"]["securitySchemes"]["token"].is_object());
    assert!(v["components"]["schemas"]["ErrorBody"].is_object());
    assert!(v["components"]["schemas"]["ListingInput"].is_object());
    assert!(v["paths"]["/api/v1/listings"]["post"]["security"].is_array());
}
on_both_databases!(openapi_document_lists_the_paths, openapi_document_lists_the_paths);

// #6: requests are limited per token and, without one, per client address: 429
// `rate_limited` with Retry-After; other tokens are not affected.
async fn api_rate_limits_per_token(db: &TestDb) {
    let mut settings = db.settings();
    settings.api_token_requests_per_minute = 3;
    settings.api_public_requests_per_minute = 2;
    let app = TestApp::with_settings(settings).await;
    let (karen, _) = person(&app, db, "karen@skole.example").await;
    let slug = organisation(&app, &karen, "Nørre Skole", "123456789").await;
    let one = new_token(&app, &karen, &slug, "One").await;
    let two = new_token(&app, &karen, &slug, "Two").await;
    for _ in 0..3 {
        assert_eq!(
            api(&app, "GET", "/api/v1/organisations", Some(&one), None)
                .await
                .status(),
            StatusCode::OK
        );
    }
    let (status, headers, v) =
        json_of(api(&app, "GET", "/api/v1/organisations", Some(&one), None).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(v["error"]["code"], "rate_limited");
    let wait: u64 = headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        api(&app, "GET", "/api/v1/organisations", Some(&two), None)
            .await
            .status(),
        StatusCode::OK
    );
    // Without a token: per address.
    for _ in 0..2 {
        assert_eq!(
            api(&app, "GET", "/api/v1/organisations", None, None)
                .await
                .status(),
            StatusCode::OK
        );
    }
    let res = api(&app, "GET", "/api/v1/organisations", None, None).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    // A minute later the token may go on.
    app.platform.clock.advance(std::time::Duration::from_secs(61));
    assert_eq!(
        api(&app, "GET", "/api/v1/organisations", Some(&one), None)
            .await
            .status(),
        StatusCode::OK
    );
}
on_both_databases!(api_rate_limits_per_token, api_rate_limits_per_token);

/// A calendar date `days` from the platform's today.
fn in_days(app: &TestApp, days: i64) -> String {
    app::platform::clock::date_of_ms(app.platform.clock.now_ms() + days * 86_400_000)
}

fn course_json(app: &TestApp, title: &str, external_id: &str, publish: bool) -> String {
    json!({
        "kind": "course",
        "title": title,
        "summary": "Maths outside",
        "description": "Bring **boots**.",
        "language": "en",
        "country": "DK",
        "place": "Aarhus",
        "mode": "onsite",
        "starts_on": in_days(app, 30),
        "ends_on": in_days(app, 34),
        "fee": "450 EUR",
        "target_audience": "Primary teachers",
        "subjects": ["mathematics", "science"],
        "external_id": external_id,
        "publish": publish,
    })
    .to_string()
}

/// Two organisations, each with an admin and a token.
struct TwoOrgs {
    a: String,
    a_token: String,
    a_cookie: String,
    b: String,
    b_token: String,
}

async fn two_orgs(app: &TestApp, db: &TestDb) -> TwoOrgs {
    let (karen, _) = person(app, db, "karen@skole.example").await;
    let a = organisation(app, &karen, "Nørre Skole", "123456789").await;
    let a_token = new_token(app, &karen, &a, "Course database").await;
    let (eva, _) = person(app, db, "eva@gymnasium.example").await;
    let b = organisation(app, &eva, "Söder Gymnasium", "987654321").await;
    let b_token = new_token(app, &eva, &b, "Sync").await;
    TwoOrgs {
        a,
        a_token,
        a_cookie: karen,
        b,
        b_token,
    }
}

/// Every listing column that a write could change, for "nothing changed".
async fn listing_rows(app: &TestApp) -> Vec<(String, String, String, i64)> {
    sqlx::query_as("SELECT slug, title, status, updated_at FROM catalogue_listings ORDER BY id")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
}

/// Status and body of an answer, to compare two answers exactly.
async fn answer(res: Response<Body>) -> (StatusCode, String) {
    (res.status(), body_text(res).await)
}

// #6, S16: an organisation's system creates, updates, publishes and withdraws a listing
// with its token; another organisation's token gets exactly the answer a missing listing
// gets, and changes nothing.
async fn s16_token_creates_updates_withdraws_and_other_orgs_token_is_refused(db: &TestDb) {
    let app = TestApp::new(db).await;
    let o = two_orgs(&app, db).await;

    // Create a draft.
    let res = api(
        &app,
        "POST",
        "/api/v1/listings",
        Some(&o.a_token),
        Some(&course_json(&app, "Maths in the forest", "C-1", false)),
    )
    .await;
    let (status, headers, v) = json_of(res).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let slug = v["slug"].as_str().unwrap().to_string();
    assert_eq!(v["status"], "draft");
    assert_eq!(v["organisation"], o.a.as_str());
    assert_eq!(v["external_id"], "C-1");
    assert_eq!(v["subjects"], json!(["mathematics", "science"]));
    assert_eq!(v["description"], "Bring **boots**.");
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .ends_with(&format!("/api/v1/listings/{slug}"))
    );
    let created_by: Option<i64> = sqlx::query_scalar("SELECT created_by FROM catalogue_listings")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(created_by, None, "made by a system, not a person");

    // A draft: its own token sees it; the public and another organisation's token get
    // what a missing listing gets.
    let path = format!("/api/v1/listings/{slug}");
    assert_eq!(
        api(&app, "GET", &path, Some(&o.a_token), None).await.status(),
        StatusCode::OK
    );
    let missing = answer(api(&app, "GET", "/api/v1/listings/no-such-listing", None, None).await).await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    assert_eq!(answer(api(&app, "GET", &path, None, None).await).await, missing);
    assert_eq!(
        answer(api(&app, "GET", &path, Some(&o.b_token), None).await).await,
        missing
    );

    // Update and publish.
    let res = api(
        &app,
        "PUT",
        &path,
        Some(&o.a_token),
        Some(&course_json(&app, "Maths in the forest, 2nd week", "C-1", true)),
    )
    .await;
    let (status, _, v) = json_of(res).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "Maths in the forest, 2nd week");
    assert_eq!(v["status"], "published");
    assert!(v["published_at"].as_str().unwrap().ends_with('Z'));
    // Public now, without the organisation's own id.
    let (status, _, v) = json_of(api(&app, "GET", &path, None, None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v.get("external_id").is_none(), "{v}");
    assert!(
        v.get("description").is_none(),
        "the Markdown source only to its own token"
    );
    assert_eq!(v["description_html"], "<p>Bring <strong>boots</strong>.</p>\n");
    let (_, _, v) = json_of(api(&app, "GET", "/api/v1/listings?kind=course", None, None).await).await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["slug"], slug.as_str());
    assert_eq!(v["items"][0]["organisation"], o.a.as_str());

    // Another organisation's token: the same answers as for a missing listing, and
    // nothing changes.
    let before = listing_rows(&app).await;
    let body = course_json(&app, "Taken over", "X-1", true);
    for (method, suffix, body) in [("PUT", "", Some(body.as_str())), ("POST", "/withdraw", None)] {
        let theirs =
            answer(api(&app, method, &format!("{path}{suffix}"), Some(&o.b_token), body).await).await;
        let nothing = answer(
            api(
                &app,
                method,
                &format!("/api/v1/listings/no-such-listing{suffix}"),
                Some(&o.b_token),
                body,
            )
            .await,
        )
        .await;
        assert_eq!(theirs.0, StatusCode::NOT_FOUND, "{method} {suffix}: {}", theirs.1);
        assert_eq!(theirs, nothing, "{method} {suffix}");
        assert!(theirs.1.contains("\"not_found\""));
    }
    let theirs = answer(
        api(
            &app,
            "PUT",
            &format!("/api/v1/organisations/{}/listings/by-external-id/C-1", o.a),
            Some(&o.b_token),
            Some(&body),
        )
        .await,
    )
    .await;
    let nothing = answer(
        api(
            &app,
            "PUT",
            "/api/v1/organisations/no-such-org/listings/by-external-id/C-1",
            Some(&o.b_token),
            Some(&body),
        )
        .await,
    )
    .await;
    assert_eq!(theirs.0, StatusCode::NOT_FOUND);
    assert_eq!(theirs, nothing);
    assert_eq!(listing_rows(&app).await, before, "nothing changed");

    // The same external id twice in one organisation is refused; another organisation may
    // use it.
    let res = api(
        &app,
        "POST",
        "/api/v1/listings",
        Some(&o.a_token),
        Some(&course_json(&app, "Another", "C-1", false)),
    )
    .await;
    let (status, _, v) = json_of(res).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("external_id_taken"))
    );
    let res = api(
        &app,
        "POST",
        "/api/v1/listings",
        Some(&o.b_token),
        Some(&course_json(&app, "Theirs", "C-1", false)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // Withdraw: gone from the public catalogue and page, and no longer changeable.
    let (status, _, v) =
        json_of(api(&app, "POST", &format!("{path}/withdraw"), Some(&o.a_token), None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "withdrawn");
    assert_eq!(answer(api(&app, "GET", &path, None, None).await).await, missing);
    let (_, _, v) = json_of(api(&app, "GET", "/api/v1/listings?kind=course", None, None).await).await;
    assert_eq!(v["total"], 0);
    // Still the organisation's to edit: without `publish` it stays withdrawn; with it, it
    // is back (as on the listing's edit page).
    let mut edit: Value = serde_json::from_str(&course_json(&app, "Back again", "C-1", true)).unwrap();
    edit.as_object_mut().unwrap().remove("publish");
    let (status, _, v) =
        json_of(api(&app, "PUT", &path, Some(&o.a_token), Some(&edit.to_string())).await).await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("withdrawn"))
    );
    assert_eq!(answer(api(&app, "GET", &path, None, None).await).await, missing);
    edit["publish"] = json!(true);
    let (_, _, v) = json_of(api(&app, "PUT", &path, Some(&o.a_token), Some(&edit.to_string())).await).await;
    assert_eq!(v["status"], "published");
    assert_eq!(api(&app, "GET", &path, None, None).await.status(), StatusCode::OK);

    // Upsert by the organisation's own id: created once, then replaced.
    let upsert = format!("/api/v1/organisations/{}/listings/by-external-id/M-7", o.a);
    let mobility = |title: &str| {
        json!({
            "kind": "mobility", "title": title, "language": "da", "country": "DK", "place": "Odense",
            "mode": "onsite", "mobility_type": "job_shadowing", "host": "Odense Friskole",
            "places": 3, "starts_on": in_days(&app, 60), "publish": true,
        })
        .to_string()
    };
    let (status, _, v) = json_of(
        api(
            &app,
            "PUT",
            &upsert,
            Some(&o.a_token),
            Some(&mobility("Shadowing")),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["external_id"].as_str(), v["places"].as_i64()),
        (Some("M-7"), Some(3))
    );
    let first = v["slug"].clone();
    let (status, _, v) = json_of(
        api(
            &app,
            "PUT",
            &upsert,
            Some(&o.a_token),
            Some(&mobility("Shadowing, May")),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["slug"].clone(), v["title"].as_str()),
        (first, Some("Shadowing, May"))
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalogue_listings WHERE external_id = 'M-7'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);

    // A cookie alongside the token changes nothing: the token decides.
    let res = app
        .send(
            Request::post("/api/v1/listings")
                .header(header::AUTHORIZATION, format!("Bearer {}", o.b_token))
                .header(header::COOKIE, &o.a_cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(course_json(&app, "Theirs too", "", false)))
                .unwrap(),
        )
        .await;
    let (_, _, v) = json_of(res).await;
    assert_eq!(v["organisation"], o.b.as_str());
}
on_both_databases!(
    s16_token_creates_updates_withdraws_and_other_orgs_token_is_refused,
    s16_token_creates_updates_withdraws_and_other_orgs_token_is_refused
);

// #6: malformed JSON, a wrong content type, unknown fields, invalid fields and an
// oversized body are clear errors, and nothing is written.
async fn api_bad_input_writes_nothing(db: &TestDb) {
    let app = TestApp::new(db).await;
    let o = two_orgs(&app, db).await;
    let send = |ct: &'static str, body: String| {
        let app = &app;
        let token = o.a_token.clone();
        async move {
            json_of(
                app.send(
                    Request::post("/api/v1/listings")
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .header(header::CONTENT_TYPE, ct)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await,
            )
            .await
        }
    };
    for (ct, body) in [
        (
            "application/json",
            "{\"kind\": \"course\", \"title\": ".to_string(),
        ),
        ("application/json", "[1, 2]".to_string()),
        (
            "application/json",
            "{\"kind\": \"course\", \"titel\": \"typo\"}".to_string(),
        ),
        ("application/json", "{\"subjects\": \"mathematics\"}".to_string()),
        ("text/plain", course_json(&app, "Plain", "", false)),
        (
            "application/x-www-form-urlencoded",
            "kind=course&title=x".to_string(),
        ),
    ] {
        let (status, _, v) = send(ct, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{ct} {body}: {v}");
        assert_eq!(v["error"]["code"], "invalid_json", "{body}");
        assert!(v["error"]["detail"].is_string());
    }
    let (status, _, v) = send(
        "application/json",
        "{\"kind\": \"course\", \"title\": \"\"}".to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "validation_failed");
    let fields: Vec<(&str, &str)> = v["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    for expected in [
        ("title", "field.required"),
        ("language", "field.required"),
        ("country", "field.required"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    assert!(
        v["error"]["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let mut bad = serde_json::from_str::<Value>(&course_json(&app, "Bad", "", false)).unwrap();
    bad["country"] = json!("XX");
    bad["places"] = json!("many");
    let (status, _, v) = send("application/json", bad.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "country")
    );
    // Larger than the body limit (64 KiB in the tests).
    let (status, _, v) = send(
        "application/json",
        format!("{{\"title\": \"{}\"}}", "x".repeat(70_000)),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
    assert!(listing_rows(&app).await.is_empty(), "nothing written");

    // An update with invalid fields changes nothing either.
    let (status, _, v) = send("application/json", course_json(&app, "Good", "", false)).await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/api/v1/listings/{}", v["slug"].as_str().unwrap());
    let before = listing_rows(&app).await;
    let mut bad = serde_json::from_str::<Value>(&course_json(&app, "", "", true)).unwrap();
    bad["ends_on"] = json!(in_days(&app, 1));
    let (status, _, v) =
        json_of(api(&app, "PUT", &path, Some(&o.a_token), Some(&bad.to_string())).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let res = api(&app, "PUT", &path, Some(&o.a_token), Some("{not json")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(listing_rows(&app).await, before, "nothing changed");
    let _ = o.b;
}
on_both_databases!(api_bad_input_writes_nothing, api_bad_input_writes_nothing);

// #6: a browser session is no authority over the API: even the organisation's admin,
// signed in, from this site, cannot write without a token.
async fn api_cookie_session_alone_cannot_write(db: &TestDb) {
    let app = TestApp::new(db).await;
    let o = two_orgs(&app, db).await;
    let res = app
        .send(
            Request::post("/api/v1/listings")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, ORIGIN)
                .header(header::COOKIE, &o.a_cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(course_json(&app, "By cookie", "", true)))
                .unwrap(),
        )
        .await;
    let (status, _, v) = json_of(res).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert!(listing_rows(&app).await.is_empty());
}
on_both_databases!(
    api_cookie_session_alone_cannot_write,
    api_cookie_session_alone_cannot_write
);

// #6, S7: the public catalogue over the API: published, unexpired listings of one kind,
// filtered and paged, with totals and Link headers.
async fn s7_listings_paged_and_filtered(db: &TestDb) {
    let app = TestApp::new(db).await;
    let o = two_orgs(&app, db).await;
    for (title, publish) in [("One", true), ("Two", true), ("Three", true), ("Draft", false)] {
        let mut body: Value = serde_json::from_str(&course_json(&app, title, "", publish)).unwrap();
        if title == "Three" {
            body["expires_on"] = json!(in_days(&app, 5));
        }
        let res = api(
            &app,
            "POST",
            "/api/v1/listings",
            Some(&o.a_token),
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let (status, headers, v) = json_of(
        api(
            &app,
            "GET",
            "/api/v1/listings?kind=course&country=DK&per_page=2",
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((v["total"].as_i64(), v["per_page"].as_i64()), (Some(3), Some(2)));
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    let link = headers[header::LINK].to_str().unwrap();
    assert!(
        link.contains("/api/v1/listings?kind=course&country=DK&page=2&per_page=2>; rel=\"next\""),
        "{link}"
    );
    let (_, _, v) = json_of(
        api(
            &app,
            "GET",
            "/api/v1/listings?kind=course&page=2&per_page=2",
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    for q in [
        "country=SE",
        "language=da",
        "subject=history",
        "mode=online",
        &format!("organisation={}", o.b),
    ] {
        let (_, _, v) = json_of(
            api(
                &app,
                "GET",
                &format!("/api/v1/listings?kind=course&{q}"),
                None,
                None,
            )
            .await,
        )
        .await;
        assert_eq!(v["total"], 0, "{q}");
    }
    let (_, _, v) = json_of(
        api(
            &app,
            "GET",
            &format!(
                "/api/v1/listings?kind=course&subject=science&organisation={}",
                o.a
            ),
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(v["total"], 3);
    // Expired listings leave the catalogue.
    app.platform
        .clock
        .advance(std::time::Duration::from_secs(10 * 86_400));
    let (_, _, v) = json_of(api(&app, "GET", "/api/v1/listings?kind=course", None, None).await).await;
    assert_eq!(v["total"], 2, "{v}");
    // The catalogue is per kind.
    let (status, _, v) = json_of(api(&app, "GET", "/api/v1/listings", None, None).await).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_parameter"))
    );
}
on_both_databases!(s7_listings_paged_and_filtered, s7_listings_paged_and_filtered);
