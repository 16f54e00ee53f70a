//! The actor behind the current request: the signed-in user of a live session cookie, with
//! their roles, or anonymous.
use super::Actor;
use crate::accounts::{db::load_actor, sessions};
use crate::i18n::cookie_value;
use leptos::prelude::*;

/// The session secret the browser presented, if any.
pub fn presented_secret() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, sessions::COOKIE).map(str::to_string))
        .filter(|s| !s.is_empty())
}

pub async fn current_actor() -> Actor {
    if let Some(actor) = use_context::<Actor>() {
        return actor;
    }
    let actor = resolve().await.unwrap_or_default();
    provide_context(actor.clone());
    actor
}

async fn resolve() -> Option<Actor> {
    let secret = presented_secret()?;
    let p = crate::platform::platform().ok()?;
    let user = sessions::user_for(&p.db, &secret, p.clock.now_ms())
        .await
        .ok()??;
    load_actor(&p, user).await.ok()
}
