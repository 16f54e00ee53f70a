use crate::i18n::{Msg, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// The 404 page. Also what a refused request shows, so refusals reveal nothing.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(Msg::NotfoundTitle) />
        <section class="wrap page message-page">
            <h1>{t(Msg::NotfoundTitle)}</h1>
            <p>{t(Msg::NotfoundText)}</p>
            <p><a class="button" href="/">{t(Msg::NotfoundHome)}</a></p>
        </section>
    }
}

/// Shown when a page's data could not be loaded.
#[component]
pub fn ErrorPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    view! {
        <Title text=t(Msg::ErrorTitle) />
        <section class="wrap page message-page" role="alert">
            <h1>{t(Msg::ErrorTitle)}</h1>
            <p>{t(Msg::ErrorText)}</p>
            <p><a class="button" href="/">{t(Msg::NotfoundHome)}</a></p>
        </section>
    }
}

/// Renders `view` on success, the 404 page for `NotFound`, the error page otherwise.
pub fn or_error_page<T, V: IntoView + 'static>(
    result: Result<T, crate::error::AppError>,
    view: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(v) => view(v).into_any(),
        Err(crate::error::AppError::NotFound) => NotFound().into_any(),
        Err(_) => ErrorPage().into_any(),
    }
}
