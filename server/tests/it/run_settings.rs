//! A run's settings changed after creation (issue 7; S4, S7, S19), on both databases: the
//! course's teachers change title, dates and capacity with learners in the run; bad input
//! changes nothing; a larger capacity takes the waiting list in, in order, with an e-mail,
//! a smaller one removes no one; the catalogue listing follows in the same transaction;
//! everyone else gets the answer of a missing run. The same for a group's settings.

use crate::common::browser::outbox_mails_to;
use crate::common::courses::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::http::StatusCode;
use sqlx::Row;

async fn update(
    app: &TestApp,
    who: Option<&Person>,
    slug: &str,
    run: i64,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let run = run.to_string();
    let mut all = vec![("slug", slug), ("run_id", run.as_str())];
    all.extend_from_slice(fields);
    let res = post(app, "courses/update-run", &all, who).await;
    let status = res.status();
    (status, body_text(res).await)
}

/// (title, capacity, self-paced, enrolment closes) of the run as stored.
async fn stored(app: &TestApp, run: i64) -> (String, Option<i64>, i64, Option<i64>) {
    let r = sqlx::query("SELECT title, capacity, self_paced, enrol_closes_at FROM course_runs WHERE id = $1")
        .bind(run)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2), r.get(3))
}

/// user ids by enrolment status, in waiting-list order for `waiting`.
async fn enrolled(app: &TestApp, run: i64, status: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT user_id FROM enrolments WHERE run_id = $1 AND status = $2 ORDER BY waiting_seq, user_id",
    )
    .bind(run)
    .bind(status)
    .fetch_all(&app.platform.db.pool)
    .await
    .unwrap()
}

async fn change_settings(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", &["Vinkler"], 1).await;
    let [l1, l2, l3, l4] = [
        person(&app, db, "a@learner.example", "Anna", "A").await,
        person(&app, db, "b@learner.example", "Bo", "B").await,
        person(&app, db, "c@learner.example", "Cai", "C").await,
        person(&app, db, "d@learner.example", "Dina", "D").await,
    ];
    let olga = person(&app, db, "olga@syd.example", "Olga", "Olsen").await;

    // Capacity 1 on a run that is already published: the next two wait, in order.
    let (status, body) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[
            ("run[title]", "Forår"),
            ("run[self_paced]", "on"),
            ("run[capacity]", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("status=run-saved"), "{body}");
    for who in [&l1, &l2, &l3] {
        enrol(&app, &b, who).await;
    }
    assert_eq!(enrolled(&app, b.run, "active").await, vec![l1.id]);
    assert_eq!(enrolled(&app, b.run, "waiting").await, vec![l2.id, l3.id]);

    // The form shows what is stored, for the course's teacher.
    let settings = format!("/courses/{}/runs/{}/settings", b.slug, b.run);
    let (status, page) = status_of(&app, &settings, Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"Forår\""), "title");
    assert!(
        page.contains("name=\"run[capacity]\"") && page.contains("value=\"1\""),
        "capacity"
    );
    assert!(
        page.contains("name=\"run[self_paced]\" value=\"on\" checked"),
        "self-paced"
    );
    let (_, edit) = status_of(&app, &format!("/courses/{}/edit", b.slug), Some(&karen)).await;
    assert!(
        edit.contains(&format!("href=\"{settings}\"")),
        "linked from the course's edit page"
    );

    // Bad input: every field's error at once, and nothing changes.
    let (status, body) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[
            ("run[title]", "  "),
            ("run[enrol_opens]", "2027-03-10"),
            ("run[enrol_closes]", "2027-03-01"),
            ("run[starts]", "2027-04-01"),
            ("run[ends]", "2027-03-31"),
            ("run[capacity]", "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, key) in [
        ("run_title", "field.required"),
        ("enrol_closes", "courses.date_order"),
        ("ends", "courses.date_order"),
        ("capacity", "courses.capacity_invalid"),
    ] {
        assert!(
            body.contains(field) && body.contains(key),
            "{field} {key}: {body}"
        );
    }
    let (status, _) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[("run[title]", "Forår"), ("run[enrol_opens]", "10. marts")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&app, b.run).await, ("Forår".into(), Some(1), 1, None));

    // Others: the same answer as for a run that does not exist, and nothing changes.
    let (missing_status, missing_body) =
        update(&app, Some(&karen), &b.slug, b.run + 1000, &[("run[title]", "X")]).await;
    assert_eq!(missing_status, StatusCode::NOT_FOUND);
    for who in [Some(&olga), Some(&l1)] {
        let (status, body) = update(&app, who, &b.slug, b.run, &[("run[title]", "X")]).await;
        assert_eq!((status, body), (missing_status, missing_body.clone()));
        let (status, _) = status_of(&app, &settings, who).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = update(&app, None, &b.slug, b.run, &[("run[title]", "X")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = status_of(
        &app,
        &format!("/courses/{}/runs/{}/settings", b.slug, b.run + 1000),
        Some(&karen),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, b.run).await.0, "Forår");

    // Room for three: both who waited are in, in order, and told by e-mail.
    let before = (
        outbox_mails_to(db, &l2.email).len(),
        outbox_mails_to(db, &l3.email).len(),
    );
    let (status, body) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[
            ("run[title]", "Forår 2027"),
            ("run[enrol_opens]", "2020-01-01"),
            ("run[enrol_closes]", "2099-03-01"),
            ("run[starts]", "2099-04-01"),
            ("run[ends]", "2099-06-30"),
            ("run[capacity]", "3"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(enrolled(&app, b.run, "active").await, vec![l1.id, l2.id, l3.id]);
    assert!(enrolled(&app, b.run, "waiting").await.is_empty());
    assert_eq!(outbox_mails_to(db, &l2.email).len(), before.0 + 1);
    assert_eq!(outbox_mails_to(db, &l3.email).len(), before.1 + 1);
    let (title, capacity, self_paced, closes) = stored(&app, b.run).await;
    assert_eq!((title.as_str(), capacity, self_paced), ("Forår 2027", Some(3), 0));
    let (status, page) = status_of(&app, &settings, Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"2099-03-01\""),
        "the last day of enrolment as given"
    );
    assert!(closes.is_some());

    // The catalogue listing follows the new dates in the same change.
    let listing = sqlx::query("SELECT starts_on, ends_on FROM catalogue_listings WHERE run_id = $1")
        .bind(b.run)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (listing.get::<String, _>(0), listing.get::<Option<String>, _>(1)),
        ("2099-04-01".to_string(), Some("2099-06-30".to_string()))
    );

    // A smaller capacity removes no one; the next learner waits.
    let (status, _) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[
            ("run[title]", "Forår 2027"),
            ("run[self_paced]", "on"),
            ("run[capacity]", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    enrol(&app, &b, &l4).await;
    assert_eq!(enrolled(&app, b.run, "active").await, vec![l1.id, l2.id, l3.id]);
    assert_eq!(enrolled(&app, b.run, "waiting").await, vec![l4.id]);
    // Leaving does not free a place while the run is still over capacity.
    ok(&app, "courses/unenrol", &[("run", &b.run.to_string())], &l1).await;
    assert_eq!(enrolled(&app, b.run, "waiting").await, vec![l4.id]);
    // No limit: everyone waiting is in.
    let (status, _) = update(
        &app,
        Some(&karen),
        &b.slug,
        b.run,
        &[
            ("run[title]", "Forår 2027"),
            ("run[self_paced]", "on"),
            ("run[capacity]", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(enrolled(&app, b.run, "active").await, vec![l2.id, l3.id, l4.id]);
    app.platform.db.pool.close().await;
}
on_both_databases!(run_settings_change_with_learners_in_the_run, change_settings);

async fn group_fields(
    app: &TestApp,
    who: Option<&Person>,
    b: &Built,
    group: i64,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (run, group) = (b.run.to_string(), group.to_string());
    let mut all = vec![
        ("slug", b.slug.as_str()),
        ("run", run.as_str()),
        ("group_id", group.as_str()),
    ];
    all.extend_from_slice(fields);
    let res = post(app, "courses/group-update", &all, who).await;
    let status = res.status();
    (status, body_text(res).await)
}

async fn group_row(app: &TestApp, group: i64) -> (String, String, String, Option<i64>, String) {
    let r = sqlx::query("SELECT name, theme, kind, capacity, description_md FROM run_groups WHERE id = $1")
        .bind(group)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))
}

// T2: a themed group's settings change after learners joined; members stay.
async fn change_group(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let org = organisation(&app, "nord", &karen).await;
    let b = build_course(&app, &karen, &org, "Geometri", &["Vinkler"], 1).await;
    let [l1, l2] = [
        person(&app, db, "a@learner.example", "Anna", "A").await,
        person(&app, db, "b@learner.example", "Bo", "B").await,
    ];
    let olga = person(&app, db, "olga@syd.example", "Olga", "Olsen").await;
    for who in [&l1, &l2] {
        enrol(&app, &b, who).await;
    }
    let run = b.run.to_string();
    for name in ["Matematik", "Musik"] {
        ok(
            &app,
            "courses/group-create",
            &[
                ("slug", b.slug.as_str()),
                ("run", run.as_str()),
                ("group[name]", name),
                ("group[kind]", "open"),
                ("group[theme]", "Tal"),
                ("group[capacity]", "3"),
            ],
            &karen,
        )
        .await;
    }
    let group: i64 = sqlx::query_scalar("SELECT id FROM run_groups WHERE name = 'Matematik'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    for who in [&l1, &l2] {
        ok(
            &app,
            "courses/group-join",
            &[("run", run.as_str()), ("group", &group.to_string())],
            who,
        )
        .await;
    }

    let edit = format!("/courses/{}/runs/{}/groups/{group}/edit", b.slug, b.run);
    let (status, page) = status_of(
        &app,
        &format!("/courses/{}/runs/{}/groups", b.slug, b.run),
        Some(&karen),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("href=\"{edit}\"")),
        "linked from the groups page"
    );
    let (status, page) = status_of(&app, &edit, Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"Matematik\"") && page.contains("value=\"3\""),
        "prefilled"
    );

    // Bad input: every error at once; a taken name; nothing changes.
    let (status, body) = group_fields(
        &app,
        Some(&karen),
        &b,
        group,
        &[
            ("group[name]", " "),
            ("group[kind]", "secret"),
            ("group[capacity]", "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for key in [
        "field.required",
        "field.invalid_choice",
        "courses.capacity_invalid",
    ] {
        assert!(body.contains(key), "{key}: {body}");
    }
    let (status, body) = group_fields(
        &app,
        Some(&karen),
        &b,
        group,
        &[("group[name]", "Musik"), ("group[kind]", "open")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("runs.group_name_taken"), "{body}");
    let before = group_row(&app, group).await;
    assert_eq!(
        before,
        (
            "Matematik".into(),
            "Tal".into(),
            "open".into(),
            Some(3),
            String::new()
        )
    );

    // Others get the answer of a missing group, and nothing changes.
    let (missing_status, missing_body) = group_fields(
        &app,
        Some(&karen),
        &b,
        group + 1000,
        &[("group[name]", "X"), ("group[kind]", "open")],
    )
    .await;
    assert_eq!(missing_status, StatusCode::NOT_FOUND);
    for who in [&olga, &l1] {
        let answer = group_fields(
            &app,
            Some(who),
            &b,
            group,
            &[("group[name]", "X"), ("group[kind]", "open")],
        )
        .await;
        assert_eq!(answer, (missing_status, missing_body.clone()));
        assert_eq!(status_of(&app, &edit, Some(who)).await.0, StatusCode::NOT_FOUND);
    }
    assert_eq!(group_row(&app, group).await, before);

    // A smaller capacity and another kind: both members stay; the group is full.
    let (status, body) = group_fields(
        &app,
        Some(&karen),
        &b,
        group,
        &[
            ("group[name]", "Matematik i udskolingen"),
            ("group[kind]", "assigned"),
            ("group[theme]", "Brøker"),
            ("group[description]", "Vi mødes **tirsdag**."),
            ("group[capacity]", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("status=group-updated"), "{body}");
    // The note there says the group was saved, not (as after adding a member) its members.
    let groups = format!("/courses/{}/runs/{}/groups?status=group-updated", b.slug, b.run);
    let (status, page) = status_of(&app, &groups, Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("The group was saved.") && !page.contains("members were saved"),
        "{page}"
    );
    assert_eq!(
        group_row(&app, group).await,
        (
            "Matematik i udskolingen".into(),
            "Brøker".into(),
            "assigned".into(),
            Some(1),
            "Vi mødes **tirsdag**.".into()
        )
    );
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM run_group_members WHERE group_id = $1")
        .bind(group)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(members, 2);
    let (status, page) = status_of(&app, &format!("/learn/{}/groups/{group}", b.run), Some(&l1)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Matematik i udskolingen") && page.contains("<strong>tirsdag</strong>"));
    app.platform.db.pool.close().await;
}
on_both_databases!(t2_group_settings_change_with_members_in_it, change_group);
