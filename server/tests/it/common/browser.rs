//! A browser's view of the app for HTTP tests: form bodies, server-function calls with and
//! without JavaScript, page loads, cookies, and the account every such test starts with.
use super::{TestApp, TestDb, body_text};
use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};

pub const ORIGIN: &str = "http://127.0.0.1:3000";
pub const PASSWORD: &str = "lilac tundra 47 kettle";

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A browser request to a server function: `html` is a plain form post (no JavaScript).
pub async fn call(
    app: &TestApp,
    endpoint: &str,
    body: &str,
    cookie: Option<&str>,
    html: bool,
) -> Response<Body> {
    let mut b = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::REFERER, format!("{ORIGIN}/form-page"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::ACCEPT,
            if html {
                "text/html,application/xhtml+xml"
            } else {
                "application/json"
            },
        );
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::from(body.to_string())).unwrap()).await
}

pub async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> Response<Body> {
    let mut b = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

pub fn location(res: &Response<Body>) -> String {
    res.headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// `agora_session=<secret>` from a response's Set-Cookie, with the whole header.
pub fn session_cookie(res: &Response<Body>) -> Option<(String, String)> {
    res.headers().get_all(header::SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().unwrap();
        let pair = v.split(';').next().unwrap();
        pair.starts_with("agora_session=")
            .then(|| (pair.to_string(), v.to_string()))
    })
}

pub fn registration(email: &str) -> String {
    form(&[
        ("form[first_name]", "Karen"),
        ("form[last_name]", "Nielsen"),
        ("form[email]", email),
        ("form[password]", PASSWORD),
        ("form[user_type]", "teacher"),
        ("form[country]", "DK"),
        ("form[role_at_school]", "Maths"),
        ("form[subjects][]", "mathematics"),
        ("form[subjects][]", "physics"),
        ("form[languages][]", "da"),
        ("form[newsletter]", "on"),
    ])
}

pub fn outbox_link(db: &TestDb, to: &str, path: &str) -> String {
    let dir = db.dir.0.join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files.iter().rev() {
        let text = std::fs::read_to_string(f).unwrap();
        if text.contains(&format!("To: {to}")) && text.contains(path) {
            return text
                .split(path)
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
                .to_string();
        }
    }
    panic!("no mail to {to} with {path}");
}

/// Every mail in the outbox to `to` (none when nothing was sent yet).
pub fn outbox_mails_to(db: &TestDb, to: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(db.dir.0.join("outbox")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|text| text.contains(&format!("To: {to}")))
        .collect()
}

/// The mails to `to`, once there are `n` (for mails sent after the answer); panics after
/// 5 s.
pub async fn mails_to(db: &TestDb, to: &str, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let found = outbox_mails_to(db, to);
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} mails to {to}");
}

/// The page's main content and the data sent for hydration, without the per-request
/// nonce and the viewer's own header: what tells one 404 from another, if anything did.
pub fn main_of(body: &str) -> String {
    let start = body.find("<main").expect("a main element");
    let end = body.find("</main>").expect("a main element");
    let data = body
        .split("__RESOLVED_RESOURCES[")
        .skip(2)
        .map(|d| d.split("</script>").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("|");
    format!("{}{data}", &body[start..end])
}

/// Registers and verifies an account through the pages; returns its session cookie.
pub async fn registered_and_signed_in(app: &TestApp, db: &TestDb, email: &str) -> String {
    let res = call(app, "accounts/register", &registration(email), None, true).await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    let secret = outbox_link(db, email, "/verify-email/");
    let res = page(app, &format!("/verify-email/{secret}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = call(
        app,
        "accounts/sign-in",
        &form(&[("email", email), ("password", PASSWORD)]),
        None,
        true,
    )
    .await;
    session_cookie(&res).expect("session cookie").0
}

pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

/// Makes the account `email` a platform admin.
pub async fn make_admin(app: &TestApp, email: &str) {
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', 0)",
    )
    .bind(user_id(app, email).await)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
}

/// The `<main>` element's markup without comments (the hydration markers of `Suspense`).
pub fn main_without_markers(html: &str) -> String {
    let mut rest = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let mut out = String::new();
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("-->").unwrap();
        rest = &rest[start + end + 3..];
    }
    out.push_str(rest);
    out
}
