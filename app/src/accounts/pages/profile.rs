//! Profiles (S17): the page other signed-in users see, and editing one's own (S22).
use crate::accounts::api::{UpdateProfile, own_settings, profile};
use crate::accounts::model::{ProfileEdit, PublicProfile};
use crate::i18n::{Msg, current_lang, t};
use crate::taxonomy::{
    COUNTRIES, LANGUAGES, USER_TYPES, country_name, language_name, sorted_options, subject_codes,
    subject_name, user_type_name,
};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{CheckboxGroup, Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, profile);
    view! {
        <section class="wrap page">
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(data.await, |p| view! { <ProfileView p /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProfileView(p: PublicProfile) -> impl IntoView {
    let lang = current_lang();
    let name = format!("{} {}", p.first_name, p.last_name);
    let website = p.website.clone();
    view! {
        <Title text=name.clone() />
        <article class="profile">
            <header class="profile-head">
                <crate::photos::avatar::UserAvatar
                    user_id=p.id
                    name=name.clone()
                    has_photo=p.photo_version.is_some()
                    size=crate::photos::model::PhotoSize::Full
                    version=p.photo_version.unwrap_or(0)
                    decorative=true
                />
                <div>
                    <h1>
                        {name}
                        {p.verified.then(|| view! { <span class="badge verified">{t(Msg::ProfileVerified)}</span> })}
                    </h1>
                    <p class="muted">
                        {user_type_name(lang, &p.user_type)} " · " {country_name(lang, &p.country)}
                    </p>
                </div>
            </header>
            <dl class="profile-facts">
                {(!p.role_at_school.is_empty()).then(|| view! {
                    <dt>{t(Msg::FieldRoleAtSchool)}</dt>
                    <dd>{p.role_at_school.clone()}</dd>
                })}
                {(!p.subjects.is_empty()).then(|| view! {
                    <dt>{t(Msg::FieldSubjects)}</dt>
                    <dd>{p.subjects.iter().map(|s| subject_name(lang, s)).collect::<Vec<_>>().join(", ")}</dd>
                })}
                {(!p.languages.is_empty()).then(|| view! {
                    <dt>{t(Msg::FieldLanguages)}</dt>
                    <dd>{p.languages.iter().map(|s| language_name(lang, s)).collect::<Vec<_>>().join(", ")}</dd>
                })}
                {(!website.is_empty()).then(|| view! {
                    <dt>{t(Msg::FieldWebsite)}</dt>
                    <dd><a href=website.clone() rel="nofollow ugc noopener">{website.clone()}</a></dd>
                })}
            </dl>
            {(!p.description.is_empty()).then(|| view! { <p class="profile-description">{p.description.clone()}</p> })}
            <section aria-labelledby="orgs-heading">
                <h2 id="orgs-heading">{t(Msg::ProfileOrganisations)}</h2>
                {if p.organisations.is_empty() {
                    view! { <p class="empty">{t(Msg::ProfileNoOrganisations)}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {p.organisations.iter().map(|o| view! { <li><a href=format!("/organisations/{}", o.slug)>{o.name.clone()}</a></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
            {(!p.badges.is_empty()).then(|| view! {
                <section aria-labelledby="badges-heading">
                    <h2 id="badges-heading">{t(Msg::ProfileBadges)}</h2>
                    <ul class="badge-list">
                        {p.badges.iter().map(|b| view! {
                            <li>
                                <crate::courses::pages::BadgeIcon />
                                <span>
                                    <strong class="badge-name">{b.name.clone()}</strong>
                                    <span class="muted">
                                        <a href=format!("/courses/{}", b.course_slug)>{b.course_title.clone()}</a>
                                        " · " <time datetime=b.earned_on.clone()>{b.earned_on.clone()}</time>
                                    </span>
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="comments-heading">
                <h2 id="comments-heading">{t(Msg::ProfileComments)}</h2>
                <p class="empty">{t(Msg::ProfileNoComments)}</p>
            </section>
            <section aria-labelledby="favourites-heading">
                <h2 id="favourites-heading">{t(Msg::ProfileFavourites)}</h2>
                <p class="empty">{t(Msg::ProfileNoFavourites)}</p>
            </section>
        </article>
    }
}

#[component]
pub fn EditProfilePage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| own_settings());
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Title text=t(Msg::ProfileEditTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::ProfileEditTitle)}</h1>
            <StatusNote status notes=&[("saved", Msg::SettingsSaved)] />
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(settings.await, |s| view! { <EditProfileForm p=s.profile /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EditProfileForm(p: ProfileEdit) -> impl IntoView {
    let lang = current_lang();
    let action = ServerAction::<UpdateProfile>::new();
    let error = last_error(action.value());
    let user_types: Vec<_> = USER_TYPES.iter().map(|c| (*c, user_type_name(lang, c))).collect();
    view! {
        <FormAlert error />
        <ActionForm action attr:class="form">
            <Field name="form[first_name]" field="first_name" label=Msg::FieldFirstName value=p.first_name autocomplete="given-name" required=true maxlength=100 error />
            <Field name="form[last_name]" field="last_name" label=Msg::FieldLastName value=p.last_name autocomplete="family-name" required=true maxlength=100 error />
            <Select name="form[user_type]" field="user_type" label=Msg::FieldUserType options=user_types selected=p.user_type required=true error />
            <Select
                name="form[country]"
                field="country"
                label=Msg::FieldCountry
                options=sorted_options(lang, COUNTRIES, country_name)
                selected=p.country
                required=true
                error
            />
            <Field name="form[role_at_school]" field="role_at_school" label=Msg::FieldRoleAtSchool value=p.role_at_school maxlength=200 error />
            <CheckboxGroup
                name="form[subjects][]"
                field="subjects"
                legend=Msg::FieldSubjects
                options=sorted_options(lang, &subject_codes(), subject_name)
                checked=p.subjects
                error
            />
            <CheckboxGroup
                name="form[languages][]"
                field="languages"
                legend=Msg::FieldLanguages
                options=sorted_options(lang, LANGUAGES, language_name)
                checked=p.languages
                error
            />
            <Field name="form[pupil_age_range]" field="pupil_age_range" label=Msg::FieldPupilAgeRange hint=Msg::FieldPupilAgeRangeHint value=p.pupil_age_range maxlength=50 error />
            <Field name="form[website]" field="website" label=Msg::FieldWebsite kind="url" value=p.website autocomplete="url" error />
            <TextArea name="form[description]" field="description" label=Msg::FieldDescription value=p.description error />
            <button type="submit" class="button primary">{t(Msg::FormSave)}</button>
        </ActionForm>
        <FollowSuccess value=action.value() />
    }
}
