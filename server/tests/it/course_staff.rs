//! The course staff's tools for a run, over HTTP on both databases (issue 7; S4, S12,
//! S19): the progress dashboard's numbers, filters, paging, charts and CSV exports; marking
//! an item complete with a reason (audited, completing the course); inviting by e-mail
//! address without revealing accounts (accepted, it enrols); T7, deactivated learners under
//! a neutral label; removing learners; and everyone else refused with
//! the 404 of a missing run.

use crate::common::browser::*;
use crate::common::courses::{
    Built, CourseSpec, Person, add_staff, build, ok, organisation, organisation_with, person, post, scalar,
    status_or_location, view,
};
use crate::common::{TestApp, TestDb, body_text};
use axum::http::{StatusCode, header};
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A published course with modules "Basics" (two required lessons) and "Practice" (one
/// required lesson, then an optional one), and a published self-paced run "Spring" of
/// that `capacity` (empty: unlimited).
async fn build_course(app: &TestApp, teacher: &Person, org: &str, title: &str, capacity: &str) -> Built {
    let spec = CourseSpec {
        fields: &[("form[language]", "da"), ("form[completion_rule]", "viewed")],
        modules: &["Basics", "Practice"],
        lessons: &["Lesson {m}.1", "Lesson {m}.2"],
        last_optional: true,
        published: true,
        run: Some(&[
            ("run[title]", "Spring"),
            ("run[self_paced]", "on"),
            ("run[capacity]", capacity),
        ]),
    };
    build(app, teacher, org, title, &spec).await
}

/// The table row (`<tr>…</tr>`) of the progress table that names `name`.
fn row<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body
        .find(&format!(">{name}</a>"))
        .unwrap_or_else(|| panic!("no row for {name}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    &body[start..end]
}

fn names_in_order(body: &str, names: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = names
        .iter()
        .filter_map(|n| body.find(&format!(">{n}</a>")).map(|at| (at, n.to_string())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

/// A GET of a CSV export: status, headers and body.
async fn csv(app: &TestApp, path: &str, who: Option<&Person>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = page(app, path, who.map(|p| p.cookie.as_str())).await;
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, body_text(res).await)
}

struct Cast {
    karen: Person,
    lars: Person,
    ida: Person,
    ole: Person,
    eva: Person,
    bo: Person,
    b: Built,
}

/// Karen teaches, Lars moderates. Ida completes the course, Ole has done one lesson, Eva
/// nothing, Bo enrolled and left.
async fn cast(app: &TestApp, db: &TestDb) -> Cast {
    let karen = person(app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lars = person(app, db, "lars@nord.example", "Lars", "Madsen").await;
    let ida = person(app, db, "ida@learner.example", "Ida", "Holm").await;
    let ole = person(app, db, "ole@learner.example", "Ole", "Berg").await;
    let eva = person(app, db, "eva@learner.example", "Eva", "Lund").await;
    let bo = person(app, db, "bo@learner.example", "Bo", "Dahl").await;
    organisation_with(app, "nord", "123456789", &[&karen, &lars]).await;
    let org = "nord".to_string();
    let b = build_course(app, &karen, &org, "Geometri", "").await;
    add_staff(app, &karen, &b.slug, &lars, "moderator").await;
    let run = b.run.to_string();
    for p in [&ida, &ole, &eva, &bo] {
        ok(app, "courses/enrol", &[("run", &run)], p).await;
    }
    for item in &b.all_items()[..3] {
        view(app, &b, *item, &ida).await;
    }
    view(app, &b, b.all_items()[0], &ole).await;
    ok(app, "courses/unenrol", &[("run", &run)], &bo).await;
    Cast {
        karen,
        lars,
        ida,
        ole,
        eva,
        bo,
        b,
    }
}

// S12: the dashboard's numbers per learner and module, the summary, filters, sort, the
// charts with their text, and the CSV exports (quoting, formula guard, no e-mail: T8).
// Teachers and moderators both see it.
async fn dashboard(db: &TestDb) {
    let app = TestApp::new(db).await;
    let c = cast(&app, db).await;
    let b = &c.b;
    let base = format!("/courses/{}/runs/{}/progress", b.slug, b.run);

    let (status, body) = status_or_location(&app, &base, Some(&c.karen)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Ida: both modules done, 100 %, a certificate.
    let ida = row(&body, "Ida Holm");
    assert!(ida.contains(">2/2<") && ida.contains(">1/1<"), "{ida}");
    assert!(ida.contains(">done<") && !ida.contains("partly"), "{ida}");
    assert!(
        ida.contains("100 % (3 of 3)") && ida.contains("Certificate"),
        "{ida}"
    );
    // Ole: one lesson of the first module.
    let ole = row(&body, "Ole Berg");
    assert!(ole.contains(">1/2<") && ole.contains(">partly<"), "{ole}");
    assert!(ole.contains(">0/1<") && ole.contains(">not started<"), "{ole}");
    assert!(ole.contains("33 % (1 of 3)"), "{ole}");
    // Attendance: today, one day.
    let today = app::courses::model::day_of(app.platform.clock.now_ms());
    assert!(
        ole.contains(&format!(">{today}<")) && ole.contains("<td>1</td>"),
        "{ole}"
    );
    let eva = row(&body, "Eva Lund");
    assert!(eva.contains("0 % (0 of 3)") && eva.contains(">never<"), "{eva}");
    // Bo left: not among the enrolled learners.
    assert!(!body.contains("Bo Dahl"));
    // The summary.
    for (label, n) in [
        ("Enrolled learners", "3"),
        ("On the waiting list", "0"),
        ("Left or removed", "1"),
        ("Completed", "1"),
        ("In progress", "1"),
        ("Not started", "1"),
        ("Average progress", "44 %"),
    ] {
        assert!(
            body.contains(&format!("<dt>{label}</dt><dd>{n}</dd>")),
            "{label} {n}"
        );
    }
    // Charts: images with a title and a description, their figures as text and as a table.
    assert!(body.contains("role=\"img\" viewBox"), "{body}");
    assert!(body.contains("<title id=\"funnel-title\">Completion by module</title>"));
    assert!(body.contains("<title id=\"weekly-title\">Active learners per week</title>"));
    assert!(body.contains("aria-labelledby=\"funnel-title funnel-desc\""));
    // Module 1: Ida (2/2); module 2: Ida (1/1): "1 of 3" each.
    assert_eq!(body.matches(">1 of 3</text>").count(), 2, "{body}");
    assert!(body.contains("<th scope=\"row\">1. Basics</th><td>1 of 3</td>"));
    assert!(
        body.contains(&format!("<th scope=\"row\">{}</th><td>2</td>", monday_of(&today))),
        "{}",
        body.split("Week starting").nth(1).unwrap_or(&body)
    );
    assert!(body.contains(&format!("{base}.csv")) && body.contains("participants.csv"));

    // Filters.
    let names = ["Ida Holm", "Ole Berg", "Eva Lund", "Bo Dahl"];
    for (query, expected) in [
        ("state=completed", vec!["Ida Holm"]),
        ("state=in_progress", vec!["Ole Berg"]),
        ("state=not_started", vec!["Eva Lund"]),
        ("q=ole", vec!["Ole Berg"]),
        ("q=%25", vec![]),
        (&format!("module={}", b.modules[1]), vec!["Ole Berg", "Eva Lund"]),
        (&format!("module={}", b.modules[0]), vec!["Ole Berg", "Eva Lund"]),
        ("enrolment=ended", vec!["Bo Dahl"]),
        ("sort=progress", vec!["Ida Holm", "Ole Berg", "Eva Lund"]),
        ("sort=progress_asc", vec!["Eva Lund", "Ole Berg", "Ida Holm"]),
        ("", vec!["Ole Berg", "Ida Holm", "Eva Lund"]),
        (
            "state=bogus&sort=bogus&module=abc&page=-4",
            vec!["Ole Berg", "Ida Holm", "Eva Lund"],
        ),
    ] {
        let (status, body) = status_or_location(&app, &format!("{base}?{query}"), Some(&c.karen)).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let table = body.split("progress-table").nth(1).unwrap_or("");
        let tbody = table.split("</tbody>").next().unwrap();
        assert_eq!(names_in_order(tbody, &names), expected, "{query}");
    }

    // A moderator sees the same; so does the learner page.
    let (status, body) = status_or_location(&app, &base, Some(&c.lars)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(row(&body, "Ida Holm").contains("100 %"));
    let (status, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/learners/{}", b.slug, b.run, c.ole.id),
        Some(&c.lars),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Ole Berg") && body.contains(&format!("Done on {today}")) && body.contains("Not done")
    );
    // The teacher's editor and the course page link to the dashboard.
    let (_, body) = status_or_location(&app, &format!("/courses/{}/edit", b.slug), Some(&c.karen)).await;
    assert!(body.contains(&format!("href=\"{base}\"")));
    let (_, body) = status_or_location(&app, &format!("/courses/{}", b.slug), Some(&c.lars)).await;
    assert!(body.contains(&format!("href=\"{base}\"")));
    let (_, body) = status_or_location(&app, &format!("/courses/{}", b.slug), Some(&c.ida)).await;
    assert!(!body.contains(&base), "learners get no link");

    // CSV of the filtered table: a spreadsheet's text, every cell guarded against formulas.
    sqlx::query("UPDATE users SET last_name = $2 WHERE id = $1")
        .bind(c.eva.id)
        .bind("=HYPERLINK(\"http://evil.example\",\"x\"), Lund")
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let (status, headers, text) = csv(&app, &format!("{base}.csv?sort=progress"), Some(&c.lars)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"geometri-run-{}-progress.csv\"", b.run).as_str()
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(
        lines[0],
        "Learner,Enrolment,Enrolled on,Basics (done of 2),Practice (done of 1),Required items done,\
         Required items,Progress,Completion,Marked by staff,Last active,Days active"
    );
    assert_eq!(
        lines[1],
        format!("Ida Holm,Enrolled,{today},2,1,3,3,100,Completed,0,{today},1")
    );
    assert_eq!(
        lines[2],
        format!("Ole Berg,Enrolled,{today},1,0,1,3,33,In progress,0,{today},1")
    );
    assert_eq!(
        lines[3],
        format!(
            "\"Eva =HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\"), Lund\",Enrolled,{today},0,0,0,3,0,Not started,0,,0"
        )
    );
    assert_eq!(lines.len(), 5, "three learners and the final line break: {text}");
    // A name that starts with a formula character gets the apostrophe.
    sqlx::query("UPDATE users SET first_name = '@cmd' WHERE id = $1")
        .bind(c.eva.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let (_, _, text) = csv(&app, &format!("{base}.csv?state=not_started"), Some(&c.karen)).await;
    assert!(text.contains("\r\n\"'@cmd =HYPERLINK("), "{text}");
    // The participant list: everyone ever in the run, no e-mail addresses (T8).
    let (status, headers, text) = csv(
        &app,
        &format!("/courses/{}/runs/{}/participants.csv", b.slug, b.run),
        Some(&c.karen),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        text.contains(&format!("Bo Dahl,Left,{today},{today},0,,0,No\r\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Ida Holm,Enrolled,{today},,100,{today},1,Yes\r\n")),
        "{text}"
    );
    for p in [&c.ida, &c.ole, &c.eva, &c.bo] {
        assert!(!text.contains(&p.email));
    }
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_dashboard_numbers_filters_charts_and_csv, dashboard);

// T7: a deactivated learner is hidden everywhere else, so the course staff see their
// progress under a neutral label, never their name: on the dashboard (not found by a name
// search, listed after the named learners), on their learner page, and in both CSV exports.
// Their progress still counts in the summary. An anonymised account is shown the same way.
async fn deactivated_learners(db: &TestDb) {
    let app = TestApp::new(db).await;
    let c = cast(&app, db).await;
    let b = &c.b;
    for (who, status) in [(&c.ole, "deactivated"), (&c.bo, "anonymised")] {
        sqlx::query("UPDATE users SET status = $1 WHERE id = $2")
            .bind(status)
            .bind(who.id)
            .execute(&app.platform.db.pool)
            .await
            .unwrap();
    }
    let today = app::courses::model::day_of(app.platform.clock.now_ms());
    let base = format!("/courses/{}/runs/{}/progress", b.slug, b.run);
    let hidden = |text: &str, what: &str| {
        for name in [
            "Ole Berg",
            "Berg",
            "Bo Dahl",
            "Dahl",
            c.ole.email.as_str(),
            c.bo.email.as_str(),
        ] {
            assert!(!text.contains(name), "{what} shows {name}");
        }
    };
    let (status, body) = status_or_location(&app, &base, Some(&c.karen)).await;
    assert_eq!(status, StatusCode::OK);
    hidden(&body, "the dashboard");
    let ole = row(&body, "Deactivated learner");
    assert!(ole.contains("33 % (1 of 3)") && ole.contains(">1/2<"), "{ole}");
    assert!(
        ole.contains(&format!("/learners/{}\"", c.ole.id)),
        "the row still leads to the learner's page: {ole}"
    );
    let tbody = body
        .split("progress-table")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert!(
        tbody.find("Deactivated learner").unwrap() > tbody.find("Eva Lund").unwrap(),
        "after the named learners, not placed by the hidden name"
    );
    for (label, n) in [
        ("Enrolled learners", "3"),
        ("In progress", "1"),
        ("Average progress", "44 %"),
    ] {
        assert!(
            body.contains(&format!("<dt>{label}</dt><dd>{n}</dd>")),
            "{label} {n}"
        );
    }
    // A name search never finds them.
    for q in ["ole", "berg", "Ole Berg"] {
        let (_, body) = status_or_location(&app, &format!("{base}?q={}", encode(q)), Some(&c.karen)).await;
        assert!(body.contains("No learners match."), "q={q}");
    }
    let (_, body) = status_or_location(&app, &format!("{base}?enrolment=ended"), Some(&c.lars)).await;
    hidden(&body, "the ended learners");
    assert!(row(&body, "Deactivated learner").contains(">Left<"));
    // The learner page: the label as heading and title, the numbers as before.
    let (status, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/learners/{}", b.slug, b.run, c.ole.id),
        Some(&c.lars),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    hidden(&body, "the learner page");
    assert!(
        main_without_markers(&body).contains("<h1>Deactivated learner</h1>"),
        "{body}"
    );
    assert!(body.contains("<title>Deactivated learner · Agora</title>"));
    assert!(body.contains("Remove Deactivated learner from this run"));
    assert!(body.contains(&format!("Done on {today}")));
    // Both exports.
    let (_, _, text) = csv(&app, &format!("{base}.csv"), Some(&c.karen)).await;
    hidden(&text, "the progress export");
    assert!(
        text.contains(&format!(
            "\r\nDeactivated learner,Enrolled,{today},1,0,1,3,33,In progress,0,{today},1\r\n"
        )),
        "{text}"
    );
    let (_, _, text) = csv(
        &app,
        &format!("/courses/{}/runs/{}/participants.csv", b.slug, b.run),
        Some(&c.karen),
    )
    .await;
    hidden(&text, "the participant list");
    assert!(
        text.contains(&format!(
            "\r\nDeactivated learner,Enrolled,{today},,33,{today},1,No\r\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\r\nDeactivated learner,Left,{today},{today},0,,0,No\r\n"
        )),
        "{text}"
    );
    assert!(text.contains("Ida Holm,") && text.contains("Eva Lund,"));
    app.platform.db.pool.close().await;
}
on_both_databases!(
    t7_deactivated_learners_shown_to_staff_under_a_neutral_label,
    deactivated_learners
);

/// The Monday of a `YYYY-MM-DD` day.
fn monday_of(day: &str) -> String {
    use app::courses::model::{DAY_MS, day_of, parse_day};
    let days = parse_day(day).unwrap() / DAY_MS;
    day_of((days - (days + 3).rem_euclid(7)) * DAY_MS)
}

// S12: staff mark a learner's item complete with a required reason. It is audited in the
// same transaction, counts like the learner's own progress, issues the certificate when it
// completes the course, and the dashboard shows that staff marked it.
async fn staff_marking(db: &TestDb) {
    let app = TestApp::new(db).await;
    let c = cast(&app, db).await;
    let b = &c.b;
    let pool = &app.platform.db.pool;
    // Ole has done item 0; items 1 and 2 remain.
    let (run, ole) = (b.run.to_string(), c.ole.id.to_string());
    let mark = |item: i64, reason: &str| -> String {
        form(&[
            ("slug", &b.slug),
            ("run", &run),
            ("user", &ole),
            ("item", &item.to_string()),
            ("reason", reason),
        ])
    };
    // A reason is required, and at most 500 characters; nothing is written without one.
    for reason in ["  ".to_string(), "x".repeat(501)] {
        let res = call(
            &app,
            "courses/staff-mark",
            &mark(b.all_items()[1], &reason),
            Some(&c.karen.cookie),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains("\"reason\""));
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            c.ole.id
        )
        .await,
        1
    );
    // The teacher marks one (plain form post: redirect to the learner's page).
    let res = call(
        &app,
        "courses/staff-mark",
        &mark(b.all_items()[1], "Attended the session in person"),
        Some(&c.karen.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        format!(
            "/courses/{}/runs/{}/learners/{}?status=marked",
            b.slug, b.run, c.ole.id
        )
    );
    let r = sqlx::query(
        "SELECT marked_by, mark_reason FROM item_progress WHERE run_id = $1 AND user_id = $2 AND item_id = $3",
    )
    .bind(b.run)
    .bind(c.ole.id)
    .bind(b.all_items()[1])
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(r.get::<Option<i64>, _>(0), Some(c.karen.id));
    assert_eq!(
        r.get::<Option<String>, _>(1).as_deref(),
        Some("Attended the session in person")
    );
    let audit = sqlx::query(
        "SELECT actor_user_id, subject, detail FROM audit_log WHERE action = 'progress_marked_by_staff'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].get::<Option<i64>, _>(0), Some(c.karen.id));
    assert_eq!(audit[0].get::<String, _>(1), format!("user:{}", c.ole.id));
    let detail: String = audit[0].get(2);
    assert!(
        detail.contains(&format!("run:{} item:{}", b.run, b.all_items()[1]))
            && detail.contains("Attended the session in person"),
        "{detail}"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM certificates WHERE user_id = $1",
            c.ole.id
        )
        .await,
        0
    );
    // Marking it again changes nothing and is not audited again.
    let res = call(
        &app,
        "courses/staff-mark",
        &mark(b.all_items()[1], "again"),
        Some(&c.karen.cookie),
        true,
    )
    .await;
    assert!(location(&res).ends_with("?status=already-done"));
    let marks = "SELECT COUNT(*) FROM audit_log WHERE action = 'progress_marked_by_staff' AND at > $1";
    assert_eq!(scalar(&app, marks, 0).await, 1);
    // The moderator marks the last required item: the course is complete, the certificate
    // issued as for the learner's own progress.
    let res = call(
        &app,
        "courses/staff-mark",
        &mark(b.all_items()[2], "Submitted on paper"),
        Some(&c.lars.cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(scalar(&app, marks, 0).await, 2);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM certificates WHERE user_id = $1",
            c.ole.id
        )
        .await,
        1
    );
    let (_, learn) = status_or_location(&app, &format!("/learn/{}", b.run), Some(&c.ole)).await;
    assert!(
        learn.contains("value=\"100\"") && learn.contains("/certificates/"),
        "{learn}"
    );
    // The dashboard and the learner's page show that staff marked them.
    let (_, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/progress", b.slug, b.run),
        Some(&c.karen),
    )
    .await;
    let ole = row(&body, "Ole Berg");
    assert!(
        ole.contains("(1 by staff)") && ole.contains("(2 by staff)") && ole.contains("100 %"),
        "{ole}"
    );
    let (_, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/learners/{}", b.slug, b.run, c.ole.id),
        Some(&c.karen),
    )
    .await;
    assert!(
        body.contains("Marked complete by staff on") && body.contains("Submitted on paper"),
        "{body}"
    );
    // Only active learners of this run; only items of this course.
    for (user, item) in [
        (c.bo.id, b.all_items()[1]),
        (c.karen.id, b.all_items()[1]),
        (c.eva.id, 999_999),
    ] {
        let res = post(
            &app,
            "courses/staff-mark",
            &[
                ("slug", &b.slug),
                ("run", &b.run.to_string()),
                ("user", &user.to_string()),
                ("item", &item.to_string()),
                ("reason", "x"),
            ],
            Some(&c.karen),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s12_staff_mark_complete_with_reason_audited_and_completing,
    staff_marking
);

// S4: staff invite by e-mail address with the same answer whether or not it belongs to an
// account, and nobody is enrolled until they accept. The account gets one invitation link
// in its language (asked twice: the second link replaces the first), accepts it and is
// enrolled past a full run and closed enrolment, audited; an unknown address gets no mail
// and is never enrolled. (More in `run_invitations.rs`.)
async fn enrol_by_email(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let ida = person(&app, db, "ida@learner.example", "Ida", "Holm").await;
    let mette = person(&app, db, "mette@learner.example", "Mette", "Krog").await;
    sqlx::query("UPDATE users SET locale = 'da' WHERE id = $1")
        .bind(mette.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "1").await;
    ok(&app, "courses/enrol", &[("run", &b.run.to_string())], &ida).await;
    // Full, and enrolment closed since yesterday.
    sqlx::query("UPDATE course_runs SET enrol_closes_at = $2 WHERE id = $1")
        .bind(b.run)
        .bind(app.platform.clock.now_ms() - 86_400_000)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let enrolments = || scalar(&app, "SELECT COUNT(*) FROM enrolments WHERE run_id = $1", b.run);
    let before = enrolments().await;
    let run = b.run.to_string();
    let mut answers = Vec::new();
    for email in [" Mette@Learner.example ", "nobody@nowhere.example"] {
        for html in [false, true] {
            let res = call(
                &app,
                "courses/staff-invite",
                &form(&[("slug", &b.slug), ("run", &run), ("email", email)]),
                Some(&karen.cookie),
                html,
            )
            .await;
            let status = res.status();
            let loc = location(&res);
            answers.push((html, status, loc, body_text(res).await));
        }
    }
    // In order: the known address by script and by form, then the unknown one.
    let known = answers;
    assert_eq!(known[0].1, StatusCode::OK);
    assert_eq!(known[0], known[2], "the same answer for a script");
    assert_eq!(known[1], known[3], "the same redirect for a form");
    assert_eq!(
        known[1].2,
        format!("/courses/{}/runs/{}/progress?status=invited", b.slug, b.run)
    );
    let (_, page) = status_or_location(&app, &known[1].2, Some(&karen)).await;
    assert!(page.contains("The invitation is recorded. If the address belongs to an Agora account"));
    // Nobody is enrolled yet; both addresses are listed as invited, without a name.
    assert_eq!(enrolments().await, before, "nobody enrolled before accepting");
    assert!(page.contains("mette@learner.example") && page.contains("nobody@nowhere.example"));
    assert!(!page.contains("Mette Krog") && !page.contains("Krog"));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM run_invitations WHERE run_id = $1",
            b.run
        )
        .await,
        2,
        "one invitation per address, although asked twice"
    );
    // Mette is told twice in Danish; only the second link works.
    let mails = mails_to(db, &mette.email, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        outbox_mails_to(db, &mette.email).len(),
        3,
        "the confirmation, then two invitations"
    );
    let invitations: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("/learn/invitations/"))
        .collect();
    assert_eq!(invitations.len(), 2);
    for mail in &invitations {
        assert!(
            mail.contains("Subject: Invitation til Geometri ")
                && mail.contains("Karen Nielsen inviterer dig"),
            "{mail}"
        );
    }
    assert!(outbox_mails_to(db, "nobody@nowhere.example").is_empty());
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM run_invitations WHERE email = $1")
        .bind("mette@learner.example")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let links: Vec<String> = invitations
        .iter()
        .map(|m| {
            m.split("/learn/invitations/")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let (current, replaced): (Vec<&String>, Vec<&String>) = links
        .iter()
        .partition(|l| app::auth::sessions::hash_secret(l) == stored);
    assert_eq!(
        (current.len(), replaced.len()),
        (1, 1),
        "only a hash of the newest link is stored"
    );
    let answer = |secret: &str| form(&[("secret", secret), ("answer", "accept")]);
    let res = call(
        &app,
        "courses/invitation-answer",
        &answer(replaced[0]),
        Some(&mette.cookie),
        false,
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the replaced link"
    );
    // She accepts: enrolled (past the full run and closed enrolment), audited once.
    let res = call(
        &app,
        "courses/invitation-answer",
        &answer(current[0]),
        Some(&mette.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/learn/{}?status=enrolled", b.run));
    let status: String =
        sqlx::query_scalar("SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2")
            .bind(b.run)
            .bind(mette.id)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "active");
    assert_eq!(enrolments().await, before + 1, "nothing for the unknown address");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'learner_enrolled_by_invitation' AND actor_user_id = $1",
            mette.id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'learner_invited_by_staff' AND actor_user_id = $1",
            karen.id
        )
        .await,
        4,
        "every invitation, known address or not"
    );
    // She can open the run; the staff now see her name, and her address is gone.
    let (status, _) = status_or_location(&app, &format!("/learn/{}", b.run), Some(&mette)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/progress", b.slug, b.run),
        Some(&karen),
    )
    .await;
    assert!(page.contains(">Mette Krog</a>") && !page.contains("mette@learner.example"));
    // A malformed address is a field error; a draft run is refused for every address alike.
    let res = post(
        &app,
        "courses/staff-invite",
        &[("slug", &b.slug), ("run", &run), ("email", "not an address")],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    ok(
        &app,
        "courses/run-status",
        &[("slug", &b.slug), ("run", &run), ("status", "draft")],
        &karen,
    )
    .await;
    let mut refusals = Vec::new();
    for email in ["ida@learner.example", "nobody@nowhere.example"] {
        let res = post(
            &app,
            "courses/staff-invite",
            &[("slug", &b.slug), ("run", &run), ("email", email)],
            Some(&karen),
        )
        .await;
        refusals.push((res.status(), body_text(res).await));
    }
    assert_eq!(refusals[0].0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refusals[0].1.contains("course_staff.run_not_published"));
    assert_eq!(refusals[0], refusals[1]);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s4_staff_invite_by_email_answers_alike_for_unknown_addresses_and_enrols_on_accepting,
    enrol_by_email
);

// Staff remove a learner: status 'removed', progress kept, the waiting list promoted (and
// told) as when a learner leaves, audited; the learner loses access and cannot enrol again
// by themselves; staff can enrol them again.
async fn remove_learner(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let ida = person(&app, db, "ida@learner.example", "Ida", "Holm").await;
    let ole = person(&app, db, "ole@learner.example", "Ole", "Berg").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", "1").await;
    let run = b.run.to_string();
    ok(&app, "courses/enrol", &[("run", &run)], &ida).await;
    ok(&app, "courses/enrol", &[("run", &run)], &ole).await;
    view(&app, &b, b.all_items()[0], &ida).await;
    let status_of = |user: i64| {
        let pool = app.platform.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT status FROM enrolments WHERE run_id = $1 AND user_id = $2",
            )
            .bind(b.run)
            .bind(user)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(status_of(ole.id).await, "waiting");
    let res = call(
        &app,
        "courses/staff-remove",
        &form(&[("slug", &b.slug), ("run", &run), ("user", &ida.id.to_string())]),
        Some(&karen.cookie),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        format!(
            "/courses/{}/runs/{}/learners/{}?status=removed",
            b.slug, b.run, ida.id
        )
    );
    assert_eq!(status_of(ida.id).await, "removed");
    assert_eq!(status_of(ole.id).await, "active", "the waiting list moved up");
    assert!(
        outbox_mails_to(db, &ole.email)
            .iter()
            .any(|m| m.contains(&format!("/learn/{}", b.run))),
        "the promoted learner is told"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            ida.id
        )
        .await,
        1,
        "progress kept"
    );
    assert!(scalar(&app, "SELECT ended_at FROM enrolments WHERE user_id = $1", ida.id).await > 0);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'learner_removed_by_staff' AND actor_user_id = $1",
            karen.id
        )
        .await,
        1
    );
    // Ida: no access, a note on the course page, no enrolling herself again.
    let (status, _) = status_or_location(&app, &format!("/learn/{}", b.run), Some(&ida)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = status_or_location(&app, &format!("/courses/{}", b.slug), Some(&ida)).await;
    assert!(page.contains("The course staff removed you from this run."));
    let res = post(&app, "courses/enrol", &[("run", &run)], Some(&ida)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(res).await.contains("course_staff.removed_cannot_enrol"));
    // The dashboard lists her under "left or removed", marked removed; her page offers to
    // enrol her again, which staff may do past the capacity.
    let (_, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/progress?enrolment=ended", b.slug, b.run),
        Some(&karen),
    )
    .await;
    assert!(row(&body, "Ida Holm").contains(">Removed<"));
    let (_, body) = status_or_location(
        &app,
        &format!("/courses/{}/runs/{}/learners/{}", b.slug, b.run, ida.id),
        Some(&karen),
    )
    .await;
    assert!(body.contains("Enrol again"));
    // Removing again: not found (nothing to end).
    let res = post(
        &app,
        "courses/staff-remove",
        &[("slug", &b.slug), ("run", &run), ("user", &ida.id.to_string())],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    ok(
        &app,
        "courses/staff-reenrol",
        &[("slug", &b.slug), ("run", &run), ("user", &ida.id.to_string())],
        &karen,
    )
    .await;
    assert_eq!(status_of(ida.id).await, "active");
    let (_, learn) = status_or_location(&app, &format!("/learn/{}", b.run), Some(&ida)).await;
    assert!(learn.contains("value=\"33\""), "her progress is back: {learn}");
    // Enrolling again works only for someone who was in the run.
    let stranger = person(&app, db, "x@outsider.example", "X", "Y").await;
    let res = post(
        &app,
        "courses/staff-reenrol",
        &[
            ("slug", &b.slug),
            ("run", &run),
            ("user", &stranger.id.to_string()),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    staff_remove_learner_keeps_progress_promotes_waiting_list,
    remove_learner
);

// S19: learners, another organisation's course staff, the course organisation's own admin
// (not the course's staff) and anonymous visitors get exactly what a missing run gives:
// the same 404 page, the same 404 from every server function and export; anonymous
// visitors go to sign in for an existing and a missing run alike.
async fn refusals(db: &TestDb) {
    let app = TestApp::new(db).await;
    let c = cast(&app, db).await;
    let b = &c.b;
    let olga = person(&app, db, "olga@other.example", "Olga", "Sand").await;
    organisation_with(&app, "syd", "987654321", &[&olga]).await;
    let other_org = "syd".to_string();
    let other = build_course(&app, &olga, &other_org, "Algebra", "").await;
    // Karen's organisation gets an admin who is not on the course's staff.
    let anna = person(&app, db, "anna@nord.example", "Anna", "Kjær").await;
    sqlx::query("UPDATE organisation_members SET role = 'member'")
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) \
         SELECT id, $1, 'admin', 0 FROM organisations WHERE slug = 'nord'",
    )
    .bind(anna.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();

    let existing = format!("/courses/{}/runs/{}/progress", b.slug, b.run);
    let learner_page = format!("/courses/{}/runs/{}/learners/{}", b.slug, b.run, c.ida.id);
    let missing = format!("/courses/{}/runs/999999/progress", b.slug);
    let missing_learner = format!("/courses/{}/runs/{}/learners/999999", b.slug, b.run);
    // A run of another course through this course's slug.
    let crossed = format!("/courses/{}/runs/{}/progress", b.slug, other.run);
    for who in [&c.ida, &olga, &anna] {
        let (status, missing_page) = status_or_location(&app, &missing, Some(who)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, missing_learner_page) = status_or_location(&app, &missing_learner, Some(&c.karen)).await;
        for (path, like) in [
            (&existing, &missing_page),
            (&crossed, &missing_page),
            (&learner_page, &missing_learner_page),
        ] {
            let (status, body) = status_or_location(&app, path, Some(who)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{} {path}", who.email);
            assert_eq!(main_of(&body), main_of(like), "{} {path}", who.email);
            assert!(!body.contains("Ole Berg"));
        }
        for what in ["progress", "participants"] {
            let (status, _, body) = csv(
                &app,
                &format!("/courses/{}/runs/{}/{what}.csv", b.slug, b.run),
                Some(who),
            )
            .await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let (status2, _, body2) = csv(
                &app,
                &format!("/courses/{}/runs/999999/{what}.csv", b.slug),
                Some(who),
            )
            .await;
            assert_eq!((status, body), (status2, body2));
        }
        let (slug, run) = (b.slug.as_str(), b.run.to_string());
        let (run, user, bo, item) = (
            run.as_str(),
            c.ole.id.to_string(),
            c.bo.id.to_string(),
            b.all_items()[1].to_string(),
        );
        let endpoints: [(&str, Vec<(&str, &str)>); 7] = [
            ("courses/run-progress", vec![("slug", slug), ("run", run)]),
            (
                "courses/learner-progress",
                vec![("slug", slug), ("run", run), ("user", &user)],
            ),
            (
                "courses/staff-mark",
                vec![
                    ("slug", slug),
                    ("run", run),
                    ("user", &user),
                    ("item", &item),
                    ("reason", "x"),
                ],
            ),
            (
                "courses/staff-invite",
                vec![("slug", slug), ("run", run), ("email", "eva@learner.example")],
            ),
            (
                "courses/staff-withdraw-invitation",
                vec![("slug", slug), ("run", run), ("invitation", "1")],
            ),
            (
                "courses/staff-reenrol",
                vec![("slug", slug), ("run", run), ("user", &bo)],
            ),
            (
                "courses/staff-remove",
                vec![("slug", slug), ("run", run), ("user", &user)],
            ),
        ];
        for (endpoint, fields) in endpoints {
            let res = post(&app, endpoint, &fields, Some(who)).await;
            let (status, body) = (res.status(), body_text(res).await);
            let mut f = fields.clone();
            f[1] = ("run", "999999");
            let res = post(&app, endpoint, &f, Some(who)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint} {}", who.email);
            assert_eq!((status, body), (res.status(), body_text(res).await), "{endpoint}");
        }
    }
    // Nothing changed through those attempts.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM item_progress WHERE user_id = $1",
            c.ole.id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE at > $1", 0).await,
        0
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM run_invitations WHERE run_id > $1", 0).await,
        0,
        "no invitation stored"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM enrolments WHERE status = 'active' AND run_id = $1",
            b.run
        )
        .await,
        3
    );
    // Anonymous: to sign in, whether the run exists or not; the exports as well.
    for path in [&existing, &missing, &learner_page] {
        let (status, to) = status_or_location(&app, path, None).await;
        assert_eq!(status, StatusCode::FOUND);
        assert!(to.starts_with("/sign-in?next="), "{to}");
    }
    for run in [b.run, 999_999] {
        let res = page(
            &app,
            &format!("/courses/{}/runs/{run}/progress.csv", b.slug),
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/sign-in?next="));
    }
    let res = post(
        &app,
        "courses/run-progress",
        &[("slug", &b.slug), ("run", &b.run.to_string())],
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.platform.db.pool.close().await;
}
on_both_databases!(s19_dashboard_refusals_look_like_a_missing_run, refusals);

/// Counts the statements sqlx runs (its `sqlx::query` events), process-wide: nextest runs
/// each test in its own process, so only this test's statements are counted.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

/// Reads the statement summary sqlx logs with each query.
#[derive(Default)]
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_owned();
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        // A connection the pool opens mid-request runs its PRAGMAs (`after_connect`);
        // whether the pool needs one depends on timing, not on the number of learners.
        let mut summary = Summary::default();
        event.record(&mut summary);
        if !summary
            .0
            .trim_start_matches('"')
            .to_ascii_uppercase()
            .starts_with("PRAGMA")
        {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn count_statements() {
    use tracing_subscriber::layer::SubscriberExt;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountStatements));
    });
}

/// `n` learners in `run` inserted directly, with progress and attendance spread over
/// weeks, in one transaction.
async fn many_learners(app: &TestApp, b: &Built, n: usize, tag: &str) {
    let mut tx = app.platform.db.pool.begin().await.unwrap();
    let now = app.platform.clock.now_ms();
    for i in 0..n {
        let id: i64 = sqlx::query(
            "INSERT INTO users (email, email_verified_at, first_name, last_name, user_type, country, locale, created_at) \
             VALUES ($1, 0, $2, $3, 'teacher', 'DK', 'en', 0) RETURNING id",
        )
        .bind(format!("{tag}{i}@many.example"))
        .bind(format!("Learner{i:04}"))
        .bind(tag)
        .fetch_one(&mut *tx)
        .await
        .unwrap()
        .get(0);
        sqlx::query(
            "INSERT INTO enrolments (run_id, user_id, status, enrolled_at) VALUES ($1, $2, 'active', $3)",
        )
        .bind(b.run)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        for item in b.all_items().iter().take(i % 4) {
            sqlx::query(
                "INSERT INTO item_progress (run_id, user_id, item_id, completed_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(b.run)
            .bind(id)
            .bind(item)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        for d in 0..(i % 3) as i64 {
            sqlx::query("INSERT INTO run_activity_days (run_id, user_id, day) VALUES ($1, $2, $3)")
                .bind(b.run)
                .bind(id)
                .bind(app::courses::model::day_of(
                    now - (d * 9 + (i as i64 % 20)) * 86_400_000,
                ))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

// S12 at scale: a run of 5 learners and a run of 320 cost the same number of statements
// for a page of the dashboard and for the CSV export (no query per learner); 50 a page.
async fn constant_queries(db: &TestDb) {
    count_statements();
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let org = organisation(&app, "nord", &karen).await;
    let small = build_course(&app, &karen, &org, "Geometri", "").await;
    let large = build_course(&app, &karen, &org, "Algebra", "").await;
    many_learners(&app, &small, 5, "small").await;
    many_learners(&app, &large, 320, "large").await;
    let measure = |path: String| {
        let app = &app;
        let cookie = karen.cookie.clone();
        async move {
            // Once to warm the pool's connections, then counted.
            let res = page(app, &path, Some(&cookie)).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let _ = body_text(res).await;
            let before = STATEMENTS.load(Ordering::SeqCst);
            let res = page(app, &path, Some(&cookie)).await;
            let body = body_text(res).await;
            (STATEMENTS.load(Ordering::SeqCst) - before, body)
        }
    };
    let progress = |b: &Built, q: &str| format!("/courses/{}/runs/{}/progress{q}", b.slug, b.run);
    let (few, _) = measure(progress(&small, "")).await;
    let (many, body) = measure(progress(&large, "")).await;
    assert!(few > 5, "statements are counted: {few}");
    eprintln!("statements for a page of the dashboard: {few}");
    assert_eq!(few, many, "a page costs the same for 5 and 320 learners");
    assert!(body.contains("320 learners match."));
    assert_eq!(body.matches("/learners/").count(), 50, "50 a page");
    assert!(
        body.contains("?page=2\" rel=\"next\""),
        "{}",
        &body[body.len().saturating_sub(3000)..]
    );
    let (paged, body) = measure(progress(&large, "?page=7&sort=progress")).await;
    assert_eq!(paged, many);
    assert_eq!(body.matches("/learners/").count(), 20, "the last page");
    let (filtered, body) = measure(progress(
        &large,
        &format!("?state=in_progress&module={}", large.modules[1]),
    ))
    .await;
    assert_eq!(filtered, many);
    // i % 4 == 1 or 2: one or two items of the first module, so module 2 not done.
    assert!(body.contains("160 learners match."), "{}", body.len());
    let csv_of = |b: &Built| format!("/courses/{}/runs/{}/progress.csv", b.slug, b.run);
    let (few, _) = measure(csv_of(&small)).await;
    let (many, text) = measure(csv_of(&large)).await;
    assert_eq!(few, many, "the export too");
    assert_eq!(text.matches("\r\n").count(), 321);
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_dashboard_queries_do_not_grow_with_learners, constant_queries);
