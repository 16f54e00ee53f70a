//! The whole HTTP application: every module's routes, the Leptos pages and the fallback,
//! inside the middleware stack. The order of the layers matters: the general body limit
//! and the cleaning of user text apply to the routes merged before them, not to the
//! uploads and the JSON API, which set their own limits.
use super::middleware::{api_status, client_ip, csrf, errors, input, observability, security};
use super::routes::{auth, certificates, course_exports, course_files, crawlers, health, language, photos};
use super::{api_v1, state::AppState};
use app::{App, shell};
use axum::{Router, middleware};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

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
        .merge(health::routes())
        .merge(language::routes())
        .merge(crawlers::routes())
        .merge(auth::routes())
        .merge(certificates::routes())
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
