//! Errors raised below the application (body too large, malformed requests) get a short
//! page in the visitor's language instead of a bare status line.
use app::i18n::{Lang, Msg, from_headers};
use axum::{
    body::Body,
    http::{HeaderValue, Request, StatusCode, header},
    middleware::Next,
    response::Response,
};

/// A short page for answers made outside the Leptos pages: a heading, an optional
/// paragraph and links (`href`, text). Everything is escaped.
pub fn page(lang: Lang, title: &str, text: Option<&str>, links: &[(&str, &str)]) -> String {
    let text = text.map(|t| format!("<p>{}</p>", escape(t))).unwrap_or_default();
    let links: String = links
        .iter()
        .map(|(href, label)| format!("<p><a href=\"{}\">{}</a></p>", escape(href), escape(label)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/agora.css\"></head><body><main class=\"wrap page\">\
         <h1>{}</h1>{text}{links}</main></body></html>",
        lang.code(),
        escape(title),
        escape(title),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn message(status: StatusCode) -> Option<Msg> {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => Some(Msg::ErrorTooLarge),
        StatusCode::BAD_REQUEST => Some(Msg::ErrorBadRequest),
        StatusCode::SERVICE_UNAVAILABLE => Some(Msg::ErrorUnavailable),
        StatusCode::TOO_MANY_REQUESTS => Some(Msg::ErrorTooMany),
        _ => None,
    }
}

pub async fn localise(req: Request<Body>, next: Next) -> Response {
    let lang = from_headers(req.headers());
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    let res = next.run(req).await;
    let is_plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    let Some(msg) = message(res.status()).filter(|_| is_plain) else {
        return res;
    };
    let status = res.status();
    let text = lang.t(msg);
    let (ct, body) = if wants_json {
        (
            "application/json",
            serde_json::json!({ "error": status.as_u16(), "message": text }).to_string(),
        )
    } else {
        (
            "text/html; charset=utf-8",
            page(lang, text, None, &[("/", lang.t(Msg::NotfoundHome))]),
        )
    };
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let mut out = Response::new(Body::from(body));
    *out.status_mut() = status;
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    out
}
