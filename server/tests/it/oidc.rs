//! Sign-in with other accounts (S6) against a real OpenID Connect provider: the mock of
//! scripts/services/oidc.sh (oauth2-mock-server), on both databases. The app runs in-process;
//! the provider's redirects are followed over HTTP, with a `login_hint` choosing who signs in
//! and what goes wrong (see scripts/services/oidc-mock/server.mjs).

use crate::common::{TestApp, TestDb, body_text};
use agora_server::{AppState, router};
use app::accounts::{db::register, model::Registration};
use app::auth::sessions;
use app::error::AppError;
use app::i18n::Lang;
use app::identities::providers::{Providers, from_vars};
use app::platform::Platform;
use app::ui::redirect::encode_path as encode_query;
use axum::{
    body::Body,
    http::{HeaderMap, Request, Response, StatusCode, header},
};
use serde_json::{Value, json};
use std::{collections::BTreeMap, sync::Arc};

/// Where the app thinks it is reached (the test settings' default public URL).
const ORIGIN: &str = "http://127.0.0.1:3000";

/// The test provider's issuer, or `None` (test skipped) when it is not running.
fn issuer() -> Option<String> {
    match std::env::var("AGORA_TEST_OIDC_ISSUER") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("AGORA_REQUIRE_SERVICES").is_ok() => {
            panic!("AGORA_REQUIRE_SERVICES is set but AGORA_TEST_OIDC_ISSUER is not")
        }
        _ => {
            eprintln!(
                "SKIPPED: OpenID Connect test (start scripts/services/oidc.sh, which sets AGORA_TEST_OIDC_ISSUER)"
            );
            None
        }
    }
}

/// The app with two providers: "mock" (OpenID Connect, discovered from the issuer) and
/// "facebook" (OAuth 2 + Graph-style `/me`) pointed at the same mock.
async fn app(db: &TestDb, issuer: &str) -> TestApp {
    let vars = [
        ("AGORA_AUTH_MOCK_CLIENT_ID", "agora-test"),
        ("AGORA_AUTH_MOCK_CLIENT_SECRET", "agora-test-secret"),
        ("AGORA_AUTH_MOCK_ISSUER", issuer),
        ("AGORA_AUTH_MOCK_NAME", "Mock ID"),
        ("AGORA_AUTH_FACEBOOK_CLIENT_ID", "agora-fb"),
        ("AGORA_AUTH_FACEBOOK_CLIENT_SECRET", "agora-fb-secret"),
        ("AGORA_AUTH_FACEBOOK_AUTH_URL", &format!("{issuer}/authorize")),
        ("AGORA_AUTH_FACEBOOK_TOKEN_URL", &format!("{issuer}/token")),
        ("AGORA_AUTH_FACEBOOK_USERINFO_URL", &format!("{issuer}/userinfo")),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let platform = db.platform().await;
    let settings = db.settings();
    let mut state = AppState::new(settings.clone(), platform.clone()).expect("area configuration");
    state.areas.providers = Arc::new(Providers::new(from_vars(vars).unwrap()));
    let router = router(state);
    TestApp {
        router,
        platform,
        settings,
    }
}

/// Someone at the provider, with a subject no other test uses.
fn person(tag: &str) -> (String, Value) {
    let sub = format!("{tag}-{:012x}", rand::random::<u64>() >> 16);
    let hint = json!({
        "sub": sub,
        "email": format!("{sub}@mail.example"),
        "email_verified": true,
        "given_name": "Robin",
        "family_name": "Mock",
        "name": "Robin Mock",
    });
    (sub, hint)
}

fn with(mut hint: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        hint[k] = v.clone();
    }
    hint
}

fn location(res: &Response<Body>) -> String {
    res.headers()
        .get(header::LOCATION)
        .unwrap_or_else(|| panic!("no Location in a {} response", res.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// A browser: sends the app's cookies back, like Chromium would.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn session(&self) -> Option<&str> {
        self.cookies.get(sessions::COOKIE).map(String::as_str)
    }

    async fn user(&self) -> Option<i64> {
        let p = &self.app.platform;
        sessions::user_for(&p.db, self.session()?, p.clock.now_ms())
            .await
            .unwrap()
    }

    fn keep(&mut self, headers: &HeaderMap) {
        for c in headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
    }

    fn request(&self, req: axum::http::request::Builder) -> axum::http::request::Builder {
        if self.cookies.is_empty() {
            return req;
        }
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        req.header(header::COOKIE, cookie)
    }

    async fn get(&mut self, path: &str) -> Response<Body> {
        let req = self
            .request(
                Request::get(path)
                    .header(header::ACCEPT, "text/html,application/xhtml+xml")
                    .header(header::ACCEPT_LANGUAGE, "en"),
            )
            .body(Body::empty())
            .unwrap();
        let res = self.app.send(req).await;
        self.keep(res.headers());
        res
    }

    /// Calls a server function as the hydrated page does (not as an HTML form).
    async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Result<Option<String>, AppError> {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query(v).replace('/', "%2F")))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .request(
                Request::post(format!("/api/identities/{endpoint}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, ORIGIN)
                    .header(header::ACCEPT_LANGUAGE, "en"),
            )
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        self.keep(res.headers());
        let status = res.status();
        let redirect = res
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string());
        let text = body_text(res).await;
        if status.is_success() {
            Ok(redirect)
        } else {
            Err(serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}")))
        }
    }

    /// Starts a sign-in at `/auth/<provider>/start<query>` and follows the provider's
    /// redirects; returns Agora's answer to the callback.
    async fn sign_in(&mut self, provider: &str, query: &str, hint: &Value) -> Response<Body> {
        let back = self.via_provider(provider, query, hint).await;
        self.get(&back).await
    }

    /// The path and query the provider sends the browser back to.
    async fn via_provider(&mut self, provider: &str, query: &str, hint: &Value) -> String {
        let res = self.get(&format!("/auth/{provider}/start{query}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "start");
        at_provider(&location(&res), hint).await
    }
}

/// The provider's authorization endpoint, with the test's choice of person and behaviour.
async fn at_provider(authorize: &str, hint: &Value) -> String {
    let mut url = reqwest::Url::parse(authorize).unwrap();
    url.query_pairs_mut().append_pair("login_hint", &hint.to_string());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 302, "the mock redirects back");
    let back = res.headers()[header::LOCATION].to_str().unwrap();
    back.strip_prefix(ORIGIN)
        .unwrap_or_else(|| panic!("the provider sent the browser to {back}"))
        .to_string()
}

async fn count(p: &Platform, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&p.db.pool)
        .await
        .unwrap()
}

/// Nothing of a sign-in that did not finish stays, except the notice.
async fn assert_nothing_stored(p: &Platform) {
    assert_eq!(count(p, "users").await, 0, "users");
    assert_eq!(count(p, "user_identities").await, 0, "identities");
    assert_eq!(count(p, "auth_flows").await, 0, "flows");
    assert_eq!(count(p, "sessions").await, 0, "sessions");
}

fn outbox(db: &TestDb) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(db.dir.0.join("outbox"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// The secret after `path` in the newest mail.
fn link_in_last_mail(db: &TestDb, path: &str) -> (String, String) {
    let mail = outbox(db).pop().expect("a mail");
    let secret = mail
        .split(path)
        .nth(1)
        .unwrap_or_else(|| panic!("no {path} link in {mail}"))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (mail, secret)
}

/// A local account with a password and a confirmed address.
async fn local_account(p: &Platform, email: &str) -> i64 {
    let id = register(
        p,
        &Registration {
            first_name: "Karen".into(),
            last_name: "Nielsen".into(),
            email: email.into(),
            user_type: "teacher".into(),
            country: "DK".into(),
            password: "lilac tundra 47 kettle".into(),
            ..Default::default()
        },
        Lang::En,
    )
    .await
    .unwrap()
    .expect("a new account");
    sqlx::query("UPDATE users SET email_verified_at = 1 WHERE id = $1")
        .bind(id)
        .execute(&p.db.pool)
        .await
        .unwrap();
    id
}

async fn identity_owner(p: &Platform, provider: &str, sub: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2")
        .bind(provider)
        .bind(sub)
        .fetch_optional(&p.db.pool)
        .await
        .unwrap()
}

const COMPLETE: &[(&str, &str)] = &[("user_type", "teacher"), ("country", "DK")];

async fn new_account_then_known_identity_signs_straight_in(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (sub, hint) = person("new");

    let mut b = Browser::new(&app);
    let res = b.get("/auth/mock/start?next=/courses").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let authorize = location(&res);
    assert!(
        authorize.starts_with(&format!("{issuer}/authorize?")),
        "{authorize}"
    );
    for param in [
        "response_type=code",
        "client_id=agora-test",
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "scope=openid+email+profile",
    ] {
        assert!(authorize.contains(param), "{param} in {authorize}");
    }
    let flow_cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        flow_cookie.starts_with("agora_signin=")
            && flow_cookie.contains("HttpOnly")
            && flow_cookie.contains("SameSite=Lax"),
        "{flow_cookie}"
    );
    // The database holds the cookie's hash only, and nothing the provider sees.
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM auth_flows")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, b.cookies["agora_signin"]);
    assert!(!authorize.contains(&stored));

    let back = at_provider(&authorize, &hint).await;
    let res = b.get(&back).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/welcome");
    assert_eq!(
        count(p, "users").await,
        0,
        "no account before the user completes it"
    );

    let res = b.get("/welcome").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    assert!(html.contains("Complete your account"), "{html}");
    assert!(
        html.contains(&format!("{sub}@mail.example")),
        "the provider's address is shown"
    );
    assert!(
        !html.contains("name=\"email\""),
        "an e-mail the provider gave is not asked again"
    );
    assert!(!html.contains("name=\"first_name\""), "nor the name");
    assert!(html.contains("name=\"user_type\"") && html.contains("name=\"country\""));
    assert!(
        html.contains("<input type=\"checkbox\" id=\"newsletter\" name=\"newsletter\" value=\"true\"/>")
            || html
                .contains("<input type=\"checkbox\" id=\"newsletter\" name=\"newsletter\" value=\"true\">"),
        "the newsletter box is unticked"
    );

    let err = b.call("complete", &[("user_type", "wizard")]).await.unwrap_err();
    assert_eq!(
        err.for_field("user_type"),
        Some(app::i18n::Msg::FieldInvalidChoice)
    );
    assert_eq!(err.for_field("country"), Some(app::i18n::Msg::FieldInvalidChoice));

    let redirect = b.call("complete", COMPLETE).await.unwrap();
    assert_eq!(redirect.as_deref(), Some("/courses"));
    let user = b.user().await.expect("signed in");
    assert!(!b.cookies.contains_key("agora_signin"), "the flow cookie is gone");
    let (email, first, last, hash, verified): (String, String, String, Option<String>, Option<i64>) =
        sqlx::query_as(
            "SELECT email, first_name, last_name, password_hash, email_verified_at FROM users WHERE id = $1",
        )
        .bind(user)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (email.as_str(), first.as_str(), last.as_str()),
        (format!("{sub}@mail.example").as_str(), "Robin", "Mock")
    );
    assert!(hash.is_none(), "no password");
    assert!(verified.is_some(), "the provider vouched for the address");
    let newsletter: i64 = sqlx::query_scalar("SELECT granted FROM consents WHERE user_id = $1")
        .bind(user)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(newsletter, 0);
    // S6: subject and e-mail are what is kept of the provider account.
    let (provider, subject, id_email): (String, String, Option<String>) =
        sqlx::query_as("SELECT provider, subject, email FROM user_identities WHERE user_id = $1")
            .bind(user)
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!((provider.as_str(), subject.as_str()), ("mock", sub.as_str()));
    assert_eq!(id_email, Some(email.clone()));
    assert_eq!(count(p, "auth_flows").await, 0);

    let res = b.get("/settings/accounts").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    assert!(
        html.contains("Sign-in methods") && html.contains("Mock ID"),
        "{html}"
    );
    assert!(html.contains("Remove Mock ID") && html.contains("Link Facebook"));

    // Later, in another browser that has an old session of someone else: straight in, and
    // that old session is gone (rotation).
    let other = local_account(p, "other@skole.example").await;
    let old = sessions::create(&p.db, other, None, p.clock.now_ms())
        .await
        .unwrap();
    let mut b2 = Browser::new(&app);
    b2.cookies.insert(sessions::COOKIE.into(), old.clone());
    let res = b2.sign_in("mock", "?next=/organisations", &hint).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/organisations");
    assert_eq!(b2.user().await, Some(user));
    assert_eq!(
        sessions::user_for(&p.db, &old, p.clock.now_ms()).await.unwrap(),
        None
    );
    assert_eq!(count(p, "users").await, 2, "no second account");
}
on_both_databases!(
    new_account_then_sign_in,
    new_account_then_known_identity_signs_straight_in
);

async fn facebook_signs_in_through_graph_me(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let (sub, hint) = person("fb");
    let mut b = Browser::new(&app);
    let back = b.via_provider("facebook", "", &hint).await;
    assert!(!back.contains("nonce"), "plain OAuth 2");
    let res = b.get(&back).await;
    assert_eq!(location(&res), "/welcome");
    assert_eq!(b.call("complete", COMPLETE).await.unwrap().as_deref(), Some("/"));
    let user = b.user().await.expect("signed in");
    assert_eq!(identity_owner(&app.platform, "facebook", &sub).await, Some(user));
}
on_both_databases!(facebook, facebook_signs_in_through_graph_me);

async fn mismatched_state_is_refused_and_stores_nothing(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (_, hint) = person("state");

    let mut b = Browser::new(&app);
    let back = b.via_provider("mock", "", &hint).await;
    let forged = back.replacen("state=", "state=x", 1);
    let res = b.get(&forged).await;
    assert_eq!(location(&res), "/auth/notice?m=state");
    assert_nothing_stored(p).await;
    // The flow was single-use: the genuine answer now finds nothing either.
    let res = b.get(&back).await;
    assert_eq!(location(&res), "/auth/notice?m=expired");
    assert_nothing_stored(p).await;

    // An answer arriving in a browser that did not start the sign-in (login CSRF).
    let mut victim = Browser::new(&app);
    let back = Browser::new(&app).via_provider("mock", "", &hint).await;
    let res = victim.get(&back).await;
    assert_eq!(location(&res), "/auth/notice?m=expired");
    assert!(victim.session().is_none());

    let html = body_text(b.get("/auth/notice?m=state").await).await;
    assert!(html.contains("Sign-in could not be verified"), "{html}");
}
on_both_databases!(mismatched_state, mismatched_state_is_refused_and_stores_nothing);

async fn denied_consent_and_provider_errors_are_explained(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (_, hint) = person("err");
    let cases = [
        (json!({"error": "access_denied"}), "denied"),
        (json!({"error": "server_error"}), "provider"),
        (json!({"token_error": "invalid_grant"}), "provider"),
        (json!({"nonce": "replayed"}), "provider"),
        (json!({"aud": "some-other-client"}), "provider"),
    ];
    for (extra, notice) in cases {
        let mut b = Browser::new(&app);
        let res = b.sign_in("mock", "", &with(hint.clone(), extra.clone())).await;
        assert_eq!(location(&res), format!("/auth/notice?m={notice}"), "{extra}");
        assert!(!b.cookies.contains_key("agora_signin"));
        assert_nothing_stored(p).await;
    }
    let mut b = Browser::new(&app);
    let res = b
        .app
        .send(
            Request::get("/auth/notice?m=denied")
                .header(header::ACCEPT_LANGUAGE, "da")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = body_text(res).await;
    assert!(html.contains("Log ind annulleret"), "translated: {html}");
    assert!(html.contains("/auth/mock/start"), "offers to try again");
    let html = body_text(b.get("/auth/notice?m=provider").await).await;
    assert!(html.contains("The other service reported a problem"));
}
on_both_databases!(provider_errors, denied_consent_and_provider_errors_are_explained);

async fn missing_email_is_asked_and_confirmed_by_link(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (sub, hint) = person("noemail");
    let hint = with(
        hint,
        json!({"email": null, "email_verified": null, "given_name": null, "family_name": null, "name": null}),
    );
    let mut b = Browser::new(&app);
    let res = b.sign_in("mock", "?next=/courses", &hint).await;
    assert_eq!(location(&res), "/welcome");
    let html = body_text(b.get("/welcome").await).await;
    assert!(html.contains("name=\"email\"") && html.contains("did not give us an e-mail address"));
    assert!(html.contains("name=\"first_name\"") && html.contains("name=\"last_name\""));

    let err = b.call("complete", COMPLETE).await.unwrap_err();
    for field in ["email", "first_name", "last_name"] {
        assert_eq!(
            err.for_field(field),
            Some(app::i18n::Msg::FieldRequired),
            "{field}"
        );
    }
    let mut form = COMPLETE.to_vec();
    form.extend([
        ("email", " Robin.Typed@Mail.Example "),
        ("first_name", "Robin"),
        ("last_name", "Typed"),
        ("newsletter", "true"),
    ]);
    let redirect = b.call("complete", &form).await.unwrap();
    assert_eq!(redirect.as_deref(), Some("/auth/notice?m=verify_sent"));
    assert!(
        b.user().await.is_none(),
        "not signed in before the address is confirmed"
    );
    let user: i64 = sqlx::query_scalar(
        "SELECT id FROM users WHERE email = 'robin.typed@mail.example' AND email_verified_at IS NULL",
    )
    .fetch_one(&p.db.pool)
    .await
    .unwrap();
    let granted: i64 = sqlx::query_scalar("SELECT granted FROM consents WHERE user_id = $1")
        .bind(user)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(granted, 1, "ticked by the user");
    let (mail, secret) = link_in_last_mail(db, "/verify-email/");
    assert!(mail.contains("To: robin.typed@mail.example"), "{mail}");

    // The account cannot be used yet.
    let res = Browser::new(&app).sign_in("mock", "", &hint).await;
    assert_eq!(location(&res), "/auth/notice?m=unverified");
    app::accounts::db::verify_email(p, &secret).await.unwrap();
    let mut b = Browser::new(&app);
    let res = b.sign_in("mock", "?next=/courses", &hint).await;
    assert_eq!(location(&res), "/courses");
    assert_eq!(b.user().await, Some(user));
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(user));
}
on_both_databases!(missing_email, missing_email_is_asked_and_confirmed_by_link);

async fn a_matching_email_is_linked_only_with_the_password(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let karen = local_account(p, "karen@skole.example").await;
    let (sub, hint) = person("match");
    let hint = with(hint, json!({"email": "Karen@Skole.example"}));

    let mut b = Browser::new(&app);
    let res = b.sign_in("mock", "?next=/courses", &hint).await;
    assert_eq!(location(&res), "/link-account", "never linked silently");
    assert_eq!(identity_owner(p, "mock", &sub).await, None);
    let html = body_text(b.get("/link-account").await).await;
    assert!(
        html.contains("karen@skole.example") && html.contains("Link your account"),
        "{html}"
    );
    // /welcome cannot be used to make a second account with that address.
    assert_eq!(
        b.call("complete", COMPLETE).await.unwrap().as_deref(),
        Some("/link-account")
    );
    assert_eq!(count(p, "users").await, 1);

    let err = b
        .call("link-password", &[("password", "not the password")])
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Refused("oidc.link.wrong_password".into()));
    assert_eq!(identity_owner(p, "mock", &sub).await, None);
    assert!(b.user().await.is_none());

    let redirect = b
        .call("link-password", &[("password", "lilac tundra 47 kettle")])
        .await
        .unwrap();
    assert_eq!(redirect.as_deref(), Some("/courses"));
    assert_eq!(b.user().await, Some(karen));
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(karen));
    assert_eq!(count(p, "auth_flows").await, 0);

    // Wrong passwords are limited per sign-in.
    local_account(p, "lars@skole.example").await;
    let (_, hint) = person("guess");
    let mut b = Browser::new(&app);
    b.sign_in("mock", "", &with(hint, json!({"email": "lars@skole.example"})))
        .await;
    for _ in 0..5 {
        b.call("link-password", &[("password", "guess guess guess")])
            .await
            .unwrap_err();
    }
    let err = b
        .call("link-password", &[("password", "lilac tundra 47 kettle")])
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Refused("oidc.too_many".into()));
    assert!(b.user().await.is_none());
}
on_both_databases!(
    link_with_password,
    a_matching_email_is_linked_only_with_the_password
);

async fn a_matching_email_is_linked_with_the_mailed_link_in_the_same_browser(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let karen = local_account(p, "karen@skole.example").await;
    let (sub, hint) = person("proof");
    let hint = with(hint, json!({"email": "karen@skole.example"}));
    let mut b = Browser::new(&app);
    assert_eq!(
        location(&b.sign_in("mock", "?next=/courses", &hint).await),
        "/link-account"
    );

    assert_eq!(b.call("link-email", &[]).await.unwrap(), None);
    let (mail, proof) = link_in_last_mail(db, "/link-account/");
    assert!(
        mail.contains("To: karen@skole.example") && mail.contains("Mock ID"),
        "{mail}"
    );
    let html = body_text(b.get("/link-account").await).await;
    assert!(
        html.contains("We have sent a link to karen@skole.example"),
        "{html}"
    );

    // The owner opening the link in another browser links nothing (it proves the mailbox,
    // not who holds the provider account).
    let mut elsewhere = Browser::new(&app);
    let res = elsewhere.get(&format!("/link-account/{proof}")).await;
    assert_eq!(location(&res), "/auth/notice?m=link_invalid");
    assert_eq!(identity_owner(p, "mock", &sub).await, None);
    // A forged link in the right browser neither.
    let res = b.get("/link-account/forged").await;
    assert_eq!(location(&res), "/auth/notice?m=link_invalid");

    let res = b.get(&format!("/link-account/{proof}")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/courses");
    assert_eq!(b.user().await, Some(karen));
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(karen));
    let res = b.get(&format!("/link-account/{proof}")).await;
    assert_eq!(location(&res), "/auth/notice?m=link_invalid", "single use");
}
on_both_databases!(
    link_with_mail,
    a_matching_email_is_linked_with_the_mailed_link_in_the_same_browser
);

/// The page's `<main>` without the address shown in it.
fn welcome_main(html: &str, email: &str) -> String {
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    main.replace(email, "ADDRESS")
}

// An address the provider does not vouch for, or one typed at /welcome, is never said to
// have an account: a known one is answered like a new one, nothing is stored or linked, and
// the account's owner is told (in their language) how to link the provider themselves.
async fn unvouched_and_typed_addresses_of_accounts_look_new(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let karen = local_account(p, "karen@skole.example").await;
    sqlx::query("UPDATE users SET locale = 'da' WHERE id = $1")
        .bind(karen)
        .execute(&p.db.pool)
        .await
        .unwrap();

    // From the provider, not vouched for.
    let mut answers = Vec::new();
    for email in ["karen@skole.example", "unvouched-new@mail.example"] {
        let (_, hint) = person("unvouched");
        let hint = with(hint, json!({"email": email, "email_verified": false}));
        let mut b = Browser::new(&app);
        let res = b.sign_in("mock", "?next=/courses", &hint).await;
        let at = location(&res);
        let page = welcome_main(&body_text(b.get("/welcome").await).await, email);
        let done = b.call("complete", COMPLETE).await;
        answers.push((at, page, done, b.cookies.keys().cloned().collect::<Vec<_>>()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, "/welcome");
    assert_eq!(answers[0].2, Ok(Some("/auth/notice?m=verify_sent".into())));

    // Typed at /welcome, the provider giving no address.
    let mut answers = Vec::new();
    for email in ["Karen@Skole.example", "typed-new@mail.example"] {
        let (_, hint) = person("typed");
        let hint = with(hint, json!({"email": null, "email_verified": null}));
        let mut b = Browser::new(&app);
        let at = location(&b.sign_in("mock", "", &hint).await);
        let mut form = COMPLETE.to_vec();
        form.push(("email", email));
        let done = b.call("complete", &form).await;
        answers.push((at, done, b.cookies.keys().cloned().collect::<Vec<_>>()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].1, Ok(Some("/auth/notice?m=verify_sent".into())));

    assert_eq!(count(p, "users").await, 3, "karen and the two new addresses");
    assert_eq!(count(p, "auth_flows").await, 0, "both sign-ins ended");
    let karens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE user_id = $1")
        .bind(karen)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(karens, 0, "nothing linked to the known account");
    let to_karen: Vec<String> = outbox(db)
        .into_iter()
        .filter(|m| m.contains("To: karen@skole.example") && !m.contains("Confirm your e-mail"))
        .collect();
    assert_eq!(
        to_karen.len(),
        2,
        "one notice for each, and nothing else: {to_karen:?}"
    );
    for m in &to_karen {
        assert!(m.contains("Hej Karen") && m.contains("Mock ID"), "{m}");
        assert!(m.contains(&format!("{ORIGIN}/settings/accounts")), "{m}");
        assert!(
            !m.contains("/link-account/") && !m.contains("/verify-email/"),
            "no link that links or confirms anything: {m}"
        );
    }
}
on_both_databases!(
    unvouched_addresses,
    unvouched_and_typed_addresses_of_accounts_look_new
);

async fn an_identity_of_another_account_is_refused(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let a = local_account(p, "a@skole.example").await;
    let b_id = local_account(p, "b@skole.example").await;
    let (sub, hint) = person("shared");

    let mut a_browser = Browser::new(&app);
    a_browser.cookies.insert(
        sessions::COOKIE.into(),
        sessions::create(&p.db, a, None, p.clock.now_ms()).await.unwrap(),
    );
    let res = a_browser.sign_in("mock", "?link=1", &hint).await;
    assert_eq!(location(&res), "/settings/accounts?m=linked");
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(a));
    let html = body_text(a_browser.get("/settings/accounts?m=linked").await).await;
    assert!(html.contains("The account has been linked"));

    let mut b_browser = Browser::new(&app);
    b_browser.cookies.insert(
        sessions::COOKIE.into(),
        sessions::create(&p.db, b_id, None, p.clock.now_ms())
            .await
            .unwrap(),
    );
    let res = b_browser.sign_in("mock", "?link=1", &hint).await;
    assert_eq!(location(&res), "/settings/accounts?m=taken");
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(a), "still A's");
    let html = body_text(b_browser.get("/settings/accounts?m=taken").await).await;
    assert!(html.contains("already linked to another Agora account"));
    assert!(!html.contains("a@skole.example"), "without saying which");

    // Linking needs a signed-in account; a link flow whose session ended links nothing.
    let mut anon = Browser::new(&app);
    let res = anon.get("/auth/mock/start?link=1").await;
    assert_eq!(location(&res), "/sign-in?next=/settings/accounts");
    let (sub2, hint2) = person("ended");
    let back = b_browser.via_provider("mock", "?link=1", &hint2).await;
    sessions::end_all(&p.db, b_id).await.unwrap();
    let res = b_browser.get(&back).await;
    assert_eq!(location(&res), "/auth/notice?m=expired");
    assert_eq!(identity_owner(p, "mock", &sub2).await, None);
}
on_both_databases!(identity_taken, an_identity_of_another_account_is_refused);

async fn the_last_way_in_cannot_be_unlinked(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (sub, hint) = person("only");
    let mut b = Browser::new(&app);
    b.sign_in("mock", "", &hint).await;
    b.call("complete", COMPLETE).await.unwrap();
    let user = b.user().await.unwrap();
    let first: i64 = sqlx::query_scalar("SELECT id FROM user_identities WHERE subject = $1")
        .bind(&sub)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    let id = first.to_string();
    let err = b.call("unlink", &[("id", &id)]).await.unwrap_err();
    assert_eq!(err, AppError::Refused("oidc.unlink_last".into()));
    assert_eq!(identity_owner(p, "mock", &sub).await, Some(user));

    // With a second way in, the first can go; then the second is the last.
    let (sub2, hint2) = person("second");
    let res = b.sign_in("facebook", "?link=1", &hint2).await;
    assert_eq!(location(&res), "/settings/accounts?m=linked");
    assert_eq!(
        b.call("unlink", &[("id", &id)]).await.unwrap().as_deref(),
        Some("/settings/accounts?m=unlinked")
    );
    assert_eq!(identity_owner(p, "mock", &sub).await, None);
    let second: i64 = sqlx::query_scalar("SELECT id FROM user_identities WHERE subject = $1")
        .bind(&sub2)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    let err = b
        .call("unlink", &[("id", &second.to_string())])
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Refused("oidc.unlink_last".into()));

    // An account with a password may remove its only identity.
    let karen = local_account(p, "karen@skole.example").await;
    let mut k = Browser::new(&app);
    k.cookies.insert(
        sessions::COOKIE.into(),
        sessions::create(&p.db, karen, None, p.clock.now_ms())
            .await
            .unwrap(),
    );
    let (sub3, hint3) = person("pw");
    k.sign_in("mock", "?link=1", &hint3).await;
    let third: i64 = sqlx::query_scalar("SELECT id FROM user_identities WHERE subject = $1")
        .bind(&sub3)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    k.call("unlink", &[("id", &third.to_string())]).await.unwrap();
    assert_eq!(identity_owner(p, "mock", &sub3).await, None);
}
on_both_databases!(unlink_last, the_last_way_in_cannot_be_unlinked);

async fn next_must_be_a_local_path(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;
    let (_, hint) = person("next");
    let mut b = Browser::new(&app);
    b.sign_in("mock", "", &hint).await;
    b.call("complete", COMPLETE).await.unwrap();
    for next in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
        "/%09/evil.example",
        "evil.example",
    ] {
        let mut b = Browser::new(&app);
        let res = b.sign_in("mock", &format!("?next={next}"), &hint).await;
        assert_eq!(location(&res), "/", "next={next}");
        assert!(b.user().await.is_some());
    }
    let mut b = Browser::new(&app);
    let res = b.sign_in("mock", "?next=/courses%3Fpage%3D2", &hint).await;
    assert_eq!(location(&res), "/courses?page=2");
    assert_eq!(count(p, "users").await, 1);
}
on_both_databases!(open_redirect, next_must_be_a_local_path);

async fn every_server_function_refuses_the_wrong_person(db: &TestDb) {
    let Some(issuer) = issuer() else { return };
    let app = app(db, &issuer).await;
    let p = &app.platform;

    // A provider-only account with one identity, signed in in its owner's browser.
    let (sub, hint) = person("owner");
    let mut owner = Browser::new(&app);
    owner.sign_in("mock", "", &hint).await;
    owner.call("complete", COMPLETE).await.unwrap();
    let owner_id = owner.user().await.unwrap();
    let identity: i64 = sqlx::query_scalar("SELECT id FROM user_identities WHERE subject = $1")
        .bind(&sub)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    // Someone else's pending sign-in, to be finished by neither stranger below.
    let karen = local_account(p, "karen@skole.example").await;
    let (victim_sub, victim_hint) = person("victim");
    let mut victim = Browser::new(&app);
    victim
        .sign_in(
            "mock",
            "",
            &with(victim_hint, json!({"email": "karen@skole.example"})),
        )
        .await;
    let mails = outbox(db).len();

    let mut anon = Browser::new(&app);
    let karen_session = sessions::create(&p.db, karen, None, p.clock.now_ms())
        .await
        .unwrap();
    let mut other = Browser::new(&app);
    other.cookies.insert(sessions::COOKIE.into(), karen_session);
    for stranger in [&mut anon, &mut other] {
        assert_eq!(
            stranger.call("pending", &[]).await.unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            stranger.call("complete", COMPLETE).await.unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            stranger
                .call("link-password", &[("password", "lilac tundra 47 kettle")])
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            stranger.call("link-email", &[]).await.unwrap_err(),
            AppError::NotFound
        );
        let err = stranger
            .call("unlink", &[("id", &identity.to_string())])
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::NotFound | AppError::SignInRequired),
            "{err:?}"
        );
        let res = stranger.get("/welcome").await;
        assert!(body_text(res).await.contains("No sign-in in progress"));
    }
    assert_eq!(
        anon.call("mine", &[]).await.unwrap_err(),
        AppError::SignInRequired
    );
    assert_eq!(
        anon.call("unlink", &[("id", &identity.to_string())])
            .await
            .unwrap_err(),
        AppError::SignInRequired
    );
    let res = anon.get("/settings/accounts").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/sign-in?next=/settings/accounts");
    // Karen sees her own methods only.
    let mine = other.call("mine", &[]).await;
    assert!(mine.is_ok());
    // A pending sign-in for a new account cannot be used to prove ownership of another.
    let (_, fresh) = person("fresh");
    let mut newcomer = Browser::new(&app);
    newcomer.sign_in("mock", "", &fresh).await;
    assert_eq!(
        newcomer
            .call("link-password", &[("password", "lilac tundra 47 kettle")])
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        newcomer.call("link-email", &[]).await.unwrap_err(),
        AppError::NotFound
    );

    assert_eq!(
        identity_owner(p, "mock", &sub).await,
        Some(owner_id),
        "nothing unlinked"
    );
    assert_eq!(
        identity_owner(p, "mock", &victim_sub).await,
        None,
        "nothing linked"
    );
    assert_eq!(outbox(db).len(), mails, "no mail sent");
    assert_eq!(count(p, "users").await, 2, "no account created");
    // The rightful holders still can.
    assert!(victim.call("pending", &[]).await.is_ok());
    let providers = anon.call("providers", &[]).await;
    assert!(providers.is_ok(), "the provider list is public");
}
on_both_databases!(wrong_person, every_server_function_refuses_the_wrong_person);

/// Without provider variables nothing shows and nothing starts.
#[tokio::test]
async fn unconfigured_providers_do_not_exist() {
    let db = TestDb::new(crate::common::Backend::Sqlite).await.unwrap();
    let app = TestApp::new(&db).await;
    let areas = agora_server::startup::area_config(&app.settings).unwrap();
    assert!(areas.providers.list().is_empty());
    let res = app.get("/auth/nowhere/start").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.get("/auth/nowhere/callback?code=x&state=y").await;
    assert_eq!(location(&res), "/auth/notice?m=expired");
}
