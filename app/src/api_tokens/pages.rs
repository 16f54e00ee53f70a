//! `/organisations/{slug}/api-tokens` (#6, S2): an organisation's admins create, see and
//! revoke the tokens of their own systems for `/api/v1`.
use super::api::{CreateApiToken, RevokeApiToken, api_tokens_of};
use super::model::{ApiTokenList, ApiTokenRow, NAME_MAX};
use crate::i18n::{Msg, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const STATUS_NOTES: &[(&str, Msg)] = &[
    ("created", Msg::ApiTokenStatusCreated),
    ("revoked", Msg::ApiTokenStatusRevoked),
];

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let slug = crate::ui::slug_param();
    let data = Resource::new(slug, api_tokens_of);
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Title text=t(Msg::ApiTokensTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::ApiTokensTitle)}</h1>
            <StatusNote status notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |l| view! { <TokenAdmin l /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn TokenAdmin(l: ApiTokenList) -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let create_error = last_error(create.value());
    let revoke_error = last_error(revoke.value());
    let new_secret = l.new_secret.clone().map(|secret| {
        view! {
            <div class="api-token-secret" role="status">
                <h2>{t(Msg::ApiTokenSecretHeading)}</h2>
                <p>{t(Msg::ApiTokenSecretOnce)}</p>
                <label for="new-api-token">{t(Msg::ApiTokenSecretLabel)}</label>
                <input id="new-api-token" type="text" readonly=true value=secret spellcheck="false" autocomplete="off" />
            </div>
        }
    });
    let tokens = if l.tokens.is_empty() {
        view! { <p class="empty">{t(Msg::ApiTokensEmpty)}</p> }.into_any()
    } else {
        let slug = l.slug.clone();
        view! {
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{t(Msg::ApiTokensListHeading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::ApiTokenName)}</th>
                            <th scope="col">{t(Msg::ApiTokenPrefix)}</th>
                            <th scope="col">{t(Msg::ApiTokenCreated)}</th>
                            <th scope="col">{t(Msg::ApiTokenLastUsed)}</th>
                            <th scope="col">{t(Msg::ApiTokenState)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {l.tokens.into_iter().map(|tok| view! { <TokenRow tok slug=slug.clone() revoke /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <p><a href=format!("/organisations/{}/edit", l.slug)>{l.org_name.clone()}</a></p>
        <p class="lead">{t(Msg::ApiTokensLead)}</p>
        <p><a href="/api/v1/openapi.json">{t(Msg::ApiTokensDocsLink)}</a></p>
        {new_secret}
        <section aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">{t(Msg::ApiTokenNewHeading)}</h2>
            <FormAlert error=create_error />
            <ActionForm action=create attr:class="form">
                <input type="hidden" name="slug" value=l.slug.clone() />
                <Field
                    name="name"
                    field="name"
                    label=Msg::ApiTokenName
                    hint=Msg::ApiTokenNameHint
                    value=String::new()
                    required=true
                    maxlength=NAME_MAX as u32
                    error=create_error
                />
                <button type="submit" class="button primary">{t(Msg::ApiTokenCreate)}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">{t(Msg::ApiTokensListHeading)}</h2>
            <FormAlert error=revoke_error />
            {tokens}
        </section>
        <FollowSuccess value=create.value() />
        <FollowSuccess value=revoke.value() />
    }
}

#[component]
fn TokenRow(tok: ApiTokenRow, slug: String, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let label = format!("{} {}", t(Msg::ApiTokenRevoke), tok.name);
    let state = match tok.revoked_at {
        Some(at) => view! { {t(Msg::ApiTokenRevokedAt)} " " <time>{at} " UTC"</time> }.into_any(),
        None => view! {
            {t(Msg::ApiTokenActive)}
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=tok.id.to_string() />
                <button type="submit" class="button secondary small" aria-label=label>
                    {t(Msg::ApiTokenRevoke)}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <tr>
            <th scope="row">{tok.name.clone()}</th>
            <td><code>{tok.prefix.clone()} "…"</code></td>
            <td><time>{tok.created_at.clone()} " UTC"</time></td>
            <td>
                {match tok.last_used_at {
                    Some(at) => view! { <time>{at} " UTC"</time> }.into_any(),
                    None => t(Msg::ApiTokenNeverUsed).into_any(),
                }}
            </td>
            <td>{state}</td>
        </tr>
    }
}
