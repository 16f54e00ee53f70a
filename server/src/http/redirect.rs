//! 303 redirects of the plain axum routes. Every target goes through
//! [`app::ui::redirect::same_site_path`], the rule the pages and server functions use, so a
//! target that came from a request can never send the browser to another site.
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// 303 to `location` (the home page if it is not a path on this site), setting `cookies`;
/// never cached.
pub fn see_other(location: &str, cookies: &[String]) -> Response {
    to(
        app::ui::redirect::same_site_path(location).unwrap_or("/"),
        cookies,
    )
}

/// 303 to an identity provider's authorization endpoint: the one redirect that leaves the
/// site. Its target comes from the provider's configuration (or discovery document) with
/// the query `identities::flow::start` builds, never from the request.
pub fn see_other_to_provider(authorize_url: &str, cookies: &[String]) -> Response {
    to(authorize_url, cookies)
}

fn to(target: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(l) = HeaderValue::from_str(target) {
        h.insert(header::LOCATION, l);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}
