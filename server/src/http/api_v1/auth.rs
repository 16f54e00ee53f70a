//! Who calls `/api/v1`: an organisation's system with `Authorization: Bearer <token>`, or
//! anyone without one (public reads). Cookies are never looked at, so a browser session
//! grants nothing here (and the API needs no CSRF check). Also the rate limits: per token,
//! and per client address for requests without one.
use super::errors::ApiError;
use crate::http::state::AppState;
use app::api_tokens::db::{self as tokens, TokenOwner};
use app::platform::{
    ClientIp,
    rate_limit::{Limited, Rule},
};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::convert::Infallible;

/// The caller of an API request, as the middleware found it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caller {
    pub token: Option<TokenOwner>,
}

impl Caller {
    /// The organisation whose token this is, for `Action::PublishWithApiToken`.
    pub fn token_org(&self) -> Option<i64> {
        self.token.map(|t| t.organisation_id)
    }

    /// The token, or `unauthorized` (writes need one).
    pub fn require_token(&self) -> Result<TokenOwner, ApiError> {
        self.token.ok_or_else(ApiError::unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<Caller>().copied().unwrap_or_default())
    }
}

/// The secret of `Authorization: Bearer <secret>`: `Ok(None)` without the header, `Err`
/// for any other form of it.
fn bearer(parts: &axum::http::HeaderMap) -> Result<Option<&str>, ()> {
    let Some(value) = parts.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, secret) = value.trim().split_once(' ').ok_or(())?;
    let secret = secret.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || secret.is_empty() {
        return Err(());
    }
    Ok(Some(secret))
}

/// Finds the caller, counts the request against its limit, and hands the [`Caller`] to
/// the handlers. A present but unknown, revoked or malformed token is refused even on
/// public routes (the caller should learn that its token does not work); such attempts
/// count against the client address.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let p = &state.platform;
    let now = p.clock.now_ms();
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.clone());
    let public_rule = Rule::per_minutes(state.settings.api_public_requests_per_minute as usize, 1);
    let ip_key = format!("api:ip:{ip}");
    let owner = match bearer(req.headers()) {
        Ok(None) => None,
        Ok(Some(secret)) => match tokens::authenticate(&p.db, secret, now).await {
            Ok(found) => found,
            Err(e) => return ApiError::internal(e).into_response(),
        },
        Err(()) => {
            return match p.limits.hit(&ip_key, public_rule, now).await {
                Ok(()) => ApiError::unauthorized().into_response(),
                Err(e) => limited(e),
            };
        }
    };
    let (key, rule) = match owner {
        Some(t) => (
            format!("api:token:{}", t.token_id),
            Rule::per_minutes(state.settings.api_token_requests_per_minute as usize, 1),
        ),
        None => (ip_key, public_rule),
    };
    if let Err(e) = p.limits.hit(&key, rule, now).await {
        return limited(e);
    }
    if owner.is_none() && req.headers().contains_key(header::AUTHORIZATION) {
        return ApiError::unauthorized().into_response();
    }
    req.extensions_mut().insert(Caller { token: owner });
    next.run(req).await
}

fn limited(e: Limited) -> Response {
    match e {
        Limited::Wait(secs) => ApiError::rate_limited(secs).into_response(),
        Limited::Db(e) => ApiError::internal(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::bearer;
    use axum::http::HeaderMap;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert("authorization", v.parse().unwrap());
        m
    }

    #[test]
    fn bearer_tokens_only() {
        assert_eq!(bearer(&HeaderMap::new()), Ok(None));
        assert_eq!(bearer(&h("Bearer agora_abc")), Ok(Some("agora_abc")));
        assert_eq!(bearer(&h("bearer  agora_abc ")), Ok(Some("agora_abc")));
        assert_eq!(bearer(&h("Basic dXNlcjpwYXNz")), Err(()));
        assert_eq!(bearer(&h("Bearer")), Err(()));
        assert_eq!(bearer(&h("Bearer ")), Err(()));
    }
}
