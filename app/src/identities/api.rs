//! Server functions of sign-in with other accounts (S6). Each one asks
//! `auth::permissions` first; the flow rules live in `flow`, the queries in `db`.
use super::model::{PendingSignIn, ProviderInfo, SignInMethods};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::session::presented_secret;
    use crate::auth::sessions;
    use crate::error::AppError;
    use crate::i18n::cookie_value;
    use crate::identities::flow::{self, FLOW_COOKIE, Pending};
    use crate::platform::Platform;
    use leptos::prelude::*;

    /// The configured sign-in providers (the server provides them beside the platform).
    pub fn providers() -> Result<std::sync::Arc<crate::identities::providers::Providers>, AppError> {
        crate::auth::config()
    }

    /// The secret of the sign-in in progress in this browser.
    pub fn flow_secret() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| cookie_value(c, FLOW_COOKIE).map(str::to_string))
            .filter(|s| !s.is_empty())
    }

    pub async fn pending(p: &Platform) -> Result<Option<Pending>, AppError> {
        Ok(flow::pending(p, flow_secret().as_deref()).await?)
    }

    pub fn append_cookie(value: &str) {
        if let (Some(res), Ok(v)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(value),
        ) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }

    /// Signs the browser in as `user`: a new session replacing any it had (rotation), and
    /// the finished sign-in's cookie removed.
    pub async fn start_session(p: &Platform, user: i64) -> Result<(), AppError> {
        let secret = sessions::create(&p.db, user, presented_secret().as_deref(), p.clock.now_ms()).await?;
        append_cookie(&sessions::set_cookie(&secret, p.secure_cookies()));
        append_cookie(&flow::clear_flow_cookie(p.secure_cookies()));
        Ok(())
    }

    pub fn end_flow(p: &Platform) {
        append_cookie(&flow::clear_flow_cookie(p.secure_cookies()));
    }
}

/// The configured providers, for "Continue with …" buttons.
#[server(endpoint = "identities/providers")]
pub async fn sign_in_providers() -> Result<Vec<ProviderInfo>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::SignInWithProvider)?;
    Ok(ssr::providers()?.list())
}

/// The sign-in waiting in this browser for `/welcome` or `/link-account`.
#[server(endpoint = "identities/pending")]
pub async fn load_pending_sign_in() -> Result<PendingSignIn, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let p = &cx.p;
    let pending = ssr::pending(p).await?;
    cx.require(&Action::ContinueProviderSignIn {
        holds_flow: pending.is_some(),
    })?;
    let pending = pending.ok_or(AppError::NotFound)?;
    Ok(PendingSignIn {
        provider_name: ssr::providers()?.name(&pending.provider),
        needs_first_name: pending.profile.first_name.is_empty(),
        needs_last_name: pending.profile.last_name.is_empty(),
        email: pending.profile.email,
        link_required: pending.match_user.is_some(),
        proof_sent: pending.proof_sent,
    })
}

/// `/welcome`: creates the account for a new identity with what the provider did not give.
#[server(endpoint = "identities/complete")]
pub async fn complete_account(
    #[server(default)] user_type: String,
    #[server(default)] country: String,
    #[server(default)] email: String,
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
    #[server(default)] newsletter: bool,
) -> Result<(), AppError> {
    use super::flow::{self, CompleteError, Completed, Completion, Notice};
    use crate::auth::{Action, Cx};
    use crate::i18n::{Msg, current_lang};
    let cx = Cx::get().await?;
    let p = &cx.p;
    let pending = ssr::pending(p).await?;
    cx.require(&Action::ContinueProviderSignIn {
        holds_flow: pending.is_some(),
    })?;
    let pending = pending.ok_or(AppError::NotFound)?;
    let form = Completion {
        user_type,
        country,
        email,
        first_name,
        last_name,
        newsletter,
    };
    match flow::complete_account(p, &*ssr::providers()?, pending, &form, current_lang()).await {
        Ok(Completed::SignedIn { user, next }) => {
            ssr::start_session(p, user).await?;
            leptos_axum::redirect(&next);
        }
        Ok(Completed::VerifySent) => {
            ssr::end_flow(p);
            leptos_axum::redirect(&Notice::VerifySent.url());
        }
        Ok(Completed::LinkRequired) => leptos_axum::redirect("/link-account"),
        Err(CompleteError::Expired) => return Err(AppError::refused(Msg::OidcExpiredText)),
        Err(CompleteError::Invalid(errors)) => return Err(AppError::Invalid(errors)),
        Err(CompleteError::Taken) => return Err(AppError::refused(Msg::OidcTaken)),
        Err(CompleteError::Db(e)) => return Err(e.into()),
    }
    Ok(())
}

/// Answers a proven link: signed in and on to `next`, or a notice.
#[cfg(feature = "ssr")]
async fn linked(
    p: &crate::platform::Platform,
    result: Result<super::flow::Linked, super::flow::LinkError>,
) -> Result<(), AppError> {
    use super::flow::{LinkError, Linked};
    use crate::i18n::Msg;
    match result {
        Ok(Linked::SignedIn { user, next }) => {
            ssr::start_session(p, user).await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        Ok(Linked::Notice(n)) => {
            ssr::end_flow(p);
            leptos_axum::redirect(&n.url());
            Ok(())
        }
        Err(LinkError::Expired) => Err(AppError::refused(Msg::OidcExpiredText)),
        Err(LinkError::WrongPassword) => Err(AppError::refused(Msg::OidcLinkWrongPassword)),
        Err(LinkError::TooManyAttempts) => Err(AppError::refused(Msg::OidcTooMany)),
        Err(LinkError::Taken) => Err(AppError::refused(Msg::OidcTaken)),
        Err(LinkError::Db(e)) => Err(e.into()),
    }
}

/// `/link-account`: proves ownership of the matching account with its password.
#[server(endpoint = "identities/link-password")]
pub async fn link_with_password(#[server(default)] password: String) -> Result<(), AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let p = &cx.p;
    let pending = ssr::pending(p).await?;
    cx.require(&Action::ContinueProviderSignIn {
        holds_flow: pending.as_ref().is_some_and(|x| x.match_user.is_some()),
    })?;
    let pending = pending.ok_or(AppError::NotFound)?;
    let result = super::flow::link_with_password(p, pending, &password).await;
    linked(p, result).await
}

/// `/link-account`: sends the matching account a one-time link that works in this browser.
#[server(endpoint = "identities/link-email")]
pub async fn send_link_proof() -> Result<(), AppError> {
    use super::flow::LinkError;
    use crate::auth::{Action, Cx};
    use crate::i18n::{Msg, current_lang};
    let cx = Cx::get().await?;
    let p = &cx.p;
    let pending = ssr::pending(p).await?;
    cx.require(&Action::ContinueProviderSignIn {
        holds_flow: pending.as_ref().is_some_and(|x| x.match_user.is_some()),
    })?;
    let pending = pending.ok_or(AppError::NotFound)?;
    match super::flow::send_proof(p, &*ssr::providers()?, pending, current_lang()).await {
        Ok(()) => Ok(()),
        Err(LinkError::TooManyAttempts) => Err(AppError::refused(Msg::OidcTooMany)),
        Err(LinkError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::refused(Msg::OidcExpiredText)),
    }
}

/// `/settings/accounts`: the signed-in user's sign-in methods.
#[server(endpoint = "identities/mine")]
pub async fn my_sign_in_methods() -> Result<SignInMethods, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let me = cx.signed_in()?;
    cx.require(&Action::ManageSignInMethods { owner: me })?;
    let p = &cx.p;
    let providers = ssr::providers()?;
    let (has_password, linked) = super::db::sign_in_methods(p, &providers, me).await?;
    let available = providers
        .list()
        .into_iter()
        .filter(|c| !linked.iter().any(|l| l.provider == c.id))
        .collect();
    Ok(SignInMethods {
        has_password,
        linked,
        available,
    })
}

/// `/settings/accounts`: removes a linked identity, unless it is the account's last way in.
#[server(endpoint = "identities/unlink")]
pub async fn unlink_identity(#[server(default)] id: i64) -> Result<(), AppError> {
    use super::db::{Unlinked, identity_owner, unlink};
    use crate::auth::{Action, Cx};
    use crate::i18n::Msg;
    let cx = Cx::get().await?;
    cx.signed_in()?;
    let p = &cx.p;
    // Someone else's identity and a missing one look the same.
    let owner = identity_owner(p, id).await?.ok_or(AppError::NotFound)?;
    cx.require(&Action::ManageSignInMethods { owner })?;
    match unlink(p, owner, id).await? {
        Unlinked::Done => {
            leptos_axum::redirect(&format!("{}?m=unlinked", super::flow::SETTINGS_PATH));
            Ok(())
        }
        Unlinked::LastWayIn => Err(AppError::refused(Msg::OidcUnlinkLast)),
        Unlinked::NotFound => Err(AppError::NotFound),
    }
}
