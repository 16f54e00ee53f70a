//! Invitations to a course run (S4, S19), over HTTP on both databases: the course staff
//! invite by e-mail address and see only the address they typed and "invited" (never a
//! name, the same for an address without an account); the person accepts (enrolled,
//! audited) or declines; only the account the invitation was sent to may answer, and
//! everyone else, like a spent, expired or withdrawn link, gets the answer of a missing
//! one; staff withdraw; the per-staff limit; non-staff are refused like a missing run.

use crate::common::browser::*;
use crate::common::courses::{
    Built, CourseSpec, Person, add_staff, build, ok, organisation_with, person, post, scalar,
    status_or_location,
};
use crate::common::{TestApp, TestDb, body_text};
use axum::http::{StatusCode, header};

struct World {
    karen: Person,
    lars: Person,
    mette: Person,
    ole: Person,
    b: Built,
}

/// Karen teaches "Geometri" of "Skole nord", Lars moderates it; Mette and Ole have
/// accounts with confirmed addresses and are in no run. One published, self-paced run
/// "Spring".
async fn world(app: &TestApp, db: &TestDb) -> World {
    let karen = person(app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lars = person(app, db, "lars@nord.example", "Lars", "Madsen").await;
    let mette = person(app, db, "mette@learner.example", "Mette", "Krog").await;
    let ole = person(app, db, "ole@learner.example", "Ole", "Berg").await;
    organisation_with(app, "nord", "123456789", &[&karen, &lars]).await;
    let b = build(
        app,
        &karen,
        "nord",
        "Geometri",
        &CourseSpec {
            fields: &[("form[language]", "da"), ("form[completion_rule]", "viewed")],
            modules: &["Basics"],
            lessons: &["Lesson {m}.1"],
            last_optional: false,
            published: true,
            run: Some(&[("run[title]", "Spring"), ("run[self_paced]", "on")]),
        },
    )
    .await;
    add_staff(app, &karen, &b.slug, &lars, "moderator").await;
    World {
        karen,
        lars,
        mette,
        ole,
        b,
    }
}

fn fields<'a>(b: &'a Built, run: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("slug", b.slug.as_str()), ("run", run), ("email", email)]
}

/// `who` invites `email` to the run (as a script would); returns status and body.
async fn invite(app: &TestApp, b: &Built, who: &Person, email: &str) -> (StatusCode, String) {
    let run = b.run.to_string();
    let res = post(app, "courses/staff-invite", &fields(b, &run, email), Some(who)).await;
    (res.status(), body_text(res).await)
}

/// The secret of the newest invitation link mailed to `to`, once `n` mails to `to` exist
/// (each person here got the confirmation of their registration first).
async fn link(db: &TestDb, to: &str, n: usize) -> String {
    mails_to(db, to, n).await;
    outbox_link(db, to, "/learn/invitations/")
}

/// Mails the outbox holds for `to` a moment after the answer (mails go out after it).
async fn settled_mails(db: &TestDb, to: &str) -> usize {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    outbox_mails_to(db, to).len()
}

/// The staff's dashboard as `who` sees it.
async fn dashboard(app: &TestApp, b: &Built, who: &Person) -> String {
    let (status, body) = status_or_location(
        app,
        &format!("/courses/{}/runs/{}/progress", b.slug, b.run),
        Some(who),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    body
}

/// The `<li>` of the invitation list that holds `address`.
fn item<'a>(body: &'a str, address: &str) -> &'a str {
    let at = body
        .find(&format!(">{address}</span>"))
        .unwrap_or_else(|| panic!("no invitation of {address}"));
    let start = body[..at].rfind("<li").unwrap();
    let end = at + body[at..].find("</li>").unwrap();
    &body[start..end]
}

/// The same item with its address and invitation id taken out.
fn shape(body: &str, address: &str, id: i64) -> String {
    item(body, address)
        .replace(address, "ADDRESS")
        .replace(&format!("invitation-{id}\""), "invitation-N\"")
        .replace(
            &format!("name=\"invitation\" value=\"{id}\""),
            "name=\"invitation\" value=\"N\"",
        )
}

async fn invitation_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM run_invitations WHERE email = $1")
        .bind(email)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn enrolment(app: &TestApp, b: &Built, who: &Person) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2")
        .bind(b.run)
        .bind(who.id)
        .fetch_optional(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn answer(
    app: &TestApp,
    secret: &str,
    what: &str,
    who: Option<&Person>,
    html: bool,
) -> (StatusCode, String) {
    let res = call(
        app,
        "courses/invitation-answer",
        &form(&[("secret", secret), ("answer", what)]),
        who.map(|p| p.cookie.as_str()),
        html,
    )
    .await;
    let status = res.status();
    let to = location(&res);
    let body = body_text(res).await;
    (status, if status == StatusCode::FOUND { to } else { body })
}

/// What `who` gets for the invitation page of `secret`: status and main content.
async fn invitation_page(app: &TestApp, secret: &str, who: &Person) -> (StatusCode, String) {
    let (status, body) = status_or_location(app, &format!("/learn/invitations/{secret}"), Some(who)).await;
    if status == StatusCode::FOUND {
        // To sign in, and back to this very link.
        return (status, body.replace(secret, "SECRET"));
    }
    (status, main_of(&body))
}

// S4: the staff's answer and their list are the same for an address with an account and
// one without: the typed address and "invited", never a name. The link goes only to the
// account, in its language, with only what it is for; only its hash is stored.
async fn typed_address_never_a_name(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let b = &w.b;
    sqlx::query("UPDATE users SET locale = 'da' WHERE id = $1")
        .bind(w.mette.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let run = b.run.to_string();
    let mut answers = Vec::new();
    for email in ["  Mette@Learner.EXAMPLE", "nobody@nowhere.example"] {
        let by_script = invite(&app, b, &w.karen, email).await;
        let res = call(
            &app,
            "courses/staff-invite",
            &form(&fields(b, &run, email)),
            Some(&w.karen.cookie),
            true,
        )
        .await;
        answers.push((by_script, res.status(), location(&res)));
    }
    assert_eq!(answers[0], answers[1], "the same answers for both addresses");
    assert_eq!(answers[0].0.0, StatusCode::OK);
    assert_eq!(
        answers[0].2,
        format!("/courses/{}/runs/{}/progress?status=invited", b.slug, b.run)
    );
    // Both listed alike, to the teacher and to the moderator; no name anywhere in the page
    // or its data.
    let (known, unknown) = (
        invitation_id(&app, "mette@learner.example").await,
        invitation_id(&app, "nobody@nowhere.example").await,
    );
    for who in [&w.karen, &w.lars] {
        let body = dashboard(&app, b, who).await;
        for name in ["Mette", "Krog"] {
            assert!(!body.contains(name), "{name} in the staff's page");
        }
        let mette = shape(&body, "mette@learner.example", known);
        assert_eq!(
            mette,
            shape(&body, "nobody@nowhere.example", unknown),
            "the same item for both"
        );
        assert!(
            mette.contains(">Invited<") && mette.contains(">Withdraw<"),
            "{mette}"
        );
        assert!(body.contains("No learners match."), "nobody is enrolled");
    }
    // One row per address, normalised; only the hash of the mailed link.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM run_invitations WHERE run_id = $1",
            b.run
        )
        .await,
        2
    );
    mails_to(db, &w.mette.email, 3).await;
    assert_eq!(
        settled_mails(db, &w.mette.email).await,
        3,
        "the confirmation and two invitations"
    );
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM run_invitations WHERE id = $1")
        .bind(known)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let mails = outbox_mails_to(db, &w.mette.email);
    let links: Vec<&str> = mails
        .iter()
        .filter_map(|m| m.split("/learn/invitations/").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(links.len(), 2);
    let current: Vec<&&str> = links
        .iter()
        .filter(|l| app::auth::sessions::hash_secret(l) == stored)
        .collect();
    assert_eq!(current.len(), 1, "only the hash of the newest link is stored");
    let secret = current[0].to_string();
    assert!(!stored.contains(&secret));
    // The mail: to her alone, in Danish, the inviter, course, run, days and link.
    let mail = mails
        .iter()
        .find(|m| m.contains(&secret))
        .expect("the newest invitation");
    assert!(
        mail.contains("Subject: Invitation til Geometri ")
            && mail.contains("Hej Mette")
            && mail.contains("Karen Nielsen inviterer dig til at deltage i Geometri (Spring)")
            && mail.contains("inden for 14 dage"),
        "{mail}"
    );
    assert!(!mail.contains("Cc:") && !mail.contains("Bcc:") && !mail.contains("nobody@"));
    assert!(outbox_mails_to(db, "nobody@nowhere.example").is_empty());
    // The address stays out of the audit log.
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'learner_invited_by_staff'")
            .fetch_all(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(details.len(), 4);
    assert!(details.iter().all(|d| !d.contains('@')), "{details:?}");
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s4_staff_see_the_typed_address_never_a_name,
    typed_address_never_a_name
);

// S4: the invited person sees the course and the run and accepts (enrolled through the
// staff's enrol path, audited; the address is gone) or declines (not enrolled; staff see
// "declined" next to the address, still no name; no further mail for it until the staff
// withdraw it). A used link works no more.
async fn accept_or_decline(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let b = &w.b;
    assert_eq!(invite(&app, b, &w.karen, &w.mette.email).await.0, StatusCode::OK);
    assert_eq!(invite(&app, b, &w.lars, &w.ole.email).await.0, StatusCode::OK);
    let (mette_link, ole_link) = (link(db, &w.mette.email, 2).await, link(db, &w.ole.email, 2).await);
    let (status, missing) = invitation_page(&app, "no-such-invitation", &w.mette).await;
    assert_eq!(status, StatusCode::OK);
    assert!(missing.contains("This invitation cannot be used."), "{missing}");

    // Mette opens the link: the course, the run, the organisation, both answers.
    let (status, page) = invitation_page(&app, &mette_link, &w.mette).await;
    assert_eq!(status, StatusCode::OK);
    for text in ["Geometri", "Spring", "Skole nord", "Accept and enrol", "Decline"] {
        assert!(page.contains(text), "{text}: {page}");
    }
    assert!(
        page.contains("action=\"/api/courses/invitation-answer\""),
        "works without JavaScript"
    );
    assert_eq!(
        enrolment(&app, b, &w.mette).await,
        None,
        "opening is not accepting"
    );
    // She accepts (a plain form post).
    let (status, to) = answer(&app, &mette_link, "accept", Some(&w.mette), true).await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::FOUND,
            format!("/learn/{}?status=enrolled", b.run).as_str()
        )
    );
    assert_eq!(enrolment(&app, b, &w.mette).await.as_deref(), Some("active"));
    let (status, _) = status_or_location(&app, &format!("/learn/{}", b.run), Some(&w.mette)).await;
    assert_eq!(status, StatusCode::OK);
    let audit: (Option<i64>, String, String) = {
        use sqlx::Row;
        let r = sqlx::query(
            "SELECT actor_user_id, subject, detail FROM audit_log WHERE action = 'learner_enrolled_by_invitation'",
        )
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    assert_eq!(audit.0, Some(w.mette.id));
    assert_eq!(audit.1, format!("user:{}", w.mette.id));
    assert!(
        audit.2.contains(&format!("run:{}", b.run))
            && audit.2.contains(&format!("invited_by:user:{}", w.karen.id)),
        "{}",
        audit.2
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM run_invitations WHERE email = $1")
        .bind(&w.mette.email)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the address goes with the accepted invitation");
    // The link is spent: the page and the answer of a missing one.
    assert_eq!(
        invitation_page(&app, &mette_link, &w.mette).await,
        (StatusCode::OK, missing.clone())
    );
    assert_eq!(
        answer(&app, &mette_link, "accept", Some(&w.mette), false).await,
        answer(&app, "no-such-invitation", "accept", Some(&w.mette), false).await
    );
    // The staff see her as a learner now, and her address no more.
    let body = dashboard(&app, b, &w.karen).await;
    assert!(body.contains(">Mette Krog</a>") && !body.contains(&w.mette.email));

    // Ole declines.
    let (status, page) = invitation_page(&app, &ole_link, &w.ole).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Geometri"));
    let (status, to) = answer(&app, &ole_link, "decline", Some(&w.ole), true).await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::FOUND,
            format!("/courses/{}?status=invitation-declined", b.slug).as_str()
        )
    );
    let (_, course_page) = status_or_location(&app, &to, Some(&w.ole)).await;
    assert!(course_page.contains("You declined the invitation. You are not enrolled."));
    assert_eq!(enrolment(&app, b, &w.ole).await, None);
    let (_, missing_for_ole) = invitation_page(&app, "no-such-invitation", &w.ole).await;
    assert_eq!(
        invitation_page(&app, &ole_link, &w.ole).await,
        (StatusCode::OK, missing_for_ole)
    );
    assert_eq!(
        answer(&app, &ole_link, "accept", Some(&w.ole), false).await,
        answer(&app, "no-such-invitation", "accept", Some(&w.ole), false).await,
        "a declined link cannot be accepted after all"
    );
    let body = dashboard(&app, b, &w.lars).await;
    assert!(!body.contains("Ole Berg") && !body.contains("Berg"));
    let declined = item(&body, &w.ole.email);
    assert!(
        declined.contains(">Declined<") && declined.contains(">Remove from the list<"),
        "{declined}"
    );
    // Inviting the address again answers as always, but the person who said no is not
    // mailed again.
    let again = invite(&app, b, &w.karen, &w.ole.email).await;
    assert_eq!(again, invite(&app, b, &w.karen, "someone@else.example").await);
    assert_eq!(settled_mails(db, &w.ole.email).await, 2);
    assert!(item(&dashboard(&app, b, &w.karen).await, &w.ole.email).contains(">Declined<"));
    // Withdrawn (audited), the address may be invited afresh: a new link.
    let id = invitation_id(&app, &w.ole.email).await;
    let res = call(
        &app,
        "courses/staff-withdraw-invitation",
        &form(&[
            ("slug", &b.slug),
            ("run", &b.run.to_string()),
            ("invitation", &id.to_string()),
        ]),
        Some(&w.karen.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let to = location(&res);
    assert_eq!(
        to,
        format!(
            "/courses/{}/runs/{}/progress?status=invitation-withdrawn",
            b.slug, b.run
        )
    );
    let (_, body) = status_or_location(&app, &to, Some(&w.karen)).await;
    assert!(!body.contains(&w.ole.email) && body.contains("The invitation was withdrawn."));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'run_invitation_withdrawn' AND actor_user_id = $1",
            w.karen.id
        )
        .await,
        1
    );
    assert_eq!(invite(&app, b, &w.karen, &w.ole.email).await.0, StatusCode::OK);
    let fresh = link(db, &w.ole.email, 3).await;
    assert_ne!(fresh, ole_link);
    assert_eq!(
        answer(&app, &fresh, "accept", Some(&w.ole), false).await.0,
        StatusCode::OK
    );
    assert_eq!(enrolment(&app, b, &w.ole).await.as_deref(), Some("active"));
    app.platform.db.pool.close().await;
}
on_both_databases!(s4_the_invited_person_accepts_or_declines, accept_or_decline);

/// `who` gets for the link `secret` exactly the page and the answers of a link that never
/// existed.
async fn refused_like_missing(app: &TestApp, what: &str, secret: &str, who: &Person) {
    let missing_page = invitation_page(app, "no-such-invitation", who).await;
    assert_eq!(invitation_page(app, secret, who).await, missing_page, "{what}");
    for a in ["accept", "decline"] {
        let missing = answer(app, "no-such-invitation", a, Some(who), false).await;
        // A deactivated account has no session any more (401); everyone else is told the
        // link cannot be used.
        if missing.0 != StatusCode::UNAUTHORIZED {
            assert_eq!(missing.0, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(missing.1.contains("course_invitation.invalid"), "{}", missing.1);
        }
        assert_eq!(
            answer(app, secret, a, Some(who), false).await,
            missing,
            "{what} {a}"
        );
    }
}

// S4, S19: only the account whose confirmed address was invited may see and answer the
// invitation. Another learner, the inviting teacher, a platform admin, the account itself
// while its address is unconfirmed or it is deactivated, and any expired or withdrawn link
// get exactly the page and the answer of a link that never existed; nothing changes.
// Anonymous visitors are sent to sign in either way. Housekeeping deletes expired ones.
async fn addressee_only(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let b = &w.b;
    let admin = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    make_admin(&app, &admin.email).await;
    invite(&app, b, &w.karen, &w.mette.email).await;
    let secret = link(db, &w.mette.email, 2).await;
    refused_like_missing(&app, "another account", &secret, &w.ole).await;
    refused_like_missing(&app, "the inviting teacher", &secret, &w.karen).await;
    refused_like_missing(&app, "a platform admin", &secret, &admin).await;
    for (set, undo, who) in [
        (
            "UPDATE users SET email_verified_at = NULL WHERE id = $1",
            "UPDATE users SET email_verified_at = 1 WHERE id = $1",
            "her account with its address unconfirmed",
        ),
        (
            "UPDATE users SET status = 'deactivated' WHERE id = $1",
            "UPDATE users SET status = 'active' WHERE id = $1",
            "her deactivated account",
        ),
    ] {
        sqlx::query(set)
            .bind(w.mette.id)
            .execute(&app.platform.db.pool)
            .await
            .unwrap();
        refused_like_missing(&app, who, &secret, &w.mette).await;
        sqlx::query(undo)
            .bind(w.mette.id)
            .execute(&app.platform.db.pool)
            .await
            .unwrap();
    }
    // An unknown answer is no answer.
    let (status, _) = answer(&app, &secret, "maybe", Some(&w.mette), false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Anonymous: to sign in, existing link or not; the answer wants a session.
    for s in [secret.as_str(), "no-such-invitation"] {
        let (status, to) = status_or_location(&app, &format!("/learn/invitations/{s}"), None).await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(to.starts_with("/sign-in?next="), "{to}");
        assert_eq!(
            answer(&app, s, "accept", None, false).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    // Nothing changed: she is not enrolled, the invitation still waits for her.
    assert_eq!(enrolment(&app, b, &w.mette).await, None);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM enrolments WHERE run_id = $1", b.run).await,
        0
    );
    let (status, page) = invitation_page(&app, &secret, &w.mette).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Accept and enrol"));
    // A run back in draft: the invitation cannot be answered (it shows no draft course).
    let run = b.run.to_string();
    let set_run = |status: &'static str| {
        [
            ("slug", b.slug.as_str()),
            ("run", run.as_str()),
            ("status", status),
        ]
    };
    ok(&app, "courses/run-status", &set_run("draft"), &w.karen).await;
    refused_like_missing(&app, "a draft run", &secret, &w.mette).await;
    ok(&app, "courses/run-status", &set_run("published"), &w.karen).await;
    // Expired after 14 days: refused like a missing link, no longer listed, then deleted.
    app.platform
        .clock
        .advance(std::time::Duration::from_secs(14 * 24 * 3600 + 1));
    refused_like_missing(&app, "an expired link", &secret, &w.mette).await;
    assert!(!dashboard(&app, b, &w.karen).await.contains(&w.mette.email));
    let report = agora_server::housekeeping::run_once(&app.platform).await;
    assert_eq!(report.expired_run_invitations, 1);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM run_invitations WHERE id > $1", 0).await,
        0
    );
    // Withdrawn: refused like a missing link.
    invite(&app, b, &w.karen, &w.mette.email).await;
    let withdrawn = link(db, &w.mette.email, 3).await;
    assert_ne!(withdrawn, secret);
    let id = invitation_id(&app, &w.mette.email).await;
    ok(
        &app,
        "courses/staff-withdraw-invitation",
        &[("slug", &b.slug), ("run", &run), ("invitation", &id.to_string())],
        &w.lars,
    )
    .await;
    refused_like_missing(&app, "a withdrawn link", &withdrawn, &w.mette).await;
    assert_eq!(enrolment(&app, b, &w.mette).await, None);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s4_only_the_addressee_answers_and_spent_links_look_missing,
    addressee_only
);

// The per-staff limit stays: 60 addresses an hour, counted for every address alike, each
// staff member on their own; over it nothing is stored or sent.
async fn rate_limit(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let b = &w.b;
    for n in 0..60 {
        let (status, body) = invite(&app, b, &w.karen, &format!("n{n}@nowhere.example")).await;
        assert_eq!(status, StatusCode::OK, "{n}: {body}");
    }
    let run = b.run.to_string();
    let mut refusals = Vec::new();
    for email in ["n60@nowhere.example", w.mette.email.as_str()] {
        let res = post(
            &app,
            "courses/staff-invite",
            &fields(b, &run, email),
            Some(&w.karen),
        )
        .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry = res.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap();
        assert!(retry > 0 && retry <= 3600, "{retry}");
        refusals.push(body_text(res).await);
    }
    assert_eq!(refusals[0], refusals[1], "the same refusal for a known address");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM run_invitations WHERE run_id = $1",
            b.run
        )
        .await,
        60
    );
    assert_eq!(
        settled_mails(db, &w.mette.email).await,
        1,
        "only her confirmation"
    );
    // Another staff member has a limit of their own; an hour later Karen may go on.
    assert_eq!(invite(&app, b, &w.lars, &w.mette.email).await.0, StatusCode::OK);
    app.platform.clock.advance(std::time::Duration::from_secs(3601));
    assert_eq!(
        invite(&app, b, &w.karen, "n61@nowhere.example").await.0,
        StatusCode::OK
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(s4_invitations_are_limited_per_staff_member, rate_limit);

// S19: a learner of the run, a member of another organisation and the course
// organisation's admin who is not on the course's staff get from inviting and withdrawing
// exactly what a missing run gives; an invitation of another course's run cannot be
// withdrawn through this course. Nothing is stored, nothing withdrawn, nobody mailed.
async fn non_staff(db: &TestDb) {
    let app = TestApp::new(db).await;
    let w = world(&app, db).await;
    let b = &w.b;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &w.ole).await;
    let outsider = person(&app, db, "olga@syd.example", "Olga", "Sand").await;
    organisation_with(&app, "syd", "987654321", &[&outsider]).await;
    let other = build(
        &app,
        &outsider,
        "syd",
        "Algebra",
        &CourseSpec {
            fields: &[("form[language]", "sv")],
            modules: &["One"],
            lessons: &["Lesson"],
            last_optional: false,
            published: true,
            run: Some(&[("run[title]", "Autumn"), ("run[self_paced]", "on")]),
        },
    )
    .await;
    invite(&app, &other, &outsider, "someone@syd.example").await;
    let theirs = invitation_id(&app, "someone@syd.example").await.to_string();
    invite(&app, b, &w.karen, "kept@nowhere.example").await;
    let ours = invitation_id(&app, "kept@nowhere.example").await.to_string();
    let org_admin = person(&app, db, "anna@nord.example", "Anna", "Kjær").await;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) \
         SELECT id, $1, 'admin', 0 FROM organisations WHERE slug = 'nord'",
    )
    .bind(org_admin.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    let before = scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE at > $1", 0).await;
    let run = b.run.to_string();
    for who in [&w.ole, &outsider, &org_admin] {
        for (endpoint, extra) in [
            ("courses/staff-invite", ("email", w.mette.email.as_str())),
            ("courses/staff-withdraw-invitation", ("invitation", ours.as_str())),
        ] {
            let mut f = vec![("slug", b.slug.as_str()), ("run", run.as_str()), extra];
            let res = post(&app, endpoint, &f, Some(who)).await;
            let got = (res.status(), body_text(res).await);
            f[1] = ("run", "999999");
            let res = post(&app, endpoint, &f, Some(who)).await;
            assert_eq!(got.0, StatusCode::NOT_FOUND, "{endpoint} {}", who.email);
            assert_eq!(
                got,
                (res.status(), body_text(res).await),
                "{endpoint} {}",
                who.email
            );
        }
    }
    // Staff of this course cannot reach another course's invitation.
    let mut got = Vec::new();
    for id in ["999999", theirs.as_str()] {
        let res = post(
            &app,
            "courses/staff-withdraw-invitation",
            &[
                ("slug", b.slug.as_str()),
                ("run", run.as_str()),
                ("invitation", id),
            ],
            Some(&w.karen),
        )
        .await;
        got.push((res.status(), body_text(res).await));
    }
    assert_eq!(got[0].0, StatusCode::NOT_FOUND);
    assert_eq!(got[0], got[1], "another course's invitation is a missing one");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM run_invitations WHERE id > $1", 0).await,
        2,
        "nothing stored, nothing withdrawn"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE at > $1", 0).await,
        before
    );
    assert_eq!(
        settled_mails(db, &w.mette.email).await,
        1,
        "only her confirmation"
    );
    // Anonymous callers must sign in.
    let res = post(
        &app,
        "courses/staff-invite",
        &fields(b, &run, "x@y.example"),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.platform.db.pool.close().await;
}
on_both_databases!(s19_non_staff_are_refused_like_a_missing_run, non_staff);
