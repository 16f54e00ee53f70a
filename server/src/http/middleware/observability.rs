//! Structured request logs: request id, method, path, status, latency. Only the path is
//! logged, never the query string or headers, which may carry tokens or personal data.
use axum::{body::Body, http::Request};
use std::time::Duration;
use tower_http::{
    request_id::{MakeRequestId, RequestId},
    trace::{MakeSpan, OnResponse},
};
use tracing::Span;

#[derive(Clone, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id: u64 = rand::random();
        format!("{id:016x}").parse().ok().map(RequestId::new)
    }
}

#[derive(Clone)]
pub struct RequestSpan;

impl MakeSpan<Body> for RequestSpan {
    fn make_span(&mut self, req: &Request<Body>) -> Span {
        let id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
    }
}

#[derive(Clone)]
pub struct LogResponse;

impl<B> OnResponse<B> for LogResponse {
    fn on_response(self, res: &axum::http::Response<B>, latency: Duration, _: &Span) {
        let status = res.status().as_u16();
        let latency_ms = latency.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(status, latency_ms, "response");
        } else {
            tracing::info!(status, latency_ms, "response");
        }
    }
}

pub fn init_logging(format: crate::config::LogFormat) {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        crate::config::LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        crate::config::LogFormat::Text => builder.try_init(),
    };
}
