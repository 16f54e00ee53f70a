use crate::accounts::api::{ResendVerification, SignIn};
use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const NOTES: &[(&str, Msg)] = &[
    ("password-reset", Msg::SigninAfterReset),
    ("signed-out-everywhere", Msg::SigninAfterSignOutEverywhere),
    ("verified", Msg::VerifyDone),
];

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let status = Signal::derive(move || query.read().get("status"));
    let action = ServerAction::<SignIn>::new();
    let error = last_error(action.value());
    let unverified =
        move || matches!(error(), Some(AppError::Refused(k)) if k == Msg::SigninUnverified.key());
    view! {
        <Title text=t(Msg::SigninTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::SigninTitle)}</h1>
            <StatusNote status notes=NOTES />
            <FormAlert error />
            <ActionForm action attr:class="form">
                <input type="hidden" name="next" value=next />
                <Field name="email" field="email" label=Msg::FieldEmail kind="email" autocomplete="username" required=true error />
                <Field
                    name="password"
                    field="password"
                    label=Msg::FieldPassword
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <button type="submit" class="button primary">{t(Msg::SigninSubmit)}</button>
            </ActionForm>
            <super::pages::ProviderButtons next=next() />
            <Show when=unverified>
                <ResendVerificationForm />
            </Show>
            <p><a href="/forgot-password">{t(Msg::SigninForgot)}</a></p>
            <p>{t(Msg::SigninNoAccount)} " " <a href="/register">{t(Msg::RegisterTitle)}</a></p>
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn ResendVerificationForm() -> impl IntoView {
    let action = ServerAction::<ResendVerification>::new();
    let error = last_error(action.value());
    view! {
        <section class="subform" aria-labelledby="resend-heading">
            <h2 id="resend-heading">{t(Msg::ResendTitle)}</h2>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <Field name="email" field="email" label=Msg::FieldEmail kind="email" autocomplete="email" required=true error />
                <button type="submit" class="button">{t(Msg::ResendSubmit)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=action.value() />
    }
}
