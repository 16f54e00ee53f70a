//! Server functions answer every error with status 500; this gives the refusals that are
//! the caller's doing their proper status (422 bad input, 401 sign-in needed, 404, 429 with
//! `Retry-After`), so logs and monitoring count only real failures as server errors.
//! Plain form posts are redirects and pass through untouched.
use app::error::AppError;
use axum::{
    body::{Body, to_bytes},
    http::{HeaderValue, Request, StatusCode, header},
    middleware::Next,
    response::Response,
};

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::SignInRequired => StatusCode::UNAUTHORIZED,
        AppError::Invalid(_) | AppError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal | AppError::ServerFn(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub async fn refine(req: Request<Body>, next: Next) -> Response {
    // Server functions only: /api/v1 answers with its own JSON errors and statuses.
    if !req.uri().path().starts_with("/api/") || super::csrf::is_api_v1(req.uri().path()) {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&e);
        if let AppError::TooManyAttempts(secs) = e {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
