//! `/api/v1` (#6): a versioned JSON API for organisations' own systems. Public reads of
//! organisations and the catalogue; listings created, changed and withdrawn with an
//! organisation's API token. Its OpenAPI document (`/api/v1/openapi.json`) is generated
//! from these handlers and types.
//!
//! Every request passes [`auth::authenticate`] (bearer token, rate limits) and
//! [`errors::localise`]; every answer is JSON. Access is decided by
//! `app::auth::permissions` (`Action::PublishWithApiToken`), never here.
pub mod auth;
pub mod errors;
pub mod listings;
pub mod openapi;
pub mod organisations;

use super::state::AppState;
use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
    routing::{get, post, put},
};

pub const PREFIX: &str = "/api/v1";
/// The largest page.
pub const MAX_PER_PAGE: u32 = 100;
pub const DEFAULT_PER_PAGE: u32 = 20;

pub fn routes(state: &AppState) -> Router<AppState> {
    let limit = errors::BodyLimit(state.settings.max_body_bytes);
    let api = Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/organisations", get(organisations::list))
        .route("/organisations/{slug}", get(organisations::show))
        .route(
            "/organisations/{org}/listings/by-external-id/{external_id}",
            put(listings::upsert_by_external_id),
        )
        .route("/listings", get(listings::list).post(listings::create))
        .route("/listings/{slug}", get(listings::show).put(listings::update))
        .route("/listings/{slug}/withdraw", post(listings::withdraw))
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(middleware::from_fn(move |mut req: Request, next: Next| {
            req.extensions_mut().insert(limit);
            next.run(req)
        }))
        .layer(middleware::from_fn(errors::localise))
        .layer(middleware::from_fn(no_store));
    Router::new().nest(PREFIX, api)
}

/// Answers differ by token; nothing of them belongs in a shared cache.
async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// A time as RFC 3339 in UTC, to the second.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        app::platform::clock::date_of_ms(ms),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Which page a list request asks for: `page` from 1, `per_page` up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Paging {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// `Link` (RFC 8288) to the next and previous pages: the request's own query with
    /// `page` and `per_page` replaced.
    pub fn link_header(self, base: &str, path: &str, query: Option<&str>, total: i64) -> Option<HeaderValue> {
        let kept: Vec<&str> = query
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty())
            .filter(|kv| {
                let key = kv.split('=').next().unwrap_or("");
                key != "page" && key != "per_page"
            })
            .collect();
        let url = |page: u32| {
            let mut q = kept.clone();
            let page = format!("page={page}");
            let per_page = format!("per_page={}", self.per_page);
            q.push(&page);
            q.push(&per_page);
            format!("<{base}{path}?{}>", q.join("&"))
        };
        let mut links = Vec::new();
        if self.offset() + self.limit() < total {
            links.push(format!("{}; rel=\"next\"", url(self.page + 1)));
        }
        if self.page > 1 {
            links.push(format!("{}; rel=\"prev\"", url(self.page - 1)));
        }
        (!links.is_empty())
            .then(|| HeaderValue::from_str(&links.join(", ")).ok())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::Paging;

    #[test]
    fn times_in_rfc3339() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_709_210_096_789), "2024-02-29T12:34:56Z");
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(
            Paging::new(None, None),
            Paging {
                page: 1,
                per_page: 20
            }
        );
        let p = Paging::new(Some(0), Some(1000));
        assert_eq!((p.page, p.per_page), (1, 100));
        assert_eq!(Paging::new(Some(3), Some(10)).offset(), 20);
    }

    #[test]
    fn link_header_keeps_the_filters() {
        let p = Paging::new(Some(2), Some(10));
        let h = p
            .link_header(
                "https://a.example",
                "/api/v1/listings",
                Some("kind=course&page=2&per_page=10"),
                35,
            )
            .unwrap();
        assert_eq!(
            h.to_str().unwrap(),
            "<https://a.example/api/v1/listings?kind=course&page=3&per_page=10>; rel=\"next\", \
             <https://a.example/api/v1/listings?kind=course&page=1&per_page=10>; rel=\"prev\""
        );
        assert!(
            Paging::new(Some(1), Some(10))
                .link_header("", "/x", None, 10)
                .is_none()
        );
    }
}
