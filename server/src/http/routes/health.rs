//! `/healthz` and `/readyz`, for the load balancer and the orchestrator.
use crate::http::state::AppState;
use axum::{Router, extract::State, http::StatusCode, routing::get};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.platform.db.ping().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
