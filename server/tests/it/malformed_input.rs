//! Issue 13: no input makes a server function fail with 500. Every server function of the
//! app is called with what a careless or hostile client sends: no body, a JSON body,
//! arguments of the wrong type, missing ones, integers that overflow, keys repeated or
//! nested, texts far longer than any field allows (full of `LIKE` wildcards) and control
//! characters, once anonymously and once as a platform admin who owns the course, the
//! organisation and the run the arguments name. The answer is always the caller's error
//! (400, 401, 404, 422, 429) or success, never a server error.
//!
//! The functions and their arguments are read from the app's source, and the list is
//! checked against the server functions the binary registers, so a new function is
//! covered the day it is added.

use crate::common::browser::*;
use crate::common::courses::*;
use crate::common::{TestApp, TestDb, body_text};
use app::auth::sessions;
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
struct Arg {
    name: String,
    ty: String,
}

#[derive(Debug, Clone)]
struct ServerFn {
    endpoint: String,
    args: Vec<Arg>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Splits at commas outside `<>`, `()` and `[]`.
fn split_top(s: &str) -> Vec<String> {
    let (mut depth, mut cur, mut out) = (0i32, String::new(), Vec::new());
    for c in s.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn without_attributes(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(i) = out.find("#[") {
        let mut depth = 0;
        let mut end = i;
        for (j, c) in out[i..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(i..end, "");
    }
    out
}

fn name_and_type(s: &str) -> Option<Arg> {
    let s = without_attributes(s);
    let (name, ty) = s.split_once(':')?;
    Some(Arg {
        name: name.trim().to_string(),
        ty: ty.trim().to_string(),
    })
}

/// Every `#[server(…, endpoint = …)]` function, and every `pub struct`
/// with named fields (for arguments that are forms).
fn read_source() -> (Vec<ServerFn>, BTreeMap<String, Vec<Arg>>) {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
        &mut files,
    );
    let (mut fns, mut structs) = (Vec::new(), BTreeMap::new());
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let mut rest = src.as_str();
        while let Some(i) = rest.find("#[server(") {
            rest = &rest[i..];
            let attr = &rest[..rest.find(")]").unwrap()];
            let Some(e) = attr.find("endpoint = \"") else {
                rest = &rest[1..];
                continue;
            };
            rest = &rest[e + "endpoint = \"".len()..];
            let endpoint = rest[..rest.find('"').unwrap()].to_string();
            let open = rest.find("pub async fn ").unwrap();
            let after = &rest[open..];
            let paren = after.find('(').unwrap();
            let mut depth = 0;
            let mut close = paren;
            for (j, c) in after[paren..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = paren + j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let args = split_top(&after[paren + 1..close])
                .iter()
                .filter_map(|a| name_and_type(a))
                .collect();
            fns.push(ServerFn { endpoint, args });
        }
        let mut rest = src.as_str();
        while let Some(i) = rest.find("pub struct ") {
            rest = &rest[i + 11..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = &rest[name.len()..];
            if !body.trim_start().starts_with('{') {
                continue;
            }
            let end = body.find("\n}").unwrap_or(body.len());
            let fields = body[body.find('{').unwrap() + 1..end]
                .lines()
                .filter_map(|l| l.trim().strip_prefix("pub "))
                .filter_map(|l| name_and_type(l.trim_end_matches(',')))
                .collect();
            structs.insert(name, fields);
        }
    }
    (fns, structs)
}

/// What the world below offers for an argument of this name, as a well-formed value.
struct Values {
    course: String,
    org: String,
    run: i64,
    admin: i64,
}

impl Values {
    fn good(&self, name: &str, ty: &str) -> String {
        match (name, ty) {
            (_, "bool") => "true".into(),
            ("slug", _) => self.course.clone(),
            ("org", "String") => self.org.clone(),
            ("run" | "run_id", _) => self.run.to_string(),
            ("user" | "member", _) => self.admin.to_string(),
            ("email", _) => "someone@example.org".into(),
            (_, t) if is_int(t) => "1".into(),
            _ => "x".into(),
        }
    }
}

fn is_int(ty: &str) -> bool {
    matches!(ty, "i64" | "i32" | "u32" | "u64" | "usize" | "Option<i64>")
}

/// Every leaf form key of an argument with its type: `run`, or `form[title]` for a form.
fn keys(arg: &Arg, structs: &BTreeMap<String, Vec<Arg>>) -> Vec<(String, String)> {
    match structs.get(&arg.ty) {
        Some(fields) => fields
            .iter()
            .map(|f| (format!("{}[{}]", arg.name, f.name), f.ty.clone()))
            .collect(),
        None => vec![(arg.name.clone(), arg.ty.clone())],
    }
}

fn leaf_name(key: &str) -> &str {
    key.rsplit('[').next().unwrap().trim_end_matches(']')
}

/// The bodies to send to one function.
fn bodies(f: &ServerFn, structs: &BTreeMap<String, Vec<Arg>>, v: &Values) -> Vec<(String, &'static str)> {
    let all: Vec<(String, String)> = f.args.iter().flat_map(|a| keys(a, structs)).collect();
    let with = |change: &dyn Fn(&str, &str) -> Option<String>| -> String {
        let pairs: Vec<(String, String)> = all
            .iter()
            .filter_map(|(k, t)| change(k, t).map(|val| (k.clone(), val)))
            .collect();
        form(
            &pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    let good = |k: &str, t: &str| Some(v.good(leaf_name(k), t));
    let huge: String = "a%_\\ø".repeat(12_000);
    let mut out = vec![
        (String::new(), "empty body"),
        (with(&good), "well formed"),
        (
            with(&|k, t| {
                Some(if is_int(t) {
                    v.good(leaf_name(k), t)
                } else {
                    huge.clone()
                })
            }),
            "every text 60,000 characters",
        ),
        (
            with(&|k, t| {
                Some(if is_int(t) {
                    v.good(leaf_name(k), t)
                } else {
                    "a\u{0}\u{1b}[2J\u{202e}\r\nb".into()
                })
            }),
            "control characters",
        ),
        (with(&|_, _| Some("abc".into())), "every value a word"),
        (with(&|_, _| Some(String::new())), "every value empty"),
        (format!("{0}&{0}", with(&good)), "every key twice"),
        (
            all.iter()
                .map(|(k, _)| format!("{}=1", encode(&format!("{k}[a][b]"))))
                .collect::<Vec<_>>()
                .join("&"),
            "keys nested",
        ),
    ];
    for (int, what) in [
        ("99999999999999999999999".to_string(), "integers overflowing"),
        (i64::MAX.to_string(), "integers at the maximum"),
        (i64::MIN.to_string(), "integers at the minimum"),
    ] {
        out.push((
            with(&|k, t| {
                Some(if is_int(t) {
                    int.clone()
                } else {
                    v.good(leaf_name(k), t)
                })
            }),
            what,
        ));
    }
    for (missing, _) in &all {
        out.push((
            with(&|k, t| (k != missing).then(|| v.good(leaf_name(k), t))),
            "one argument missing",
        ));
    }
    out
}

async fn send(
    app: &TestApp,
    endpoint: &str,
    body: String,
    cookie: Option<&str>,
    json: bool,
) -> (StatusCode, String) {
    let mut b = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT, "application/json")
        .header(
            header::CONTENT_TYPE,
            if json {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            },
        );
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let res = app.send(b.body(Body::from(body)).unwrap()).await;
    let status = res.status();
    (status, body_text(res).await)
}

async fn no_input_makes_a_server_error(db: &TestDb) {
    let (fns, structs) = read_source();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let read: BTreeSet<String> = fns.iter().map(|f| f.endpoint.clone()).collect();
    assert_eq!(
        read, registered,
        "the source reading must find every registered server function"
    );
    assert!(fns.len() > 100, "{}", fns.len());

    let app = TestApp::new(db).await;
    let admin = inserted_person(&app, "admin@malformed.example").await;
    make_admin(&app, &admin.email).await;
    let org = organisation(&app, "malformed-org", &admin).await;
    let b = build_course(&app, &admin, &org, "Malformed input", &["One"], 1).await;
    let values = Values {
        course: b.slug.clone(),
        org: org.clone(),
        run: b.run,
        admin: admin.id,
    };
    // Signing out ends the session the rest use: those go last.
    let mut fns = fns;
    fns.sort_by_key(|f| f.endpoint.contains("sign-out"));

    let mut failures = Vec::new();
    let mut sent = 0;
    for f in &fns {
        let p = &app.platform;
        let secret = sessions::create(&p.db, admin.id, None, p.clock.now_ms())
            .await
            .unwrap();
        let cookie = format!("{}={secret}", sessions::COOKIE);
        for (body, what) in bodies(f, &structs, &values) {
            for who in [None, Some(cookie.as_str())] {
                for json in [false, true] {
                    if json && what != "well formed" {
                        continue;
                    }
                    let (status, text) = send(&app, &f.endpoint, body.clone(), who, json).await;
                    sent += 1;
                    if status.is_server_error() {
                        failures.push(format!(
                            "{} ({what}{}, {}): {status} {}",
                            f.endpoint,
                            if json { ", as JSON" } else { "" },
                            if who.is_some() { "admin" } else { "anonymous" },
                            text.chars().take(200).collect::<String>()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
on_both_databases!(every_server_function, no_input_makes_a_server_error);

async fn undecodable_arguments_are_400_with_a_clear_message(db: &TestDb) {
    let app = TestApp::new(db).await;
    for body in ["run=abc", "", "run=99999999999999999999", "run[a]=1"] {
        let (status, text) = send(&app, "courses/enrol", body.to_string(), None, false).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
        assert_eq!(
            text, r#""BadRequest""#,
            "{body}: the decoder's message stays in the log"
        );
    }
    // Without JavaScript the form comes back with the reason, in the visitor's language.
    let res = call(&app, "courses/enrol", "run=abc", None, true).await;
    assert!(res.status().is_redirection(), "{}", res.status());
}
on_both_databases!(undecodable, undecodable_arguments_are_400_with_a_clear_message);

async fn searches_have_a_length_limit(db: &TestDb) {
    let app = TestApp::new(db).await;
    let long = "a".repeat(60_000);
    let res = page(&app, &format!("/catalogue/courses?org={long}"), None).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = body_text(res).await;
    assert!(
        html.contains("The search text is too long. Use at most 200 characters."),
        "{html}"
    );
    let res = page(&app, &format!("/catalogue/courses?org={}", "a".repeat(200)), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .get(&format!("/api/v1/listings?kind=course&organisation={long}"))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
on_both_databases!(search_limits, searches_have_a_length_limit);

async fn control_characters_never_reach_the_database(db: &TestDb) {
    let app = TestApp::new(db).await;
    let admin = inserted_person(&app, "owner@control.example").await;
    let org = organisation(&app, "control-org", &admin).await;
    let b = build_course(&app, &admin, &org, "Control", &["One"], 1).await;
    let module = b.modules[0];
    let res = call(
        &app,
        "courses/add-lesson",
        &form(&[
            ("slug", &b.slug),
            ("module", &module.to_string()),
            (
                "lesson_title",
                "\u{feff}Evil\u{0}\u{1b}[31m\u{202e}txt.exe\u{2066}",
            ),
        ]),
        Some(&admin.cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    let title: String = sqlx::query_scalar("SELECT title FROM lessons ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(title, "Evil[31mtxt.exe");
    // A name on one line: a line break is refused with a reason, not stored.
    let res = call(
        &app,
        "courses/add-lesson",
        &form(&[
            ("slug", &b.slug),
            ("module", &module.to_string()),
            ("lesson_title", "One\ntwo"),
        ]),
        Some(&admin.cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("field.one_line"));
    // Decomposed letters are stored composed (NFC).
    let res = call(
        &app,
        "courses/add-module",
        &form(&[("slug", &b.slug), ("module_title", "Se\u{301}verine")]),
        Some(&admin.cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let title: String = sqlx::query_scalar("SELECT title FROM course_modules ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(title, "S\u{e9}verine");
    // A path naming something with a control character in it names nothing.
    assert_eq!(app.get("/courses/a%00b").await.status(), StatusCode::BAD_REQUEST);
}
on_both_databases!(control_characters, control_characters_never_reach_the_database);
