//! The own account: e-mail, password, newsletter consent, sessions, and links to the
//! profile, photo and sign-in method pages.
use crate::accounts::api::{ChangeEmail, ChangePassword, SetNewsletter, SignOutEverywhere, own_settings};
use crate::accounts::model::AccountSettings;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const NOTES: &[(&str, Msg)] = &[
    ("saved", Msg::SettingsSaved),
    ("email-sent", Msg::SettingsEmailSent),
    ("password-changed", Msg::SettingsPasswordChanged),
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| own_settings());
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Title text=t(Msg::SettingsTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::SettingsTitle)}</h1>
            <StatusNote status notes=NOTES />
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(settings.await, |s| view! { <SettingsSections s /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SettingsSections(s: AccountSettings) -> impl IntoView {
    view! {
        <nav class="settings-links" aria-label=t(Msg::SettingsMore)>
            <ul>
                <li><a href="/settings/profile">{t(Msg::ProfileEditTitle)}</a></li>
                <li><a href="/settings/photo">{t(Msg::SettingsPhoto)}</a></li>
                <li><a href="/settings/accounts">{t(Msg::SettingsSignInMethods)}</a></li>
            </ul>
        </nav>
        <EmailSection email=s.email.clone() has_password=s.has_password />
        <PasswordSection has_password=s.has_password />
        <NewsletterSection newsletter=s.newsletter />
        <SessionsSection />
    }
}

#[component]
fn EmailSection(email: String, has_password: bool) -> impl IntoView {
    let action = ServerAction::<ChangeEmail>::new();
    let error = last_error(action.value());
    view! {
        <section class="settings-section" aria-labelledby="email-heading">
            <h2 id="email-heading">{t(Msg::SettingsEmailTitle)}</h2>
            <p>{fill(t(Msg::SettingsEmailCurrent), &[("email", &email)])}</p>
            {if has_password {
                view! {
                    <FormAlert error />
                    <ActionForm action attr:class="form">
                        <Field name="email" field="email" label=Msg::FieldNewEmail kind="email" autocomplete="email" required=true error />
                        <Field
                            name="current_password"
                            field="current_password"
                            label=Msg::FieldCurrentPassword
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error
                        />
                        <button type="submit" class="button">{t(Msg::SettingsEmailSubmit)}</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { <p class="muted">{t(Msg::SettingsNeedsPassword)}</p> }.into_any()
            }}
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn PasswordSection(has_password: bool) -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = last_error(action.value());
    view! {
        <section class="settings-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t(Msg::SettingsPasswordTitle)}</h2>
            {if has_password {
                view! {
                    <FormAlert error />
                    <ActionForm action attr:class="form">
                        <Field
                            name="current_password"
                            field="current_password"
                            label=Msg::FieldCurrentPassword
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error
                        />
                        <Field
                            name="new_password"
                            field="new_password"
                            label=Msg::FieldNewPassword
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            hint=Msg::PasswordHint
                            error
                        />
                        <button type="submit" class="button">{t(Msg::SettingsPasswordSubmit)}</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <p class="muted">{t(Msg::SettingsNoPassword)}</p>
                    <p><a href="/forgot-password">{t(Msg::SettingsSetPassword)}</a></p>
                }
                .into_any()
            }}
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn NewsletterSection(newsletter: bool) -> impl IntoView {
    let action = ServerAction::<SetNewsletter>::new();
    let error = last_error(action.value());
    view! {
        <section class="settings-section" aria-labelledby="newsletter-heading">
            <h2 id="newsletter-heading">{t(Msg::SettingsNewsletterTitle)}</h2>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <div class="field">
                    <label class="check" for="f-newsletter">
                        <input type="checkbox" id="f-newsletter" name="newsletter" value="on" checked=newsletter />
                        {t(Msg::FieldNewsletter)}
                    </label>
                </div>
                <button type="submit" class="button">{t(Msg::FormSave)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn SessionsSection() -> impl IntoView {
    let action = ServerAction::<SignOutEverywhere>::new();
    let error = last_error(action.value());
    view! {
        <section class="settings-section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t(Msg::SettingsSessionsTitle)}</h2>
            <p>{t(Msg::SettingsSessionsText)}</p>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <button type="submit" class="button danger">{t(Msg::SettingsSignOutEverywhere)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=action.value() />
    }
}
