//! Account rules: registration, e-mail verification, sign-in, password reset, and the
//! roles that make up an [`Actor`].
use super::{
    model::{FieldError, Registration},
    password::{self, PasswordProblem},
    tokens::{self, Purpose},
    validate,
};
use crate::i18n::{Lang, Msg, fill};
use crate::platform::{Email, Platform};
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Unknown e-mail or wrong password: one answer for both.
    #[error("sign-in failed")]
    SignInFailed,
    #[error("e-mail address not verified")]
    Unverified,
    #[error("invalid or used link")]
    InvalidLink,
    /// The address was taken between asking for a change and confirming it.
    #[error("e-mail address taken")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn password_error(p: PasswordProblem) -> FieldError {
    FieldError::new(
        "password",
        match p {
            PasswordProblem::TooShort => Msg::PasswordTooShort,
            PasswordProblem::TooLong => Msg::PasswordTooLong,
            PasswordProblem::TooCommon => Msg::PasswordTooCommon,
            PasswordProblem::ContainsPersonalData => Msg::PasswordPersonal,
        },
    )
}

/// Registers a local account and sends the verification link. Everything is stored in one
/// transaction; the mail goes out after it commits.
///
/// An address that already has an account gets the same answer as a new one, so the form
/// cannot be used to find out who has an account: nothing is stored, and the account's
/// owner is mailed instead ([`tell_owner_of_registration`]). The password is hashed on
/// both paths, so they take about as long. Returns the new account, or `None` for a known
/// address.
pub async fn register(p: &Platform, r: &Registration, lang: Lang) -> Result<Option<i64>, AccountError> {
    let mut errors = validate::registration(r);
    let email = validate::normalise_email(&r.email);
    if !r.password.is_empty()
        && let Err(problem) = password::check_policy(&r.password, &[&email, &r.first_name, &r.last_name])
    {
        errors.push(password_error(problem));
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let hash = password::hash(&r.password);
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(owner) = taken {
        drop(tx);
        tell_owner_of_registration(p, owner).await?;
        return Ok(None);
    }
    let inserted = sqlx::query(
        "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at, password_hash, \
         role_at_school, pupil_age_range, description) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&email)
    .bind(r.first_name.trim())
    .bind(r.last_name.trim())
    .bind(&r.user_type)
    .bind(&r.country)
    .bind(lang.code())
    .bind(now)
    .bind(&hash)
    .bind(r.role_at_school.trim())
    .bind(r.pupil_age_range.trim())
    .bind(r.description.trim())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.get(0),
        // Two registrations racing for one address: the UNIQUE constraint decides, and the
        // second is answered like any registration with a known address.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            let owner: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(&email)
                .fetch_optional(&p.db.pool)
                .await?;
            if let Some(owner) = owner {
                tell_owner_of_registration(p, owner).await?;
            }
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    super::profiles::record_newsletter_consent(&mut tx, id, r.newsletter, now).await?;
    super::profiles::replace_tags(&mut tx, id, &r.subjects, &r.languages).await?;
    let secret = tokens::issue(&mut tx, id, Purpose::VerifyEmail, None, now).await?;
    tx.commit().await?;
    let link = format!("{}/verify-email/{secret}", p.public_url);
    send(
        p,
        &email,
        lang,
        Msg::MailVerifySubject,
        Msg::MailVerifyBody,
        r.first_name.trim(),
        &link,
    )
    .await;
    Ok(Some(id))
}

/// The address, first name and language of an account, for mail to its owner.
async fn owner_of(p: &Platform, user: i64) -> Result<Option<(String, String, Lang)>, sqlx::Error> {
    let row = sqlx::query("SELECT email, first_name, locale FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&p.db.pool)
        .await?;
    Ok(row.map(|r| {
        let locale: String = r.get(2);
        (r.get(0), r.get(1), Lang::from_code(&locale).unwrap_or_default())
    }))
}

/// Someone registered with the address of an existing account: its owner is told, in the
/// owner's language, how to get in (sign in, or reset the password). Nothing of the
/// registration form is passed on.
async fn tell_owner_of_registration(p: &Platform, owner: i64) -> Result<(), sqlx::Error> {
    let Some((email, name, lang)) = owner_of(p, owner).await? else {
        return Ok(());
    };
    let mail = Email {
        to: email,
        subject: lang.t(Msg::MailRegisterKnownSubject).to_string(),
        body: fill(
            lang.t(Msg::MailRegisterKnownBody),
            &[
                ("name", &name),
                ("sign_in", &format!("{}/sign-in", p.public_url)),
                ("reset", &format!("{}/forgot-password", p.public_url)),
            ],
        ),
    };
    if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
        tracing::error!(error = %e, "could not send mail");
    }
    Ok(())
}

async fn send(p: &Platform, to: &str, lang: Lang, subject: Msg, body: Msg, name: &str, link: &str) {
    let mail = Email {
        to: to.to_string(),
        subject: lang.t(subject).to_string(),
        body: fill(lang.t(body), &[("name", name), ("link", link)]),
    };
    if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
        // The account is stored; the user can ask for the link again.
        tracing::error!(error = %e, "could not send mail");
    }
}

/// Confirms the e-mail address behind a verification link.
pub async fn verify_email(p: &Platform, secret: &str) -> Result<i64, AccountError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let (user, _) = tokens::consume(&mut *tx, secret, Purpose::VerifyEmail, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user)
}

/// Checks e-mail and password. Unknown e-mail and wrong password fail alike, and take
/// alike long (a dummy hash is verified when there is no account).
pub async fn authenticate(p: &Platform, email: &str, pw: &str) -> Result<i64, AccountError> {
    let email = validate::normalise_email(email);
    let row = sqlx::query(
        "SELECT id, password_hash, email_verified_at FROM users WHERE email = $1 AND status = 'active'",
    )
    .bind(&email)
    .fetch_optional(&p.db.pool)
    .await?;
    let (id, hash, verified) = match &row {
        Some(r) => (
            r.get::<i64, _>(0),
            r.get::<Option<String>, _>(1),
            r.get::<Option<i64>, _>(2),
        ),
        None => (0, None, None),
    };
    let ok = password::verify(pw, hash.as_deref().unwrap_or(password::dummy_hash()));
    if row.is_none() || !ok {
        return Err(AccountError::SignInFailed);
    }
    if verified.is_none() {
        return Err(AccountError::Unverified);
    }
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(p.clock.now_ms())
        .bind(id)
        .execute(&p.db.pool)
        .await?;
    Ok(id)
}

/// Sends a reset link if an active account has this e-mail; says nothing either way.
pub async fn request_password_reset(p: &Platform, email: &str, lang: Lang) -> Result<(), AccountError> {
    mail_link(p, email, lang, Purpose::ResetPassword).await
}

/// Mails a one-time link to the active account with this address (for verification links,
/// only while the address is unconfirmed); says nothing either way.
async fn mail_link(p: &Platform, email: &str, lang: Lang, purpose: Purpose) -> Result<(), AccountError> {
    let (path, subject, body, filter) = match purpose {
        Purpose::ResetPassword => ("reset-password", Msg::MailResetSubject, Msg::MailResetBody, ""),
        _ => (
            "verify-email",
            Msg::MailVerifySubject,
            Msg::MailVerifyBody,
            " AND email_verified_at IS NULL",
        ),
    };
    let email = validate::normalise_email(email);
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let Some(row) = sqlx::query(&format!(
        "SELECT id, first_name FROM users WHERE email = $1 AND status = 'active'{filter}"
    ))
    .bind(&email)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(());
    };
    let (id, name): (i64, String) = (row.get(0), row.get(1));
    let secret = tokens::issue(&mut tx, id, purpose, None, now).await?;
    tx.commit().await?;
    let link = format!("{}/{path}/{secret}", p.public_url);
    send(p, &email, lang, subject, body, &name, &link).await;
    Ok(())
}

/// Sets a new password from a reset link, confirms the address (the link proved it) and
/// ends every session of the account.
pub async fn reset_password(p: &Platform, secret: &str, new_password: &str) -> Result<i64, AccountError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let (user, _) = tokens::consume(&mut *tx, secret, Purpose::ResetPassword, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let row = sqlx::query("SELECT email, first_name, last_name FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    let (email, first, last): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    // On a policy failure the transaction rolls back: the link stays usable.
    password::check_policy(new_password, &[&email, &first, &last])
        .map_err(|e| AccountError::Invalid(vec![password_error(e)]))?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3",
    )
    .bind(password::hash(new_password))
    .bind(now)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user)
}

/// Sends a fresh verification link to an unverified active account; says nothing either way.
pub async fn resend_verification(p: &Platform, email: &str, lang: Lang) -> Result<(), AccountError> {
    mail_link(p, email, lang, Purpose::VerifyEmail).await
}

/// Checks the password of a signed-in user's account (for changes that need it).
async fn check_own_password(
    p: &Platform,
    user: i64,
    pw: &str,
) -> Result<(String, String, String), AccountError> {
    let row = sqlx::query("SELECT password_hash, email, first_name, last_name FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&p.db.pool)
        .await?;
    let hash: Option<String> = row.get(0);
    let ok = password::verify(pw, hash.as_deref().unwrap_or(password::dummy_hash()));
    if hash.is_none() || !ok {
        return Err(AccountError::Invalid(vec![FieldError::new(
            "current_password",
            Msg::PasswordWrong,
        )]));
    }
    Ok((row.get(1), row.get(2), row.get(3)))
}

/// Asks to move the account to another address (S22). The password proves it is the owner;
/// the link goes to the new address, and the address changes only when it is opened. The
/// old address is told, so a hijacker cannot move an account quietly. An address that
/// already has an account gets the same answer: its owner is told instead of getting a
/// link, and nothing changes.
pub async fn request_email_change(
    p: &Platform,
    user: i64,
    new_email: &str,
    current_password: &str,
    lang: Lang,
) -> Result<(), AccountError> {
    let new_email = validate::normalise_email(new_email);
    if new_email.is_empty() {
        return Err(AccountError::Invalid(vec![FieldError::new(
            "email",
            Msg::FieldRequired,
        )]));
    }
    if !validate::email_is_valid(&new_email) {
        return Err(AccountError::Invalid(vec![FieldError::new(
            "email",
            Msg::FieldEmailInvalid,
        )]));
    }
    let (old_email, first, _) = check_own_password(p, user, current_password).await?;
    if old_email == new_email {
        return Err(AccountError::Invalid(vec![FieldError::new(
            "email",
            Msg::EmailSame,
        )]));
    }
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&new_email)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(owner) = taken {
        // The same answer as for a free address: the owner of the address is told that
        // nothing changed, instead of getting a link.
        drop(tx);
        if let Some((to, name, owner_lang)) = owner_of(p, owner).await? {
            let mail = Email {
                to,
                subject: owner_lang.t(Msg::MailChangeTakenSubject).to_string(),
                body: fill(owner_lang.t(Msg::MailChangeTakenBody), &[("name", &name)]),
            };
            if let Err(e) = p.mailer.send(&mail, now).await {
                tracing::error!(error = %e, "could not send mail");
            }
        }
    } else {
        let secret = tokens::issue(&mut tx, user, Purpose::ChangeEmail, Some(&new_email), now).await?;
        tx.commit().await?;
        let link = format!("{}/confirm-email/{secret}", p.public_url);
        send(
            p,
            &new_email,
            lang,
            Msg::MailChangeSubject,
            Msg::MailChangeBody,
            &first,
            &link,
        )
        .await;
    }
    // The old address is told either way.
    let notice = Email {
        to: old_email,
        subject: lang.t(Msg::MailChangeNoticeSubject).to_string(),
        body: fill(
            lang.t(Msg::MailChangeNoticeBody),
            &[("name", &first), ("email", &new_email)],
        ),
    };
    if let Err(e) = p.mailer.send(&notice, now).await {
        tracing::error!(error = %e, "could not send mail");
    }
    Ok(())
}

/// Moves the account to the address behind an e-mail change link.
pub async fn confirm_email_change(p: &Platform, secret: &str) -> Result<i64, AccountError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let (user, new_email) = tokens::consume(&mut *tx, secret, Purpose::ChangeEmail, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let new_email = new_email.ok_or(AccountError::InvalidLink)?;
    let updated = sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3 AND status = 'active'",
    )
    .bind(&new_email)
    .bind(now)
    .bind(user)
    .execute(&mut *tx)
    .await;
    match updated {
        Ok(r) if r.rows_affected() == 1 => {}
        Ok(_) => return Err(AccountError::InvalidLink),
        // Someone registered the address after the link was sent.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(AccountError::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(user)
}

/// Changes the password of a signed-in user; every other session of the account ends.
pub async fn change_password(
    p: &Platform,
    user: i64,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> Result<(), AccountError> {
    let (email, first, last) = check_own_password(p, user, current).await?;
    password::check_policy(new, &[&email, &first, &last]).map_err(|e| {
        let mut fe = password_error(e);
        fe.field = "new_password".into();
        AccountError::Invalid(vec![fe])
    })?;
    let mut tx = p.db.pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password::hash(new))
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user)
        .bind(
            keep_session
                .map(crate::auth::sessions::hash_secret)
                .unwrap_or_default(),
        )
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
