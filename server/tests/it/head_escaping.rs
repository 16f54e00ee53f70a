//! Issue 13: user text never adds markup to a page. Every route of the app is rendered
//! with hostile text in every name and title a page can show (`</title>`, a `<meta>`
//! refresh, a `<script>`, quotes, `&`): the `<head>` must parse to exactly one `title`
//! holding the literal text and nothing the page did not put there, and no element of
//! the hostile text may appear anywhere in the document. The routes come from the app's
//! own route list, so a new page without an entry in `path_for` fails this test until it
//! is given one.

use crate::common::browser::*;
use crate::common::courses::*;
use crate::common::{TestApp, TestDb, body_text};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use std::cell::RefCell;

/// What every name and title of the world below holds.
/// (Under 100 characters with a word before it: the shortest title limit is 100.)
const HOSTILE: &str =
    r#"</title><meta http-equiv=refresh content="0;url=//evil.example/"><script><x-probe> "q"'a'&b"#;

fn hostile(what: &str) -> String {
    format!("{what} {HOSTILE}")
}

/// One element start tag as the browser's tokenizer sees it.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    in_head: bool,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Parsed {
    elements: Vec<Element>,
    titles: Vec<String>,
}

#[derive(Default)]
struct Collector {
    parsed: RefCell<Parsed>,
    in_head: RefCell<bool>,
    in_title: RefCell<Option<String>>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == EndTag {
                    if name == "head" {
                        *self.in_head.borrow_mut() = false;
                    }
                    if name == "title"
                        && let Some(text) = self.in_title.borrow_mut().take()
                    {
                        self.parsed.borrow_mut().titles.push(text);
                    }
                    return TokenSinkResult::Continue;
                }
                debug_assert_eq!(tag.kind, StartTag);
                if name == "head" {
                    *self.in_head.borrow_mut() = true;
                }
                if name == "body" {
                    *self.in_head.borrow_mut() = false;
                }
                self.parsed.borrow_mut().elements.push(Element {
                    name: name.clone(),
                    attrs: tag
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                    in_head: *self.in_head.borrow(),
                });
                // The states the HTML tree builder switches the tokenizer to, so text
                // inside these elements is read as the browser reads it.
                match name.as_str() {
                    // The document's title; a `<title>` in the body belongs to an SVG chart.
                    "title" if *self.in_head.borrow() => {
                        *self.in_title.borrow_mut() = Some(String::new());
                        TokenSinkResult::RawData(RawKind::Rcdata)
                    }
                    "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                }
            }
            CharacterTokens(text) => {
                if let Some(t) = self.in_title.borrow_mut().as_mut() {
                    t.push_str(&text);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

fn parse(html: &str) -> Parsed {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.parsed.take()
}

/// What the shell and leptos_meta put into `<head>`, and nothing else.
fn expected_in_head(e: &Element) -> bool {
    let attr = |n| e.attr(n);
    match e.name.as_str() {
        "head" | "title" => true,
        "meta" => {
            attr("http-equiv").is_none()
                && (attr("charset").is_some() || matches!(attr("name"), Some("viewport" | "description")))
        }
        "link" => match attr("rel") {
            Some("icon") => attr("href") == Some("/favicon.svg"),
            Some("stylesheet") => attr("href") == Some("/agora.css"),
            Some("modulepreload" | "preload") => attr("href").is_some_and(|h| h.starts_with("/pkg/")),
            Some("canonical") => attr("href").is_some_and(|h| h.starts_with("http://127.0.0.1:3000/")),
            _ => false,
        },
        // Scripts that run carry the response's nonce; data scripts are not run.
        "script" => attr("nonce").is_some() || attr("type") == Some("application/json"),
        _ => false,
    }
}

/// Checks one rendered page; returns its title.
fn check_document(path: &str, html: &str) -> String {
    let parsed = parse(html);
    assert_eq!(
        parsed.titles.len(),
        1,
        "{path}: one <title> in <head>, found {:?}",
        parsed.titles
    );
    let foreign: Vec<&Element> = parsed
        .elements
        .iter()
        .filter(|e| e.in_head && !expected_in_head(e))
        .collect();
    assert!(
        foreign.is_empty(),
        "{path}: <head> holds elements the page did not put there: {foreign:?}"
    );
    for e in &parsed.elements {
        assert_ne!(e.name, "x-probe", "{path}: user text became an element");
        assert!(
            e.attr("http-equiv").is_none(),
            "{path}: a meta refresh in the page: {e:?}"
        );
        assert!(
            !e.attrs.iter().any(|(n, _)| n.starts_with("on")),
            "{path}: an event handler attribute: {e:?}"
        );
        if e.name == "script" {
            assert!(
                e.attr("nonce").is_some()
                    || matches!(e.attr("type"), Some("application/json" | "application/ld+json")),
                "{path}: a script without the page's nonce: {e:?}"
            );
        }
    }
    parsed.titles.into_iter().next().unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    /// Platform admin, the organisation's admin and the course's teacher.
    Owner,
    /// Enrolled in the run, with a certificate.
    Learner,
}

/// The hostile world: every name and title a page can show holds [`HOSTILE`].
struct World {
    owner: Person,
    learner: Person,
    org: String,
    course: Built,
    group: i64,
    listing: String,
    /// A partnership offer of the organisation (run listings are edited through their run).
    offer: String,
    certificate: String,
    invitation: String,
    run_invitation: String,
}

async fn set_name(app: &TestApp, who: &Person, first: &str) {
    sqlx::query("UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3")
        .bind(first)
        .bind(HOSTILE)
        .bind(who.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
}

async fn world(app: &TestApp, db: &TestDb) -> World {
    let owner = signed_in(app, db, "owner@hostile.example").await;
    make_admin(app, &owner.email).await;
    let learner = signed_in(app, db, "learner@hostile.example").await;
    let org = organisation(app, "hostile-school", &owner).await;
    sqlx::query("UPDATE organisations SET name = $1, description = $1 WHERE slug = $2")
        .bind(hostile("School"))
        .bind(&org)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let module = hostile("Module");
    let lesson = hostile("Lesson");
    let run_title = hostile("Run");
    let course = build(
        app,
        &owner,
        &org,
        &hostile("Course"),
        &CourseSpec {
            fields: &[
                ("form[language]", "en"),
                ("form[estimated_hours]", "2"),
                ("form[completion_rule]", "viewed"),
                ("form[description]", HOSTILE),
            ],
            modules: &[&module],
            lessons: &[&lesson],
            last_optional: false,
            published: true,
            run: Some(&[("run[title]", &run_title), ("run[self_paced]", "on")]),
        },
    )
    .await;
    // The learner is invited to the run before enrolling (the invitation page shows the
    // course's title).
    ok(
        app,
        "courses/staff-invite",
        &[
            ("slug", &course.slug),
            ("run", &course.run.to_string()),
            ("email", &learner.email),
        ],
        &owner,
    )
    .await;
    mails_to(db, &learner.email, 2).await;
    let run_invitation = outbox_link(db, &learner.email, "/learn/invitations/");
    enrol(app, &course, &learner).await;
    for item in course.all_items() {
        view(app, &course, item, &learner).await;
    }
    let certificate = certificate_code(app, &course, &learner)
        .await
        .expect("a certificate");
    ok(
        app,
        "courses/group-create",
        &[
            ("slug", &course.slug),
            ("run", &course.run.to_string()),
            ("group[name]", &hostile("Group")),
            ("group[kind]", "open"),
            ("group[theme]", &hostile("Theme")),
            ("group[capacity]", "8"),
        ],
        &owner,
    )
    .await;
    let group = scalar(app, "SELECT id FROM run_groups WHERE run_id = $1", course.run).await;
    ok(
        app,
        "courses/group-join",
        &[("run", &course.run.to_string()), ("group", &group.to_string())],
        &learner,
    )
    .await;
    let listing: String = sqlx::query_scalar("SELECT slug FROM catalogue_listings WHERE run_id = $1")
        .bind(course.run)
        .fetch_one(&app.platform.db.pool)
        .await
        .expect("the run's catalogue listing");
    let partnership = hostile("Partners");
    ok(
        app,
        "catalogue/create",
        &[
            ("org", org.as_str()),
            ("form[kind]", "partnership"),
            ("form[title]", &partnership),
            ("form[summary]", &hostile("Summary")),
            ("form[description]", HOSTILE),
            ("form[language]", "en"),
            ("form[country]", "DK"),
            ("form[mode]", "online"),
            ("form[place]", &hostile("Place")),
            ("form[subjects][]", "mathematics"),
            ("form[project_idea]", HOSTILE),
            ("form[partners_sought]", HOSTILE),
            (
                "form[deadline_on]",
                &app::platform::clock::date_of_ms(app.platform.clock.now_ms() + 20 * 86_400_000),
            ),
            ("publish", "1"),
        ],
        &owner,
    )
    .await;
    let offer: String = sqlx::query_scalar("SELECT slug FROM catalogue_listings WHERE kind = 'partnership'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    ok(
        app,
        "organisations/invite",
        &[("slug", &org), ("email", "invited@hostile.example")],
        &owner,
    )
    .await;
    let invitation = outbox_link(db, "invited@hostile.example", "/organisations/invitations/");
    set_name(app, &owner, &hostile("Owner")).await;
    set_name(app, &learner, &hostile("Learner")).await;
    World {
        owner,
        learner,
        org,
        course,
        group,
        listing,
        offer,
        certificate,
        invitation,
        run_invitation,
    }
}

/// Where to see each route of the app in the hostile world, and as whom. A route missing
/// here fails the test: give it an entry when you add it.
fn path_for(route: &str, w: &World) -> Option<(String, Who)> {
    let c = &w.course;
    let (slug, run, item, group) = (&c.slug, c.run, c.all_items()[0], w.group);
    let (org, listing, cert) = (&w.org, &w.listing, &w.certificate);
    use Who::*;
    Some(match route {
        "/"
        | "/courses"
        | "/organisations"
        | "/catalogue"
        | "/catalogue/courses"
        | "/catalogue/mobility"
        | "/catalogue/partnerships"
        | "/sign-in"
        | "/register"
        | "/register/sent"
        | "/forgot-password"
        | "/auth/notice" => (route.to_string(), Anonymous),
        "/welcome" | "/link-account" | "/settings" | "/settings/profile" | "/settings/photo"
        | "/settings/accounts" | "/organisations/new" | "/admin/users" | "/admin/subjects"
        | "/admin/reports" => (route.to_string(), Owner),
        "/my/courses" => (route.to_string(), Learner),
        "/reset-password/{secret}" | "/verify-email/{secret}" | "/confirm-email/{secret}" => {
            (route.replace("{secret}", "not-a-secret"), Anonymous)
        }
        "/organisations/invitations/{secret}" => {
            (format!("/organisations/invitations/{}", w.invitation), Learner)
        }
        "/organisations/{slug}" => (format!("/organisations/{org}"), Anonymous),
        "/organisations/{slug}/edit" => (format!("/organisations/{org}/edit"), Owner),
        "/organisations/{slug}/api-tokens" => (format!("/organisations/{org}/api-tokens"), Owner),
        "/organisations/{slug}/listings/new" => (format!("/organisations/{org}/listings/new"), Owner),
        "/organisations/{slug}/courses/new" => (format!("/organisations/{org}/courses/new"), Owner),
        "/catalogue/{slug}" => (format!("/catalogue/{listing}"), Anonymous),
        "/catalogue/{slug}/edit" => (format!("/catalogue/{}/edit", w.offer), Owner),
        "/catalogue/{slug}/reviews" => (format!("/catalogue/{listing}/reviews"), Learner),
        "/courses/{slug}" => (format!("/courses/{slug}"), Anonymous),
        "/courses/{slug}/edit" => (format!("/courses/{slug}/edit"), Owner),
        "/courses/{slug}/lessons/{item}/edit" => (format!("/courses/{slug}/lessons/{item}/edit"), Owner),
        "/courses/{slug}/runs/{run}/progress" => (format!("/courses/{slug}/runs/{run}/progress"), Owner),
        "/courses/{slug}/runs/{run}/settings" => (format!("/courses/{slug}/runs/{run}/settings"), Owner),
        "/courses/{slug}/runs/{run}/learners/{user}" => (
            format!("/courses/{slug}/runs/{run}/learners/{}", w.learner.id),
            Owner,
        ),
        "/courses/{slug}/runs/{run}/groups" => (format!("/courses/{slug}/runs/{run}/groups"), Owner),
        "/courses/{slug}/runs/{run}/groups/{group}/edit" => {
            (format!("/courses/{slug}/runs/{run}/groups/{group}/edit"), Owner)
        }
        "/learn/{run}" => (format!("/learn/{run}"), Learner),
        "/learn/invitations/{secret}" => (format!("/learn/invitations/{}", w.run_invitation), Learner),
        "/learn/{run}/items/{item}" => (format!("/learn/{run}/items/{item}"), Learner),
        "/learn/{run}/groups/{group}" => (format!("/learn/{run}/groups/{group}"), Learner),
        "/certificates/{code}" => (format!("/certificates/{cert}"), Learner),
        "/verify/{code}" => (format!("/verify/{cert}"), Anonymous),
        "/people/{id}" => (format!("/people/{}", w.owner.id), Learner),
        _ => return None,
    })
}

async fn every_route_escapes_user_text(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let mut routes: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    routes.sort();
    routes.dedup();
    let missing: Vec<&String> = routes.iter().filter(|r| path_for(r, &w).is_none()).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in path_for: {missing:?}"
    );
    let mut with_user_text = Vec::new();
    for route in &routes {
        let (path, who) = path_for(route, &w).unwrap();
        let cookie = match who {
            Who::Anonymous => None,
            Who::Owner => Some(w.owner.cookie.as_str()),
            Who::Learner => Some(w.learner.cookie.as_str()),
        };
        let res = page(&app, &path, cookie).await;
        let status = res.status();
        let html = body_text(res).await;
        assert!(status.is_success(), "{route} ({path} as {who:?}): {status}");
        let title = check_document(&path, &html);
        if title.contains("evil.example") {
            assert!(
                title.contains(HOSTILE),
                "{path}: the title is not the literal text: {title:?}"
            );
            with_user_text.push(route.as_str());
        }
    }
    // The pages whose title shows a name or title (if one stops doing so, this list is
    // where to say it).
    for route in [
        "/organisations/{slug}",
        "/catalogue/{slug}",
        "/courses/{slug}",
        "/learn/{run}",
        "/learn/{run}/items/{item}",
        "/learn/{run}/groups/{group}",
        "/learn/invitations/{secret}",
        "/people/{id}",
    ] {
        assert!(
            with_user_text.contains(&route),
            "{route}'s title should hold the hostile name; titles with user text: {with_user_text:?}"
        );
    }
    // The 404 page too.
    let html = body_text(page(&app, &format!("/courses/{}/nothing", w.course.slug), None).await).await;
    check_document("404", &html);
}
on_both_databases!(every_route, every_route_escapes_user_text);

#[test]
fn the_checker_sees_an_injected_title() {
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{} · Agora</title></head><body></body></html>",
        "</title><meta http-equiv=\"refresh\" content=\"0\">"
    );
    let caught = std::panic::catch_unwind(|| check_document("raw", &page));
    assert!(caught.is_err(), "an unescaped title must be caught");
    let escaped = page.replace("</title><meta", "&lt;/title&gt;&lt;meta");
    let escaped = escaped.replacen("\"0\">", "\"0\"&gt;", 1);
    assert_eq!(
        check_document("escaped", &escaped),
        "</title><meta http-equiv=\"refresh\" content=\"0\"> · Agora"
    );
}
