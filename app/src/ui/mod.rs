//! Shared page building blocks: error pages, forms, escaping, Markdown, redirect targets.
#[cfg(feature = "ssr")]
pub mod embed;
pub mod errors;
pub mod escape;
pub mod form;
pub mod markdown;
pub mod redirect;

/// The `{slug}` of the current route, read reactively (empty when the route has none).
pub fn slug_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        leptos::prelude::Read::read(&params)
            .get("slug")
            .unwrap_or_default()
    }
}
