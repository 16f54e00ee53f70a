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
    respond(
        app::ui::redirect::same_site_path(location).unwrap_or("/"),
        cookies,
    )
}

/// 303 to a sign-in provider's authorization endpoint: the one redirect off the site,
/// whose target is built from the server's configuration (the provider's discovered
/// endpoint and our own parameters), never from the request.
pub fn to_provider(authorize_url: &str, cookies: &[String]) -> Response {
    respond(authorize_url, cookies)
}

fn respond(target: &str, cookies: &[String]) -> Response {
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
