//! CSV exports of a run for its staff (S12): `GET /courses/{slug}/runs/{run}/progress.csv`
//! (the progress table with the dashboard's filters, every page) and
//! `/participants.csv` (everyone ever in the run). The data and the permission check are
//! `app::courses::staff`'s, shared with the dashboard. A refusal, a run of another course and
//! a missing run are one bare 404; anonymous visitors are sent to sign in, as on the pages.
use crate::http::{actor::CurrentActor, state::AppState};
use app::courses::staff::{api::server::export, model::ProgressQuery};
use app::error::AppError;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/courses/{slug}/runs/{run}/progress.csv",
            get(|s, a, p, q, h| csv(s, a, p, q, h, "progress")),
        )
        .route(
            "/courses/{slug}/runs/{run}/participants.csv",
            get(|s, a, p, q, h| csv(s, a, p, q, h, "participants")),
        )
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")]).into_response()
}

async fn csv(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Path((slug, run)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    what: &'static str,
) -> Response {
    let Ok(run) = run.parse::<i64>() else {
        return not_found();
    };
    if !actor.is_signed_in() {
        let here = format!("/courses/{slug}/runs/{run}/{what}.csv");
        return Redirect::to(&format!(
            "/sign-in?next={}",
            app::ui::redirect::encode_path(&here)
        ))
        .into_response();
    }
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = ProgressQuery {
        q: get("q"),
        state: get("state"),
        module: get("module"),
        enrolment: get("enrolment"),
        sort: get("sort"),
        page: 1,
    };
    let lang = app::i18n::from_headers(&headers);
    match export(&state.platform, &actor, &slug, run, what, query, lang).await {
        Ok((name, text)) => {
            let disposition = format!("attachment; filename=\"{name}\"");
            let mut res = text.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(AppError::NotFound) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "could not export a run");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
