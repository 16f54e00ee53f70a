//! Cross-site request forgery protection for every state-changing request: a
//! POST/PUT/PATCH/DELETE must say where it comes from (`Origin`, else `Referer`), and that
//! must be this site, whether or not it carries cookies (sign-in and registration forms
//! are posted before there is a session).
use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..].find('/').map_or(url.len(), |i| scheme_end + i);
    Some(&url[..host_end])
}

/// Whether the request's stated origin is this site: the request's own `Host`, or the
/// configured public URL (behind a proxy the two may differ).
pub fn same_site(headers: &HeaderMap, public_url: &str) -> bool {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    let Some(claimed) = get(header::ORIGIN)
        .filter(|o| *o != "null")
        .or_else(|| get(header::REFERER).and_then(origin_of))
    else {
        return false;
    };
    let host = get(header::HOST).unwrap_or("");
    let host_match = origin_of(claimed)
        .and_then(|o| o.split_once("://"))
        .is_some_and(|(_, h)| h == host);
    host_match || origin_of(public_url) == Some(claimed)
}

/// `/api/v1` and below.
pub fn is_api_v1(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

pub async fn protect(public_url: String, req: Request<Body>, next: Next) -> Response {
    // The JSON API takes no authority from cookies (only `Authorization: Bearer`, which a
    // cross-site page cannot make a browser send), so there is nothing to forge.
    if is_api_v1(req.uri().path()) {
        return next.run(req).await;
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Also without cookies: another site must not sign a visitor in to an account of its
    // choosing (login CSRF), register one, or post any pre-session form in their name.
    if unsafe_method && !same_site(req.headers(), &public_url) {
        tracing::warn!(path = %req.uri().path(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn only_the_json_api_is_exempt() {
        assert!(is_api_v1("/api/v1/listings"));
        assert!(is_api_v1("/api/v1"));
        assert!(!is_api_v1("/api/v1x/listings"));
        assert!(!is_api_v1("/api/api-tokens/create"));
        assert!(!is_api_v1("/api/organisations/update"));
    }

    #[test]
    fn same_origin_passes_cross_origin_fails() {
        let public = "https://agora.example";
        assert!(same_site(
            &headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]),
            public
        ));
        assert!(same_site(
            &headers(&[("host", "internal:8080"), ("origin", "https://agora.example")]),
            public
        ));
        assert!(same_site(
            &headers(&[
                ("host", "agora.example"),
                ("referer", "https://agora.example/courses?x")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[("host", "agora.example"), ("origin", "https://evil.example")]),
            public
        ));
        assert!(!same_site(
            &headers(&[
                ("host", "agora.example"),
                ("origin", "https://agora.example.evil.example")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[("host", "agora.example"), ("origin", "null")]),
            public
        ));
        assert!(!same_site(&headers(&[("host", "agora.example")]), public));
    }
}
