//! User text is cleaned where it enters (issue 13): every value of a server function's
//! form body and of a query string goes through [`app::platform::text::clean`] before any
//! handler sees it, so no NUL, escape sequence or direction override is ever stored, and a
//! new form cannot forget it. A path whose decoded form holds a control character names
//! nothing that can exist and is answered 400.
use app::platform::text::clean;
use axum::{
    body::{Body, to_bytes},
    http::{HeaderValue, Request, StatusCode, Uri, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

fn is_form(req: &Request<Body>) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

/// The pairs again, each value cleaned; `None` when nothing changed.
fn cleaned(encoded: &[u8]) -> Option<String> {
    let mut changed = false;
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(encoded) {
        let c = clean(&v);
        changed |= c != v;
        out.append_pair(&k, &c);
    }
    changed.then(|| out.finish())
}

fn decoded_path_has_control(path: &str) -> bool {
    let b = path.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < b.len() {
        let byte = if b[i] == b'%' && i + 2 < b.len() {
            match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    i += 2;
                    h * 16 + l
                }
                _ => b[i],
            }
        } else {
            b[i]
        };
        if byte < 0x20 || byte == 0x7f {
            return true;
        }
        i += 1;
    }
    false
}

pub async fn clean_text(req: Request<Body>, max_body: usize, next: Next) -> Response {
    if decoded_path_has_control(req.uri().path()) {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let (mut parts, body) = req.into_parts();
    if let Some(query) = parts.uri.query()
        && let Some(q) = cleaned(query.as_bytes())
    {
        let pq = format!("{}?{q}", parts.uri.path());
        let mut uri = parts.uri.clone().into_parts();
        uri.path_and_query = pq.parse().ok();
        if let Ok(u) = Uri::from_parts(uri) {
            parts.uri = u;
        }
    }
    let req = Request::from_parts(parts, body);
    if !(path_is_server_fn(req.uri().path()) && is_form(&req)) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, max_body).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "too large").into_response();
    };
    let body = match cleaned(&bytes) {
        Some(text) => {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
            Body::from(text)
        }
        None => Body::from(bytes),
    };
    next.run(Request::from_parts(parts, body)).await
}

fn path_is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !super::csrf::is_api_v1(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_and_the_rest_kept() {
        assert_eq!(cleaned(b"form%5Bname%5D=Anna&run=3"), None);
        assert_eq!(
            cleaned(b"form%5Bname%5D=An%00na%E2%80%AE&body=a%0D%0Ab").as_deref(),
            Some("form%5Bname%5D=Anna&body=a%0Ab")
        );
    }

    #[test]
    fn encoded_controls_in_paths_are_found() {
        assert!(decoded_path_has_control("/courses/a%00b"));
        assert!(decoded_path_has_control("/courses/a%0a"));
        assert!(decoded_path_has_control("/x%7F"));
        assert!(!decoded_path_has_control("/courses/l%C3%A6ring"));
        assert!(!decoded_path_has_control("/courses/100%"));
        assert!(!decoded_path_has_control("/courses/a%2"));
    }
}
