//! `/lang/<code>?next=/path`: remembers the chosen interface language in a cookie and
//! returns to the page the visitor was on (a path on this site only, see
//! [`app::ui::redirect`]).
use crate::http::{redirect::see_other, state::AppState};
use app::i18n::{LANG_COOKIE, Lang};
use axum::{
    Router,
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/lang/{code}", get(set_language))
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn set_language(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    see_other(q.next.as_deref().unwrap_or("/"), &[cookie])
}
