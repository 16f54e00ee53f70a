use crate::accounts::api::Register;
use crate::i18n::{Msg, current_lang, t};
use crate::taxonomy::{
    COUNTRIES, LANGUAGES, USER_TYPES, country_name, language_name, sorted_options, subject_codes,
    subject_name, user_type_name,
};
use crate::ui::form::{CheckboxGroup, Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use leptos::prelude::*;
use leptos_meta::Title;

/// Registration (S1, T1): mandatory fields first, the optional teacher profile after.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = current_lang();
    let action = ServerAction::<Register>::new();
    let error = last_error(action.value());
    let user_types: Vec<_> = USER_TYPES.iter().map(|c| (*c, user_type_name(lang, c))).collect();
    view! {
        <Title text=t(Msg::RegisterTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::RegisterTitle)}</h1>
            <p class="lead">{t(Msg::RegisterLead)}</p>
            <p class="muted">{t(Msg::FormRequiredNote)}</p>
            <FormAlert error />
            <ActionForm action attr:class="form">
                <Field name="form[first_name]" field="first_name" label=Msg::FieldFirstName autocomplete="given-name" required=true maxlength=100 error />
                <Field name="form[last_name]" field="last_name" label=Msg::FieldLastName autocomplete="family-name" required=true maxlength=100 error />
                <Field name="form[email]" field="email" label=Msg::FieldEmail kind="email" autocomplete="email" required=true error />
                <Field
                    name="form[password]"
                    field="password"
                    label=Msg::FieldPassword
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint=Msg::PasswordHint
                    error
                />
                <Select name="form[user_type]" field="user_type" label=Msg::FieldUserType options=user_types required=true error />
                <Select
                    name="form[country]"
                    field="country"
                    label=Msg::FieldCountry
                    options=sorted_options(lang, COUNTRIES, country_name)
                    required=true
                    error
                />
                <details class="optional-fields">
                    <summary>{t(Msg::RegisterTeacherFields)}</summary>
                    <Field name="form[role_at_school]" field="role_at_school" label=Msg::FieldRoleAtSchool maxlength=200 error />
                    <CheckboxGroup
                        name="form[subjects][]"
                        field="subjects"
                        legend=Msg::FieldSubjects
                        options=sorted_options(lang, &subject_codes(), subject_name)
                        error
                    />
                    <CheckboxGroup
                        name="form[languages][]"
                        field="languages"
                        legend=Msg::FieldLanguages
                        options=sorted_options(lang, LANGUAGES, language_name)
                        error
                    />
                    <Field name="form[pupil_age_range]" field="pupil_age_range" label=Msg::FieldPupilAgeRange hint=Msg::FieldPupilAgeRangeHint maxlength=50 error />
                    <TextArea name="form[description]" field="description" label=Msg::FieldDescription error />
                </details>
                <div class="field">
                    <label class="check" for="f-newsletter">
                        <input type="checkbox" id="f-newsletter" name="form[newsletter]" value="on" />
                        {t(Msg::FieldNewsletter)}
                    </label>
                </div>
                <p class="muted">{t(Msg::RegisterPrivacyNote)}</p>
                <button type="submit" class="button primary">{t(Msg::RegisterSubmit)}</button>
            </ActionForm>
            <p>{t(Msg::RegisterHaveAccount)} " " <a href="/sign-in">{t(Msg::SigninTitle)}</a></p>
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
pub fn RegisterSentPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::RegisterSentTitle) />
        <section class="wrap page narrow message-page">
            <h1>{t(Msg::RegisterSentTitle)}</h1>
            <p>{t(Msg::RegisterSentText)}</p>
            <p><a class="button" href="/sign-in">{t(Msg::SigninTitle)}</a></p>
        </section>
    }
}
