//! Deleting a whole course (issue 7), on both databases: only its teachers (and platform
//! admins), only after typing its title, only while no learner ever enrolled (their
//! progress and certificates belong to it). Everything of the course goes in one
//! transaction, its stored files are deleted, and the deletion is audited.

use crate::common::courses::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::http::StatusCode;

async fn delete(app: &TestApp, who: Option<&Person>, slug: &str, confirm: &str) -> (StatusCode, String) {
    let res = post(
        app,
        "courses/delete-course",
        &[("slug", slug), ("confirm_title", confirm)],
        who,
    )
    .await;
    let status = res.status();
    (status, body_text(res).await)
}

/// A stored file of the course and its image, as uploads leave them.
async fn files(app: &TestApp, course: i64, by: &Person) -> Vec<String> {
    let (file, image) = (
        format!("courses/{course}/test-file.pdf"),
        format!("courses/{course}/test-image.jpg"),
    );
    for key in [&file, &image] {
        app.platform
            .storage
            .put(key, bytes::Bytes::from_static(b"%PDF-1.4 test"))
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO course_files (course_id, uploaded_by, name, content_type, size_bytes, sha256, object_key, created_at) \
         VALUES ($1, $2, 'plan.pdf', 'application/pdf', 13, 'x', $3, 0)",
    )
    .bind(course)
    .bind(by.id)
    .bind(&file)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE courses SET image_key = $2, image_updated_at = 1 WHERE id = $1")
        .bind(course)
        .bind(&image)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    vec![file, image]
}

async fn delete_course(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let olga = person(&app, db, "olga@syd.example", "Olga", "Olsen").await;
    let lars = person(&app, db, "lars@nord.example", "Lars", "Berg").await;
    let anna = person(&app, db, "anna@learner.example", "Anna", "A").await;
    let org = organisation(&app, "nord", &karen).await;
    let kept = build_course(&app, &karen, &org, "Brøker", &["Halve"], 1).await;
    let b = build_course(&app, &karen, &org, "Geometri", &["Vinkler", "Trekanter"], 2).await;
    sqlx::query("INSERT INTO course_staff (course_id, user_id, kind) VALUES ($1, $2, 'moderator')")
        .bind(b.course)
        .bind(lars.id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    let keys = files(&app, b.course, &karen).await;
    ok(
        &app,
        "courses/group-create",
        &[
            ("slug", b.slug.as_str()),
            ("run", &b.run.to_string()),
            ("group[name]", "Hold A"),
            ("group[kind]", "assigned"),
        ],
        &karen,
    )
    .await;
    // Someone reviewed the run's listing without enrolling: that does not keep the course.
    let listing: i64 = sqlx::query_scalar("SELECT id FROM catalogue_listings WHERE run_id = $1")
        .bind(b.run)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO listing_reviews (listing_id, user_id, stars, created_at, updated_at) VALUES ($1, $2, 4, 0, 0)",
    )
    .bind(listing)
    .bind(olga.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    let (status, page) = status_of(&app, &format!("/courses/{}/edit", b.slug), Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("name=\"confirm_title\""),
        "the form on the edit page"
    );

    // Others: the answer of a missing course, and nothing goes.
    let (missing, missing_body) = delete(&app, Some(&karen), "no-such-course", "Geometri").await;
    assert_eq!(missing, StatusCode::NOT_FOUND);
    for who in [&olga, &lars] {
        assert_eq!(
            delete(&app, Some(who), &b.slug, "Geometri").await,
            (missing, missing_body.clone())
        );
    }
    assert_eq!(
        delete(&app, None, &b.slug, "Geometri").await.0,
        StatusCode::UNAUTHORIZED
    );
    // The title typed wrong.
    let (status, body) = delete(&app, Some(&karen), &b.slug, "geometri!").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("courses.delete_confirm_mismatch"), "{body}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM courses WHERE id = $1", b.course).await,
        1
    );

    // A learner enrolled once (and left): it stays, whatever is typed.
    enrol(&app, &kept, &anna).await;
    ok(&app, "courses/unenrol", &[("run", &kept.run.to_string())], &anna).await;
    let (status, body) = delete(&app, Some(&karen), &kept.slug, "Brøker").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("courses.delete_has_learners"), "{body}");
    let (_, page) = status_of(&app, &format!("/courses/{}/edit", kept.slug), Some(&karen)).await;
    assert!(
        !page.contains("name=\"confirm_title\""),
        "no form, the reason instead"
    );

    // The teacher deletes it: every row of the course, its listing and its files go.
    let (status, body) = delete(&app, Some(&karen), &b.slug, " Geometri ").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("/courses?status=course-deleted"), "{body}");
    for (sql, bind) in [
        ("SELECT COUNT(*) FROM courses WHERE id = $1", b.course),
        (
            "SELECT COUNT(*) FROM course_modules WHERE course_id = $1",
            b.course,
        ),
        ("SELECT COUNT(*) FROM course_runs WHERE course_id = $1", b.course),
        ("SELECT COUNT(*) FROM course_staff WHERE course_id = $1", b.course),
        ("SELECT COUNT(*) FROM course_files WHERE course_id = $1", b.course),
        ("SELECT COUNT(*) FROM catalogue_listings WHERE run_id = $1", b.run),
        ("SELECT COUNT(*) FROM run_groups WHERE run_id = $1", b.run),
        (
            "SELECT COUNT(*) FROM listing_reviews WHERE listing_id = $1",
            listing,
        ),
        ("SELECT COUNT(*) FROM course_items WHERE id = $1", b.items[1][1]),
    ] {
        assert_eq!(scalar(&app, sql, bind).await, 0, "{sql}");
    }
    for key in &keys {
        assert!(!app.platform.storage.exists(key).await.unwrap(), "{key} deleted");
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM storage_orphans WHERE since >= $1", 0).await,
        0,
        "nothing left for the sweep"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'course_deleted' AND actor_user_id = $1",
            karen.id
        )
        .await,
        1
    );
    assert_eq!(
        status_of(&app, &format!("/courses/{}", b.slug), Some(&karen))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (status, page) = status_of(&app, "/courses?status=course-deleted", Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("The course was deleted."));
    // The other course is untouched.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM course_runs WHERE course_id = $1",
            kept.course
        )
        .await,
        1
    );
    app.platform.db.pool.close().await;
}
on_both_databases!(a_course_without_learners_is_deleted_whole, delete_course);
