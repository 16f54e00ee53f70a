//! Finding one's courses (issue 7), on both databases: an organisation's members find
//! "New course on Agora" on its page (others do not); "My courses" lists the courses the
//! user teaches (to the editor, drafts included) or moderates (to the course page), and
//! nobody else's.

use crate::common::courses::*;
use crate::common::{TestApp, TestDb};
use axum::http::StatusCode;

async fn find_courses(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lars = person(&app, db, "lars@nord.example", "Lars", "Berg").await;
    let olga = person(&app, db, "olga@syd.example", "Olga", "Olsen").await;
    organisation_with(&app, "nord", "123456789", &[&karen, &lars]).await;
    let new_course = "href=\"/organisations/nord/courses/new\"";
    for (who, shown) in [
        (Some(&karen), true),
        (Some(&lars), true),
        (Some(&olga), false),
        (None, false),
    ] {
        let (status, page) = status_of(&app, "/organisations/nord", who).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page.contains(new_course), shown, "{:?}", who.map(|p| &p.email));
    }

    let published = build_course(&app, &karen, "nord", "Geometri", &["Vinkler"], 1).await;
    let draft = build(
        &app,
        &karen,
        "nord",
        "Brøker",
        &CourseSpec {
            fields: &[("form[language]", "da")],
            modules: &[],
            lessons: &[],
            last_optional: false,
            published: false,
            run: None,
        },
    )
    .await;
    add_staff(&app, &karen, &published.slug, &lars, "moderator").await;

    let (status, mine) = status_of(&app, "/my/courses", Some(&karen)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(mine.contains("Courses you teach or moderate"));
    for slug in [&published.slug, &draft.slug] {
        assert!(
            mine.contains(&format!("href=\"/courses/{slug}/edit\"")),
            "{slug}: {mine}"
        );
    }
    assert!(mine.contains("Draft") && mine.contains("Published"));
    let (_, mine) = status_of(&app, "/my/courses", Some(&lars)).await;
    assert!(
        mine.contains(&format!("href=\"/courses/{}\"", published.slug)),
        "moderators: the course page"
    );
    assert!(!mine.contains(&format!("/courses/{}/edit", published.slug)));
    assert!(!mine.contains(&draft.slug), "not his course");
    enrol(&app, &published, &olga).await;
    let (_, mine) = status_of(&app, "/my/courses", Some(&olga)).await;
    assert!(!mine.contains("Courses you teach or moderate"), "a learner only");
    assert!(mine.contains(&format!("href=\"/learn/{}\"", published.run)));
    let res = post(&app, "courses/teaching", &[], None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    teachers_find_their_courses_and_members_where_to_start_one,
    find_courses
);
