//! Accounts on both databases: registration, verification links, sign-in, sessions, reset.

use crate::common::TestDb;
use app::accounts::{
    db::{AccountError, authenticate, register, request_password_reset, reset_password, verify_email},
    model::Registration,
};
use app::auth::Role;
use app::auth::{session::load_actor, sessions};
use app::i18n::Lang;
use app::platform::Platform;
use std::time::Duration;

fn karen() -> Registration {
    Registration {
        first_name: "Karen".into(),
        last_name: "Nielsen".into(),
        email: "Karen.Nielsen@Skole.example".into(),
        user_type: "teacher".into(),
        country: "DK".into(),
        password: "lilac tundra 47 kettle".into(),
        role_at_school: "Mathematics teacher".into(),
        newsletter: false,
        ..Default::default()
    }
}

/// The newest mail in the outbox, and the link secret in it after `path`.
fn last_mail(db: &TestDb, path: &str) -> (String, String) {
    let dir = db.dir.0.join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let text = std::fs::read_to_string(files.last().unwrap()).unwrap();
    let secret = text
        .split(path)
        .nth(1)
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (text, secret)
}

fn outbox_len(db: &TestDb) -> usize {
    std::fs::read_dir(db.dir.0.join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn registers_verifies_and_signs_in(db: &TestDb) {
    let p: Platform = db.platform().await;
    let id = register(&p, &karen(), Lang::Da)
        .await
        .unwrap()
        .expect("a new account");

    // S9/T5: the unticked newsletter box is recorded as a refusal with its time.
    let (granted, at): (i64, i64) =
        sqlx::query_as("SELECT granted, at FROM consents WHERE user_id = $1 AND kind = 'newsletter'")
            .bind(id)
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(granted, 0);
    assert!(at > 0);

    // Not verified yet: the right password still does not sign in.
    assert!(matches!(
        authenticate(&p, "karen.nielsen@skole.example", "lilac tundra 47 kettle").await,
        Err(AccountError::Unverified)
    ));

    let (mail, secret) = last_mail(db, "/verify-email/");
    assert!(mail.contains("To: karen.nielsen@skole.example\r\n"), "{mail}");
    assert!(
        mail.contains("Hej Karen"),
        "verification mail is in the registrant's language: {mail}"
    );
    assert_eq!(verify_email(&p, &secret).await.unwrap(), id);
    assert!(
        matches!(verify_email(&p, &secret).await, Err(AccountError::InvalidLink)),
        "links are single-use"
    );

    assert_eq!(
        authenticate(&p, " KAREN.nielsen@skole.example ", "lilac tundra 47 kettle")
            .await
            .unwrap(),
        id
    );
    // The same answer for a wrong password and for an unknown address.
    assert!(matches!(
        authenticate(&p, "karen.nielsen@skole.example", "wrong").await,
        Err(AccountError::SignInFailed)
    ));
    assert!(matches!(
        authenticate(&p, "nobody@skole.example", "wrong").await,
        Err(AccountError::SignInFailed)
    ));

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("kettle"));
}
on_both_databases!(registration, registers_verifies_and_signs_in);

async fn bad_registrations_store_nothing(db: &TestDb) {
    let p = db.platform().await;
    register(&p, &karen(), Lang::Da).await.unwrap();
    let mails = outbox_len(db);

    // A known address is not refused (that would tell anyone who has an account): nothing
    // is stored, and the owner is told, in the owner's language, not the registrant's.
    let dup = Registration {
        email: "KAREN.nielsen@skole.example".into(),
        first_name: "K".into(),
        ..karen()
    };
    assert_eq!(register(&p, &dup, Lang::Sv).await.unwrap(), None);
    assert_eq!(outbox_len(db), mails + 1);
    let notices: Vec<String> = crate::common::browser::outbox_mails_to(db, "karen.nielsen@skole.example")
        .into_iter()
        .filter(|m| m.contains("/forgot-password"))
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    let notice = &notices[0];
    assert!(
        notice.contains("Hej Karen") && notice.contains("forsøgt at oprette en ny Agora-konto"),
        "in the owner's language, with the owner's name: {notice}"
    );
    assert!(
        notice.contains("http://127.0.0.1:3000/sign-in") && !notice.contains("/verify-email/"),
        "{notice}"
    );

    let weak = Registration {
        email: "other@skole.example".into(),
        password: "password123".into(),
        ..karen()
    };
    let Err(AccountError::Invalid(errors)) = register(&p, &weak, Lang::En).await else {
        panic!("weak password accepted")
    };
    assert_eq!(errors[0].message, "password.too_common");

    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    let tokens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM one_time_tokens")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!((users, tokens), (1, 1));
    let name: String = sqlx::query_scalar("SELECT first_name FROM users")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Karen", "the known account is left as it was");
    assert_eq!(outbox_len(db), mails + 1, "no mail for a refused registration");
}
on_both_databases!(bad_registration, bad_registrations_store_nothing);

async fn verification_links_expire(db: &TestDb) {
    let p = db.platform().await;
    register(&p, &karen(), Lang::En).await.unwrap();
    let (_, secret) = last_mail(db, "/verify-email/");
    p.clock.advance(Duration::from_secs(24 * 3600 + 1));
    assert!(matches!(
        verify_email(&p, &secret).await,
        Err(AccountError::InvalidLink)
    ));
    assert!(matches!(
        verify_email(&p, "forged").await,
        Err(AccountError::InvalidLink)
    ));
}
on_both_databases!(link_expiry, verification_links_expire);

async fn sessions_rotate_expire_and_end_everywhere(db: &TestDb) {
    let p = db.platform().await;
    let id = register(&p, &karen(), Lang::En)
        .await
        .unwrap()
        .expect("a new account");
    let now = p.clock.now_ms();
    let first = sessions::create(&p.db, id, None, now).await.unwrap();
    assert_eq!(first.len(), 43, "256 bits, base64url");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(&first)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the raw secret is never stored");

    let rotated = sessions::create(&p.db, id, Some(&first), now).await.unwrap();
    assert_eq!(
        sessions::user_for(&p.db, &first, now).await.unwrap(),
        None,
        "old id dies at login"
    );
    assert_eq!(sessions::user_for(&p.db, &rotated, now).await.unwrap(), Some(id));
    let other_device = sessions::create(&p.db, id, None, now).await.unwrap();

    assert_eq!(sessions::end_all(&p.db, id).await.unwrap(), 2);
    assert_eq!(sessions::user_for(&p.db, &other_device, now).await.unwrap(), None);

    let s = sessions::create(&p.db, id, None, now).await.unwrap();
    assert_eq!(
        sessions::user_for(&p.db, &s, now + sessions::LIFETIME_MS + 1)
            .await
            .unwrap(),
        None,
        "expired"
    );

    // A deactivated account's sessions stop working at once (T7, S14).
    sqlx::query("UPDATE users SET status = 'deactivated' WHERE id = $1")
        .bind(id)
        .execute(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions::user_for(&p.db, &s, now).await.unwrap(), None);
}
on_both_databases!(session_lifecycle, sessions_rotate_expire_and_end_everywhere);

async fn password_reset_is_single_use_and_signs_out_everywhere(db: &TestDb) {
    let p = db.platform().await;
    let id = register(&p, &karen(), Lang::Sv)
        .await
        .unwrap()
        .expect("a new account");
    let before = outbox_len(db);
    request_password_reset(&p, "nobody@skole.example", Lang::Sv)
        .await
        .unwrap();
    assert_eq!(
        outbox_len(db),
        before,
        "no mail, and no error, for an unknown address"
    );

    let session = sessions::create(&p.db, id, None, p.clock.now_ms()).await.unwrap();
    request_password_reset(&p, "KAREN.NIELSEN@skole.example", Lang::Sv)
        .await
        .unwrap();
    let (mail, secret) = last_mail(db, "/reset-password/");
    assert!(mail.contains("Hej Karen!"), "{mail}");

    let Err(AccountError::Invalid(e)) = reset_password(&p, &secret, "short").await else {
        panic!()
    };
    assert_eq!(e[0].message, "password.too_short");
    // The refused attempt did not use up the link.
    assert_eq!(
        reset_password(&p, &secret, "new quiet harbour 93").await.unwrap(),
        id
    );
    assert!(matches!(
        reset_password(&p, &secret, "another one 123 abc").await,
        Err(AccountError::InvalidLink)
    ));

    assert_eq!(
        sessions::user_for(&p.db, &session, p.clock.now_ms())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        authenticate(&p, "karen.nielsen@skole.example", "new quiet harbour 93")
            .await
            .unwrap(),
        id
    );
    assert!(
        authenticate(&p, "karen.nielsen@skole.example", "lilac tundra 47 kettle")
            .await
            .is_err()
    );
}
on_both_databases!(
    password_reset,
    password_reset_is_single_use_and_signs_out_everywhere
);

async fn reset_links_expire_after_an_hour(db: &TestDb) {
    let p = db.platform().await;
    register(&p, &karen(), Lang::En).await.unwrap();
    request_password_reset(&p, "karen.nielsen@skole.example", Lang::En)
        .await
        .unwrap();
    let (_, secret) = last_mail(db, "/reset-password/");
    p.clock.advance(Duration::from_secs(3601));
    assert!(matches!(
        reset_password(&p, &secret, "new quiet harbour 93").await,
        Err(AccountError::InvalidLink)
    ));
}
on_both_databases!(reset_expiry, reset_links_expire_after_an_hour);

async fn actors_carry_every_scoped_role(db: &TestDb) {
    let p = db.platform().await;
    agora_server::seed::seed_demo(&p).await.unwrap();
    let id = |email: &'static str| {
        let p = p.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&p.db.pool)
                .await
                .unwrap()
        }
    };
    let admin = load_actor(&p, id("admin@agora.example").await).await.unwrap();
    assert_eq!(admin.roles, vec![Role::PlatformAdmin]);
    assert_eq!(admin.country.as_deref(), Some("BE"));

    let validator = load_actor(&p, id("mette.validator@agora.example").await)
        .await
        .unwrap();
    assert_eq!(
        validator.roles,
        vec![Role::NationalValidator { country: "DK".into() }]
    );

    let lars = load_actor(&p, id("lars.moderator@aarhus-akademi.example").await)
        .await
        .unwrap();
    assert!(lars.roles.iter().any(|r| matches!(r, Role::OrgMember { .. })));
    assert!(lars.roles.iter().any(|r| matches!(
        r,
        Role::CourseStaff {
            kind: app::auth::StaffKind::Moderator,
            ..
        }
    )));

    let learner = load_actor(&p, id("sofia.andersson@skola.example").await)
        .await
        .unwrap();
    assert_eq!(
        learner
            .roles
            .iter()
            .filter(|r| matches!(r, Role::Learner { .. }))
            .count(),
        3
    );
}
on_both_databases!(actor_roles, actors_carry_every_scoped_role);
