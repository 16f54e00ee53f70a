//! For search engines (S18): `robots.txt` and `sitemap.xml` with the public pages.
use crate::http::state::AppState;
use app::auth::{Action, Actor, require};
use axum::{
    Router,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// The sitemap protocol allows 50,000 URLs per file.
const MAX_URLS: i64 = 49_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
}

fn base(state: &AppState) -> String {
    state.settings.public_url().trim_end_matches('/').to_string()
}

pub async fn robots(State(state): State<AppState>) -> Response {
    if require(&Actor::anonymous(), &Action::ViewPublic).is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let text = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /settings\nDisallow: /admin/\nDisallow: /auth/\n\
         Sitemap: {}/sitemap.xml\n",
        base(&state)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    if require(&Actor::anonymous(), &Action::ViewPublic).is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let slugs: Result<Vec<String>, _> =
        sqlx::query_scalar("SELECT slug FROM organisations ORDER BY slug LIMIT $1")
            .bind(MAX_URLS)
            .fetch_all(&state.platform.db.pool)
            .await;
    let Ok(slugs) = slugs else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    // Published, unexpired catalogue listings (S7, S18), within what is left of the file.
    let today = state.platform.clock.today();
    let listings =
        app::catalogue::db::public_slugs(&state.platform.db, &today, MAX_URLS - slugs.len() as i64).await;
    let Ok(listings) = listings else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let base = base(&state);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let paths = [
        "/",
        "/courses",
        "/organisations",
        "/catalogue",
        "/catalogue/courses",
        "/catalogue/mobility",
        "/catalogue/partnerships",
    ]
    .into_iter()
    .map(String::from)
    .chain(slugs.iter().map(|s| format!("/organisations/{s}")))
    .chain(listings.iter().map(|(s, _)| format!("/catalogue/{s}")));
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
