//! The account pages: sign-in, registration, the one-time link pages, settings, profiles.
mod links;
mod profile;
mod register;
mod settings;
mod sign_in;

pub use links::{ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage};
pub use profile::{EditProfilePage, ProfilePage};
pub use register::{RegisterPage, RegisterSentPage};
pub use settings::SettingsPage;
pub use sign_in::SignInPage;

use crate::error::AppError;
use crate::ui::errors::or_error_page;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

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
            let next = format!("/sign-in?next={}", crate::ui::layout::encode_path(&path));
            view! { <Redirect path=next /> }.into_any()
        }
        other => or_error_page(other, view),
    }
}

/// A status note from the query string (`?status=...`) after a redirect.
#[component]
pub fn StatusNote(
    #[prop(into)] status: Signal<Option<String>>,
    notes: &'static [(&'static str, crate::i18n::Msg)],
) -> impl IntoView {
    move || {
        let s = status.get()?;
        let msg = notes.iter().find(|(k, _)| *k == s)?.1;
        Some(view! { <p class="form-note" role="status">{crate::i18n::t(msg)}</p> })
    }
}
