//! The redirects of a sign-in with another account (S6): `/auth/<provider>/start`,
//! `/auth/<provider>/callback` and the e-mail proof link `/link-account/<proof>`. All are
//! GETs (the provider sends the browser back with one), so they need no CSRF token: the
//! callback is bound to the browser by `state` and the flow cookie. The rules live in
//! `app::identities::flow`; this is the HTTP around them.
use crate::http::redirect::{see_other, to_provider};
use crate::http::state::AppState;
use app::auth::sessions;
use app::auth::{Action, Actor, require};
use app::i18n::cookie_value;
use app::identities::flow::{
    self, CallbackQuery, FLOW_COOKIE, LinkError, Linked, Notice, SETTINGS_PATH, StartError,
};
use app::platform::{
    Platform,
    rate_limit::{Limited, Rule},
};
use app::ui::redirect::encode_path;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/{provider}/start", get(start))
        .route("/auth/{provider}/callback", get(callback))
        .route("/link-account/{proof}", get(confirm_link))
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, name).map(str::to_string))
        .filter(|s| !s.is_empty())
}

async fn session_user(p: &Platform, headers: &HeaderMap) -> Option<i64> {
    let secret = cookie(headers, sessions::COOKIE)?;
    sessions::user_for(&p.db, &secret, p.clock.now_ms()).await.ok()?
}

fn actor(user: Option<i64>) -> Actor {
    Actor {
        user,
        ..Default::default()
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "sign-in with provider failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
    /// Set when a signed-in user links another account from their settings.
    link: Option<String>,
}

/// `GET /auth/<provider>/start?next=/path` (or `?link=1`): to the provider.
pub async fn start(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(q): Query<StartQuery>,
    client: Option<axum::Extension<app::platform::ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let p = &state.platform;
    // Each start stores a flow row: a client starting sign-ins by the hundred is refused.
    let ip = client.map_or_else(|| "unknown".to_string(), |c| c.0.0.clone());
    match p
        .limits
        .hit(&format!("oauth:ip:{ip}"), START_PER_IP, p.clock.now_ms())
        .await
    {
        Ok(()) => {}
        Err(Limited::Wait(secs)) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, secs.to_string())],
            )
                .into_response();
        }
        Err(Limited::Db(e)) => return internal(e),
    }
    let user = session_user(p, &headers).await;
    let (link_user, next) = if q.link.is_some() {
        let Some(me) = user else {
            return see_other(&format!("/sign-in?next={}", encode_path(SETTINGS_PATH)), &[]);
        };
        if require(&actor(user), &Action::ManageSignInMethods { owner: me }).is_err() {
            return StatusCode::NOT_FOUND.into_response();
        }
        (Some(me), Some(SETTINGS_PATH))
    } else {
        if require(&actor(user), &Action::SignInWithProvider).is_err() {
            return StatusCode::NOT_FOUND.into_response();
        }
        (None, q.next.as_deref())
    };
    match flow::start(p, &state.areas.providers, &provider, next, link_user).await {
        Ok(s) => to_provider(&s.location, &[s.cookie]),
        Err(StartError::UnknownProvider) => StatusCode::NOT_FOUND.into_response(),
        Err(StartError::Provider(e)) => {
            tracing::warn!(provider, error = %e, "cannot start sign-in with provider");
            see_other(&Notice::Provider.url(), &[])
        }
        Err(StartError::Db(e)) => internal(e),
    }
}

const START_PER_IP: Rule = Rule::per_minutes(30, 10);

/// `GET /auth/<provider>/callback?code=…&state=…` (or `?error=…`): back from the provider.
pub async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let p = &state.platform;
    let secure = p.secure_cookies();
    let user = session_user(p, &headers).await;
    let flow_secret = cookie(&headers, FLOW_COOKIE);
    let result = match flow::callback(
        p,
        &state.areas.providers,
        &provider,
        &q,
        flow_secret.as_deref(),
        user,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return internal(e),
    };
    let mut cookies = vec![match &result.flow {
        Some(secret) => flow::set_flow_cookie(secret, secure, flow::COMPLETE_LIFETIME_MS),
        None => flow::clear_flow_cookie(secure),
    }];
    if let Some(user) = result.sign_in {
        // Rotation: whatever session the browser had ends here.
        let presented = cookie(&headers, sessions::COOKIE);
        match sessions::create(&p.db, user, presented.as_deref(), p.clock.now_ms()).await {
            Ok(secret) => cookies.push(sessions::set_cookie(&secret, secure)),
            Err(e) => return internal(e),
        }
    }
    see_other(&result.location, &cookies)
}

/// `GET /link-account/<proof>`: the one-time e-mail link proving ownership of the account
/// a provider account is to be linked to. Works only in the browser holding that sign-in.
pub async fn confirm_link(
    State(state): State<AppState>,
    Path(proof): Path<String>,
    headers: HeaderMap,
) -> Response {
    let p = &state.platform;
    let secure = p.secure_cookies();
    let pending = match flow::pending(p, cookie(&headers, FLOW_COOKIE).as_deref()).await {
        Ok(pending) => pending,
        Err(e) => return internal(e),
    };
    let holds_flow = pending.as_ref().is_some_and(|x| x.match_user.is_some());
    let user = session_user(p, &headers).await;
    if require(&actor(user), &Action::ContinueProviderSignIn { holds_flow }).is_err() {
        return see_other(&Notice::LinkInvalid.url(), &[]);
    }
    let Some(pending) = pending else {
        return see_other(&Notice::LinkInvalid.url(), &[]);
    };
    match flow::confirm_proof(p, pending, &proof).await {
        Ok(Linked::SignedIn { user, next }) => {
            let presented = cookie(&headers, sessions::COOKIE);
            match sessions::create(&p.db, user, presented.as_deref(), p.clock.now_ms()).await {
                Ok(secret) => see_other(
                    &next,
                    &[
                        sessions::set_cookie(&secret, secure),
                        flow::clear_flow_cookie(secure),
                    ],
                ),
                Err(e) => internal(e),
            }
        }
        Ok(Linked::Notice(n)) => see_other(&n.url(), &[flow::clear_flow_cookie(secure)]),
        Err(LinkError::Taken) => see_other(&Notice::Taken.url(), &[flow::clear_flow_cookie(secure)]),
        Err(LinkError::Db(e)) => internal(e),
        Err(_) => see_other(&Notice::LinkInvalid.url(), &[]),
    }
}
