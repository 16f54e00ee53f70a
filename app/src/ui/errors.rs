use crate::error::AppError;
use crate::i18n::{Msg, t};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location};

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

/// Shown when the request itself was wrong (a search too long, a malformed address): the
/// reason, with status 400 (or 429 when it came too often), never the 500 page.
#[component]
pub fn BadInputPage(message: String, #[prop(optional)] too_many: bool) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(if too_many {
            http::StatusCode::TOO_MANY_REQUESTS
        } else {
            http::StatusCode::BAD_REQUEST
        });
    }
    #[cfg(not(feature = "ssr"))]
    let _ = too_many;
    view! {
        <Title text=t(Msg::ErrorBadRequest) />
        <section class="wrap page message-page" role="alert">
            <h1>{t(Msg::ErrorBadRequest)}</h1>
            <p>{message}</p>
            <p><a class="button" href="/">{t(Msg::NotfoundHome)}</a></p>
        </section>
    }
}

/// Renders `view` on success, the 404 page for `NotFound`, the reason for the caller's
/// mistakes (issue 13), the error page otherwise.
pub fn or_error_page<T, V: IntoView + 'static>(
    result: Result<T, AppError>,
    view: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(v) => view(v).into_any(),
        Err(AppError::NotFound) => NotFound().into_any(),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest | AppError::TooManyAttempts(_))) => {
            let message = match &e {
                AppError::Invalid(list) => list
                    .first()
                    .and_then(|f| Msg::from_key(&f.message))
                    .map(|m| t(m).to_string())
                    .unwrap_or_else(|| t(Msg::ErrorBadRequest).to_string()),
                other => super::form::form_message(other).unwrap_or_default(),
            };
            let too_many = matches!(e, AppError::TooManyAttempts(_));
            view! { <BadInputPage message too_many /> }.into_any()
        }
        Err(_) => ErrorPage().into_any(),
    }
}

/// Renders `view` on success; an anonymous visitor goes to the sign-in page and comes back
/// here afterwards; other errors get the 404 or error page.
pub fn signed_in_or_redirect<T, V: IntoView + 'static>(
    result: Result<T, AppError>,
    view: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Err(AppError::SignInRequired) => {
            let here = use_location();
            let path = here.pathname.get_untracked();
            let next = format!("/sign-in?next={}", crate::ui::redirect::encode_path(&path));
            view! { <Redirect path=next /> }.into_any()
        }
        other => or_error_page(other, view),
    }
}
