//! Authoring: creating a course, editing its details, modules and lessons (reordered with
//! buttons, so by keyboard), staff and runs. Teachers of the course and platform admins.
use super::public::{level_name, run_dates};
use super::{STATUS_NOTES, id_param, param, status_signal};
use crate::courses::api::{
    AddLesson, AddModule, AddStaff, CopyRun, CreateCourse, CreateRun, DeleteContent, MoveContent,
    PlaceContent, RemoveStaff, SetCourseStatus, SetModuleBadge, SetRunStatus, UpdateCourse, UpdateLesson,
    course_for_edit, lesson_for_edit, may_create_course, staff_candidates,
};
use crate::courses::model::{
    BADGE_NAME_MAX, COMPLETION_RULES, CourseEditor, CourseForm, EditModule, LEVELS, LessonEditor,
};
use crate::error::AppError;
use crate::i18n::{Msg, current_lang, fill, t};
use crate::taxonomy::{LANGUAGES, language_name, sorted_options, subject_codes, subject_name};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{CheckboxGroup, Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn CourseFields(
    f: CourseForm,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = current_lang();
    let levels: Vec<_> = LEVELS.iter().map(|l| (*l, level_name(l))).collect();
    let rules: Vec<_> = COMPLETION_RULES
        .iter()
        .map(|r| {
            (
                *r,
                t(if *r == "viewed" {
                    Msg::CoursesRuleViewed
                } else {
                    Msg::CoursesRuleMarked
                })
                .to_string(),
            )
        })
        .collect();
    let rule = if f.completion_rule.is_empty() {
        "viewed".to_string()
    } else {
        f.completion_rule.clone()
    };
    view! {
        <Field name="form[title]" field="title" label=Msg::CoursesFieldTitle value=f.title required=true maxlength=200 error />
        <Field name="form[summary]" field="summary" label=Msg::CoursesFieldSummary value=f.summary maxlength=500 error />
        <TextArea name="form[description]" field="description" label=Msg::CoursesFieldDescription hint=Msg::CoursesMarkdownHint value=f.description error />
        <Select
            name="form[language]"
            field="language"
            label=Msg::CourseLanguage
            options=sorted_options(lang, LANGUAGES, language_name)
            selected=f.language
            required=true
            error
        />
        <Select name="form[level]" field="level" label=Msg::CoursesFieldLevel options=levels selected=f.level error />
        <Field name="form[estimated_hours]" field="estimated_hours" label=Msg::CoursesFieldHours kind="number" value=f.estimated_hours error />
        <Field name="form[target_audience]" field="target_audience" label=Msg::CoursesFieldTargetAudience value=f.target_audience maxlength=300 error />
        <CheckboxGroup
            name="form[subjects][]"
            field="subjects"
            legend=Msg::CoursesFieldSubjects
            options=sorted_options(lang, &subject_codes(), subject_name)
            checked=f.subjects
            error
        />
        <Select name="form[completion_rule]" field="completion_rule" label=Msg::CoursesFieldCompletionRule options=rules selected=rule required=true error />
    }
}

/// `/organisations/{slug}/courses/new`: the organisation's members.
#[component]
pub fn NewCoursePage() -> impl IntoView {
    let org = param("slug");
    let allowed = Resource::new(org, may_create_course);
    view! {
        <Title text=t(Msg::CoursesNewTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::CoursesNewTitle)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(allowed.await, move |name| view! { <NewCourseForm org=org() name /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewCourseForm(org: String, name: String) -> impl IntoView {
    let action = ServerAction::<CreateCourse>::new();
    let error = last_error(action.value());
    view! {
        <p class="lead">{fill(t(Msg::CoursesNewLead), &[("org", &name)])}</p>
        <FormAlert error />
        <ActionForm action attr:class="form">
            <input type="hidden" name="org" value=org />
            <CourseFields f=CourseForm::default() error />
            <button type="submit" class="button primary">{t(Msg::CoursesCreate)}</button>
        </ActionForm>
        <FollowSuccess value=action.value() />
    }
}

/// `/courses/{slug}/edit`.
#[component]
pub fn EditCoursePage() -> impl IntoView {
    let slug = param("slug");
    let data = Resource::new(slug, course_for_edit);
    view! {
        <Title text=t(Msg::CoursesEditTitle) />
        <section class="wrap page">
            <h1>{t(Msg::CoursesEditTitle)}</h1>
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |e| view! { <Editor e /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn Editor(e: CourseEditor) -> impl IntoView {
    let update = ServerAction::<UpdateCourse>::new();
    let status = ServerAction::<SetCourseStatus>::new();
    let update_error = last_error(update.value());
    let status_error = last_error(status.value());
    let published = e.status == "published";
    let slug = e.slug.clone();
    let public = format!("/courses/{slug}");
    let (s1, s2, s3, s4) = (slug.clone(), slug.clone(), slug.clone(), slug.clone());
    view! {
        <p class="lead">
            <a href=public>{e.form.title.clone()}</a>
            " · " {e.organisation_name.clone()} " · "
            {t(if published { Msg::CoursesStatePublished } else { Msg::CoursesStateDraft })}
        </p>
        <FormAlert error=status_error />
        <ActionForm action=status attr:class="inline-form">
            <input type="hidden" name="slug" value=s1 />
            <input type="hidden" name="status" value=if published { "draft" } else { "published" } />
            <button type="submit" class="button primary">
                {t(if published { Msg::CoursesUnpublish } else { Msg::CoursesPublish })}
            </button>
        </ActionForm>
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{t(Msg::CoursesDetails)}</h2>
            <FormAlert error=update_error />
            <ActionForm action=update attr:class="form">
                <input type="hidden" name="slug" value=s2 />
                <CourseFields f=e.form.clone() error=update_error />
                <button type="submit" class="button primary">{t(Msg::CoursesSave)}</button>
            </ActionForm>
        </section>
        <super::media::CourseImageSection slug=slug.clone() image=e.image.clone() max_image_bytes=e.max_image_bytes />
        <ContentEditor slug=s3 version=e.version modules=e.modules.clone() />
        <StaffEditor slug=s4 staff=e.staff.clone() />
        <RunsEditor slug=slug.clone() runs=e.runs.clone() />
        <super::delete::DeleteCourseSection slug has_learners=e.ever_enrolled />
        <FollowSuccess value=update.value() />
        <FollowSuccess value=status.value() />
    }
}

/// What is being dragged in the content editor.
#[derive(Clone, Copy, PartialEq)]
enum Dragged {
    Module(i64),
    Item(i64),
}

/// Firefox starts a drag only when it carries some data.
fn carry_data(ev: &leptos::ev::DragEvent) {
    #[cfg(feature = "hydrate")]
    if let Some(dt) = ev.data_transfer() {
        let _ = dt.set_data("text/plain", "");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
fn ContentEditor(slug: String, version: i64, modules: Vec<EditModule>) -> impl IntoView {
    let moves = ServerAction::<MoveContent>::new();
    let place = ServerAction::<PlaceContent>::new();
    let delete = ServerAction::<DeleteContent>::new();
    let add_module = ServerAction::<AddModule>::new();
    let add_lesson = ServerAction::<AddLesson>::new();
    let badge = ServerAction::<SetModuleBadge>::new();
    let move_error = last_error(moves.value());
    let place_error = last_error(place.value());
    let delete_error = last_error(delete.value());
    let badge_error = last_error(badge.value());
    let module_error = last_error(add_module.value());
    let lesson_error = last_error(add_lesson.value());
    let error = move || {
        move_error()
            .or_else(place_error)
            .or_else(delete_error)
            .or_else(badge_error)
    };
    let version_n = version;
    let version = version.to_string();
    let button = |what: &'static str, id: i64, direction: &'static str, label: Msg, title: &str| {
        move_button(moves, &slug, &version, what, id, direction, label, title)
    };
    let remove = |what: &'static str, id: i64, title: &str| delete_button(delete, &slug, what, id, title);
    let (module_slug, lesson_slug) = (slug.clone(), slug.clone());
    let module_choices: Vec<(String, String)> = modules
        .iter()
        .map(|m| (m.id.to_string(), m.title.clone()))
        .collect();
    // Dragging (with JavaScript) posts the same change as the keyboard forms: a module or an
    // item put at a place, checked against the version this page showed.
    let dragged = RwSignal::new(None::<Dragged>);
    let slug_sv = StoredValue::new(slug.clone());
    let put = move |what: Dragged, module: i64, index: i64| {
        let (what, id) = match what {
            Dragged::Module(id) => ("module", id),
            Dragged::Item(id) => ("item", id),
        };
        place.dispatch(PlaceContent {
            slug: slug_sv.get_value(),
            what: what.to_string(),
            id,
            module,
            index: Some(index),
            version: version_n,
        });
    };
    let list = if modules.is_empty() {
        view! { <p class="empty">{t(Msg::CoursesNoModules)}</p> }.into_any()
    } else {
        view! {
            <p class="hint">{t(Msg::CoursesDragHint)}</p>
            <ol class="module-editor">
                {modules
                    .iter()
                    .enumerate()
                    .map(|(mi, m)| {
                        let (module_id, mi) = (m.id, mi as i64);
                        view! {
                            <li
                                draggable="true"
                                on:dragstart=move |ev| {
                                    carry_data(&ev);
                                    dragged.set(Some(Dragged::Module(module_id)));
                                }
                                on:dragend=move |_| dragged.set(None)
                                on:dragover=move |ev| {
                                    if dragged.get_untracked().is_some() {
                                        ev.prevent_default();
                                    }
                                }
                                on:drop=move |ev| {
                                    ev.prevent_default();
                                    match dragged.get_untracked() {
                                        Some(Dragged::Module(id)) if id != module_id => put(Dragged::Module(id), 0, mi),
                                        // Dropped on the module, not on one of its items: at its end.
                                        Some(Dragged::Item(id)) => put(Dragged::Item(id), module_id, i64::MAX),
                                        _ => {}
                                    }
                                    dragged.set(None);
                                }
                            >
                                <h3>{m.title.clone()}</h3>
                                <div class="row-actions">
                                    {button("module", m.id, "up", Msg::CoursesMoveUpNamed, &m.title)}
                                    {button("module", m.id, "down", Msg::CoursesMoveDownNamed, &m.title)}
                                    {remove("module", m.id, &m.title)}
                                </div>
                                {badge_form(badge, &slug, m)}
                                <ol class="item-editor">
                                    {m.items
                                        .iter()
                                        .enumerate()
                                        .map(|(ii, i)| {
                                            let (item_id, ii) = (i.id, ii as i64);
                                            view! {
                                                <li
                                                    draggable="true"
                                                    on:dragstart=move |ev| {
                                                        ev.stop_propagation();
                                                        carry_data(&ev);
                                                        dragged.set(Some(Dragged::Item(item_id)));
                                                    }
                                                    on:drop=move |ev| {
                                                        ev.prevent_default();
                                                        ev.stop_propagation();
                                                        match dragged.get_untracked() {
                                                            Some(Dragged::Item(id)) if id != item_id => put(Dragged::Item(id), module_id, ii),
                                                            Some(Dragged::Module(id)) if id != module_id => put(Dragged::Module(id), 0, mi),
                                                            _ => {}
                                                        }
                                                        dragged.set(None);
                                                    }
                                                >
                                                    <a href=format!("/courses/{slug}/lessons/{}/edit", i.id)>{i.title.clone()}</a>
                                                    {(!i.required).then(|| view! { " " <span class="badge">{t(Msg::CoursesOptional)}</span> })}
                                                    <div class="row-actions">
                                                        {button("item", i.id, "up", Msg::CoursesMoveUpNamed, &i.title)}
                                                        {button("item", i.id, "down", Msg::CoursesMoveDownNamed, &i.title)}
                                                        {remove("item", i.id, &i.title)}
                                                        {(module_choices.len() > 1).then(|| {
                                                            move_to_module(place, &slug, &version, i.id, &i.title, module_id, &module_choices)
                                                        })}
                                                    </div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let has_modules = !module_choices.is_empty();
    view! {
        <section aria-labelledby="content-heading">
            <h2 id="content-heading">{t(Msg::CoursesContent)}</h2>
            <FormAlert error />
            {list}
            <h3>{t(Msg::CoursesAddModule)}</h3>
            <FormAlert error=module_error />
            <ActionForm action=add_module attr:class="form">
                <input type="hidden" name="slug" value=module_slug />
                <Field name="module_title" field="module_title" label=Msg::CoursesFieldModuleTitle required=true maxlength=200 error=module_error />
                <button type="submit" class="button primary">{t(Msg::CoursesAddModule)}</button>
            </ActionForm>
            {has_modules.then(|| view! {
                <h3>{t(Msg::CoursesAddLesson)}</h3>
                <FormAlert error=lesson_error />
                <ActionForm action=add_lesson attr:class="form">
                    <input type="hidden" name="slug" value=lesson_slug.clone() />
                    <div class="field">
                        <label for="f-module">{t(Msg::CoursesFieldModule)}</label>
                        <select id="f-module" name="module" required=true>
                            {module_choices.iter().map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="lesson_title" field="lesson_title" label=Msg::CoursesFieldLessonTitle required=true maxlength=200 error=lesson_error />
                    <button type="submit" class="button primary">{t(Msg::CoursesAddLesson)}</button>
                </ActionForm>
            })}
        </section>
        <FollowSuccess value=moves.value() />
        <FollowSuccess value=place.value() />
        <FollowSuccess value=delete.value() />
        <FollowSuccess value=badge.value() />
        <FollowSuccess value=add_module.value() />
        <FollowSuccess value=add_lesson.value() />
    }
}

// Buttons that post one small form each: reachable and operable by keyboard.
#[allow(clippy::too_many_arguments)]
fn move_button(
    moves: ServerAction<MoveContent>,
    slug: &str,
    version: &str,
    what: &'static str,
    id: i64,
    direction: &'static str,
    label: Msg,
    title: &str,
) -> impl IntoView + use<> {
    let name = fill(t(label), &[("title", title)]);
    let (slug, version) = (slug.to_string(), version.to_string());
    view! {
        <ActionForm action=moves attr:class="inline-form">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="what" value=what />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="direction" value=direction />
            <input type="hidden" name="version" value=version />
            <button type="submit" class="button secondary small" aria-label=name>
                {t(if direction == "up" { Msg::CoursesMoveUp } else { Msg::CoursesMoveDown })}
            </button>
        </ActionForm>
    }
}

/// "Move to module": the keyboard's (and no-script) way to take an item to another
/// module; it goes to the end there.
fn move_to_module(
    place: ServerAction<PlaceContent>,
    slug: &str,
    version: &str,
    id: i64,
    title: &str,
    current: i64,
    modules: &[(String, String)],
) -> impl IntoView + use<> {
    let (slug, version) = (slug.to_string(), version.to_string());
    let select_id = format!("move-{id}");
    let label = fill(t(Msg::CoursesMoveToModule), &[("title", title)]);
    let button = fill(t(Msg::CoursesMoveToNamed), &[("title", title)]);
    let current = current.to_string();
    let options = modules
        .iter()
        .filter(|(m, _)| *m != current)
        .map(|(m, name)| view! { <option value=m.clone()>{name.clone()}</option> })
        .collect_view();
    view! {
        <ActionForm action=place attr:class="inline-form">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="what" value="item" />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="version" value=version />
            <label class="visually-hidden" for=select_id.clone()>{label}</label>
            <select id=select_id name="module">{options}</select>
            <button type="submit" class="button secondary small" aria-label=button>{t(Msg::CoursesMoveTo)}</button>
        </ActionForm>
    }
}

/// Whether the module awards a badge, and its name (issue 7, S12).
fn badge_form(badge: ServerAction<SetModuleBadge>, slug: &str, m: &EditModule) -> impl IntoView + use<> {
    let check = format!("f-badge-{}", m.id);
    let name = format!("f-badge-name-{}", m.id);
    let hint = format!("f-badge-hint-{}", m.id);
    let save = fill(t(Msg::CoursesBadgeSaveNamed), &[("title", &m.title)]);
    let (slug, id, checked, value, placeholder) = (
        slug.to_string(),
        m.id.to_string(),
        m.badge,
        m.badge_name.clone(),
        m.title.clone(),
    );
    view! {
        <ActionForm action=badge attr:class="badge-form">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="module" value=id />
            <fieldset>
                <legend>{t(Msg::CoursesBadgeLegend)}</legend>
                <label class="check" for=check.clone()>
                    <input type="checkbox" id=check.clone() name="badge" value="on" checked=checked />
                    {t(Msg::CoursesBadgeAward)}
                </label>
                <div class="field">
                    <label for=name.clone()>{t(Msg::CoursesBadgeName)}</label>
                    <input
                        type="text"
                        id=name.clone()
                        name="badge_name"
                        value=value
                        maxlength=BADGE_NAME_MAX.to_string()
                        placeholder=placeholder
                        aria-describedby=hint.clone()
                    />
                    <p class="hint" id=hint.clone()>{t(Msg::CoursesBadgeNameHint)}</p>
                </div>
                <button type="submit" class="button secondary small" aria-label=save>{t(Msg::CoursesBadgeSave)}</button>
            </fieldset>
        </ActionForm>
    }
}

fn delete_button(
    delete: ServerAction<DeleteContent>,
    slug: &str,
    what: &'static str,
    id: i64,
    title: &str,
) -> impl IntoView + use<> {
    let name = fill(t(Msg::CoursesDeleteNamed), &[("title", title)]);
    let slug = slug.to_string();
    view! {
        <ActionForm action=delete attr:class="inline-form">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="what" value=what />
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="button secondary small" aria-label=name>{t(Msg::CoursesDelete)}</button>
        </ActionForm>
    }
}

#[component]
fn StaffEditor(slug: String, staff: Vec<crate::courses::model::StaffMember>) -> impl IntoView {
    let add = ServerAction::<AddStaff>::new();
    let remove = ServerAction::<RemoveStaff>::new();
    let add_error = last_error(add.value());
    let remove_error = last_error(remove.value());
    let candidates = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        staff_candidates,
    );
    let kinds = move || {
        vec![
            ("teacher", t(Msg::CoursesStaffTeacher).to_string()),
            ("moderator", t(Msg::CoursesStaffModerator).to_string()),
        ]
    };
    let slug_for_add = slug.clone();
    view! {
        <section aria-labelledby="staff-heading">
            <h2 id="staff-heading">{t(Msg::CoursesStaff)}</h2>
            <FormAlert error=remove_error />
            <ul class="member-list">
                {staff
                    .into_iter()
                    .map(|s| {
                        let kind = t(if s.kind == "teacher" { Msg::CoursesStaffTeacher } else { Msg::CoursesStaffModerator });
                        let label = fill(t(Msg::CoursesRemoveStaffNamed), &[("name", &s.name)]);
                        let slug = slug.clone();
                        view! {
                            <li>
                                {s.name.clone()} " · " {kind}
                                <ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug />
                                    <input type="hidden" name="user" value=s.user_id.to_string() />
                                    <button type="submit" class="button secondary small" aria-label=label>{t(Msg::CoursesRemoveStaff)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Suspense>
                {move || {
                    let slug = slug_for_add.clone();
                    Suspend::new(async move {
                        let list = candidates.await.unwrap_or_default();
                        (!list.is_empty()).then(|| {
                            let options: Vec<(String, String)> = list.into_iter().map(|m| (m.user_id.to_string(), m.name)).collect();
                            view! {
                                <h3>{t(Msg::CoursesAddStaff)}</h3>
                                <FormAlert error=add_error />
                                <ActionForm action=add attr:class="form">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <div class="field">
                                        <label for="f-user">{t(Msg::CoursesStaffPerson)}</label>
                                        <select id="f-user" name="user" required=true>
                                            {options.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <Select name="kind" field="kind" label=Msg::CoursesStaffRole options=kinds() selected="teacher" required=true error=add_error />
                                    <button type="submit" class="button primary">{t(Msg::CoursesAddStaff)}</button>
                                </ActionForm>
                            }
                        })
                    })
                }}
            </Suspense>
        </section>
        <FollowSuccess value=add.value() />
        <FollowSuccess value=remove.value() />
    }
}

#[component]
fn RunsEditor(slug: String, runs: Vec<crate::courses::model::RunSummary>) -> impl IntoView {
    let create = ServerAction::<CreateRun>::new();
    let status = ServerAction::<SetRunStatus>::new();
    let create_error = last_error(create.value());
    let status_error = last_error(status.value());
    let create_slug = slug.clone();
    let copy_choices: Vec<(String, String)> =
        runs.iter().map(|r| (r.id.to_string(), r.title.clone())).collect();
    let copy_slug = slug.clone();
    view! {
        <section aria-labelledby="runs-heading">
            <h2 id="runs-heading">{t(Msg::CoursesRuns)}</h2>
            <FormAlert error=status_error />
            {if runs.is_empty() {
                view! { <p class="empty">{t(Msg::CoursesNoRuns)}</p> }.into_any()
            } else {
                view! {
                    <ul class="run-list">
                        {runs
                            .into_iter()
                            .map(|r| {
                                let published = r.status == "published";
                                let slug = slug.clone();
                                view! {
                                    <li class="card">
                                        <h3 class="card-title">{r.title.clone()}</h3>
                                        <p class="muted">
                                            {t(if published { Msg::CoursesStatePublished } else { Msg::CoursesStateDraft })}
                                            " · " {run_dates(&r)} " · "
                                            {fill(t(Msg::CoursesLearnerCount), &[("n", &r.learners.to_string()), ("waiting", &r.waiting.to_string())])}
                                        </p>
                                        <p>
                                            <a href=format!("/learn/{}", r.id)>{t(Msg::CoursesPreview)}</a> " · "
                                            <a href=format!("/courses/{slug}/runs/{}/settings", r.id) aria-label=fill(t(Msg::RunsSettingsNamed), &[("title", &r.title)])>
                                                {t(Msg::RunsSettings)}
                                            </a>
                                            " · "
                                            <a href=format!("/courses/{slug}/runs/{}/groups", r.id) aria-label=fill(t(Msg::RunsGroupsOfNamed), &[("title", &r.title)])>
                                                {t(Msg::RunsGroupsOf)}
                                            </a>
                                            " · "
                                            <a href=format!("/courses/{slug}/runs/{}/progress", r.id) aria-label=fill(t(Msg::CourseStaffProgressLinkNamed), &[("title", &r.title)])>
                                                {t(Msg::CourseStaffProgressLink)}
                                            </a>
                                        </p>
                                        <ActionForm action=status attr:class="inline-form">
                                            <input type="hidden" name="slug" value=slug />
                                            <input type="hidden" name="run" value=r.id.to_string() />
                                            <input type="hidden" name="status" value=if published { "draft" } else { "published" } />
                                            <button type="submit" class="button secondary small" aria-label=fill(t(if published { Msg::CoursesUnpublishRunNamed } else { Msg::CoursesPublishRunNamed }), &[("title", &r.title)])>
                                                {t(if published { Msg::CoursesUnpublish } else { Msg::CoursesPublish })}
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
            {(!copy_choices.is_empty()).then(|| view! { <CopyRunForm slug=copy_slug.clone() runs=copy_choices.clone() /> })}
            <h3>{t(Msg::CoursesNewRun)}</h3>
            <FormAlert error=create_error />
            <ActionForm action=create attr:class="form">
                <input type="hidden" name="slug" value=create_slug />
                <Field name="run[title]" field="run_title" label=Msg::CoursesFieldRunTitle required=true maxlength=200 error=create_error />
                <Field name="run[enrol_opens]" field="enrol_opens" label=Msg::CoursesFieldEnrolOpens kind="date" error=create_error />
                <Field name="run[enrol_closes]" field="enrol_closes" label=Msg::CoursesFieldEnrolCloses kind="date" error=create_error />
                <div class="field">
                    <label class="check" for="f-self_paced">
                        <input type="checkbox" id="f-self_paced" name="run[self_paced]" value="on" />
                        {t(Msg::CoursesSelfPaced)}
                    </label>
                </div>
                <Field name="run[starts]" field="starts" label=Msg::CoursesFieldStarts kind="date" error=create_error />
                <Field name="run[ends]" field="ends" label=Msg::CoursesFieldEnds kind="date" error=create_error />
                <Field name="run[capacity]" field="capacity" label=Msg::CoursesFieldCapacity hint=Msg::CoursesCapacityHint kind="number" error=create_error />
                <button type="submit" class="button primary">{t(Msg::CoursesCreateRun)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=create.value() />
        <FollowSuccess value=status.value() />
    }
}

/// "Copy a run": one form for all runs (a select), so its fields' ids are unique.
#[component]
fn CopyRunForm(slug: String, runs: Vec<(String, String)>) -> impl IntoView {
    let copy = ServerAction::<CopyRun>::new();
    let error = last_error(copy.value());
    view! {
        <h3>{t(Msg::RunsCopyHeading)}</h3>
        <p class="hint">{t(Msg::RunsCopyLead)}</p>
        <FormAlert error />
        <ActionForm action=copy attr:class="form">
            <input type="hidden" name="slug" value=slug />
            <div class="field">
                <label for="f-copy_run">{t(Msg::RunsCopyWhich)}</label>
                <select id="f-copy_run" name="copy[run]" required=true>
                    {runs.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                </select>
            </div>
            <Field name="copy[title]" field="copy_title" label=Msg::RunsCopyTitle required=true maxlength=200 error />
            <Field name="copy[starts]" field="copy_starts" label=Msg::RunsCopyStarts hint=Msg::RunsCopyStartsHint kind="date" required=true error />
            <button type="submit" class="button primary">{t(Msg::RunsCopy)}</button>
        </ActionForm>
        <FollowSuccess value=copy.value() />
    }
}

/// `/courses/{slug}/lessons/{item}/edit`.
#[component]
pub fn EditLessonPage() -> impl IntoView {
    let slug = param("slug");
    let item = id_param("item");
    let data = Resource::new(move || (slug(), item()), |(s, i)| lesson_for_edit(s, i));
    view! {
        <Title text=t(Msg::CoursesEditLessonTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::CoursesEditLessonTitle)}</h1>
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |l| view! { <LessonForm l /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn LessonForm(l: LessonEditor) -> impl IntoView {
    let action = ServerAction::<UpdateLesson>::new();
    let error = last_error(action.value());
    let slug = l.course_slug.clone();
    view! {
        <p class="lead"><a href=format!("/courses/{}/edit", l.course_slug)>{l.course_title.clone()}</a></p>
        <FormAlert error />
        <ActionForm action attr:class="form">
            <input type="hidden" name="slug" value=l.course_slug.clone() />
            <input type="hidden" name="item" value=l.item.to_string() />
            <Field name="title" field="title" label=Msg::CoursesFieldLessonTitle value=l.title.clone() required=true maxlength=200 error />
            <TextArea name="body" field="body" label=Msg::CoursesFieldLessonBody hint=Msg::CoursesMarkdownHint value=l.body.clone() error />
            <super::media::EmbedHint providers=l.embed_providers.clone() />
            <div class="field">
                <label class="check" for="f-required">
                    <input type="checkbox" id="f-required" name="required" value="on" checked=l.required />
                    {t(Msg::CoursesFieldRequired)}
                </label>
            </div>
            <button type="submit" class="button primary">{t(Msg::CoursesSave)}</button>
        </ActionForm>
        <FollowSuccess value=action.value() />
        <super::media::FilesSection
            slug
            item=l.item
            files=l.files.clone()
            max_image_bytes=l.max_image_bytes
            max_file_bytes=l.max_file_bytes
            quota_bytes=l.files_quota_bytes
        />
    }
}
