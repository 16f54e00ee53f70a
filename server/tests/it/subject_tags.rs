//! Subject tags admins add (T12), on both databases: only platform admins add and rename
//! them (others: sign in, or the same 404 as a missing page), the names are required in
//! every language, the new subject is offered and accepted wherever subjects are chosen,
//! shown in the reader's language, audited, and a rename keeps what was tagged.

use crate::common::browser::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::http::StatusCode;

async fn post(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let res = call(app, endpoint, &form(fields), cookie, false).await;
    let status = res.status();
    (status, body_text(res).await)
}

async fn html(app: &TestApp, path: &str, cookie: &str) -> String {
    let res = page(app, path, Some(cookie)).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    body_text(res).await
}

const OUTDOOR: &[(&str, &str)] = &[
    ("en", "Outdoor education"),
    ("da", "Udeskole"),
    ("sv", "Utomhuspedagogik"),
];

async fn subject_tags(db: &TestDb) {
    let app = TestApp::new(db).await;
    let admin = registered_and_signed_in(&app, db, "admin@agora.example").await;
    make_admin(&app, "admin@agora.example").await;
    let karen = registered_and_signed_in(&app, db, "karen@skole.example").await;

    // Others: anonymous visitors sign in first; signed-in users get "not found", as for the page.
    let (status, _) = post(&app, "admin/add-subject-tag", OUTDOOR, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = post(&app, "admin/add-subject-tag", OUTDOOR, Some(&karen)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let res = page(&app, "/admin/subjects", Some(&karen)).await;
    let missing = page(&app, "/admin/no-such-page", Some(&karen)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // The same 404 page, not the admin page's heading above it.
    let (refused, missing) = (body_text(res).await, body_text(missing).await);
    assert!(refused.contains("Page not found"), "{refused}");
    assert!(
        !refused.contains("<h1>Subjects</h1>") && !refused.contains("Subjects ·"),
        "{refused}"
    );
    assert_eq!(main_without_markers(&refused), main_without_markers(&missing));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subject_tags")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing stored for the refused requests");

    // Every name is required; a name that is only punctuation gives no code.
    let (status, body) = post(
        &app,
        "admin/add-subject-tag",
        &[
            ("en", "Outdoor education"),
            ("da", " "),
            ("sv", "Utomhuspedagogik"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"da\"") && body.contains("field.required"),
        "{body}"
    );
    let (status, body) = post(
        &app,
        "admin/add-subject-tag",
        &[("en", "!!!"), ("da", "x"), ("sv", "y")],
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("subjects.name_needs_letters"), "{body}");
    // A built-in subject's name is taken.
    let (status, body) = post(
        &app,
        "admin/add-subject-tag",
        &[("en", "Mathematics"), ("da", "Matematik"), ("sv", "Matematik")],
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("subjects.taken"), "{body}");

    // The admin adds it: stored, audited, listed.
    let (status, body) = post(&app, "admin/add-subject-tag", OUTDOOR, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(&app, "admin/add-subject-tag", OUTDOOR, Some(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the same name twice");
    assert!(body.contains("subjects.taken"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'subject_tag_add' AND subject = 'subject_tag:outdoor_education'",
    )
    .fetch_one(&app.platform.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let admin_page = html(&app, "/admin/subjects", &admin).await;
    assert!(admin_page.contains("Utomhuspedagogik") && admin_page.contains("Udeskole"));

    // It is offered where subjects are chosen (the profile form here), its code accepted,
    // and shown in the reader's language; the page carries the list for hydration.
    let settings = html(&app, "/settings/profile", &karen).await;
    assert!(
        settings.contains("value=\"outdoor_education\""),
        "offered on the profile form"
    );
    assert!(settings.contains("id=\"agora-subject-tags\""));
    assert!(settings.contains("\"code\":\"outdoor_education\""));
    let uid = user_id(&app, "karen@skole.example").await;
    let (status, body) = post(
        &app,
        "accounts/profile-edit",
        &[
            ("form[first_name]", "Karen"),
            ("form[last_name]", "Nielsen"),
            ("form[user_type]", "teacher"),
            ("form[country]", "DK"),
            ("form[languages][]", "da"),
            ("form[subjects][]", "outdoor_education"),
            ("form[subjects][]", "mathematics"),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(
        &app,
        "accounts/profile-edit",
        &[
            ("form[first_name]", "Karen"),
            ("form[last_name]", "Nielsen"),
            ("form[user_type]", "teacher"),
            ("form[country]", "DK"),
            ("form[subjects][]", "alchemy"),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown code is still refused: {body}"
    );
    let profile = html(&app, &format!("/people/{uid}"), &admin).await;
    assert!(profile.contains("Outdoor education"), "shown by its English name");

    // A rename changes the names, not the code: Karen's profile shows the new name.
    let (status, body) = post(
        &app,
        "admin/rename-subject-tag",
        &[
            ("code", "outdoor_education"),
            ("en", "Outdoor learning"),
            ("da", "Udeskole"),
            ("sv", "Utomhuspedagogik"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let profile = html(&app, &format!("/people/{uid}"), &admin).await;
    assert!(profile.contains("Outdoor learning") && !profile.contains("Outdoor education"));
    let (status, _) = post(
        &app,
        "admin/rename-subject-tag",
        &[
            ("code", "outdoor_education"),
            ("en", "x"),
            ("da", "x"),
            ("sv", "x"),
        ],
        Some(&karen),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only admins rename");
    let (status, _) = post(
        &app,
        "admin/rename-subject-tag",
        &[("code", "no_such_subject"), ("en", "x"), ("da", "x"), ("sv", "x")],
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    t12_admins_add_subjects_offered_everywhere_and_renamed,
    subject_tags
);
