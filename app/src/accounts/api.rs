//! Server functions behind the account pages. Each decides access through the permission
//! module, answers bad input with field errors in i18n keys, and returns where the browser
//! should go next (see [`crate::ui::form::finish`]).
use super::model::{AccountSettings, Me, ProfileEdit, PublicProfile, Registration};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::accounts::db::AccountError;
    use crate::auth::{Action, Cx};
    use crate::error::AppError;
    use crate::i18n::Msg;
    use crate::platform::{Platform, rate_limit::Rule};

    pub fn allowed(cx: &Cx, action: Action) -> Result<(), AppError> {
        if action == Action::ManageOwnAccount {
            cx.signed_in()?;
        }
        cx.require(&action)?;
        Ok(())
    }

    impl From<AccountError> for AppError {
        fn from(e: AccountError) -> Self {
            match e {
                AccountError::Invalid(list) => AppError::Invalid(list),
                AccountError::SignInFailed => AppError::refused(Msg::SigninFailed),
                AccountError::Unverified => AppError::refused(Msg::SigninUnverified),
                AccountError::InvalidLink => AppError::refused(Msg::LinkInvalid),
                AccountError::EmailTaken => AppError::field("email", Msg::FieldEmailTaken),
                AccountError::Db(e) => e.into(),
            }
        }
    }

    /// Attempt limits (per client address and per account).
    pub const SIGN_IN_PER_IP: Rule = Rule::per_minutes(30, 15);
    pub const SIGN_IN_PER_ACCOUNT: Rule = Rule::per_minutes(10, 15);
    pub const REGISTER_PER_IP: Rule = Rule::per_minutes(10, 60);
    pub const LINK_PER_IP: Rule = Rule::per_minutes(20, 60);
    pub const LINK_PER_ACCOUNT: Rule = Rule::per_minutes(3, 60);

    pub async fn limit(p: &Platform, checks: &[(&str, Rule)]) -> Result<(), AppError> {
        Ok(p.limits.hit_all(checks, p.clock.now_ms()).await?)
    }

    pub fn append_cookie(value: String) {
        if let (Some(res), Ok(v)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&value),
        ) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }

    use leptos::prelude::use_context;
}

/// Registration (S1, T1). Returns the page that says "check your e-mail".
#[server(prefix = "/api", endpoint = "accounts/register")]
pub async fn register(form: Registration) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    use crate::platform::client_ip;
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    let account_key = format!("register:acct:{}", super::validate::normalise_email(&form.email));
    server::limit(
        p,
        &[
            (&format!("register:ip:{}", client_ip()), server::REGISTER_PER_IP),
            (&account_key, server::LINK_PER_ACCOUNT),
        ],
    )
    .await?;
    super::db::register(p, &form, crate::i18n::current_lang()).await?;
    Ok(crate::ui::form::finish("/register/sent"))
}

/// Local sign-in. The same refusal for an unknown address and a wrong password.
#[server(prefix = "/api", endpoint = "accounts/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<String, AppError> {
    use super::validate::normalise_email;
    use crate::auth::sessions;
    use crate::auth::{Action, Cx, session::presented_secret};
    use crate::platform::client_ip;
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    let account_key = format!("signin:acct:{}", normalise_email(&email));
    server::limit(
        p,
        &[
            (&format!("signin:ip:{}", client_ip()), server::SIGN_IN_PER_IP),
            (&account_key, server::SIGN_IN_PER_ACCOUNT),
        ],
    )
    .await?;
    let user = super::db::authenticate(p, &email, &password).await?;
    p.limits.clear(&account_key).await?;
    let secret = sessions::create(&p.db, user, presented_secret().as_deref(), p.clock.now_ms()).await?;
    server::append_cookie(sessions::set_cookie(&secret, p.secure_cookies()));
    Ok(crate::ui::form::finish(&crate::ui::redirect::safe_next(&next)))
}

#[server(prefix = "/api", endpoint = "accounts/sign-out")]
pub async fn sign_out() -> Result<String, AppError> {
    use crate::auth::sessions;
    use crate::auth::{Action, Cx, session::presented_secret};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    if let Some(secret) = presented_secret() {
        sessions::end(&p.db, &secret).await?;
    }
    server::append_cookie(sessions::clear_cookie(p.secure_cookies()));
    Ok(crate::ui::form::finish("/"))
}

/// "Sign out everywhere": every session of the account ends, this one included.
#[server(prefix = "/api", endpoint = "accounts/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<String, AppError> {
    use crate::auth::sessions;
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let p = &cx.p;
    sessions::end_all(&p.db, cx.signed_in()?).await?;
    server::append_cookie(sessions::clear_cookie(p.secure_cookies()));
    Ok(crate::ui::form::finish("/sign-in?status=signed-out-everywhere"))
}

/// Sends a new verification link; answers the same whether or not the address is known.
#[server(prefix = "/api", endpoint = "accounts/resend-verification")]
pub async fn resend_verification(email: String) -> Result<String, AppError> {
    use super::validate::normalise_email;
    use crate::auth::{Action, Cx};
    use crate::platform::client_ip;
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    server::limit(
        p,
        &[
            (&format!("link:ip:{}", client_ip()), server::LINK_PER_IP),
            (
                &format!("link:acct:{}", normalise_email(&email)),
                server::LINK_PER_ACCOUNT,
            ),
        ],
    )
    .await?;
    super::db::resend_verification(p, &email, crate::i18n::current_lang()).await?;
    Ok(crate::ui::form::finish("/register/sent"))
}

/// Sends a reset link; answers the same whether or not the address is known.
#[server(prefix = "/api", endpoint = "accounts/forgot-password")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    use super::validate::{email_is_valid, normalise_email};
    use crate::auth::{Action, Cx};
    use crate::i18n::Msg;
    use crate::platform::client_ip;
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let normalised = normalise_email(&email);
    if !email_is_valid(&normalised) {
        return Err(AppError::field("email", Msg::FieldEmailInvalid));
    }
    let p = &cx.p;
    server::limit(
        p,
        &[
            (&format!("link:ip:{}", client_ip()), server::LINK_PER_IP),
            (&format!("link:acct:{normalised}"), server::LINK_PER_ACCOUNT),
        ],
    )
    .await?;
    super::db::request_password_reset(p, &email, crate::i18n::current_lang()).await?;
    Ok(crate::ui::form::finish("/forgot-password?status=sent"))
}

#[server(prefix = "/api", endpoint = "accounts/reset-password")]
pub async fn reset_password(secret: String, password: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    super::db::reset_password(p, &secret, &password).await?;
    Ok(crate::ui::form::finish("/sign-in?status=password-reset"))
}

/// Opens an e-mail verification link (from the page the link points to).
#[server(prefix = "/api", endpoint = "accounts/verify-email")]
pub async fn verify_email(secret: String) -> Result<(), AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    super::db::verify_email(p, &secret).await?;
    Ok(())
}

/// Opens an e-mail change link.
#[server(prefix = "/api", endpoint = "accounts/confirm-email")]
pub async fn confirm_email_change(secret: String) -> Result<(), AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::UseAccountForms)?;
    let p = &cx.p;
    super::db::confirm_email_change(p, &secret).await?;
    Ok(())
}

/// The signed-in user for the page header, or `None`.
#[server(prefix = "/api", endpoint = "accounts/me")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    // Anonymous visitors have no account to show: for them the answer is "nobody".
    let (Some(user), Ok(_)) = (cx.actor.user, cx.require(&Action::ManageOwnAccount)) else {
        return Ok(None);
    };
    let p = &cx.p;
    Ok(super::profiles::me(p, user).await?)
}

/// Another user's profile (S17): signed-in users only, never the e-mail address. Missing,
/// hidden and deactivated profiles all answer "not found".
#[server(prefix = "/api", endpoint = "accounts/profile")]
pub async fn profile(user: i64) -> Result<PublicProfile, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.signed_in()?;
    let p = &cx.p;
    let found = super::profiles::public_profile(p, user).await?;
    cx.require(&Action::ViewProfile {
        owner: user,
        visible: found.is_some(),
    })?;
    found.ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "accounts/settings")]
pub async fn own_settings() -> Result<AccountSettings, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let p = &cx.p;
    super::profiles::settings(p, cx.signed_in()?)
        .await?
        .ok_or(AppError::SignInRequired)
}

/// Rectification of the own profile (S22).
#[server(prefix = "/api", endpoint = "accounts/profile-edit")]
pub async fn update_profile(form: ProfileEdit) -> Result<String, AppError> {
    use super::profiles::UpdateError;
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let user = cx.signed_in()?;
    cx.require(&Action::EditProfile { owner: user })?;
    let p = &cx.p;
    match super::profiles::update(p, user, &form).await {
        Ok(()) => Ok(crate::ui::form::finish("/settings/profile?status=saved")),
        Err(UpdateError::Invalid(list)) => Err(AppError::Invalid(list)),
        Err(UpdateError::Db(e)) => Err(e.into()),
    }
}

#[server(prefix = "/api", endpoint = "accounts/change-email")]
pub async fn change_email(email: String, current_password: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let p = &cx.p;
    let user = cx.signed_in()?;
    server::limit(p, &[(&format!("link:user:{user}"), server::LINK_PER_ACCOUNT)]).await?;
    super::db::request_email_change(p, user, &email, &current_password, crate::i18n::current_lang()).await?;
    Ok(crate::ui::form::finish("/settings?status=email-sent"))
}

#[server(prefix = "/api", endpoint = "accounts/change-password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx, session::presented_secret};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let p = &cx.p;
    let user = cx.signed_in()?;
    server::limit(
        p,
        &[(&format!("password:user:{user}"), server::SIGN_IN_PER_ACCOUNT)],
    )
    .await?;
    super::db::change_password(
        p,
        user,
        &current_password,
        &new_password,
        presented_secret().as_deref(),
    )
    .await?;
    Ok(crate::ui::form::finish("/settings?status=password-changed"))
}

/// Newsletter consent (S9/T5), recorded with its time.
#[server(prefix = "/api", endpoint = "accounts/newsletter")]
pub async fn set_newsletter(#[server(default)] newsletter: Option<String>) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    server::allowed(&cx, Action::ManageOwnAccount)?;
    let p = &cx.p;
    super::profiles::set_newsletter(p, cx.signed_in()?, newsletter.is_some()).await?;
    Ok(crate::ui::form::finish("/settings?status=saved"))
}
