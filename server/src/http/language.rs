//! `/lang/<code>?next=/path`: remembers the chosen interface language in a cookie and
//! returns to the page the visitor was on (a path on this site only, see
//! [`app::ui::redirect`]).
use app::i18n::{LANG_COOKIE, Lang};
use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

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
    super::redirect::see_other(q.next.as_deref().unwrap_or("/"), &[cookie])
}
