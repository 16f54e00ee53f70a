//! Pages behind the links in e-mails: confirm the address, reset the password, confirm an
//! e-mail change; and the page that asks for a reset link.
use crate::accounts::api::{RequestPasswordReset, ResetPassword, confirm_email_change, verify_email};
use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn secret() -> String {
    use_params_map()
        .read_untracked()
        .get("secret")
        .unwrap_or_default()
}

/// Shows the outcome of opening a one-time link.
#[component]
fn LinkOutcome(result: Result<(), AppError>, done: Msg) -> impl IntoView {
    match result {
        Ok(()) => view! {
            <h1>{t(done)}</h1>
            <p><a class="button primary" href="/sign-in">{t(Msg::SigninTitle)}</a></p>
        }
        .into_any(),
        Err(e) => {
            let msg = match e {
                AppError::Invalid(_) => Msg::FieldEmailTaken,
                AppError::Refused(_) | AppError::NotFound => Msg::LinkInvalid,
                _ => Msg::ErrorText,
            };
            view! {
                <h1>{t(Msg::LinkInvalidTitle)}</h1>
                <p role="alert">{t(msg)}</p>
                <p><a class="button" href="/sign-in">{t(Msg::SigninTitle)}</a></p>
            }
            .into_any()
        }
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let outcome = Resource::new(secret, verify_email);
    view! {
        <Title text=t(Msg::VerifyTitle) />
        <section class="wrap page narrow message-page">
            <Suspense>
                {move || Suspend::new(async move {
                    view! { <LinkOutcome result=outcome.await done=Msg::VerifyDone /> }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let outcome = Resource::new(secret, confirm_email_change);
    view! {
        <Title text=t(Msg::ConfirmEmailTitle) />
        <section class="wrap page narrow message-page">
            <Suspense>
                {move || Suspend::new(async move {
                    view! { <LinkOutcome result=outcome.await done=Msg::ConfirmEmailDone /> }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = last_error(action.value());
    view! {
        <Title text=t(Msg::ForgotTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::ForgotTitle)}</h1>
            <StatusNote status notes=&[("sent", Msg::ForgotSent)] />
            <p>{t(Msg::ForgotLead)}</p>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <Field name="email" field="email" label=Msg::FieldEmail kind="email" autocomplete="email" required=true error />
                <button type="submit" class="button primary">{t(Msg::ForgotSubmit)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = last_error(action.value());
    view! {
        <Title text=t(Msg::ResetTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::ResetTitle)}</h1>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <input type="hidden" name="secret" value=secret() />
                <Field
                    name="password"
                    field="password"
                    label=Msg::FieldNewPassword
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint=Msg::PasswordHint
                    error
                />
                <button type="submit" class="button primary">{t(Msg::ResetSubmit)}</button>
            </ActionForm>
            <p><a href="/forgot-password">{t(Msg::ResetAskAgain)}</a></p>
        </section>
        <FollowSuccess value=action.value() />
    }
}
