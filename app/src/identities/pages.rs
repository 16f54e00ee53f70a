//! Views of sign-in with other accounts (S6): the "Continue with …" buttons, completing a
//! new account, proving ownership of an existing one, the sign-in methods settings and the
//! notices a sign-in can end with. All forms work without JavaScript.
use super::api::{
    CompleteAccount, LinkWithPassword, SendLinkProof, UnlinkIdentity, load_pending_sign_in,
    my_sign_in_methods, sign_in_providers,
};
use super::model::{PendingSignIn, SignInMethods};
use super::start_href;
use crate::error::AppError;
use crate::i18n::{Msg, fill, t};
use crate::taxonomy::{COUNTRIES, USER_TYPES};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// "Continue with Google" (…) links for every configured provider; nothing when none is.
/// `next` is the local path to land on after signing in.
#[component]
pub fn ProviderButtons(#[prop(optional, into)] next: Option<String>) -> impl IntoView {
    let providers = OnceResource::new(sign_in_providers());
    view! {
        <Suspense>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    let list = providers.await.unwrap_or_default();
                    (!list.is_empty())
                        .then(|| {
                            view! {
                                <ul class="provider-buttons" aria-label=t(Msg::OidcButtonsLabel)>
                                    {list
                                        .into_iter()
                                        .map(|p| {
                                            let href = start_href(&p.id, next.as_deref());
                                            let label = fill(t(Msg::OidcContinueWith), &[("provider", &p.name)]);
                                            view! {
                                                <li>
                                                    <a class="button provider-button" rel="external" href=href>
                                                        {label}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                })
            }}
        </Suspense>
    }
}

/// The message for an error that concerns the whole form.
fn form_message(e: &AppError) -> Msg {
    match e {
        AppError::Refused(key) => Msg::from_key(key).unwrap_or(Msg::ErrorText),
        AppError::Invalid(_) => Msg::OidcFormInvalid,
        AppError::NotFound => Msg::OidcExpiredText,
        AppError::TooManyAttempts(_) => Msg::OidcTooMany,
        AppError::SignInRequired => Msg::OidcSignInRequired,
        AppError::BadRequest => Msg::ErrorBadRequest,
        AppError::Internal | AppError::ServerFn(_) => Msg::ErrorText,
    }
}

#[component]
fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="form-error" role="alert">
                    {t(form_message(&e))}
                </p>
            }
        })
    }
}

/// The error under one field, referenced by the field's `aria-describedby`.
#[component]
fn FieldError(field: &'static str, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.for_field(field)).map(|m| {
            view! {
                <p class="field-error" id=format!("{field}-error")>
                    {t(m)}
                </p>
            }
        })
    }
}

fn invalid(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
    move || error.get().and_then(|e| e.for_field(field)).map(|_| "true")
}

fn described(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || {
        error
            .get()
            .and_then(|e| e.for_field(field))
            .map(|_| format!("{field}-error"))
    }
}

/// Shown where a sign-in was expected but this browser has none (finished, expired, or
/// started elsewhere).
#[component]
fn Expired() -> impl IntoView {
    view! {
        <Title text=t(Msg::OidcExpiredTitle) />
        <h1>{t(Msg::OidcExpiredTitle)}</h1>
        <p>{t(Msg::OidcExpiredText)}</p>
        <ProviderButtons />
    }
}

/// `/welcome`: completes a new account after a sign-in with another account.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| load_pending_sign_in());
    view! {
        <section class="wrap page narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(p) if p.link_required => view! { <Redirect path="/link-account" /> }.into_any(),
                        Ok(p) => view! { <WelcomeForm pending=p /> }.into_any(),
                        Err(AppError::NotFound) => view! { <Expired /> }.into_any(),
                        Err(_) => view! { <ErrorPage /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn user_type_label(code: &str) -> String {
    crate::taxonomy::user_type_name(crate::i18n::current_lang(), code)
}

#[component]
fn WelcomeForm(pending: PendingSignIn) -> impl IntoView {
    let action = ServerAction::<CompleteAccount>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let provider = pending.provider_name.clone();
    let countries = crate::taxonomy::sorted_options(
        crate::i18n::current_lang(),
        COUNTRIES,
        crate::taxonomy::country_name,
    );
    let name_field = move |field: &'static str, label: Msg, autocomplete: &'static str| {
        view! {
            <div class="field">
                <label for=field>{t(label)}</label>
                <input
                    type="text"
                    id=field
                    name=field
                    required
                    maxlength="100"
                    autocomplete=autocomplete
                    aria-invalid=invalid(error, field)
                    aria-describedby=described(error, field)
                />
                <FieldError field error />
            </div>
        }
    };
    view! {
        <Title text=t(Msg::OidcWelcomeTitle) />
        <h1>{t(Msg::OidcWelcomeTitle)}</h1>
        <p class="lead">{fill(t(Msg::OidcWelcomeLead), &[("provider", &provider)])}</p>
        <FormError error />
        <ActionForm action attr:class="stack-form">
            {match pending.email.clone() {
                Some(email) => view! { <p>{fill(t(Msg::OidcWelcomeEmail), &[("email", &email)])}</p> }.into_any(),
                None => {
                    view! {
                        <div class="field">
                            <label for="email">{t(Msg::OidcFieldEmail)}</label>
                            <p class="hint" id="email-hint">
                                {fill(t(Msg::OidcWelcomeEmailHelp), &[("provider", &provider)])}
                            </p>
                            <input
                                type="email"
                                id="email"
                                name="email"
                                required
                                autocomplete="email"
                                aria-invalid=invalid(error, "email")
                                aria-describedby=move || {
                                    described(error, "email")()
                                        .map_or_else(|| "email-hint".to_string(), |e| format!("email-hint {e}"))
                                }
                            />
                            <FieldError field="email" error />
                        </div>
                    }
                        .into_any()
                }
            }}
            {pending.needs_first_name.then(|| name_field("first_name", Msg::OidcFieldFirstName, "given-name"))}
            {pending.needs_last_name.then(|| name_field("last_name", Msg::OidcFieldLastName, "family-name"))}
            <div class="field">
                <label for="user_type">{t(Msg::OidcFieldUserType)}</label>
                <select
                    id="user_type"
                    name="user_type"
                    required
                    aria-invalid=invalid(error, "user_type")
                    aria-describedby=described(error, "user_type")
                >
                    <option value="">{t(Msg::OidcFieldChoose)}</option>
                    {USER_TYPES
                        .iter()
                        .map(|u| view! { <option value=*u>{user_type_label(u)}</option> })
                        .collect_view()}
                </select>
                <FieldError field="user_type" error />
            </div>
            <div class="field">
                <label for="country">{t(Msg::OidcFieldCountry)}</label>
                <select
                    id="country"
                    name="country"
                    required
                    autocomplete="country"
                    aria-invalid=invalid(error, "country")
                    aria-describedby=described(error, "country")
                >
                    <option value="">{t(Msg::OidcFieldChoose)}</option>
                    {countries
                        .into_iter()
                        .map(|(code, name)| view! { <option value=code>{name}</option> })
                        .collect_view()}
                </select>
                <FieldError field="country" error />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="newsletter" name="newsletter" value="true" />
                <label for="newsletter">{t(Msg::OidcFieldNewsletter)}</label>
            </div>
            <p class="muted">{fill(t(Msg::OidcWelcomePrivacy), &[("provider", &provider)])}</p>
            <button type="submit" class="button">
                {t(Msg::OidcWelcomeSubmit)}
            </button>
        </ActionForm>
    }
}

/// `/link-account`: an account has the provider's e-mail address; its owner proves it is
/// theirs (password, or a one-time link by e-mail) before the provider account is linked.
#[component]
pub fn LinkAccountPage() -> impl IntoView {
    let send = ServerAction::<SendLinkProof>::new();
    let pending = Resource::new(move || send.version().get(), |_| load_pending_sign_in());
    view! {
        <section class="wrap page narrow">
            <Transition>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(p) if !p.link_required => view! { <Redirect path="/welcome" /> }.into_any(),
                        Ok(p) => view! { <LinkForms pending=p send /> }.into_any(),
                        Err(AppError::NotFound) => view! { <Expired /> }.into_any(),
                        Err(_) => view! { <ErrorPage /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LinkForms(pending: PendingSignIn, send: ServerAction<SendLinkProof>) -> impl IntoView {
    let password = ServerAction::<LinkWithPassword>::new();
    let password_error = Signal::derive(move || password.value().get().and_then(Result::err));
    let send_error = Signal::derive(move || send.value().get().and_then(Result::err));
    let email = pending.email.clone().unwrap_or_default();
    let values = [
        ("email", email.as_str()),
        ("provider", pending.provider_name.as_str()),
    ];
    view! {
        <Title text=t(Msg::OidcLinkTitle) />
        <h1>{t(Msg::OidcLinkTitle)}</h1>
        <p class="lead">{fill(t(Msg::OidcLinkLead), &values)}</p>
        <section class="choice" aria-labelledby="link-password-heading">
            <h2 id="link-password-heading">{t(Msg::OidcLinkPasswordHeading)}</h2>
            <FormError error=password_error />
            <ActionForm action=password attr:class="stack-form">
                <div class="field">
                    <label for="password">{t(Msg::OidcLinkPassword)}</label>
                    <input type="password" id="password" name="password" required autocomplete="current-password" />
                </div>
                <button type="submit" class="button">
                    {t(Msg::OidcLinkPasswordSubmit)}
                </button>
            </ActionForm>
        </section>
        <section class="choice" aria-labelledby="link-email-heading">
            <h2 id="link-email-heading">{t(Msg::OidcLinkEmailHeading)}</h2>
            {if pending.proof_sent {
                view! {
                    <p class="notice" role="status">
                        {fill(t(Msg::OidcLinkEmailSent), &values)}
                    </p>
                }
                    .into_any()
            } else {
                view! { <p>{fill(t(Msg::OidcLinkEmailText), &values)}</p> }.into_any()
            }}
            <FormError error=send_error />
            <ActionForm action=send attr:class="stack-form">
                <button type="submit" class="button secondary">
                    {t(if pending.proof_sent { Msg::OidcLinkEmailResend } else { Msg::OidcLinkEmailSubmit })}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/settings/accounts`, "Sign-in methods": linked provider accounts with a button to
/// remove each, and buttons to link the configured providers that are not linked yet.
#[component]
pub fn SignInMethodsPage() -> impl IntoView {
    let unlink = ServerAction::<UnlinkIdentity>::new();
    let methods = Resource::new(move || unlink.version().get(), |_| my_sign_in_methods());
    let unlink_error = Signal::derive(move || unlink.value().get().and_then(Result::err));
    let query = use_query_map();
    let status = move || {
        query.read().get("m").and_then(|m| match m.as_str() {
            "linked" => Some(Msg::OidcSettingsLinked),
            "taken" => Some(Msg::OidcSettingsTaken),
            "unlinked" => Some(Msg::OidcSettingsUnlinked),
            _ => None,
        })
    };
    view! {
        <Title text=t(Msg::OidcSettingsTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::OidcSettingsTitle)}</h1>
            <p class="lead">{t(Msg::OidcSettingsLead)}</p>
            {move || {
                status()
                    .map(|m| {
                        view! {
                            <p class="notice" role="status">
                                {t(m)}
                            </p>
                        }
                    })
            }}
            <FormError error=unlink_error />
            <Transition>
                {move || Suspend::new(async move {
                    match methods.await {
                        Ok(m) => view! { <MethodsList methods=m unlink /> }.into_any(),
                        Err(AppError::SignInRequired) => {
                            view! { <Redirect path="/sign-in?next=/settings/accounts" /> }.into_any()
                        }
                        Err(_) => view! { <ErrorPage /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MethodsList(methods: SignInMethods, unlink: ServerAction<UnlinkIdentity>) -> impl IntoView {
    let SignInMethods {
        has_password,
        linked,
        available,
    } = methods;
    view! {
        <h2>{t(Msg::OidcSettingsLinkedHeading)}</h2>
        {if linked.is_empty() {
            view! { <p class="empty">{t(Msg::OidcSettingsNoneLinked)}</p> }.into_any()
        } else {
            view! {
                <ul class="methods">
                    {linked
                        .into_iter()
                        .map(|l| {
                            let remove = fill(t(Msg::OidcSettingsUnlink), &[("provider", &l.provider_name)]);
                            view! {
                                <li>
                                    <span>
                                        <strong>{l.provider_name}</strong>
                                        {l.email.map(|e| view! { <span class="muted">" · " {e}</span> })}
                                    </span>
                                    <ActionForm action=unlink attr:class="inline-form">
                                        <input type="hidden" name="id" value=l.id.to_string() />
                                        <button type="submit" class="button secondary">
                                            {remove}
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <p class="muted">
            {t(if has_password { Msg::OidcSettingsPasswordYes } else { Msg::OidcSettingsPasswordNo })}
        </p>
        {(!available.is_empty())
            .then(|| {
                view! {
                    <h2>{t(Msg::OidcSettingsLinkHeading)}</h2>
                    <ul class="provider-buttons">
                        {available
                            .into_iter()
                            .map(|p| {
                                let label = fill(t(Msg::OidcSettingsLink), &[("provider", &p.name)]);
                                view! {
                                    <li>
                                        <a class="button" rel="external" href=format!("/auth/{}/start?link=1", p.id)>
                                            {label}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}

/// Title, text, and whether to offer the provider buttons again, for `/auth/notice?m=`.
pub fn notice_messages(code: &str) -> Option<(Msg, Msg, bool)> {
    Some(match code {
        "expired" => (Msg::OidcExpiredTitle, Msg::OidcExpiredText, true),
        "state" => (Msg::OidcNoticeStateTitle, Msg::OidcNoticeStateText, true),
        "denied" => (Msg::OidcNoticeDeniedTitle, Msg::OidcNoticeDeniedText, true),
        "provider" => (Msg::OidcNoticeProviderTitle, Msg::OidcNoticeProviderText, true),
        "closed" => (Msg::OidcNoticeClosedTitle, Msg::OidcNoticeClosedText, false),
        "unverified" => (
            Msg::OidcNoticeUnverifiedTitle,
            Msg::OidcNoticeUnverifiedText,
            false,
        ),
        "verify_sent" => (
            Msg::OidcNoticeVerifySentTitle,
            Msg::OidcNoticeVerifySentText,
            false,
        ),
        "link_invalid" => (
            Msg::OidcNoticeLinkInvalidTitle,
            Msg::OidcNoticeLinkInvalidText,
            true,
        ),
        "taken" => (Msg::OidcNoticeTakenTitle, Msg::OidcTaken, true),
        _ => return None,
    })
}

/// `/auth/notice?m=<code>`: how a sign-in with another account ended when it did not end
/// signed in.
#[component]
pub fn AuthNoticePage() -> impl IntoView {
    let query = use_query_map();
    move || {
        let code = query.read().get("m").unwrap_or_default();
        let (title, text, retry) =
            notice_messages(&code).unwrap_or((Msg::OidcExpiredTitle, Msg::OidcExpiredText, true));
        view! {
            <Title text=t(title) />
            <section class="wrap page message-page">
                <h1>{t(title)}</h1>
                <p>{t(text)}</p>
                {retry.then(|| view! { <ProviderButtons /> })}
                <p>
                    <a href="/">{t(Msg::NotfoundHome)}</a>
                </p>
            </section>
        }
    }
}
