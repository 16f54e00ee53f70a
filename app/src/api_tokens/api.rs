//! Server functions of the API-token page (#6, S2): only the organisation's admins and
//! platform admins; anyone else gets the same "not found" as for a missing organisation.
//!
//! The secret of a new token is shown exactly once: the create function hands it to the
//! browser in a short-lived HttpOnly cookie scoped to the page's path, and the page's data
//! function reads it, checks it is a live token of that organisation, and deletes the
//! cookie in the same response. This works the same with and without JavaScript and never
//! puts the secret in a URL.
use super::model::ApiTokenList;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::api_tokens::db::TokenError;
    use crate::auth::{Action, Cx};
    use crate::error::AppError;
    use crate::organisations::db::{self as orgs, OrgRow};
    use crate::platform::Platform;
    use leptos::prelude::use_context;

    pub const FLASH_COOKIE: &str = "agora_new_api_token";
    /// Long enough for the redirect to the page, short enough not to linger unseen.
    const FLASH_SECS: i64 = 300;

    impl From<TokenError> for AppError {
        fn from(e: TokenError) -> Self {
            match e {
                TokenError::Invalid(list) => AppError::Invalid(list),
                TokenError::NotFound => AppError::NotFound,
                TokenError::Db(e) => e.into(),
            }
        }
    }

    /// The organisation and the signed-in user, if the user may manage its tokens.
    pub async fn managed(cx: &Cx, slug: &str) -> Result<(OrgRow, i64), AppError> {
        let user = cx.signed_in()?;
        let org = orgs::by_slug(&cx.p.db, slug).await?.ok_or(AppError::NotFound)?;
        cx.require(&Action::ManageApiTokens { org: org.id })?;
        Ok((org, user))
    }

    pub fn page_path(slug: &str) -> String {
        format!("/organisations/{slug}/api-tokens")
    }

    pub fn flash_cookie(p: &Platform, slug: &str, secret: &str, max_age: i64) -> String {
        format!(
            "{FLASH_COOKIE}={secret}; Path={}; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
            page_path(slug),
            if p.secure_cookies() { "; Secure" } else { "" }
        )
    }

    pub fn set_flash(p: &Platform, slug: &str, secret: &str) {
        append_cookie(flash_cookie(p, slug, secret, FLASH_SECS));
    }

    /// The secret the browser brought back, if any; the cookie is deleted either way.
    pub fn take_flash(p: &Platform, slug: &str) -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let secret = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| crate::i18n::cookie_value(c, FLASH_COOKIE).map(str::to_string))
            .filter(|s| !s.is_empty())?;
        append_cookie(flash_cookie(p, slug, "", 0));
        Some(secret)
    }

    fn append_cookie(value: String) {
        if let (Some(res), Ok(v)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&value),
        ) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }
}

/// The page's data: the organisation's tokens, and the secret of the one just created.
#[server(prefix = "/api", endpoint = "api-tokens/list")]
pub async fn api_tokens_of(slug: String) -> Result<ApiTokenList, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (org, _) = server::managed(&cx, &slug).await?;
    let p = &cx.p;
    let new_secret = match server::take_flash(p, &org.slug) {
        Some(secret) if super::db::is_live_token_of(&p.db, org.id, &secret).await? => Some(secret),
        _ => None,
    };
    Ok(ApiTokenList {
        tokens: super::db::list(&p.db, org.id).await?,
        slug: org.slug,
        org_name: org.form.name,
        new_secret,
    })
}

/// Creates a token; the next view of the page shows its secret, once.
#[server(prefix = "/api", endpoint = "api-tokens/create")]
pub async fn create_api_token(slug: String, name: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (org, user) = server::managed(&cx, &slug).await?;
    let p = &cx.p;
    let secret = super::db::create(p, org.id, user, &name).await?;
    server::set_flash(p, &org.slug, &secret);
    Ok(crate::ui::form::finish(&format!(
        "{}?status=created",
        server::page_path(&org.slug)
    )))
}

/// Revokes a token at once: the next API request with it is refused.
#[server(prefix = "/api", endpoint = "api-tokens/revoke")]
pub async fn revoke_api_token(slug: String, id: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (org, user) = server::managed(&cx, &slug).await?;
    let p = &cx.p;
    super::db::revoke(p, org.id, id, user).await?;
    Ok(crate::ui::form::finish(&format!(
        "{}?status=revoked",
        server::page_path(&org.slug)
    )))
}
