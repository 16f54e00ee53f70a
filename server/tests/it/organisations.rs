//! Organisations over HTTP, on both databases: creating and editing (S2, T1), the public
//! page (S16) and its private school fields (T8), and membership (S2).

use crate::common::browser::*;
use crate::common::{TestApp, TestDb, body_text};
use axum::{
    body::Body,
    http::{Response, StatusCode},
};

/// A registered, signed-in user with the given first name and country; returns the
/// session cookie and the user's id.
async fn person(app: &TestApp, db: &TestDb, email: &str, first: &str, country: &str) -> (String, i64) {
    let cookie = registered_and_signed_in(app, db, email).await;
    let id = user_id(app, email).await;
    sqlx::query("UPDATE users SET first_name = $1, country = $2 WHERE id = $3")
        .bind(first)
        .bind(country)
        .bind(id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    (cookie, id)
}

async fn grant(app: &TestApp, user: i64, role: &str, country: &str) {
    sqlx::query("INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, $2, $3, 0)")
        .bind(user)
        .bind(role)
        .bind(country)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
}

fn organisation(name: &str, pic: &str) -> Vec<(String, String)> {
    [
        ("form[name]", name),
        ("form[org_type]", "school"),
        ("form[address]", "Skolevej 1"),
        ("form[city]", "Aarhus"),
        ("form[postcode]", "8000"),
        ("form[country]", "DK"),
        ("form[region]", "Midtjylland"),
        ("form[pic]", pic),
        (
            "form[description]",
            "A school by the sea. <script>alert(1)</script>",
        ),
        ("form[website]", "https://skole.example.dk"),
        ("form[official_email]", "kontor@skole.example.dk"),
        ("form[head_name]", "Birthe Skoleleder"),
        ("form[head_email]", "birthe@skole.example.dk"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn encoded(fields: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form(&pairs)
}

async fn create(app: &TestApp, cookie: &str, name: &str, pic: &str) -> Response<Body> {
    call(
        app,
        "organisations/create",
        &encoded(&organisation(name, pic)),
        Some(cookie),
        true,
    )
    .await
}

async fn role_of(app: &TestApp, slug: &str, user: i64) -> Option<String> {
    sqlx::query_scalar(
        "SELECT m.role FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.slug = $1 AND m.user_id = $2",
    )
    .bind(slug)
    .bind(user)
    .fetch_optional(&app.platform.db.pool)
    .await
    .unwrap()
}

// S2, T1: a signed-in user creates an organisation and becomes its admin and contact; the
// PIC is nine digits and unique; only its admins (and platform admins) edit it.
async fn s2_create_and_edit(db: &TestDb) {
    let app = TestApp::new(db).await;
    let res = page(&app, "/organisations/new", None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/sign-in?next=/organisations/new");

    let (karen, karen_id) = person(&app, db, "karen@skole.example", "Karen", "DK").await;
    let form_page = body_text(page(&app, "/organisations/new", Some(&karen)).await).await;
    assert!(form_page.contains("PIC"), "the form is shown");

    let res = create(&app, &karen, "Nørre Skole", "123456789").await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    assert_eq!(location(&res), "/organisations/noerre-skole?status=created");
    assert_eq!(
        role_of(&app, "noerre-skole", karen_id).await.as_deref(),
        Some("admin")
    );
    let contact: i64 =
        sqlx::query_scalar("SELECT contact_user_id FROM organisations WHERE slug = 'noerre-skole'")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(contact, karen_id);

    // The same name gets another address; a PIC that is not nine digits or is taken is a
    // field error.
    let res = create(&app, &karen, "Nørre Skole", "987654321").await;
    assert_eq!(location(&res), "/organisations/noerre-skole-2?status=created");
    for (pic, key) in [
        ("12345", "org.pic_invalid"),
        ("12345678x", "org.pic_invalid"),
        ("123456789", "org.pic_taken"),
    ] {
        let res = call(
            &app,
            "organisations/create",
            &encoded(&organisation("Søndre Skole", pic)),
            Some(&karen),
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{pic}");
        let body = body_text(res).await;
        assert!(body.contains(key) && body.contains("pic"), "{pic}: {body}");
    }
    let mut bad_site = organisation("Søndre Skole", "111222333");
    bad_site[9].1 = "javascript:alert(1)".into();
    let body = body_text(
        call(
            &app,
            "organisations/create",
            &encoded(&bad_site),
            Some(&karen),
            false,
        )
        .await,
    )
    .await;
    assert!(body.contains("website"), "{body}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 2);

    // Another user: the edit page and the update look like a missing organisation.
    let (johan, johan_id) = person(&app, db, "johan@skola.example", "Johan", "SE").await;
    let res = page(&app, "/organisations/noerre-skole/edit", Some(&johan)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let mut renamed = organisation("Johans Skole", "123456789");
    renamed.push(("slug".into(), "noerre-skole".into()));
    let res = call(
        &app,
        "organisations/update",
        &encoded(&renamed),
        Some(&johan),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = page(&app, "/organisations/noerre-skole/edit", None).await;
    assert_eq!(location(&res), "/sign-in?next=/organisations/noerre-skole/edit");

    // The admin edits; the PIC of the other organisation is refused.
    let edit = body_text(page(&app, "/organisations/noerre-skole/edit", Some(&karen)).await).await;
    assert!(edit.contains("kontor@skole.example.dk"));
    let mut renamed = organisation("Nørre Skole og Gymnasium", "123456789");
    renamed.push(("slug".into(), "noerre-skole".into()));
    let res = call(
        &app,
        "organisations/update",
        &encoded(&renamed),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", body_text(res).await);
    assert_eq!(location(&res), "/organisations/noerre-skole/edit?status=saved");
    let mut taken = organisation("Nørre Skole", "987654321");
    taken.push(("slug".into(), "noerre-skole".into()));
    let body = body_text(
        call(
            &app,
            "organisations/update",
            &encoded(&taken),
            Some(&karen),
            false,
        )
        .await,
    )
    .await;
    assert!(body.contains("org.pic_taken"), "{body}");

    // A platform admin edits too.
    grant(&app, johan_id, "platform_admin", "").await;
    let res = call(
        &app,
        "organisations/update",
        &encoded(&renamed),
        Some(&johan),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    // Only the platform admin's edit of an organisation that is not theirs is audited.
    let org_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'noerre-skole'")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        audit_rows(&app, "edit_organisation").await,
        vec![(Some(johan_id), format!("organisation:{org_id}"))]
    );

    let list = body_text(page(&app, "/organisations", None).await).await;
    assert!(
        list.contains("href=\"/organisations/noerre-skole\""),
        "the list links the page"
    );
    assert!(list.contains("Nørre Skole og Gymnasium"));
}
on_both_databases!(create_and_edit, s2_create_and_edit);

// S16, T8: the page is public, lists active members without e-mail addresses, and shows the
// school fields only to platform admins and validators of the organisation's country.
async fn s16_t8_public_page(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _) = person(&app, db, "karen@skole.example", "Karen", "DK").await;
    create(&app, &karen, "Nørre Skole", "123456789").await;
    let (_, ole_id) = person(&app, db, "ole@skole.example", "Ole", "DK").await;
    let (_, gone_id) = person(&app, db, "gone@skole.example", "Gonezo", "DK").await;
    let (dk_validator, dk_id) = person(&app, db, "dk@agora.example", "Dorte", "DK").await;
    let (se_validator, se_id) = person(&app, db, "se@agora.example", "Sven", "SE").await;
    let (admin, admin_id) = person(&app, db, "admin@agora.example", "Ada", "IE").await;
    grant(&app, dk_id, "national_validator", "DK").await;
    grant(&app, se_id, "national_validator", "SE").await;
    grant(&app, admin_id, "platform_admin", "").await;
    for user in [ole_id, gone_id] {
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) \
             SELECT id, $1, 'member', 0 FROM organisations WHERE slug = 'noerre-skole'",
        )
        .bind(user)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    }
    sqlx::query("UPDATE users SET status = 'deactivated' WHERE id = $1")
        .bind(gone_id)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();

    let res = page(&app, "/organisations/noerre-skole", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    for shown in [
        "Nørre Skole",
        "Skolevej 1",
        "Aarhus",
        "Denmark",
        "School",
        "https://skole.example.dk",
        "Karen Nielsen",
        "Ole Nielsen",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the description is plain text"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("Gonezo"), "deactivated members are left out");
    for hidden in ["@skole.example", "kontor@", "Birthe", "birthe@"] {
        assert!(!html.contains(hidden), "{hidden}");
    }
    assert!(html.contains("/sign-in?next=/organisations/noerre-skole"));
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .expect("JSON-LD")
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "EducationalOrganization");
    assert_eq!(ld["name"], "Nørre Skole");
    assert_eq!(
        ld["description"],
        "A school by the sea. <script>alert(1)</script>"
    );
    assert!(!ld.to_string().contains("kontor@"), "no private fields");

    for (who, sees) in [
        (&karen, false),
        (&se_validator, false),
        (&dk_validator, true),
        (&admin, true),
    ] {
        let html = body_text(page(&app, "/organisations/noerre-skole", Some(who)).await).await;
        assert_eq!(html.contains("kontor@skole.example.dk"), sees);
        assert_eq!(html.contains("Birthe Skoleleder"), sees);
        assert_eq!(html.contains("birthe@skole.example.dk"), sees);
        assert!(!html.contains("karen@skole.example\""), "never a member's e-mail");
    }

    assert_eq!(
        page(&app, "/organisations/nowhere", None).await.status(),
        StatusCode::NOT_FOUND
    );
}
on_both_databases!(public_page, s16_t8_public_page);

// S2: ask to join, approve or decline, make admin, leave; the last admin stays.
async fn s2_membership(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, karen_id) = person(&app, db, "karen@skole.example", "Karen", "DK").await;
    create(&app, &karen, "Nørre Skole", "123456789").await;
    let (ole, ole_id) = person(&app, db, "ole@skole.example", "Ole", "DK").await;
    let (eva, eva_id) = person(&app, db, "eva@skole.example", "Eva", "DK").await;
    let slug = [("slug", "noerre-skole")];

    let html = body_text(page(&app, "/organisations/noerre-skole", Some(&ole)).await).await;
    assert!(html.contains("Ask to join"));
    let res = call(&app, "organisations/join", &form(&slug), Some(&ole), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole?status=requested");
    call(&app, "organisations/join", &form(&slug), Some(&eva), true).await;
    let html = body_text(page(&app, "/organisations/noerre-skole", Some(&ole)).await).await;
    assert!(html.contains("You have asked to join"));
    assert_eq!(
        role_of(&app, "noerre-skole", ole_id).await,
        None,
        "not a member yet"
    );
    let public = body_text(page(&app, "/organisations/noerre-skole", None).await).await;
    assert!(!public.contains("Ole Nielsen"), "not listed yet");

    // Only admins answer.
    let ole_s = ole_id.to_string();
    let eva_s = eva_id.to_string();
    let approve_ole = form(&[
        ("slug", "noerre-skole"),
        ("user", &ole_s),
        ("decision", "approve"),
    ]);
    let res = call(&app, "organisations/answer", &approve_ole, Some(&eva), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let edit = body_text(page(&app, "/organisations/noerre-skole/edit", Some(&karen)).await).await;
    assert!(
        edit.contains("Ole Nielsen") && edit.contains("Eva Nielsen"),
        "pending requests are listed"
    );

    let res = call(&app, "organisations/answer", &approve_ole, Some(&karen), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole/edit?status=approved");
    assert_eq!(
        role_of(&app, "noerre-skole", ole_id).await.as_deref(),
        Some("member")
    );
    let decline_eva = form(&[
        ("slug", "noerre-skole"),
        ("user", &eva_s),
        ("decision", "decline"),
    ]);
    let res = call(&app, "organisations/answer", &decline_eva, Some(&karen), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole/edit?status=declined");
    assert_eq!(role_of(&app, "noerre-skole", eva_id).await, None);
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisation_join_requests")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    // Answering again: nothing pending.
    let res = call(&app, "organisations/answer", &decline_eva, Some(&karen), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let html = body_text(page(&app, "/organisations/noerre-skole", None).await).await;
    assert!(html.contains("Ole Nielsen"));
    let profile = body_text(page(&app, &format!("/people/{ole_id}"), Some(&karen)).await).await;
    assert!(profile.contains("Nørre Skole") && profile.contains("/organisations/noerre-skole"));

    // The last admin can neither leave nor step down.
    let res = call(&app, "organisations/leave", &form(&slug), Some(&karen), false).await;
    assert!(body_text(res).await.contains("org.last_admin"));
    let karen_s = karen_id.to_string();
    let step_down = form(&[("slug", "noerre-skole"), ("user", &karen_s), ("role", "member")]);
    let res = call(&app, "organisations/role", &step_down, Some(&karen), false).await;
    assert!(body_text(res).await.contains("org.last_admin"));
    assert_eq!(
        role_of(&app, "noerre-skole", karen_id).await.as_deref(),
        Some("admin")
    );

    // A member cannot make themselves admin; an admin can.
    let ole_admin = form(&[("slug", "noerre-skole"), ("user", &ole_s), ("role", "admin")]);
    let res = call(&app, "organisations/role", &ole_admin, Some(&ole), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(&app, "organisations/role", &ole_admin, Some(&karen), true).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        role_of(&app, "noerre-skole", ole_id).await.as_deref(),
        Some("admin")
    );

    // Now Karen may leave; Ole, the last admin, may not.
    let res = call(&app, "organisations/leave", &form(&slug), Some(&karen), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole?status=left");
    assert_eq!(role_of(&app, "noerre-skole", karen_id).await, None);
    let res = call(&app, "organisations/leave", &form(&slug), Some(&ole), false).await;
    assert!(body_text(res).await.contains("org.last_admin"));
    // Someone who is not a member has nothing to leave.
    let res = call(&app, "organisations/leave", &form(&slug), Some(&eva), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both_databases!(membership, s2_membership);

// S2: an admin removes another member; others cannot (404), the last admin stays.
async fn s2_remove_member(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, karen_id) = person(&app, db, "karen@skole.example", "Karen", "DK").await;
    create(&app, &karen, "Nørre Skole", "123456789").await;
    let (ole, ole_id) = person(&app, db, "ole@skole.example", "Ole", "DK").await;
    let (eva, eva_id) = person(&app, db, "eva@skole.example", "Eva", "DK").await;
    for user in [ole_id, eva_id] {
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, joined_at) \
             SELECT id, $1, 'member', 0 FROM organisations WHERE slug = 'noerre-skole'",
        )
        .bind(user)
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    }
    let remove = |user: i64| form(&[("slug", "noerre-skole"), ("user", &user.to_string())]);

    let edit = body_text(page(&app, "/organisations/noerre-skole/edit", Some(&karen)).await).await;
    assert!(
        edit.contains("Remove from the organisation"),
        "a button per member"
    );

    // A member removes nobody; the refusal looks like absence.
    let res = call(&app, "organisations/remove", &remove(eva_id), Some(&ole), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(&app, "organisations/remove", &remove(karen_id), Some(&ole), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        role_of(&app, "noerre-skole", eva_id).await.as_deref(),
        Some("member")
    );
    assert_eq!(
        role_of(&app, "noerre-skole", karen_id).await.as_deref(),
        Some("admin")
    );
    let _ = eva;

    // The admin removes Eva.
    let res = call(&app, "organisations/remove", &remove(eva_id), Some(&karen), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole/edit?status=removed");
    assert_eq!(role_of(&app, "noerre-skole", eva_id).await, None);
    // Not twice; not themself (they leave instead).
    let res = call(&app, "organisations/remove", &remove(eva_id), Some(&karen), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(
        &app,
        "organisations/remove",
        &remove(karen_id),
        Some(&karen),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The last admin cannot be removed, even by a platform admin.
    grant(&app, ole_id, "platform_admin", "").await;
    let res = call(&app, "organisations/remove", &remove(karen_id), Some(&ole), false).await;
    assert!(body_text(res).await.contains("org.last_admin"));
    assert_eq!(
        role_of(&app, "noerre-skole", karen_id).await.as_deref(),
        Some("admin")
    );
    assert!(
        audit_rows(&app, "remove_member").await.is_empty(),
        "a refused change leaves no audit record"
    );

    // What a platform admin changes in someone else's organisation is audited.
    let res = call(
        &app,
        "organisations/role",
        &form(&[
            ("slug", "noerre-skole"),
            ("user", &ole_id.to_string()),
            ("role", "admin"),
        ]),
        Some(&ole),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let rows = audit_rows(&app, "set_member_role").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, Some(ole_id));
}
on_both_databases!(remove_member, s2_remove_member);

async fn audit_rows(app: &TestApp, action: &str) -> Vec<(Option<i64>, String)> {
    sqlx::query_as("SELECT actor_user_id, subject FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn invitation_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM organisation_invitations")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

// S2: an admin invites by e-mail; the link (only its hash stored) adds whoever accepts it,
// once, within seven days.
async fn s2_invitations(db: &TestDb) {
    let app = TestApp::new(db).await;
    let (karen, _) = person(&app, db, "karen@skole.example", "Karen", "DK").await;
    create(&app, &karen, "Nørre Skole", "123456789").await;
    let (ole, ole_id) = person(&app, db, "ole@skole.example", "Ole", "DK").await;
    let invite = |email: &str| form(&[("slug", "noerre-skole"), ("email", email)]);

    // Only admins invite.
    let res = call(
        &app,
        "organisations/invite",
        &invite("x@skole.example"),
        Some(&ole),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(
        &app,
        "organisations/invite",
        &invite("x@skole.example"),
        None,
        false,
    )
    .await;
    assert_ne!(res.status(), StatusCode::OK);
    assert_eq!(invitation_count(&app).await, 0);
    let res = call(
        &app,
        "organisations/invite",
        &invite("not an address"),
        Some(&karen),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The mail goes out with the link; only the secret's hash is stored.
    let res = call(
        &app,
        "organisations/invite",
        &invite(" Ole@Skole.example "),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(location(&res), "/organisations/noerre-skole/edit?status=invited");
    let secret = outbox_link(db, "ole@skole.example", "/organisations/invitations/");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM organisation_invitations")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, secret);
    assert_eq!(stored.len(), 64, "a SHA-256 in hex");
    let edit = body_text(page(&app, "/organisations/noerre-skole/edit", Some(&karen)).await).await;
    assert!(
        edit.contains("ole@skole.example"),
        "pending invitations are listed"
    );
    let link = format!("/organisations/invitations/{secret}");

    // Anonymous visitors sign in first; signed in, the page shows the organisation.
    let res = page(&app, &link, None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).starts_with("/sign-in?next=/organisations/invitations/"));
    let html = body_text(page(&app, &link, Some(&ole)).await).await;
    assert!(
        html.contains("Nørre Skole") && html.contains("Accept the invitation"),
        "{html}"
    );

    // Accepting makes Ole a member and uses the link up.
    let accept = form(&[("secret", &secret)]);
    let res = call(&app, "organisations/accept", &accept, Some(&ole), true).await;
    assert_eq!(location(&res), "/organisations/noerre-skole?status=joined");
    assert_eq!(
        role_of(&app, "noerre-skole", ole_id).await.as_deref(),
        Some("member")
    );
    let res = call(&app, "organisations/accept", &accept, Some(&ole), false).await;
    assert!(body_text(res).await.contains("org.invitation_invalid"));
    let html = body_text(page(&app, &link, Some(&ole)).await).await;
    assert!(html.contains("This invitation link cannot be used"));
    let html = body_text(page(&app, "/organisations/invitations/nonsense", Some(&ole)).await).await;
    assert!(html.contains("This invitation link cannot be used"));

    // A member accepting another invitation: no duplicate, the link is used.
    call(
        &app,
        "organisations/invite",
        &invite("ole@skole.example"),
        Some(&karen),
        true,
    )
    .await;
    let again = outbox_link(db, "ole@skole.example", "/organisations/invitations/");
    assert_ne!(again, secret);
    let res = call(
        &app,
        "organisations/accept",
        &form(&[("secret", &again)]),
        Some(&ole),
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisation_members WHERE user_id = $1")
        .bind(ole_id)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(members, 1);
    let unused: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisation_invitations WHERE used_at IS NULL")
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(unused, 0);

    // After eight days a link is refused.
    let (eva, eva_id) = person(&app, db, "eva@skole.example", "Eva", "DK").await;
    call(
        &app,
        "organisations/invite",
        &invite("eva@skole.example"),
        Some(&karen),
        true,
    )
    .await;
    let late = outbox_link(db, "eva@skole.example", "/organisations/invitations/");
    app.platform
        .clock
        .advance(std::time::Duration::from_secs(8 * 24 * 3600));
    let res = call(
        &app,
        "organisations/accept",
        &form(&[("secret", &late)]),
        Some(&eva),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("org.invitation_invalid"));
    assert_eq!(role_of(&app, "noerre-skole", eva_id).await, None);

    // A withdrawn invitation cannot be accepted either.
    call(
        &app,
        "organisations/invite",
        &invite("eva@skole.example"),
        Some(&karen),
        true,
    )
    .await;
    let withdrawn = outbox_link(db, "eva@skole.example", "/organisations/invitations/");
    let id: String = sqlx::query_scalar(
        "SELECT token_hash FROM organisation_invitations WHERE used_at IS NULL ORDER BY created_at DESC",
    )
    .fetch_one(&app.platform.db.pool)
    .await
    .unwrap();
    let res = call(
        &app,
        "organisations/withdraw",
        &form(&[("slug", "noerre-skole"), ("id", &id)]),
        Some(&ole),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "members do not withdraw");
    let res = call(
        &app,
        "organisations/withdraw",
        &form(&[("slug", "noerre-skole"), ("id", &id)]),
        Some(&karen),
        true,
    )
    .await;
    assert_eq!(
        location(&res),
        "/organisations/noerre-skole/edit?status=withdrawn"
    );
    let res = call(
        &app,
        "organisations/accept",
        &form(&[("secret", &withdrawn)]),
        Some(&eva),
        false,
    )
    .await;
    assert!(body_text(res).await.contains("org.invitation_invalid"));
    assert_eq!(role_of(&app, "noerre-skole", eva_id).await, None);

    // Addresses are kept no longer than needed: used invitations lost theirs at once, and
    // housekeeping deletes the expired ones.
    let used_addresses: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisation_invitations WHERE used_at IS NOT NULL AND email <> ''",
    )
    .fetch_one(&app.platform.db.pool)
    .await
    .unwrap();
    assert_eq!(used_addresses, 0);
    call(
        &app,
        "organisations/invite",
        &invite("fresh@skole.example"),
        Some(&karen),
        true,
    )
    .await;
    let report = agora_server::housekeeping::run_once(&app.platform).await;
    assert_eq!(report.expired_invitations, 1, "Eva's expired invitation");
    let addresses: Vec<String> =
        sqlx::query_scalar("SELECT email FROM organisation_invitations WHERE email <> ''")
            .fetch_all(&app.platform.db.pool)
            .await
            .unwrap();
    assert_eq!(
        addresses,
        vec!["fresh@skole.example".to_string()],
        "the pending one stays"
    );
}
on_both_databases!(invitations, s2_invitations);
