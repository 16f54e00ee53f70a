//! `/admin/subjects` (T12): platform admins extend the subject list that courses, catalogue
//! listings and profiles are tagged with, naming each new subject in every language the app
//! ships, and rename the ones they added. Built-in subjects are translated in the locale
//! files and listed for reference.
use super::pages::AdminNav;
use crate::error::AppError;
use crate::i18n::{Msg, current_lang, fill, t};
use crate::taxonomy::subject_tags::SubjectTag;
use crate::taxonomy::{SUBJECTS, sorted_options, subject_name};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Longest name of a subject, in characters.
pub const MAX_LABEL_CHARS: usize = 80;

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::{Action, Cx};
    use crate::error::{AppError, FieldError};
    use crate::i18n::Msg;
    use crate::taxonomy::subject_tags::SubjectTag;

    /// The signed-in platform admin's id; everyone else: sign in, or "not found".
    pub fn admin(cx: &Cx) -> Result<i64, AppError> {
        cx.require_signed_in(&Action::ManageSubjectTags)
    }

    /// Trimmed names, each required and bounded; the code comes from the English name.
    pub fn checked(code: Option<&str>, en: &str, da: &str, sv: &str) -> Result<SubjectTag, AppError> {
        let mut errors = Vec::new();
        let mut name = |field: &'static str, value: &str| {
            let v = value.trim().to_string();
            if let Some(m) =
                crate::check::line_problem(&v, true, super::MAX_LABEL_CHARS, Msg::SubjectsNameTooLong)
            {
                errors.push(FieldError::new(field, m));
            }
            v
        };
        let (en, da, sv) = (name("en", en), name("da", da), name("sv", sv));
        let slug = crate::check::slug_of(&en);
        // `slug_of` names what has no letters "organisation"; that is no subject's code.
        let no_letters = slug == "organisation" && !en.to_lowercase().contains("organisation");
        let code = match code {
            Some(c) => c.to_string(),
            None => slug.replace('-', "_"),
        };
        if errors.is_empty() && no_letters {
            errors.push(FieldError::new("en", Msg::SubjectsNameNeedsLetters));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(SubjectTag { code, en, da, sv })
    }
}

/// The subjects admins added, fresh from the database.
#[server(prefix = "/api", endpoint = "admin/subject-tags")]
pub async fn subject_tags_for_admin() -> Result<Vec<SubjectTag>, AppError> {
    let cx = crate::auth::Cx::get().await?;
    server::admin(&cx)?;
    crate::taxonomy::subject_tags::db::reload(&cx.p.db).await?;
    Ok(crate::taxonomy::subject_tags::all())
}

#[server(prefix = "/api", endpoint = "admin/add-subject-tag")]
pub async fn add_subject_tag(en: String, da: String, sv: String) -> Result<String, AppError> {
    use crate::taxonomy::subject_tags::db::{SaveError, add};
    let cx = crate::auth::Cx::get().await?;
    let by = server::admin(&cx)?;
    let tag = server::checked(None, &en, &da, &sv)?;
    match add(&cx.p, by, &tag).await {
        Ok(()) => Ok(crate::ui::form::finish("/admin/subjects?status=added")),
        Err(SaveError::Taken) => Err(AppError::field("en", Msg::SubjectsTaken)),
        Err(SaveError::NotFound) => Err(AppError::NotFound),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

#[server(prefix = "/api", endpoint = "admin/rename-subject-tag")]
pub async fn rename_subject_tag(
    code: String,
    en: String,
    da: String,
    sv: String,
) -> Result<String, AppError> {
    use crate::taxonomy::subject_tags::db::{SaveError, rename};
    let cx = crate::auth::Cx::get().await?;
    let by = server::admin(&cx)?;
    let tag = server::checked(Some(&code), &en, &da, &sv)?;
    match rename(&cx.p, by, &tag).await {
        Ok(()) => Ok(crate::ui::form::finish("/admin/subjects?status=renamed")),
        Err(SaveError::Taken) => Err(AppError::field("en", Msg::SubjectsTaken)),
        Err(SaveError::NotFound) => Err(AppError::NotFound),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

/// `/admin/subjects`. Everything, the title included, comes with the admin's data: anyone
/// else gets exactly the 404 page (not this page's heading above it).
#[component]
pub fn AdminSubjectsPage() -> impl IntoView {
    let tags = Resource::new(|| (), |_| subject_tags_for_admin());
    let query = use_query_map();
    let status = move || query.read().get("status");
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                signed_in_or_redirect(tags.await, |tags| view! {
                    <Title text=t(Msg::SubjectsTitle) />
                    <section class="wrap page">
                        <h1>{t(Msg::SubjectsTitle)}</h1>
                        {move || {
                            status()
                                .and_then(|s| match s.as_str() {
                                    "added" => Some(Msg::SubjectsAdded),
                                    "renamed" => Some(Msg::SubjectsRenamed),
                                    _ => None,
                                })
                                .map(|m| view! { <p class="form-note" role="status">{t(m)}</p> })
                        }}
                        <AdminNav />
                        <p class="lead">{t(Msg::SubjectsLead)}</p>
                        <AddForm />
                        <Added tags />
                        <BuiltIn />
                    </section>
                })
            })}
        </Suspense>
    }
}

/// Three labelled inputs for the names; `prefix` keeps ids unique on the page.
fn name_fields(
    prefix: String,
    tag: SubjectTag,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    [
        ("en", Msg::SubjectsNameEn, tag.en),
        ("da", Msg::SubjectsNameDa, tag.da),
        ("sv", Msg::SubjectsNameSv, tag.sv),
    ]
    .into_iter()
    .map(|(field, label, value)| {
        let id = format!("{prefix}-{field}");
        let err_id = format!("{id}-error");
        let message = move || error().and_then(|e| e.for_field(field)).map(t);
        view! {
            <div class="field" class:has-error=move || message().is_some()>
                <label for=id.clone()>{t(label)}</label>
                <input
                    id=id.clone()
                    name=field
                    value=value
                    required=true
                    maxlength=MAX_LABEL_CHARS
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=err_id.clone()
                />
                <p class="field-error" id=err_id>{message}</p>
            </div>
        }
    })
    .collect_view()
}

#[component]
fn AddForm() -> impl IntoView {
    let action = ServerAction::<AddSubjectTag>::new();
    let error = last_error(action.value());
    view! {
        <section aria-labelledby="subjects-add-heading">
            <h2 id="subjects-add-heading">{t(Msg::SubjectsAdd)}</h2>
            <FormAlert error />
            <ActionForm action attr:class="form">
                {name_fields("new-subject".into(), SubjectTag::default(), error)}
                <button type="submit" class="button primary">{t(Msg::SubjectsAdd)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn Added(tags: Vec<SubjectTag>) -> impl IntoView {
    let list = if tags.is_empty() {
        view! { <p class="empty">{t(Msg::SubjectsNoneAdded)}</p> }.into_any()
    } else {
        view! {
            <ul class="subject-tags">
                {tags.into_iter().map(|tag| view! { <li><RenameForm tag /></li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="subjects-added-heading">
            <h2 id="subjects-added-heading">{t(Msg::SubjectsAddedHeading)}</h2>
            {list}
        </section>
    }
}

/// One added subject's names, with its own action so its errors stay beside it.
#[component]
fn RenameForm(tag: SubjectTag) -> impl IntoView {
    let action = ServerAction::<RenameSubjectTag>::new();
    let error = last_error(action.value());
    let prefix = format!("subject-{}", tag.code);
    let legend = fill(t(Msg::SubjectsRenameNamed), &[("name", &tag.en)]);
    view! {
        <FormAlert error />
        <ActionForm action attr:class="form">
            <fieldset>
                <legend>{legend}</legend>
                <input type="hidden" name="code" value=tag.code.clone() />
                {name_fields(prefix, tag, error)}
                <button type="submit" class="button secondary">{t(Msg::SubjectsSave)}</button>
            </fieldset>
        </ActionForm>
        <FollowSuccess value=action.value() />
    }
}

#[component]
fn BuiltIn() -> impl IntoView {
    let lang = current_lang();
    view! {
        <section aria-labelledby="subjects-builtin-heading">
            <h2 id="subjects-builtin-heading">{t(Msg::SubjectsBuiltIn)}</h2>
            <ul class="subject-builtin">
                {sorted_options(lang, SUBJECTS, subject_name)
                    .into_iter()
                    .map(|(_, name)| view! { <li>{name}</li> })
                    .collect_view()}
            </ul>
        </section>
    }
}
