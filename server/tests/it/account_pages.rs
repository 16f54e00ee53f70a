//! The account pages and their server functions over HTTP, as a browser uses them, on both
//! databases: with JavaScript (JSON answers) and without (form posts and redirects).

use crate::common::browser::{
    self, ORIGIN, PASSWORD, form, location, main_without_markers, make_admin, outbox_link, page,
    registered_and_signed_in, registration, session_cookie, user_id,
};
use crate::common::{TestApp, TestDb, body_text};
use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use std::time::Duration;

/// A server function of the accounts area, as the browser calls it.
async fn call(app: &TestApp, endpoint: &str, body: &str, cookie: Option<&str>, html: bool) -> Response<Body> {
    browser::call(app, &format!("accounts/{endpoint}"), body, cookie, html).await
}

async fn user_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

// S1: register → verify by the link in the outbox → sign in, all without JavaScript.
async fn s1_register_verify_sign_in_without_javascript(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = call(&app, "register", &registration("karen@skole.example"), None, true).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/register/sent");

    // Subjects, languages and the newsletter consent arrived with the form.
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT s.subject FROM user_subjects s JOIN users u ON u.id = s.user_id WHERE u.email = $1 ORDER BY 1",
    )
    .bind("karen@skole.example")
    .fetch_all(&app.platform.db.pool)
    .await
    .unwrap();
    assert_eq!(subjects, ["mathematics", "physics"]);

    // Unverified: refused with its own message.
    let res = call(
        &app,
        "sign-in",
        &form(&[("email", "karen@skole.example"), ("password", PASSWORD)]),
        None,
        false,
    )
    .await;
    assert!(body_text(res).await.contains("signin.unverified"));

    let secret = outbox_link(db, "karen@skole.example", "/verify-email/");
    let res = page(&app, &format!("/verify-email/{secret}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("Your e-mail address is confirmed"));
    // The link is single-use.
    let again = body_text(page(&app, &format!("/verify-email/{secret}"), None).await).await;
    assert!(
        again.contains("This link is not valid") || again.contains("expired"),
        "{again}"
    );

    let res = call(
        &app,
        "sign-in",
        &form(&[
            ("email", "Karen@Skole.example"),
            ("password", PASSWORD),
            ("next", "/settings"),
        ]),
        None,
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/settings");
    let (cookie, header) = session_cookie(&res).unwrap();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/"));
    assert!(!header.contains("Secure"), "http public URL: no Secure flag");

    let settings = body_text(page(&app, "/settings", Some(&cookie)).await).await;
    assert!(
        settings.contains("karen@skole.example"),
        "the own e-mail is on the settings page"
    );
    assert!(settings.contains("Sign out everywhere"));
}
on_both_databases!(
    register_verify_sign_in,
    s1_register_verify_sign_in_without_javascript
);

// Same refusal for an unknown address and a wrong password; a plain form post gets the
// error back on the form page.
async fn sign_in_refusals_do_not_reveal_accounts(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "karen@skole.example").await;
    let wrong = body_text(
        call(
            &app,
            "sign-in",
            &form(&[("email", "karen@skole.example"), ("password", "nope nope nope")]),
            None,
            false,
        )
        .await,
    )
    .await;
    let unknown = body_text(
        call(
            &app,
            "sign-in",
            &form(&[("email", "nobody@skole.example"), ("password", "nope nope nope")]),
            None,
            false,
        )
        .await,
    )
    .await;
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("signin.failed"));

    let res = call(
        &app,
        "sign-in",
        &form(&[("email", "x@y.example"), ("password", "z")]),
        None,
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = location(&res);
    assert!(
        back.starts_with(&format!("{ORIGIN}/form-page?")) && back.contains("__err="),
        "{back}"
    );
    assert!(session_cookie(&res).is_none());
}
on_both_databases!(sign_in_refusals, sign_in_refusals_do_not_reveal_accounts);

async fn next_never_leaves_the_site(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "karen@skole.example").await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let res = call(
            &app,
            "sign-in",
            &form(&[
                ("email", "karen@skole.example"),
                ("password", PASSWORD),
                ("next", next),
            ]),
            None,
            true,
        )
        .await;
        assert_eq!(location(&res), "/", "{next}");
    }
}
on_both_databases!(open_redirect, next_never_leaves_the_site);

// Attempt limits: per account, with "try again in N seconds", and a wait that works.
async fn sign_in_attempts_are_limited_per_account(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "karen@skole.example").await;
    let bad = form(&[
        ("email", "karen@skole.example"),
        ("password", "wrong wrong wrong"),
    ]);
    for _ in 0..10 {
        let body = body_text(call(&app, "sign-in", &bad, None, false).await).await;
        assert!(body.contains("signin.failed"), "{body}");
    }
    let res = call(&app, "sign-in", &bad, None, false).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = body_text(res).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let secs = v["TooManyAttempts"].as_u64().unwrap_or_else(|| panic!("{body}"));
    assert!(secs > 0 && secs <= 15 * 60);
    assert_eq!(retry_after, secs);
    // Even the right password waits: the limit is on attempts, not failures.
    let good = form(&[("email", "karen@skole.example"), ("password", PASSWORD)]);
    assert!(
        body_text(call(&app, "sign-in", &good, None, false).await)
            .await
            .contains("TooManyAttempts")
    );
    app.platform.clock.advance(Duration::from_secs(secs));
    let res = call(&app, "sign-in", &good, None, false).await;
    assert!(session_cookie(&res).is_some());
}
on_both_databases!(sign_in_limit, sign_in_attempts_are_limited_per_account);

async fn registration_errors_are_per_field_and_store_nothing(db: &TestDb) {
    let app = TestApp::new(db).await;
    let body = form(&[
        ("form[first_name]", ""),
        ("form[last_name]", "Nielsen"),
        ("form[email]", "not-an-address"),
        ("form[password]", "password123"),
        ("form[user_type]", "wizard"),
        ("form[country]", "DK"),
        ("form[subjects][]", "alchemy"),
    ]);
    let res = call(&app, "register", &body, None, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
    let fields: Vec<(&str, &str)> = v["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("first_name", "field.required")));
    assert!(fields.contains(&("email", "field.email_invalid")));
    assert!(fields.contains(&("user_type", "field.invalid_choice")));
    assert!(fields.contains(&("subjects", "field.invalid_choice")));
    assert_eq!(user_count(&app).await, 0);

    registered_and_signed_in(&app, db, "karen@skole.example").await;
    let res = call(
        &app,
        "register",
        &registration("KAREN@skole.example"),
        None,
        false,
    )
    .await;
    // A known address is no error: the answer of a new registration, and nothing stored
    // (see `known_addresses_register_like_new_ones`).
    assert_eq!(res.status(), StatusCode::OK);
    let body = body_text(res).await;
    assert!(
        !body.contains("field.email_taken") && body.contains("/register/sent"),
        "{body}"
    );
    assert_eq!(user_count(&app).await, 1);
}
on_both_databases!(
    registration_errors,
    registration_errors_are_per_field_and_store_nothing
);

/// What a client sees of an answer: status, headers (without the date and the request's
/// id) and body.
async fn answer(res: Response<Body>) -> (StatusCode, Vec<(String, String)>, String) {
    let status = res.status();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(k, _)| *k != header::DATE && k.as_str() != "x-request-id")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    headers.sort();
    (status, headers, body_text(res).await)
}

/// The mails to `to` that contain `needle`.
fn mails_containing(db: &TestDb, to: &str, needle: &str) -> Vec<String> {
    browser::outbox_mails_to(db, to)
        .into_iter()
        .filter(|m| m.contains(needle))
        .collect()
}

// Registration does not tell whether an address has an account: a known address gets the
// answer and the page of a new one, nothing is stored, and the owner is told instead (in
// the owner's language).
async fn known_addresses_register_like_new_ones(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "karen@skole.example").await;
    let karen = user_id(&app, "karen@skole.example").await;
    sqlx::query("UPDATE users SET locale = 'sv' WHERE id = $1")
        .bind(karen)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let before: (String, String, String) =
        sqlx::query_as("SELECT first_name, password_hash, country FROM users WHERE id = $1")
            .bind(karen)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    let other_form = form(&[
        ("form[first_name]", "Mallory"),
        ("form[last_name]", "Someone"),
        ("form[email]", "KAREN@skole.example"),
        ("form[password]", "quiet orchard 93 lantern"),
        ("form[user_type]", "teacher"),
        ("form[country]", "SE"),
    ]);
    for html in [false, true] {
        let fresh = format!("fresh-{html}@skole.example");
        let new = answer(call(&app, "register", &registration(&fresh), None, html).await).await;
        let known = answer(call(&app, "register", &other_form, None, html).await).await;
        assert_eq!(known, new, "html: {html}");
        assert_eq!(new.0, if html { StatusCode::FOUND } else { StatusCode::OK });
        assert_eq!(mails_containing(db, &fresh, "/verify-email/").len(), 1);
    }
    let after_new = main_without_markers(&body_text(page(&app, "/register/sent", None).await).await);
    assert!(after_new.contains("Check your e-mail"), "{after_new}");

    assert_eq!(user_count(&app).await, 3, "karen and the two new addresses");
    let after: (String, String, String) =
        sqlx::query_as("SELECT first_name, password_hash, country FROM users WHERE id = $1")
            .bind(karen)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(after, before, "the known account is untouched");
    let tokens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM one_time_tokens WHERE user_id = $1")
        .bind(karen)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(tokens, 1, "only the first registration's link");

    let notices = mails_containing(db, "karen@skole.example", "/forgot-password");
    assert_eq!(notices.len(), 2, "{notices:?}");
    for n in &notices {
        assert!(
            n.contains("Hej Karen") && n.contains("försökte just registrera"),
            "{n}"
        );
        assert!(n.contains("http://127.0.0.1:3000/sign-in"), "{n}");
        assert!(
            !n.contains("Mallory") && !n.contains("/verify-email/"),
            "nothing of the form, no link that confirms anything: {n}"
        );
    }
}
on_both_databases!(known_registration, known_addresses_register_like_new_ones);

// S17: profiles are for signed-in users, never show the e-mail; anonymous visitors are
// sent to sign in; missing and deactivated profiles look alike.
async fn s17_profiles_show_no_email_and_need_sign_in(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let johan = registered_and_signed_in(&app, db, "johan@skola.example").await;
    let karen_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'karen@skole.example'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let path = format!("/people/{karen_id}");

    let res = page(&app, &path, None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/sign-in?next={path}"));

    let html = body_text(page(&app, &path, Some(&johan)).await).await;
    assert!(html.contains("Karen Nielsen") && html.contains("Denmark") && html.contains("Mathematics"));
    assert!(
        !html.contains("karen@skole.example"),
        "S17: never the e-mail address"
    );

    let missing = page(&app, "/people/999999", Some(&johan)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    sqlx::query("UPDATE users SET status = 'deactivated' WHERE id = $1")
        .bind(karen_id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let hidden = page(&app, &path, Some(&johan)).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let _ = karen;
}
on_both_databases!(profiles, s17_profiles_show_no_email_and_need_sign_in);

// S22: rectification; bad input is refused per field and changes nothing.
async fn s22_users_edit_their_own_profile(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let edit = |website: &str| {
        form(&[
            ("form[first_name]", "Karin"),
            ("form[last_name]", "Nielsen-Berg"),
            ("form[user_type]", "head_of_school"),
            ("form[country]", "SE"),
            ("form[website]", website),
            ("form[languages][]", "sv"),
        ])
    };
    let res = call(
        &app,
        "profile-edit",
        &edit("javascript:alert(1)"),
        Some(&karen),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("field.url_invalid"));
    let name: String = sqlx::query_scalar("SELECT first_name FROM users WHERE email = 'karen@skole.example'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Karen");

    let res = call(
        &app,
        "profile-edit",
        &edit("https://skola.example"),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(location(&res), "/settings/profile?status=saved");
    let row: (String, String, String) =
        sqlx::query_as("SELECT first_name, country, website FROM users WHERE email = 'karen@skole.example'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(row, ("Karin".into(), "SE".into(), "https://skola.example".into()));
    let subjects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_subjects")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(subjects, 0, "unticked subjects are removed");

    // Anonymous: refused, nothing changes.
    let res = call(&app, "profile-edit", &edit("https://x.example"), None, false).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(body_text(res).await.contains("SignInRequired"));
    let res = page(&app, "/settings/profile", None).await;
    assert_eq!(location(&res), "/sign-in?next=/settings/profile");
}
on_both_databases!(profile_edit, s22_users_edit_their_own_profile);

async fn sign_out_and_sign_out_everywhere(db: &TestDb) {
    let app = TestApp::new(db).await;
    let first = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let res = call(
        &app,
        "sign-in",
        &form(&[("email", "karen@skole.example"), ("password", PASSWORD)]),
        None,
        true,
    )
    .await;
    let second = session_cookie(&res).unwrap().0;
    let third = session_cookie(
        &call(
            &app,
            "sign-in",
            &form(&[("email", "karen@skole.example"), ("password", PASSWORD)]),
            None,
            true,
        )
        .await,
    )
    .unwrap()
    .0;

    let res = call(&app, "sign-out", "", Some(&third), true).await;
    assert_eq!(location(&res), "/");
    assert!(session_cookie(&res).unwrap().1.contains("Max-Age=0"));
    assert_eq!(
        location(&page(&app, "/settings", Some(&third)).await),
        "/sign-in?next=/settings"
    );
    assert_eq!(
        page(&app, "/settings", Some(&first)).await.status(),
        StatusCode::OK
    );

    let res = call(&app, "sign-out-everywhere", "", Some(&first), true).await;
    assert_eq!(location(&res), "/sign-in?status=signed-out-everywhere");
    for c in [&first, &second] {
        assert_eq!(
            location(&page(&app, "/settings", Some(c)).await),
            "/sign-in?next=/settings"
        );
    }
    // A tampered cookie is just anonymous.
    let tampered = format!("{}x", first);
    assert_eq!(
        location(&page(&app, "/settings", Some(&tampered)).await),
        "/sign-in?next=/settings"
    );
}
on_both_databases!(sign_out, sign_out_and_sign_out_everywhere);

// S22: changing the e-mail address re-verifies it; the old address is told.
async fn email_change_reverifies(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let res = call(
        &app,
        "change-email",
        &form(&[
            ("email", "karen@new.example"),
            ("current_password", "wrong password here"),
        ]),
        Some(&karen),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("password.wrong"));

    let res = call(
        &app,
        "change-email",
        &form(&[("email", "karen@new.example"), ("current_password", PASSWORD)]),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(location(&res), "/settings?status=email-sent");
    let email: String = sqlx::query_scalar("SELECT email FROM users")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        email, "karen@skole.example",
        "nothing changes before the link is opened"
    );
    let notice = std::fs::read_dir(db.dir.0.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .any(|t| t.contains("To: karen@skole.example") && t.contains("karen@new.example"));
    assert!(notice, "the old address is told");

    let secret = outbox_link(db, "karen@new.example", "/confirm-email/");
    let html = body_text(page(&app, &format!("/confirm-email/{secret}"), None).await).await;
    assert!(html.contains("Your new e-mail address is confirmed"), "{html}");
    let res = call(
        &app,
        "sign-in",
        &form(&[("email", "karen@new.example"), ("password", PASSWORD)]),
        None,
        true,
    )
    .await;
    assert!(session_cookie(&res).is_some());
    let res = call(
        &app,
        "sign-in",
        &form(&[("email", "karen@skole.example"), ("password", PASSWORD)]),
        None,
        false,
    )
    .await;
    assert!(body_text(res).await.contains("signin.failed"));
}
on_both_databases!(email_change, email_change_reverifies);

// Changing to an address that has an account answers as for a free one; the owner of the
// address is told instead of getting a link, and nothing changes.
async fn email_change_to_a_taken_address_looks_like_a_free_one(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;
    registered_and_signed_in(&app, db, "johan@skola.example").await;
    let johan = user_id(&app, "johan@skola.example").await;
    sqlx::query("UPDATE users SET locale = 'da' WHERE id = $1")
        .bind(johan)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let change = |to: &str| form(&[("email", to), ("current_password", PASSWORD)]);
    for html in [false, true] {
        let free = format!("karen-{html}@new.example");
        let to_free = answer(call(&app, "change-email", &change(&free), Some(&karen), html).await).await;
        let to_taken = answer(
            call(
                &app,
                "change-email",
                &change("Johan@Skola.example"),
                Some(&karen),
                html,
            )
            .await,
        )
        .await;
        assert_eq!(to_taken, to_free, "html: {html}");
        assert_eq!(mails_containing(db, &free, "/confirm-email/").len(), 1);
        // Three links an hour per account.
        app.platform.clock.advance(Duration::from_secs(3600));
    }

    let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users ORDER BY id")
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        emails,
        ["karen@skole.example", "johan@skola.example"],
        "nothing changed"
    );
    let links_to_johan: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM one_time_tokens WHERE new_email = 'johan@skola.example'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(links_to_johan, 0);
    assert!(mails_containing(db, "johan@skola.example", "/confirm-email/").is_empty());
    let notices = mails_containing(
        db,
        "johan@skola.example",
        "bedt om at ændre den kontos e-mailadresse til denne",
    );
    assert_eq!(notices.len(), 2, "the owner is told, in Danish");
    assert!(
        notices.iter().all(|n| !n.contains("karen@skole.example")),
        "the notice does not say who asked: {notices:?}"
    );
    // Karen's own address is told about every request, as for a free address.
    let told = mails_containing(db, "karen@skole.example", "johan@skola.example");
    assert_eq!(told.len(), 2);
}
on_both_databases!(
    email_change_taken,
    email_change_to_a_taken_address_looks_like_a_free_one
);

async fn password_change_ends_other_sessions(db: &TestDb) {
    let app = TestApp::new(db).await;
    let this = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let other = session_cookie(
        &call(
            &app,
            "sign-in",
            &form(&[("email", "karen@skole.example"), ("password", PASSWORD)]),
            None,
            true,
        )
        .await,
    )
    .unwrap()
    .0;
    let res = call(
        &app,
        "change-password",
        &form(&[("current_password", PASSWORD), ("new_password", "password")]),
        Some(&this),
        false,
    )
    .await;
    let body = body_text(res).await;
    assert!(
        body.contains("new_password") && body.contains("password.too_short"),
        "{body}"
    );
    let res = call(
        &app,
        "change-password",
        &form(&[
            ("current_password", PASSWORD),
            ("new_password", "quiet harbour 81 violin"),
        ]),
        Some(&this),
        true,
    )
    .await;
    assert_eq!(location(&res), "/settings?status=password-changed");
    assert_eq!(
        page(&app, "/settings", Some(&this)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        location(&page(&app, "/settings", Some(&other)).await),
        "/sign-in?next=/settings"
    );
}
on_both_databases!(password_change, password_change_ends_other_sessions);

async fn reset_request_is_limited_and_says_nothing(db: &TestDb) {
    let app = TestApp::new(db).await;
    registered_and_signed_in(&app, db, "karen@skole.example").await;
    for email in ["karen@skole.example", "nobody@skole.example"] {
        let res = call(&app, "forgot-password", &form(&[("email", email)]), None, true).await;
        assert_eq!(location(&res), "/forgot-password?status=sent");
    }
    for _ in 0..2 {
        call(
            &app,
            "forgot-password",
            &form(&[("email", "karen@skole.example")]),
            None,
            false,
        )
        .await;
    }
    let body = body_text(
        call(
            &app,
            "forgot-password",
            &form(&[("email", "karen@skole.example")]),
            None,
            false,
        )
        .await,
    )
    .await;
    assert!(body.contains("TooManyAttempts"), "{body}");

    let secret = outbox_link(db, "karen@skole.example", "/reset-password/");
    let res = call(
        &app,
        "reset-password",
        &form(&[("secret", &secret), ("password", "bright meadow 12 cello")]),
        None,
        true,
    )
    .await;
    assert_eq!(location(&res), "/sign-in?status=password-reset");
    let res = call(
        &app,
        "reset-password",
        &form(&[("secret", &secret), ("password", "bright meadow 12 cello")]),
        None,
        false,
    )
    .await;
    assert!(body_text(res).await.contains("link.invalid"));
}
on_both_databases!(reset, reset_request_is_limited_and_says_nothing);

async fn header_shows_who_is_signed_in(db: &TestDb) {
    let app = TestApp::new(db).await;
    let anon = body_text(page(&app, "/", None).await).await;
    assert!(anon.contains("href=\"/sign-in\"") && anon.contains("href=\"/register\""));
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;
    let html = body_text(page(&app, "/", Some(&karen)).await).await;
    assert!(html.contains("Karen Nielsen") && html.contains("/api/accounts/sign-out"));
    assert!(!html.contains("href=\"/admin/users\""), "not an admin");
}
on_both_databases!(account_menu, header_shows_who_is_signed_in);

async fn admin_lists_users_with_search_and_filters(db: &TestDb) {
    let app = TestApp::new(db).await;
    let admin = registered_and_signed_in(&app, db, "admin@agora.example").await;
    make_admin(&app, "admin@agora.example").await;
    let johan = registered_and_signed_in(&app, db, "johan@skola.example").await;
    // Johan is Swedish: change his country through his own profile.
    call(
        &app,
        "profile-edit",
        &form(&[
            ("form[first_name]", "Johan"),
            ("form[last_name]", "Berg"),
            ("form[user_type]", "teacher"),
            ("form[country]", "SE"),
        ]),
        Some(&johan),
        false,
    )
    .await;

    let html = body_text(page(&app, "/admin/users", Some(&admin)).await).await;
    assert!(
        html.contains("2 users found") && html.contains("johan@skola.example"),
        "T8: admins see e-mail"
    );
    // Anyone else gets exactly the 404 page, not the admin page's heading above it.
    let refused = page(&app, "/admin/users", Some(&johan)).await;
    let missing = page(&app, "/admin/no-such-page", Some(&johan)).await;
    assert_eq!(
        (refused.status(), missing.status()),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    let (refused, missing) = (body_text(refused).await, body_text(missing).await);
    assert!(!refused.contains("Users ·"), "{refused}");
    assert_eq!(main_without_markers(&refused), main_without_markers(&missing));
    let html = body_text(page(&app, "/admin/users?q=berg", Some(&admin)).await).await;
    assert!(html.contains("1 users found") && html.contains("Johan Berg"));
    let html = body_text(page(&app, "/admin/users?country=DK", Some(&admin)).await).await;
    assert!(html.contains("1 users found") && !html.contains("johan@skola.example"));
    let html = body_text(page(&app, "/admin/users?role=platform_admin", Some(&admin)).await).await;
    assert!(html.contains("1 users found") && html.contains("admin@agora.example"));

    // Not an admin: the page does not exist; anonymous: sign in first.
    let res = page(&app, "/admin/users", Some(&johan)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!body_text(res).await.contains("admin@agora.example"));
    assert_eq!(
        location(&page(&app, "/admin/users", None).await),
        "/sign-in?next=/admin/users"
    );
}
on_both_databases!(admin_users, admin_lists_users_with_search_and_filters);

async fn admin_grants_and_removes_the_validator_role(db: &TestDb) {
    let app = TestApp::new(db).await;
    let admin = registered_and_signed_in(&app, db, "admin@agora.example").await;
    make_admin(&app, "admin@agora.example").await;
    let mette = registered_and_signed_in(&app, db, "mette@skole.example").await;
    let mette_id = user_id(&app, "mette@skole.example").await;
    let grant = |grant: &str| {
        form(&[
            ("user", &mette_id.to_string()),
            ("country", "DK"),
            ("grant", grant),
            ("back", "/admin/users?q=mette"),
        ])
    };
    let post = |body: String, cookie: String| {
        let app = &app;
        async move {
            let b = Request::post("/api/admin/validator")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, ORIGIN)
                .header(header::REFERER, format!("{ORIGIN}/admin/users"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, cookie);
            app.send(b.body(Body::from(body)).unwrap()).await
        }
    };
    // Mette cannot make herself a validator: refused like a missing page, nothing stored.
    let res = post(grant("1"), mette.clone()).await;
    assert!(location(&res).contains("__err="));
    let grants = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM role_grants WHERE role = 'national_validator'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(grants().await, 0);

    let res = post(grant("1"), admin.clone()).await;
    assert_eq!(location(&res), "/admin/users?q=mette");
    assert_eq!(grants().await, 1);
    let actor = app::auth::session::load_actor(&app.platform, mette_id)
        .await
        .unwrap();
    assert!(actor.validates("DK"));
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_role' AND subject = $1")
            .bind(format!("user:{mette_id}"))
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // Granting twice changes nothing.
    post(grant("1"), admin.clone()).await;
    assert_eq!(grants().await, 1);

    post(grant("0"), admin.clone()).await;
    assert_eq!(grants().await, 0);

    // Unknown user: not found.
    let body = form(&[("user", "999999"), ("country", "DK"), ("grant", "1")]);
    assert!(location(&post(body, admin.clone()).await).contains("__err="));
}
on_both_databases!(validator_role, admin_grants_and_removes_the_validator_role);

async fn registration_is_limited_per_address_and_per_account(db: &TestDb) {
    let app = TestApp::new(db).await;
    // The same address again and again (e.g. someone flooding another person's inbox).
    for _ in 0..3 {
        call(
            &app,
            "register",
            &registration("target@skole.example"),
            None,
            false,
        )
        .await;
    }
    let res = call(
        &app,
        "register",
        &registration("target@skole.example"),
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Many addresses from one client address: ten registrations an hour (three so far).
    for i in 0..7 {
        let res = call(
            &app,
            "register",
            &registration(&format!("t{i}@skole.example")),
            None,
            false,
        )
        .await;
        assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
    let res = call(
        &app,
        "register",
        &registration("one-more@skole.example"),
        None,
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        user_count(&app).await,
        8,
        "one for the flooded address, seven others"
    );
}
on_both_databases!(
    registration_limit,
    registration_is_limited_per_address_and_per_account
);

// Every provider sign-in start stores a flow row: one client cannot start them by the hundred.
async fn provider_sign_in_starts_are_limited_per_client(db: &TestDb) {
    let app = TestApp::new(db).await;
    for _ in 0..30 {
        assert_eq!(
            page(&app, "/auth/nowhere/start", None).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let res = page(&app, "/auth/nowhere/start", None).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 600);
    assert!(body_text(res).await.contains("Too many attempts"));
    app.platform.clock.advance(Duration::from_secs(wait));
    assert_eq!(
        page(&app, "/auth/nowhere/start", None).await.status(),
        StatusCode::NOT_FOUND
    );
}
on_both_databases!(
    provider_start_limit,
    provider_sign_in_starts_are_limited_per_client
);
