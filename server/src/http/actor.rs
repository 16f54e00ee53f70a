//! The actor behind a plain axum request (routes that are not Leptos pages or server
//! functions): the user of a live `agora_session` cookie with their roles, or anonymous.
//! The same lookup as `app::auth::session::current_actor`.
use super::state::AppState;
use app::auth::Actor;
use app::auth::{session::load_actor, sessions};
use app::i18n::cookie_value;
use axum::{extract::FromRequestParts, http::request::Parts};
use std::convert::Infallible;

/// Extracts the [`Actor`]; never fails (a broken or expired session is anonymous).
pub struct CurrentActor(pub Actor);

impl FromRequestParts<AppState> for CurrentActor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(CurrentActor(actor_for(&parts.headers, state).await))
    }
}

pub async fn actor_for(headers: &axum::http::HeaderMap, state: &AppState) -> Actor {
    let Some(secret) = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, sessions::COOKIE))
        .filter(|s| !s.is_empty())
    else {
        return Actor::anonymous();
    };
    let p = &state.platform;
    match sessions::user_for(&p.db, secret, p.clock.now_ms()).await {
        Ok(Some(user)) => load_actor(p, user).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "could not load the signed-in user's roles");
            Actor::anonymous()
        }),
        Ok(None) => Actor::anonymous(),
        Err(e) => {
            tracing::error!(error = %e, "could not look up a session");
            Actor::anonymous()
        }
    }
}
