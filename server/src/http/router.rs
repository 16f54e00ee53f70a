use super::{
    api_status, api_v1, auth, certificates, client_ip, course_exports, course_files, crawlers, csrf, errors,
    health, input, language, observability, photos, security,
};
use crate::config::Settings;
use crate::startup::{AreaConfig, StartupError, area_config};
use app::{App, platform::Platform, shell};
use axum::{Router, extract::FromRef, middleware, routing::get};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub platform: Platform,
    pub areas: AreaConfig,
    pub settings: Arc<Settings>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Fails only on a configuration mistake, which `open_platform` reports first.
    pub fn new(settings: Settings, platform: Platform) -> Result<Self, StartupError> {
        let areas = area_config(&settings)?;
        let leptos_options = LeptosOptions::builder()
            .output_name(settings.output_name.clone())
            .site_root(settings.site_root.display().to_string())
            .site_pkg_dir(settings.site_pkg_dir.clone())
            .site_addr(settings.bind)
            .build();
        Ok(Self {
            leptos_options,
            platform,
            areas,
            settings: Arc::new(settings),
        })
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let platform = state.platform.clone();
    let areas = state.areas.clone();
    let context = move || {
        provide_context(platform.clone());
        provide_context(areas.providers.clone());
        provide_context(areas.embeds.clone());
        provide_context(areas.course_files);
        provide_context(areas.photo);
    };
    let options = state.leptos_options.clone();
    let public_url = state.settings.public_url();
    let https = public_url.starts_with("https://");
    let mut app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/lang/{code}", get(language::set_language))
        .route("/robots.txt", get(crawlers::robots))
        .route("/sitemap.xml", get(crawlers::sitemap))
        .route("/auth/{provider}/start", get(auth::start))
        .route("/auth/{provider}/callback", get(auth::callback))
        .route("/link-account/{proof}", get(auth::confirm_link))
        .route(certificates::PATH, get(certificates::pdf))
        .merge(course_exports::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn({
            let max = state.settings.max_body_bytes;
            move |req, next| input::clean_text(req, max, next)
        }))
        .layer(RequestBodyLimitLayer::new(state.settings.max_body_bytes))
        // Photo uploads are larger than other requests: these routes set their own limits.
        .merge(photos::routes(state.areas.photo.0))
        .merge(course_files::routes(
            state.areas.course_files.max_file_bytes,
            state.areas.course_files.max_image_bytes,
        ))
        // The JSON API: bearer tokens, its own body limit and JSON errors.
        .merge(api_v1::routes(&state))
        .layer(middleware::from_fn(move |req, next| {
            csrf::protect(public_url.clone(), req, next)
        }))
        .layer(middleware::from_fn(api_status::refine))
        .layer(middleware::from_fn({
            let trust_proxy = state.settings.trust_proxy;
            move |req, next| client_ip::record(trust_proxy, req, next)
        }))
        .layer(middleware::from_fn(errors::localise))
        .layer(CatchPanicLayer::new());
    for layer in security::layers(https) {
        app = app.layer(layer);
    }
    // Pages and the WebAssembly bundle travel gzipped (the bundle shrinks to about a third).
    app = app.layer(CompressionLayer::new());
    app.layer(
        TraceLayer::new_for_http()
            .make_span_with(observability::RequestSpan)
            .on_response(observability::LogResponse),
    )
    .layer(PropagateRequestIdLayer::x_request_id())
    .layer(SetRequestIdLayer::x_request_id(observability::RandomRequestId))
    .with_state(state)
}
