//! A sign-in with another account, from the redirect to the provider to a session (S6).
//!
//! 1. `start`: a random secret goes to the browser in the `agora_signin` cookie (HttpOnly,
//!    SameSite=Lax, ten minutes); the database keeps its SHA-256 with the provider, the
//!    local path to return to and, when a signed-in user links another account, who.
//!    `state`, `nonce` and the PKCE verifier are derived from the secret.
//! 2. `callback`: the row is deleted as it is read (single use); `state` must match, the
//!    provider's error (denied consent or other) is shown as such, the code is exchanged and
//!    the ID token checked. Then: a known identity signs in; linking from settings adds the
//!    identity to the signed-in account (refused if another account has it); an unknown one
//!    becomes a 'complete' row under a new secret, and the browser goes to `/welcome` (new
//!    account) or, when an account has the provider's e-mail address, to `/link-account`,
//!    where the user proves that account is theirs. Nothing is ever linked silently.
use super::providers::{FlowSecrets, Profile, same};
use crate::accounts::{
    sessions::{hash_secret, new_secret},
    tokens::{self, Purpose},
    validate::{COUNTRIES, USER_TYPES, email_is_valid, normalise_email},
};
use crate::error::FieldError;
use crate::i18n::{Lang, Msg, fill};
use crate::platform::{Email, Platform};
use crate::ui::redirect::safe_next;
use serde::Deserialize;
use sqlx::Row;

pub const FLOW_COOKIE: &str = "agora_signin";
/// From the redirect to the provider until it sends the browser back.
pub const AUTHORIZE_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// For completing the account or proving ownership of an existing one.
pub const COMPLETE_LIFETIME_MS: i64 = 30 * 60 * 1000;
/// Wrong passwords and proof links sent, per pending sign-in.
pub const MAX_ATTEMPTS: i64 = 5;

/// The `Set-Cookie` value binding a sign-in in progress to this browser.
pub fn set_flow_cookie(secret: &str, secure: bool, lifetime_ms: i64) -> String {
    format!(
        "{FLOW_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        lifetime_ms / 1000,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_flow_cookie(secure: bool) -> String {
    format!(
        "{FLOW_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn redirect_uri(p: &Platform, provider: &str) -> String {
    format!("{}/auth/{provider}/callback", p.public_url)
}

/// What `/auth/notice?m=<code>` explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// No sign-in in progress in this browser, or it took too long.
    Expired,
    /// `state` did not match: the answer was not for this browser's sign-in.
    State,
    /// The user declined at the provider.
    Denied,
    /// The provider reported an error, or its answer did not check out.
    Provider,
    /// The account behind the identity cannot be used (closed).
    Closed,
    /// The account's e-mail address is not confirmed yet.
    Unverified,
    /// The account was created; a link to confirm the e-mail address was sent.
    VerifySent,
    /// The proof link is invalid, used, expired or opened in another browser.
    LinkInvalid,
    /// The provider account is already linked to another Agora account.
    Taken,
}

impl Notice {
    pub const ALL: &'static [Notice] = &[
        Notice::Expired,
        Notice::State,
        Notice::Denied,
        Notice::Provider,
        Notice::Closed,
        Notice::Unverified,
        Notice::VerifySent,
        Notice::LinkInvalid,
        Notice::Taken,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Notice::Expired => "expired",
            Notice::State => "state",
            Notice::Denied => "denied",
            Notice::Provider => "provider",
            Notice::Closed => "closed",
            Notice::Unverified => "unverified",
            Notice::VerifySent => "verify_sent",
            Notice::LinkInvalid => "link_invalid",
            Notice::Taken => "taken",
        }
    }

    pub fn from_code(code: &str) -> Option<Notice> {
        Notice::ALL.iter().copied().find(|n| n.code() == code)
    }

    pub fn url(self) -> String {
        format!("/auth/notice?m={}", self.code())
    }
}

/// Where a signed-in user's settings page says how linking went.
pub const SETTINGS_PATH: &str = "/settings/accounts";

pub struct Started {
    pub location: String,
    pub cookie: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("unknown provider")]
    UnknownProvider,
    #[error(transparent)]
    Provider(#[from] super::providers::ProviderError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Begins a sign-in (or, with `link_user`, linking another account to that user).
pub async fn start(
    p: &Platform,
    provider: &str,
    next: Option<&str>,
    link_user: Option<i64>,
) -> Result<Started, StartError> {
    if p.providers.get(provider).is_none() {
        return Err(StartError::UnknownProvider);
    }
    let secret = new_secret();
    let location = p
        .providers
        .authorization_url(
            provider,
            &redirect_uri(p, provider),
            &FlowSecrets::derive(&secret),
        )
        .await?;
    let now = p.clock.now_ms();
    // Abandoned sign-ins go as new ones start.
    sqlx::query("DELETE FROM auth_flows WHERE expires_at <= $1")
        .bind(now)
        .execute(&p.db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO auth_flows (id_hash, stage, provider, next_path, link_user_id, created_at, expires_at) \
         VALUES ($1, 'authorize', $2, $3, $4, $5, $6)",
    )
    .bind(hash_secret(&secret))
    .bind(provider)
    .bind(safe_next(next.unwrap_or("")))
    .bind(link_user)
    .bind(now)
    .bind(now + AUTHORIZE_LIFETIME_MS)
    .execute(&p.db.pool)
    .await?;
    Ok(Started {
        location,
        cookie: set_flow_cookie(&secret, p.secure_cookies(), AUTHORIZE_LIFETIME_MS),
    })
}

/// What the provider sent back to `/auth/<provider>/callback`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// What the callback route does next.
#[derive(Debug, PartialEq, Eq)]
pub struct CallbackResult {
    pub location: String,
    /// Start a session for this user (rotating the one the browser had).
    pub sign_in: Option<i64>,
    /// A new flow secret for the cookie; `None` clears the cookie.
    pub flow: Option<String>,
}

impl CallbackResult {
    fn to(location: impl Into<String>) -> Self {
        CallbackResult {
            location: location.into(),
            sign_in: None,
            flow: None,
        }
    }
}

/// Handles the provider's answer. `flow_secret` is the browser's `agora_signin` cookie,
/// `session_user` the user of its session cookie, if any.
pub async fn callback(
    p: &Platform,
    provider: &str,
    q: &CallbackQuery,
    flow_secret: Option<&str>,
    session_user: Option<i64>,
) -> Result<CallbackResult, sqlx::Error> {
    let now = p.clock.now_ms();
    let Some(secret) = flow_secret else {
        return Ok(CallbackResult::to(Notice::Expired.url()));
    };
    // Single use: whatever happens next, this row is gone.
    let row = sqlx::query(
        "DELETE FROM auth_flows WHERE id_hash = $1 AND stage = 'authorize' \
         RETURNING provider, next_path, link_user_id, expires_at",
    )
    .bind(hash_secret(secret))
    .fetch_optional(&p.db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(CallbackResult::to(Notice::Expired.url()));
    };
    let (flow_provider, next, link_user, expires): (String, String, Option<i64>, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if expires <= now || flow_provider != provider {
        return Ok(CallbackResult::to(Notice::Expired.url()));
    }
    let secrets = FlowSecrets::derive(secret);
    if !q.state.as_deref().is_some_and(|s| same(s, &secrets.state)) {
        tracing::warn!(provider, "sign-in callback with a state that does not match");
        return Ok(CallbackResult::to(Notice::State.url()));
    }
    if let Some(error) = &q.error {
        // The error code comes from the query string: logged only as a short plain token.
        let code: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        tracing::info!(provider, error = %code, "provider answered with an error");
        let notice = if error == "access_denied" {
            Notice::Denied
        } else {
            Notice::Provider
        };
        return Ok(CallbackResult::to(notice.url()));
    }
    let Some(code) = q.code.as_deref().filter(|c| !c.is_empty()) else {
        return Ok(CallbackResult::to(Notice::Provider.url()));
    };
    // Linking from settings: only for the account that started it, still signed in.
    if let Some(owner) = link_user {
        let actor = match session_user {
            Some(u) => crate::auth::Actor {
                user: Some(u),
                ..Default::default()
            },
            None => crate::auth::Actor::anonymous(),
        };
        if crate::auth::require(&actor, &crate::auth::Action::ManageSignInMethods { owner }).is_err() {
            return Ok(CallbackResult::to(Notice::Expired.url()));
        }
    }
    let profile = match p
        .providers
        .profile(provider, &redirect_uri(p, provider), code, &secrets)
        .await
    {
        Ok(profile) => profile,
        Err(e) => {
            tracing::warn!(provider, error = %e, "sign-in with provider failed");
            return Ok(CallbackResult::to(Notice::Provider.url()));
        }
    };
    let known: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2")
            .bind(provider)
            .bind(&profile.subject)
            .fetch_optional(&p.db.pool)
            .await?;

    if let Some(owner) = link_user {
        let m = match known {
            Some(u) if u == owner => "linked",
            Some(_) => "taken",
            None => match insert_identity(&p.db.pool, provider, &profile, owner, now).await? {
                true => "linked",
                false => "taken",
            },
        };
        return Ok(CallbackResult::to(format!("{SETTINGS_PATH}?m={m}")));
    }

    if let Some(user) = known {
        // Keep the address the provider has now (rectification, S22).
        if let Some(email) = &profile.email {
            sqlx::query("UPDATE user_identities SET email = $1 WHERE provider = $2 AND subject = $3")
                .bind(email)
                .bind(provider)
                .bind(&profile.subject)
                .execute(&p.db.pool)
                .await?;
        }
        return sign_in_or_notice(p, user, next).await;
    }

    let matching: Option<i64> = match &profile.email {
        Some(email) => {
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(&p.db.pool)
                .await?
        }
        None => None,
    };
    let pending = new_secret();
    sqlx::query(
        "INSERT INTO auth_flows (id_hash, stage, provider, next_path, subject, email, email_verified, \
         first_name, last_name, match_user_id, created_at, expires_at) \
         VALUES ($1, 'complete', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(hash_secret(&pending))
    .bind(provider)
    .bind(&next)
    .bind(&profile.subject)
    .bind(&profile.email)
    .bind(i64::from(profile.email_verified))
    .bind(&profile.first_name)
    .bind(&profile.last_name)
    .bind(matching)
    .bind(now)
    .bind(now + COMPLETE_LIFETIME_MS)
    .execute(&p.db.pool)
    .await?;
    Ok(CallbackResult {
        location: if matching.is_some() {
            "/link-account"
        } else {
            "/welcome"
        }
        .into(),
        sign_in: None,
        flow: Some(pending),
    })
}

/// Links an identity; false when the provider account is already linked to someone.
async fn insert_identity<'c, E>(
    executor: E,
    provider: &str,
    profile: &Profile,
    user: i64,
    now: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let inserted = sqlx::query(
        "INSERT INTO user_identities (provider, subject, user_id, email, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider, subject) DO NOTHING",
    )
    .bind(provider)
    .bind(&profile.subject)
    .bind(user)
    .bind(&profile.email)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A known identity signs in if its account is active and its e-mail address confirmed.
async fn sign_in_or_notice(p: &Platform, user: i64, next: String) -> Result<CallbackResult, sqlx::Error> {
    Ok(match sign_in_check(p, user).await? {
        Ok(()) => CallbackResult {
            location: safe_next(&next),
            sign_in: Some(user),
            flow: None,
        },
        Err(notice) => CallbackResult::to(notice.url()),
    })
}

async fn sign_in_check(p: &Platform, user: i64) -> Result<Result<(), Notice>, sqlx::Error> {
    let row = sqlx::query("SELECT status, email_verified_at FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&p.db.pool)
        .await?;
    let Some(row) = row else {
        return Ok(Err(Notice::Closed));
    };
    let (status, verified): (String, Option<i64>) = (row.get(0), row.get(1));
    if status != "active" {
        return Ok(Err(Notice::Closed));
    }
    if verified.is_none() {
        return Ok(Err(Notice::Unverified));
    }
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(p.clock.now_ms())
        .bind(user)
        .execute(&p.db.pool)
        .await?;
    Ok(Ok(()))
}

/// A sign-in waiting on `/welcome` or `/link-account`.
#[derive(Clone, Debug)]
pub struct Pending {
    pub id_hash: String,
    pub provider: String,
    pub next: String,
    pub profile: Profile,
    pub match_user: Option<i64>,
    pub proof_sent: bool,
    pub attempts: i64,
}

/// The pending sign-in of this browser's flow cookie, if it is still valid.
pub async fn pending(p: &Platform, secret: Option<&str>) -> Result<Option<Pending>, sqlx::Error> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT provider, next_path, subject, email, email_verified, first_name, last_name, match_user_id, \
         CASE WHEN proof_hash IS NULL THEN 0 ELSE 1 END, attempts \
         FROM auth_flows WHERE id_hash = $1 AND stage = 'complete' AND expires_at > $2",
    )
    .bind(hash_secret(secret))
    .bind(p.clock.now_ms())
    .fetch_optional(&p.db.pool)
    .await?;
    Ok(row.map(|r| Pending {
        id_hash: hash_secret(secret),
        provider: r.get(0),
        next: r.get(1),
        profile: Profile {
            subject: r.get(2),
            email: r.get(3),
            email_verified: r.get::<i64, _>(4) == 1,
            first_name: r.get(5),
            last_name: r.get(6),
        },
        match_user: r.get(7),
        proof_sent: r.get::<i64, _>(8) == 1,
        attempts: r.get(9),
    }))
}

/// What `/welcome` asks for: only what the provider did not give.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub user_type: String,
    pub country: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// S9/T5: opt-in, unticked by default.
    pub newsletter: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Completed {
    /// Account created, e-mail confirmed by the provider: sign in and go to `next`.
    SignedIn { user: i64, next: String },
    /// Account created; it can be used once the e-mail address is confirmed.
    VerifySent,
    /// The e-mail address typed belongs to an account: prove it is yours first.
    LinkRequired,
}

#[derive(Debug, thiserror::Error)]
pub enum CompleteError {
    #[error("no sign-in in progress")]
    Expired,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("provider account already linked")]
    Taken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn check_completion(pending: &Pending, c: &Completion) -> (Vec<FieldError>, String) {
    let mut errors = Vec::new();
    if !USER_TYPES.contains(&c.user_type.as_str()) {
        errors.push(FieldError::new("user_type", Msg::FieldInvalidChoice));
    }
    if !COUNTRIES.contains(&c.country.as_str()) {
        errors.push(FieldError::new("country", Msg::FieldInvalidChoice));
    }
    let email = match &pending.profile.email {
        Some(e) => e.clone(),
        None => {
            let e = normalise_email(&c.email);
            if e.is_empty() {
                errors.push(FieldError::new("email", Msg::FieldRequired));
            } else if !email_is_valid(&e) {
                errors.push(FieldError::new("email", Msg::FieldEmailInvalid));
            }
            e
        }
    };
    for (field, have, typed) in [
        ("first_name", &pending.profile.first_name, &c.first_name),
        ("last_name", &pending.profile.last_name, &c.last_name),
    ] {
        if have.is_empty() {
            if typed.trim().is_empty() {
                errors.push(FieldError::new(field, Msg::FieldRequired));
            } else if typed.trim().chars().count() > 100 {
                errors.push(FieldError::new(field, Msg::FieldTooLong));
            }
        }
    }
    (errors, email)
}

/// Creates the account for a new identity (no password), links the identity and records
/// the newsletter choice, in one transaction. Sends the confirmation link when the provider
/// did not vouch for the e-mail address.
pub async fn complete_account(
    p: &Platform,
    pending: Pending,
    c: &Completion,
    lang: Lang,
) -> Result<Completed, CompleteError> {
    if pending.match_user.is_some() {
        return Ok(Completed::LinkRequired);
    }
    let (errors, email) = check_completion(&pending, c);
    if !errors.is_empty() {
        return Err(CompleteError::Invalid(errors));
    }
    let now = p.clock.now_ms();
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&p.db.pool)
        .await?;
    if let Some(owner) = existing {
        sqlx::query(
            "UPDATE auth_flows SET email = $1, email_verified = 0, match_user_id = $2 WHERE id_hash = $3",
        )
        .bind(&email)
        .bind(owner)
        .bind(&pending.id_hash)
        .execute(&p.db.pool)
        .await?;
        return Ok(Completed::LinkRequired);
    }
    let pick = |from_provider: &str, typed: &str| {
        if from_provider.is_empty() {
            typed.trim().to_string()
        } else {
            from_provider.to_string()
        }
    };
    let first = pick(&pending.profile.first_name, &c.first_name);
    let last = pick(&pending.profile.last_name, &c.last_name);
    // Only an address the provider vouches for, and that was not typed here, counts as confirmed.
    let verified = pending.profile.email_verified && pending.profile.email.is_some();
    let mut tx = p.db.pool.begin().await?;
    // The flow row goes in the same transaction: a second submit finds nothing.
    let gone = sqlx::query("DELETE FROM auth_flows WHERE id_hash = $1")
        .bind(&pending.id_hash)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Err(CompleteError::Expired);
    }
    let inserted = sqlx::query(
        "INSERT INTO users (email, first_name, last_name, user_type, country, locale, created_at, \
         email_verified_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&email)
    .bind(&first)
    .bind(&last)
    .bind(&c.user_type)
    .bind(&c.country)
    .bind(lang.code())
    .bind(now)
    .bind(verified.then_some(now))
    .bind(verified.then_some(now))
    .fetch_one(&mut *tx)
    .await;
    let user: i64 = match inserted {
        Ok(row) => row.get(0),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(CompleteError::Invalid(vec![FieldError::new(
                "email",
                Msg::FieldEmailTaken,
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    crate::accounts::profiles::record_newsletter_consent(&mut tx, user, c.newsletter, now).await?;
    let mut profile = pending.profile.clone();
    profile.email = Some(email.clone());
    if !insert_identity(&mut *tx, &pending.provider, &profile, user, now).await? {
        return Err(CompleteError::Taken);
    }
    let link = if verified {
        None
    } else {
        Some(tokens::issue(&mut tx, user, Purpose::VerifyEmail, None, now).await?)
    };
    tx.commit().await?;
    match link {
        None => Ok(Completed::SignedIn {
            user,
            next: safe_next(&pending.next),
        }),
        Some(secret) => {
            let link = format!("{}/verify-email/{secret}", p.public_url);
            send(
                p,
                &email,
                lang,
                Msg::MailVerifySubject,
                Msg::MailVerifyBody,
                &[("name", &first), ("link", &link)],
            )
            .await;
            Ok(Completed::VerifySent)
        }
    }
}

async fn send(p: &Platform, to: &str, lang: Lang, subject: Msg, body: Msg, values: &[(&str, &str)]) {
    let mail = Email {
        to: to.to_string(),
        subject: fill(lang.t(subject), values),
        body: fill(lang.t(body), values),
    };
    if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
        tracing::error!(error = %e, "could not send mail");
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("no sign-in in progress")]
    Expired,
    #[error("wrong password")]
    WrongPassword,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("provider account already linked")]
    Taken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Where a proven link ends: signed in (and where to), or a notice.
#[derive(Debug, PartialEq, Eq)]
pub enum Linked {
    SignedIn { user: i64, next: String },
    Notice(Notice),
}

async fn link_pending(
    p: &Platform,
    pending: &Pending,
    user: i64,
    mailbox_proven: bool,
) -> Result<Linked, LinkError> {
    let now = p.clock.now_ms();
    let mut tx = p.db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM auth_flows WHERE id_hash = $1")
        .bind(&pending.id_hash)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Err(LinkError::Expired);
    }
    if !insert_identity(&mut *tx, &pending.provider, &pending.profile, user, now).await? {
        return Err(LinkError::Taken);
    }
    // The e-mail link proves the mailbox; so does the provider vouching for the same address.
    if mailbox_proven {
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
            .bind(now)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    } else if let (true, Some(email)) = (pending.profile.email_verified, &pending.profile.email) {
        sqlx::query(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL AND email = $3",
        )
        .bind(now)
        .bind(user)
        .bind(email)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(match sign_in_check(p, user).await? {
        Ok(()) => Linked::SignedIn {
            user,
            next: safe_next(&pending.next),
        },
        Err(n) => Linked::Notice(n),
    })
}

/// Proof by the existing account's password. Wrong passwords count against the pending
/// sign-in; after [`MAX_ATTEMPTS`] it is refused.
pub async fn link_with_password(p: &Platform, pending: Pending, password: &str) -> Result<Linked, LinkError> {
    let owner = pending.match_user.ok_or(LinkError::Expired)?;
    if pending.attempts >= MAX_ATTEMPTS {
        return Err(LinkError::TooManyAttempts);
    }
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(owner)
        .fetch_optional(&p.db.pool)
        .await?
        .flatten();
    let ok = crate::accounts::password::verify(
        password,
        hash.as_deref().unwrap_or(crate::accounts::password::dummy_hash()),
    );
    if !ok || hash.is_none() {
        sqlx::query("UPDATE auth_flows SET attempts = attempts + 1 WHERE id_hash = $1")
            .bind(&pending.id_hash)
            .execute(&p.db.pool)
            .await?;
        return Err(LinkError::WrongPassword);
    }
    link_pending(p, &pending, owner, false).await
}

/// Proof by e-mail: sends the existing account a one-time link. It works only in the
/// browser that holds this sign-in, so the account's owner clicking a link they did not ask
/// for links nothing.
pub async fn send_proof(p: &Platform, pending: Pending, lang: Lang) -> Result<(), LinkError> {
    let owner = pending.match_user.ok_or(LinkError::Expired)?;
    if pending.attempts >= MAX_ATTEMPTS {
        return Err(LinkError::TooManyAttempts);
    }
    let row = sqlx::query("SELECT email, first_name FROM users WHERE id = $1")
        .bind(owner)
        .fetch_one(&p.db.pool)
        .await?;
    let (email, name): (String, String) = (row.get(0), row.get(1));
    let proof = new_secret();
    sqlx::query("UPDATE auth_flows SET proof_hash = $1, attempts = attempts + 1 WHERE id_hash = $2")
        .bind(hash_secret(&proof))
        .bind(&pending.id_hash)
        .execute(&p.db.pool)
        .await?;
    let link = format!("{}/link-account/{proof}", p.public_url);
    let provider = p.providers.name(&pending.provider);
    send(
        p,
        &email,
        lang,
        Msg::OidcMailLinkSubject,
        Msg::OidcMailLinkBody,
        &[("name", &name), ("provider", &provider), ("link", &link)],
    )
    .await;
    Ok(())
}

/// `/link-account/<proof>`: the e-mail link, opened in the browser holding the sign-in.
pub async fn confirm_proof(p: &Platform, pending: Pending, proof: &str) -> Result<Linked, LinkError> {
    let owner = pending.match_user.ok_or(LinkError::Expired)?;
    let stored: Option<String> = sqlx::query_scalar("SELECT proof_hash FROM auth_flows WHERE id_hash = $1")
        .bind(&pending.id_hash)
        .fetch_one(&p.db.pool)
        .await?;
    if !stored.is_some_and(|h| same(&h, &hash_secret(proof))) {
        return Err(LinkError::Expired);
    }
    link_pending(p, &pending, owner, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_are_explained() {
        for n in Notice::ALL {
            assert_eq!(Notice::from_code(n.code()), Some(*n));
            assert!(super::super::pages::notice_messages(n.code()).is_some(), "{n:?}");
        }
        assert_eq!(Notice::from_code("x"), None);
    }

    #[test]
    fn flow_cookie_is_http_only_lax_and_secure_on_https() {
        let c = set_flow_cookie("s", true, AUTHORIZE_LIFETIME_MS);
        assert!(c.starts_with("agora_signin=s; Path=/; HttpOnly; SameSite=Lax; Max-Age=600"));
        assert!(c.ends_with("; Secure"));
        assert!(clear_flow_cookie(false).contains("Max-Age=0"));
    }
}
